"""Match keys derived from PersonRecords: normalised names, nickname-free given names, dates, postcodes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from graphmodel.names import canonical_given, family_key, name_key, phonetic, postcode_key

__all__ = ["FEATURE_COLUMNS", "features"]

FEATURE_COLUMNS: tuple[str, ...] = (
    "record_id", "source_id", "given_key", "given_canon", "family_key", "family_meta", "family_first",
    "family_parts", "dob", "dob_md", "dob_year",
    "sex", "postcode", "postcode_district", "nhs_number", "upn",
)
"""Columns of the frame handed to Splink (record_id is its unique id)."""

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_SEXES = {"F": "F", "M": "M", "X": "X", "FEMALE": "F", "MALE": "M"}


def features(records: pd.DataFrame) -> pd.DataFrame:
    """Match keys for checked PersonRecords (see records.check_records); empty keys are None."""
    out = pd.DataFrame({"record_id": records["record_id"], "source_id": records["source_id"]})
    out["given_key"] = _by_value(records["given_name"], _first_word)
    out["given_canon"] = _by_value(records["given_name"], canonical_given)
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
    out["postcode_district"] = _by_value(out["postcode"], lambda p: p.split(" ")[0])
    out["nhs_number"] = _by_value(records["nhs_number"], lambda v: re.sub(r"\D", "", v))
    out["upn"] = _by_value(records["upn"], lambda v: re.sub(r"[^0-9A-Z]", "", v.upper()))
    return out.reset_index(drop=True)


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


def _by_value(values: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    """Apply fn once per distinct non-empty value (fast on a million rows); empty results become None."""
    present = values.dropna()
    mapping = {v: fn(v) or None for v in pd.unique(present)}
    return _none_for_na(values.map(mapping))


def _none_for_na(values: pd.Series) -> pd.Series:
    """Object column with None for every missing value."""
    return values.astype(object).where(values.notna(), None)
