"""Interrelated issues: the needs held across a family and the known links between them; for the
county, how often needs occur together in one family (count and lift)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable, FamilySnapshot, is_open
from graphmodel.roles import ADULT_ROLES
from graphmodel.taxonomy import INTERRELATION_RULES
from queries.common import as_of_or_default, check_district, open_on

__all__ = ["CooccurrenceCell", "FamilyNeeds", "LinkFound", "cooccurrence", "family_needs", "needs_from_snapshot"]


@dataclass(frozen=True, slots=True)
class LinkFound:
    """A known pattern found in a family: which parts are present, and who holds them."""

    rule: str
    name: str
    why: str
    complete: bool
    present: tuple[str, ...]
    missing: tuple[str, ...]
    holders: tuple[tuple[str, str], ...]  # (need code, person id)


@dataclass(frozen=True, slots=True)
class FamilyNeeds:
    """Open needs per member and the links between them."""

    family_id: str
    as_of: str
    needs: tuple[tuple[str, str, str], ...]  # (person id, role, need code)
    links: tuple[LinkFound, ...]


@dataclass(frozen=True, slots=True)
class CooccurrenceCell:
    """Families holding both needs, and how much more often than chance (lift)."""

    need_a: str
    need_b: str
    families: int
    lift: float


PARENT_ROLES = frozenset({"parent", "step_parent", "carer"})
"""Roles that parent the family's children: a grandparent or other adult's needs are not 'parental'."""


def _holder_fits(role: str, who: str) -> bool:
    if who == "parent":
        return role in PARENT_ROLES
    return who == "any" or (who == "adult") == (role in ADULT_ROLES)


def family_needs(store: GraphStore, family_id: str, as_of: str | None = None) -> FamilyNeeds | None:
    """Needs across a family's members and the interrelation rules they meet (fully or partly)."""
    snap = store.family_snapshot(family_id)
    return needs_from_snapshot(snap, as_of_or_default(store, as_of)) if snap else None


def needs_from_snapshot(snap: FamilySnapshot, as_of: str) -> FamilyNeeds:
    """Open needs and known links in one family's snapshot."""
    family_id = snap.family.id
    roles = {m.person_id: m.role for m in snap.members}
    held = sorted({(n.person_id, roles[n.person_id], n.need_code) for n in snap.person_needs
                   if is_open(n.since, n.until, as_of)})
    links = []
    for rule in INTERRELATION_RULES:
        holders = [(code, pid) for code, who in rule.parts for pid, role, need in held
                   if need == code and _holder_fits(role, who)]
        present = tuple(code for code, _ in rule.parts if any(h[0] == code for h in holders))
        missing = tuple(code for code, _ in rule.parts if code not in present)
        complete = not missing
        partial_trio = rule.code == "toxic_trio" and len(present) >= 2
        if complete or partial_trio:
            links.append(LinkFound(rule.code, rule.name, rule.why, complete, present, missing,
                                   tuple(sorted(set(holders)))))
    return FamilyNeeds(family_id, as_of, tuple(held), tuple(links))


def cooccurrence(store: GraphStore, as_of: str | None = None, district: str | None = None) -> list[CooccurrenceCell]:
    """Need-by-need co-occurrence across families with open needs: count and lift, strongest first."""
    as_of = as_of_or_default(store, as_of)
    district = check_district(store, district)
    tables = {CountyTable.PERSON_NEEDS: store.county_table(CountyTable.PERSON_NEEDS, district)}
    return cooccurrence_from_needs(open_on(tables, CountyTable.PERSON_NEEDS, as_of))


def cooccurrence_from_needs(needs: pd.DataFrame) -> list[CooccurrenceCell]:
    """Co-occurrence cells from (family_id, need_code) rows."""
    pairs = needs[["family_id", "need_code"]].drop_duplicates()
    families = pairs.family_id.nunique()
    if families == 0:
        return []
    matrix = pd.crosstab(pairs.family_id, pairs.need_code).clip(upper=1)
    together = matrix.T.dot(matrix)
    share = matrix.sum() / families
    cells = []
    codes = sorted(together.columns)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            both = int(together.at[a, b])
            if both:
                lift = (both / families) / (share[a] * share[b])
                cells.append(CooccurrenceCell(a, b, both, round(float(lift), 3)))
    return sorted(cells, key=lambda c: (-c.lift, -c.families, c.need_a, c.need_b))

