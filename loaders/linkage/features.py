"""Match keys derived from PersonRecords: normalised names, related names, dates, addresses, identifiers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import jellyfish
import pandas as pd

from graphmodel.names import family_key, name_key, phonetic, postcode_key
from loaders.linkage.identifiers import IDENTIFIERS, clean_identifier
from loaders.linkage.nicknames import REGISTERED_GIVEN, related_names

__all__ = ["FEATURE_COLUMNS", "FREQUENT_NAME", "Features", "features", "keys"]

FEATURE_COLUMNS: tuple[str, ...] = (
    "record_id", "source_id", "given_key", "given_meta", "given_related", "given_real", "family_key",
    "family_meta", "family_first", "family_parts", "dob", "dob_md", "dob_year", "sex", "postcode",
    "postcode_district", "address_key", "address_number", "town_key",
    *(identifier.column for identifier in IDENTIFIERS),
)
"""Columns of the frame handed to Splink (record_id is its unique id)."""

FREQUENT_NAME = 5
"""A given name held by at least this many records (and 1 in 2,000) is taken as a registered name."""

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_SEXES = {"F": "F", "M": "M", "X": "X", "FEMALE": "F", "MALE": "M"}
_STREET_WORDS = {"st": "street", "rd": "road", "ave": "avenue", "av": "avenue", "ln": "lane", "dr": "drive",
                 "cres": "crescent", "cl": "close", "ct": "court", "pl": "place", "sq": "square", "gdns": "gardens",
                 "tce": "terrace", "pde": "parade", "cct": "circuit", "hwy": "highway"}


@dataclass(frozen=True, slots=True)
class Features:
    """The feature frame and what was noticed building it (identifiers dropped for a failed check)."""

    frame: pd.DataFrame
    notes: tuple[str, ...]


def keys(records: pd.DataFrame) -> Features:
    """Match keys for checked PersonRecords, with a note per identifier column that had values dropped."""
    out = pd.DataFrame({"record_id": records["record_id"], "source_id": records["source_id"]})
    out["given_key"] = _by_value(records["given_name"], _first_word)
    out["given_meta"] = _by_value(out["given_key"], jellyfish.metaphone)
    out["given_related"] = out["given_key"].map(lambda n: sorted(related_names(n)) if n else None)
    counts = out["given_key"].value_counts()
    frequent = set(counts[counts >= max(FREQUENT_NAME, len(out) / 2000)].index)
    out["given_real"] = out["given_key"].map(lambda n: bool(n) and (n in REGISTERED_GIVEN or n in frequent))
    out["family_key"] = _by_value(records["family_name"], family_key)
    out["family_meta"] = _by_value(records["family_name"], phonetic)
    out["family_first"] = _by_value(records["family_name"], lambda n: name_key(n).split(" ")[0])
    parts = _by_value(records["family_name"], lambda n: "|".join(sorted(set(name_key(n).split(" ")))))
    out["family_parts"] = parts.map(lambda p: p.split("|") if p else None)
    dob = records["dob"].astype("string").str.slice(0, 10)
    out["dob"] = _none_for_na(dob.where(dob.str.match(_ISO_DATE)))
    out["dob_year"] = _none_for_na(out["dob"].astype("string").str.slice(0, 4))
    out["dob_md"] = _by_value(out["dob"], _day_month_unordered)
    out["sex"] = _by_value(records["sex"], lambda s: _SEXES.get(s.strip().upper(), ""))
    out["postcode"] = _by_value(records["postcode"], _postcode)
    out["postcode_district"] = _by_value(out["postcode"], _district)
    out["address_key"] = _by_value(records["address_line1"], _address)
    out["address_number"] = _by_value(out["address_key"], lambda a: (re.findall(r"\d+", a) or [""])[0])
    out["town_key"] = _by_value(records["town"], family_key)
    notes = []
    for identifier in IDENTIFIERS:
        cleaned = records[identifier.column].map(lambda v, i=identifier: clean_identifier(i, v))
        out[identifier.column] = _none_for_na(cleaned.map(lambda c: c[0]))
        dropped = int(cleaned.map(lambda c: c[1]).sum())
        if dropped:
            notes.append(f"{dropped} {identifier.title}(s) failed the check digit and were not used")
    return Features(out.reset_index(drop=True), tuple(notes))


def features(records: pd.DataFrame) -> pd.DataFrame:
    """Match keys for checked PersonRecords (see records.check_records); empty keys are None."""
    return keys(records).frame


def _first_word(text: str) -> str:
    """The first word of a name key ('Mary-Jane' -> 'mary')."""
    return name_key(text).split(" ")[0]


def _day_month_unordered(iso: str) -> str:
    """The year with day and month in either order ('2008-03-02' and '2008-02-03' -> '2008|02|03')."""
    month, day = iso[5:7], iso[8:10]
    return "|".join((iso[:4], *sorted((month, day))))


def _postcode(text: str) -> str:
    """A UK postcode in standard form ('cb12ab' -> 'CB1 2AB'); anything else upper-cased as given."""
    key = postcode_key(text)
    match = _POSTCODE.match(key)
    return f"{match.group(1)} {match.group(2)}" if match else key


def _district(postcode: str) -> str:
    """A UK postcode's outward code ('CB1 2AB' -> 'CB1'); other postcodes lose their last two characters."""
    return postcode.split(" ")[0] if " " in postcode else postcode[: max(1, len(postcode) - 2)]


def _address(text: str) -> str:
    """An address line in lower case with standard street words ('12 Mill Ln.' -> '12 mill lane')."""
    words = re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split()
    return " ".join(_STREET_WORDS.get(w, w) for w in words)


def _by_value(values: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    """Apply fn once per distinct non-empty value (fast on a million rows); empty results become None."""
    present = values.dropna()
    mapping = {v: fn(v) or None for v in pd.unique(present)}
    return _none_for_na(values.map(mapping))


def _none_for_na(values: pd.Series) -> pd.Series:
    """Object column with None for every missing value."""
    return values.astype(object).where(values.notna(), None)
