"""Household-aware evidence: when two records are different people whatever their score.

Households defeat plain record linkage: twins share a surname, a birthday and an address; a father and
son may share every name. These rules name the evidence that two records are two people. A pair they
name is never linked automatically, and no group is ever formed that holds such a pair (cluster.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import jellyfish
import pandas as pd

from loaders.linkage.identifiers import IDENTIFIERS
from loaders.linkage.nicknames import nickname_related

__all__ = ["ALL_RULES", "GENERATION_YEARS", "Person", "Rules", "different_people", "people_by_id", "rules_for",
           "vetoes"]

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
RULE_BITS = -6.0
"""A rule about a field applies when the trained model's weight for that field being wholly different is at
most this many bits: the data then show that one person's records rarely differ wholesale in it."""


def rules_for(model_settings: dict[str, object]) -> Rules:
    """The rules the data support: off for a field whose wholesale change is common among matches.

    In data where first names or dates of birth are often replaced wholesale between records of one
    person (some test sets corrupt them so), a different first name is no sign of twins; in agency records
    of households it is, and the model learns a strongly negative weight for it.
    """
    weights: dict[str, float] = {}
    for comparison in model_settings.get("comparisons", []):  # type: ignore[union-attr]
        last = comparison["comparison_levels"][-1]
        m, u = last.get("m_probability"), last.get("u_probability")
        if m and u:
            weights[comparison["output_column_name"]] = math.log2(float(m) / float(u))
    return Rules(twins=weights.get("given_name", -99.0) <= RULE_BITS,
                 namesakes=weights.get("dob", -99.0) <= RULE_BITS)


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
    if rules.twins and a.dob == b.dob and a.given != b.given and not nickname_related(a.given, b.given):
        if (a.given_real and b.given_real) or not _look_alike(a.given, b.given):
            return (f"same date of birth and family name, different given names ({a.given.title()} / "
                    f"{b.given.title()}): twins or siblings")
    same_name = a.given == b.given or nickname_related(a.given, b.given)
    years = abs(int(a.dob[:4]) - int(b.dob[:4])) if a.dob[:4].isdigit() and b.dob[:4].isdigit() else 0
    if rules.namesakes and same_name and years >= GENERATION_YEARS and not _dob_typo(a.dob, b.dob):
        return f"same name, born {years} years apart: a parent and child or namesakes"
    return None


def vetoes(pairs: Iterable[tuple[str, str]], people: Mapping[str, Person], rules: Rules = ALL_RULES,
           ) -> list[str | None]:
    """different_people for each pair of record ids."""
    return [different_people(people[a], people[b], rules) for a, b in pairs]
