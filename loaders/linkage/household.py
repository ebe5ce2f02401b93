"""Household-aware evidence: when two records are different people whatever their score.

Households defeat plain record linkage: twins share a surname, a birthday and an address; a father and
son may share every name. These rules name the evidence that two records are two people. A pair they
name is never linked automatically, and no group is ever formed that holds such a pair (cluster.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jellyfish
import pandas as pd

from loaders.linkage.identifiers import IDENTIFIERS
from loaders.linkage.nicknames import REGISTERED_GIVEN, nickname_related

__all__ = ["ALL_RULES", "GENERATION_YEARS", "Person", "Rules", "different_people", "look_alike_registered",
           "people_by_id", "rules_for", "twin_like_pairs", "vetoes"]

GENERATION_YEARS = 15
"""Records with the same name born this many years apart (and not a typo of one date) are two people."""
_CHECKED = tuple(identifier for identifier in IDENTIFIERS if identifier.checked)
_UNCHECKED = tuple(identifier for identifier in IDENTIFIERS if not identifier.checked)


@dataclass(frozen=True, slots=True)
class Rules:
    """Which household rules apply (rules_for decides from the trained model)."""

    twins: bool = True
    namesakes: bool = True


ALL_RULES = Rules()
TWIN_EXCESS = 2.0
"""The twin rule applies when twin-like pairs outnumber those the duplicates explain this many times."""


def rules_for(model_settings: dict[str, Any], features: pd.DataFrame) -> Rules:
    """The rules the data support.

    Twins: on when the data hold more 'twin-like' pairs (same birthday and family name, two different
    registered first names) than the model's own duplicates would explain (TWIN_EXCESS times the
    expected number: matching pairs x m(same birthday) x m(same family name) x m(different first name)).
    In a population of households the excess is the twins; in data whose duplicates often carry a
    wholly different first name (some test sets corrupt records so) there is no excess and the pattern
    is no sign of twins. Namesakes: on in the same data of households. (The trained weight of 'date of birth
    different' was tried as a second signal and dropped: EM gives it anywhere from -1 to -10 bits on the
    same data depending on which pairs a block holds.)
    """
    levels = {c["output_column_name"]: [lv for lv in c["comparison_levels"] if not lv.get("is_null_level")]
              for c in model_settings.get("comparisons", [])}

    def m(name: str, index: int) -> float:
        return float(levels[name][index].get("m_probability") or 0.0) if name in levels else 1.0

    n = len(features)
    matches = float(model_settings.get("probability_two_random_records_match") or 0.0) * n * (n - 1) / 2
    given_different = m("given_name", -1) + m("given_name", 3)  # different, or look-alike registered names
    expected = matches * m("dob", 0) * m("family_name", 0) * given_different
    households = twin_like_pairs(features) > TWIN_EXCESS * expected
    return Rules(twins=households, namesakes=households)


def twin_like_pairs(features: pd.DataFrame) -> int:
    """Pairs with the same birthday and family name and two different registered first names."""
    frame = features.loc[features["given_real"].astype(bool) & features["dob"].notna() & features["family_key"].notna(),
                         ["dob", "family_key", "given_key"]]
    frame = frame[frame.duplicated(["dob", "family_key"], keep=False)]
    count = 0
    for _, names in frame.groupby(["dob", "family_key"])["given_key"]:
        values = list(names)
        count += sum(1 for i, a in enumerate(values) for b in values[i + 1:]
                     if a != b and not nickname_related(a, b))
    return count


@dataclass(frozen=True, slots=True)
class Person:
    """The fields of one record the household rules read (keys from features.py)."""

    given: str | None
    given_real: bool
    family: str | None
    family_parts: tuple[str, ...]
    dob: str | None
    ids: tuple[str | None, ...]  # checked identifiers (validated), in _CHECKED order
    other_ids: tuple[str | None, ...]  # identifiers without a check digit


def people_by_id(features: pd.DataFrame) -> dict[str, Person]:
    """Each record's rule fields, by record id."""
    columns = [features[c].tolist() for c in ("record_id", "given_key", "given_real", "family_key",
                                                "family_parts", "dob")]
    ids = list(zip(*(features[i.column].tolist() for i in _CHECKED), strict=True))
    others = list(zip(*(features[i.column].tolist() for i in _UNCHECKED), strict=True))
    return {rid: Person(g, bool(real), f, tuple(parts) if parts is not None else (), d, idents, other)
            for rid, g, real, f, parts, d, idents, other in zip(*columns, ids, others, strict=True)}


def _same_family(a: Person, b: Person) -> bool:
    if not a.family or not b.family:
        return False
    return (a.family == b.family or bool(set(a.family_parts) & set(b.family_parts))
            or jellyfish.jaro_winkler_similarity(a.family, b.family) >= 0.88)


def _look_alike(a: str, b: str) -> bool:
    return (jellyfish.damerau_levenshtein_distance(a, b) <= 1
            or jellyfish.jaro_winkler_similarity(a, b) >= 0.88)


def _dob_typo(a: str, b: str) -> bool:
    """One date a slip of the other: one character, or day and month swapped."""
    return (jellyfish.damerau_levenshtein_distance(a, b) <= 1
            or (a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]))


def different_people(a: Person, b: Person, rules: Rules = ALL_RULES) -> str | None:
    """Why two records must be two people, or None when no household rule applies."""
    for identifier, x, y in zip(_CHECKED, a.ids, b.ids, strict=True):
        if x and y and x != y:
            return f"different {identifier.title}s (both pass the check digit)"
    if any(x and x == y for x, y in zip(a.ids + a.other_ids, b.ids + b.other_ids, strict=True)):
        return None  # a shared identifier outweighs a different name or birthday
    if not _same_family(a, b) or not a.given or not b.given or not a.dob or not b.dob:
        return None
    if (rules.twins and a.dob == b.dob and a.given != b.given and a.given_real and b.given_real
            and not nickname_related(a.given, b.given)):
        return (f"same date of birth and family name, different given names ({a.given.title()} / "
                    f"{b.given.title()}): twins or siblings")
    same_name = a.given == b.given or nickname_related(a.given, b.given)
    years = abs(int(a.dob[:4]) - int(b.dob[:4])) if a.dob[:4].isdigit() and b.dob[:4].isdigit() else 0
    if rules.namesakes and years >= GENERATION_YEARS and not _dob_typo(a.dob, b.dob):
        if same_name:
            return f"same name, born {years} years apart: a parent and child or namesakes"
        return f"different given names, born {years} years apart: a parent and child"
    return None


def look_alike_registered(a: Person, b: Person, rules: Rules = ALL_RULES) -> str | None:
    """Why a pair must wait for a reviewer: same birthday and family name, two registered names one letter
    apart that are also nickname forms of each other (Louis and Louie, Leo and Leon): one child or twins, a
    person decides. Nicknames that do not look alike (Oliver and Ollie, Henry and Harry) link as usual."""
    if (rules.twins and a.given and b.given and a.given != b.given and a.dob and a.dob == b.dob
            and a.given in REGISTERED_GIVEN and b.given in REGISTERED_GIVEN and nickname_related(a.given, b.given)
            and jellyfish.damerau_levenshtein_distance(a.given, b.given) <= 1
            and _same_family(a, b) and not any(x and x == y for x, y in zip(a.ids + a.other_ids,
                                                                               b.ids + b.other_ids, strict=True))):
        return (f"{a.given.title()} and {b.given.title()} are each a registered name: one child or twins, "
                "a reviewer decides")
    return None


def vetoes(pairs: Iterable[tuple[str, str]], people: Mapping[str, Person], rules: Rules = ALL_RULES,
           ) -> list[str | None]:
    """different_people for each pair of record ids."""
    return [different_people(people[a], people[b], rules) for a, b in pairs]
