"""Disclosure control for every aggregate that leaves FamilyGraph (the strategic page, `ask coverage |
cooccurrence | sf`, text and --json, and the aggregate exports): one implementation.

1. Dates are snapped to whole months (as-of and period end to a month's last day, period start to a month's
   first day), so moving a date by a day changes nothing.
2. Districts with fewer than MIN_DISTRICT_FAMILIES families cannot be chosen; they are still counted in the
   county, as a remainder that is never shown and is protected like any small cell.
3. Primary suppression: a count from 1 to 5 is shown as 'c'.
4. Secondary suppression: every count is computed for the county and every district at once, and the
   relations a reader could use are checked: county = districts + remainder, people with a need = people
   without work + people with work, closed episodes = re-referred + not. While some small cell could be worked
   out exactly from what is shown, the smallest further cell in that relation is suppressed too.
5. Rates and lifts are shown only when their counts are shown; lifts to one decimal place, rates whole percent.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.errors import UserInputError
from graphmodel.records import CountyTable
from queries.common import UnknownFilter, open_on
from queries.coverage import COVERAGE_TABLES, coverage_from_tables
from queries.interrelated import cooccurrence_from_needs
from queries.supporting_families import supporting_families_from_tables
from queries.suppression import SUPPRESSED

__all__ = ["COUNTY", "HEADLINES", "MIN_DISTRICT_FAMILIES", "PRIMARY_MAX", "Release", "Shown",
           "protect", "release", "reportable_districts", "snap_period"]

PRIMARY_MAX = 5
"""Counts from 1 to this are never shown."""
MIN_DISTRICT_FAMILIES = 20
"""A district with fewer families than this cannot be reported on its own."""
COUNTY = "(county)"
REST = "(smaller districts)"

Key = tuple[str, ...]
_FAMILY_COUNTS = ("sector_need", "agency_need", "cooccurrence")
"""Kinds of count that never exceed the number of families in the area."""
Cell = tuple[str, Key]
Shown = int | str
"""A count as released: a whole number (0, or 6 and over) or 'c'."""

HEADLINES = {
    "families": "Families", "families_with_needs": "With an open need", "eligible_2021": "Eligible (2021 rule)",
    "eligible_2022": "Eligible (2022 rule)", "claim_ready": "Ready to claim",
    "leaderless_families": "Several professionals, no lead", "transfers": "Lead transfers in period",
    "closed_episodes": "Early help closed in period", "re_referred": "Re-referred within 12 months",
}


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def snap_period(as_of: str, period_from: str | None, period_to: str | None) -> tuple[str, str, str]:
    """As-of and period end to the last day of the latest whole month up to them; period start to a month's
    first day (default: twelve months before the end)."""
    def snapped_end(text: str) -> dt.date:
        day = dt.date.fromisoformat(text)
        end = _month_end(day)
        return end if end == day else day.replace(day=1) - dt.timedelta(days=1)

    as_of_d = snapped_end(as_of)
    to_d = snapped_end(period_to) if period_to else as_of_d
    if period_from:
        from_d = dt.date.fromisoformat(period_from).replace(day=1)
    else:
        from_d = (to_d + dt.timedelta(days=1)).replace(year=to_d.year - 1)
    if from_d > to_d:
        raise UserInputError(f"the period starts ({from_d.isoformat()}) after it ends ({to_d.isoformat()})")
    return as_of_d.isoformat(), from_d.isoformat(), to_d.isoformat()


def _figures(tables: dict[CountyTable, pd.DataFrame], as_of: str, period_from: str,
             period_to: str) -> tuple[dict[Key, int], dict[Key, float]]:
    """Every count (and every co-occurrence lift) for one area."""
    report = coverage_from_tables(tables, as_of, None, period_from, period_to)
    sf = supporting_families_from_tables(tables, as_of).counts()
    counts: dict[Key, int] = {
        ("headline", "families"): report.families, ("headline", "leaderless_families"): report.leaderless_families,
        ("headline", "transfers"): report.transfers, ("headline", "closed_episodes"): report.closed_episodes,
        ("headline", "re_referred"): report.re_referred_within_12_months,
        ("hidden", "not_re_referred"): report.closed_episodes - report.re_referred_within_12_months,
    }
    counts.update({("headline", k): v for k, v in sf.items()})
    counts.update({("sector_need", c.row, c.need_code): c.families for c in report.sector_need})
    counts.update({("agency_need", c.row, c.need_code): c.families for c in report.agency_need})
    for u in report.unmet:
        counts[("unmet_people", u.need_code)] = u.people
        counts[("unmet_without", u.need_code)] = u.unmet
        counts[("hidden", "met", u.need_code)] = u.people - u.unmet
    counts.update({("lead_load", b.band): b.professionals for b in report.lead_load})
    lifts: dict[Key, float] = {}
    for cell in cooccurrence_from_needs(open_on(tables, CountyTable.PERSON_NEEDS, as_of)):
        counts[("cooccurrence", cell.need_a, cell.need_b)] = cell.families
        lifts[("cooccurrence", cell.need_a, cell.need_b)] = cell.lift
    return counts, lifts


def _within_area(tables: dict[CountyTable, pd.DataFrame], families: set[str]) -> dict[CountyTable, pd.DataFrame]:
    return {t: (f[f.family_id.isin(families)] if "family_id" in f.columns else f) for t, f in tables.items()}


def _relations(areas: list[str], keys: Iterable[Key]) -> list[tuple[Cell, list[Cell]]]:
    """(total, parts) that a reader could combine: the county as its areas, and the partitions in one area."""
    relations: list[tuple[Cell, list[Cell]]] = []
    parts = [a for a in areas if a != COUNTY]
    for key in keys:
        if key[0] != "hidden":
            relations.append(((COUNTY, key), [(a, key) for a in parts]))
    for area in areas:
        for key in keys:
            if key[0] == "unmet_people":
                relations.append(((area, key), [(area, ("unmet_without", key[1])), (area, ("hidden", "met", key[1]))]))
        relations.append(((area, ("headline", "closed_episodes")),
                          [(area, ("headline", "re_referred")), (area, ("hidden", "not_re_referred"))]))
    return relations


def _sensitive(value: int) -> bool:
    return 1 <= value <= PRIMARY_MAX


def protect(values: dict[Cell, int], hidden: set[Cell], relations: list[tuple[Cell, list[Cell]]],
            hidden_high: dict[Cell, int] | None = None) -> set[Cell]:
    """The cells to suppress: the small ones, and more until no small cell follows exactly from what is shown.

    The reader is assumed to know more than the page says: that a suppressed small cell is from 1 to 5, that a
    cell suppressed to protect another is 6 or more, that a cell never shown (hidden) is from 0 to its
    hidden_high bound. Zeros are always shown.
    """
    suppressed = {c for c, v in values.items() if c not in hidden and _sensitive(v)}
    bounds_of = hidden_high or {}

    def bounds(cell: Cell) -> tuple[float, float]:
        if cell in hidden:
            return 0, bounds_of.get(cell, math.inf)
        value = values.get(cell, 0)
        return (1, PRIMARY_MAX) if _sensitive(value) else (PRIMARY_MAX + 1, math.inf)

    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            members = [total, *parts]
            unknown = [c for c in members if c in suppressed or c in hidden]
            if not unknown or not any(_sensitive(values.get(c, 0)) for c in unknown):
                continue
            if _exact(values, total, parts, set(unknown), bounds):
                candidates = sorted((values.get(c, 0), c) for c in members
                                    if c not in suppressed and c not in hidden and values.get(c, 0) >= 1)
                if candidates:
                    suppressed.add(candidates[0][1])
                    changed = True
    return suppressed


def _exact(values: dict[Cell, int], total: Cell, parts: list[Cell], unknown: set[Cell],
           bounds: Callable[[Cell], tuple[float, float]]) -> bool:
    """Whether a small unknown cell of total = sum(parts) is pinned to one value (or the bounds contradict)."""
    # Write the relation as sum(sign * x) = known, with the total on the right-hand side of the parts.
    signed = [(1, c) for c in parts if c in unknown] + ([(-1, total)] if total in unknown else [])
    known = (0 if total in unknown else values.get(total, 0)) - sum(values.get(c, 0) for c in parts
                                                                    if c not in unknown)
    for sign, cell in signed:
        if not _sensitive(values.get(cell, 0)):
            continue
        low_others = high_others = 0.0
        for other_sign, other in signed:
            if other == cell:
                continue
            lo, hi = bounds(other)
            low_others += other_sign * (lo if other_sign > 0 else hi)
            high_others += other_sign * (hi if other_sign > 0 else lo)
        lo, hi = bounds(cell)
        # sign * x = known - others, so x lies between (known - high_others) and (known - low_others), over sign
        a, b = (known - high_others) / sign, (known - low_others) / sign
        low, high = max(lo, min(a, b)), min(hi, max(a, b))
        if low >= high:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Release:
    """The aggregates for one area and period, every count already protected."""

    as_of: str
    district: str | None
    period_from: str
    period_to: str
    counts: dict[Key, Shown]
    lifts: dict[Key, str]
    notes: tuple[str, ...] = field(default=())

    def table(self, kind: str) -> list[tuple[Key, Shown]]:
        """The released cells of one kind ('sector_need', 'agency_need', 'unmet_people', ...), sorted."""
        return sorted(((k, v) for k, v in self.counts.items() if k[0] == kind), key=lambda kv: kv[0])

    def headline(self, name: str) -> Shown:
        """One headline count."""
        return self.counts[("headline", name)]

    def rate(self, numerator: Key, denominator: Key) -> str:
        """A whole-percent rate, or 'c' when a count behind it is suppressed, '-' when there is nothing."""
        num, den = self.counts.get(numerator, 0), self.counts.get(denominator, 0)
        if num == SUPPRESSED or den == SUPPRESSED:
            return SUPPRESSED
        if not den:
            return "-"
        return f"{100 * int(num) / int(den):.0f}%"

    def as_json(self) -> dict[str, object]:
        """Plain data for --json: the same protected values, nothing more."""
        return {"as_of": self.as_of, "district": self.district, "period_from": self.period_from,
                "period_to": self.period_to, "suppressed": f"{SUPPRESSED} = 1 to {PRIMARY_MAX}, or a cell that "
                "would reveal one", "notes": list(self.notes),
                "counts": [{"table": k[0], "key": list(k[1:]), "value": v} for k, v in sorted(self.counts.items())],
                "lifts": [{"need_a": k[1], "need_b": k[2], "lift": v} for k, v in sorted(self.lifts.items())]}


def reportable_districts(families: pd.DataFrame) -> list[str]:
    """Districts with at least MIN_DISTRICT_FAMILIES families, sorted."""
    sizes = families.dropna(subset=["district"]).groupby("district").family_id.nunique()
    return sorted(str(d) for d, n in sizes.items() if n >= MIN_DISTRICT_FAMILIES)


def release(store: GraphStore, as_of: str, district: str | None = None, period_from: str | None = None,
            period_to: str | None = None, raw: bool = False) -> Release:
    """The protected aggregates for the county (district None) or one reportable district.

    raw=True leaves every count unsuppressed: only for the data role, and the caller audits it.
    """
    as_of, period_from, period_to = snap_period(as_of, period_from, period_to)
    tables = {t: store.county_table(t) for t in COVERAGE_TABLES}
    families = tables[CountyTable.FAMILIES]
    districts = reportable_districts(families)
    if district is not None and district not in set(families.district.dropna()):
        known = sorted(str(d) for d in families.district.dropna().unique())
        raise UnknownFilter(f"unknown district {district!r}; known: {', '.join(known) or 'none (no data loaded)'}")
    if district is not None and district not in districts:
        raise UserInputError(f"district {district!r} cannot be reported on its own (unknown, or fewer than "
                             f"{MIN_DISTRICT_FAMILIES} families); choose one of: {', '.join(districts) or 'none'}")
    members = {d: set(families[families.district == d].family_id) for d in districts}
    rest = set(families.family_id) - set().union(*members.values()) if members else set()
    areas: dict[str, set[str] | None] = {COUNTY: None, **members}
    if rest:
        areas[REST] = rest
    values: dict[Cell, int] = {}
    lifts: dict[str, dict[Key, float]] = {}
    for area, ids in areas.items():
        counts, area_lifts = _figures(tables if ids is None else _within_area(tables, ids), as_of, period_from,
                                      period_to)
        values.update({(area, k): v for k, v in counts.items()})
        lifts[area] = area_lifts
    keys = {k for _, k in values}
    hidden = {c for c in values if c[1][0] == "hidden" or c[0] == REST}
    hidden |= {(a, k) for a in areas for k in keys if k[0] == "hidden" or a == REST}
    high = {(REST, k): len(rest) for k in keys if k[0] in _FAMILY_COUNTS} if rest else {}
    suppressed = set() if raw else protect(values, hidden, _relations(list(areas), keys), high)
    area = district or COUNTY
    shown: dict[Key, Shown] = {}
    for (cell_area, key), value in values.items():
        if cell_area == area and key[0] != "hidden":
            shown[key] = SUPPRESSED if (cell_area, key) in suppressed else value
    shown_lifts = {k: (SUPPRESSED if shown.get(k) == SUPPRESSED else f"{lift:.1f}")
                   for k, lift in lifts[area].items()}
    notes = (f"dates in whole months: as of {as_of}, period {period_from} to {period_to}",
             *(("RAW COUNTS, NOT PROTECTED: for the data team only, never to be published",) if raw else ()))
    return Release(as_of, district, period_from, period_to, shown, shown_lifts, notes)
