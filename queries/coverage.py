"""Coverage for strategic leads: aggregates only, no names of people or professionals leave here.

Sector and agency by need, unmet needs, families with several professionals and no lead, lead load
against capacity, transfers, and re-referral within twelve months of an early help episode closing (queries.rereferral).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable
from graphmodel.taxonomy import COUNTED_NEEDS
from queries.common import (
    add_days,
    as_of_or_default,
    check_district,
    check_iso,
    county_tables,
    display_date,
    missing,
    open_on,
)
from queries.duplicates import DuplicateSettings
from queries.rereferral import re_referrals

__all__ = ["COVERAGE_TABLES", "CoverageReport", "LoadBand", "MatrixCell", "UnmetNeed", "coverage",
           "coverage_from_tables"]


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """Families with open work from a sector (or agency) addressing a need."""

    row: str
    need_code: str
    families: int


@dataclass(frozen=True, slots=True)
class UnmetNeed:
    """People holding a need, and how many of them have no open work addressing it."""

    need_code: str
    people: int
    unmet: int


@dataclass(frozen=True, slots=True)
class LoadBand:
    """How many professionals lead families at a given share of their capacity."""

    band: str
    professionals: int


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """The strategic picture for a district (or the county) and a period."""

    as_of: str
    district: str | None
    period_from: str
    period_to: str
    families: int
    sector_need: tuple[MatrixCell, ...]
    agency_need: tuple[MatrixCell, ...]
    unmet: tuple[UnmetNeed, ...]
    leaderless_families: int
    lead_load: tuple[LoadBand, ...]
    transfers: int
    closed_episodes: int
    re_referred_within_12_months: int

    @property
    def re_referral_rate(self) -> float | None:
        """Share of the early help episodes closed in the period that were re-referred (queries.rereferral)."""
        return self.re_referred_within_12_months / self.closed_episodes if self.closed_episodes else None

    @property
    def re_referral_denominator(self) -> str:
        """What the rate is a share of, in words."""
        return (f"early help episodes closed between {display_date(self.period_from)} and "
                f"{display_date(self.period_to)}, followed up to {display_date(self.as_of)}")


COVERAGE_TABLES: tuple[CountyTable, ...] = (CountyTable.FAMILIES, CountyTable.INVOLVEMENTS, CountyTable.PERSON_NEEDS,
                                          CountyTable.LEADS, CountyTable.EPISODES, CountyTable.PROFESSIONALS)
"""The county tables the strategic picture is built from."""


def _matrix(inv: pd.DataFrame, row: str) -> tuple[MatrixCell, ...]:
    counts = inv.groupby([row, "need_code"]).family_id.nunique()
    return tuple(MatrixCell(str(r), str(n), int(c)) for (r, n), c in counts.items())


def _unmet(needs: pd.DataFrame, inv: pd.DataFrame) -> tuple[UnmetNeed, ...]:
    person_level = set(zip(inv.person_id, inv.need_code, strict=True))
    family_level = set(zip(inv[inv.person_id.isna()].family_id, inv[inv.person_id.isna()].need_code, strict=True))
    held: dict[tuple[object, object], bool] = {}  # (person, need) -> met by work with them or their family
    for p, n, f in zip(needs.person_id, needs.need_code, needs.family_id, strict=True):
        if not (missing(p) or missing(n)):
            held[p, n] = held.get((p, n), False) or (p, n) in person_level or (f, n) in family_level
    people: dict[object, list[int]] = {}  # need -> [people holding it, people with it met]
    for (_, n), met in held.items():
        counts = people.setdefault(n, [0, 0])
        counts[0] += 1
        counts[1] += met
    return tuple(UnmetNeed(str(n), held_by, held_by - met)
                 for n, (held_by, met) in sorted(people.items(), key=lambda item: str(item[0])))


def _load_bands(leads: pd.DataFrame, professionals: pd.DataFrame) -> tuple[LoadBand, ...]:
    load = leads.groupby("professional_id").family_id.nunique()
    capacity = professionals.set_index("professional_id").lead_capacity
    bands = {"no capacity set": 0, "under half": 0, "half to full": 0, "at capacity": 0, "over capacity": 0}
    for pid, families in load.items():
        cap = capacity.get(pid)
        if cap is None or pd.isna(cap) or int(cap) == 0:
            bands["no capacity set"] += 1
        elif families > int(cap):
            bands["over capacity"] += 1
        elif families == int(cap):
            bands["at capacity"] += 1
        elif families >= int(cap) / 2:
            bands["half to full"] += 1
        else:
            bands["under half"] += 1
    return tuple(LoadBand(b, n) for b, n in bands.items())


def _transfers(leads: pd.DataFrame, start: str, end: str) -> int:
    """Lead assignments that began in the period and replaced an earlier lead of the same family."""
    first: dict[object, object] = {}  # each family's first lead start (missing ones skipped)
    for family_id, since in zip(leads.family_id, leads.since, strict=True):
        if family_id is not None and since is not None:
            first[family_id] = since if family_id not in first else min(first[family_id], since)
    return sum(1 for family_id, since in zip(leads.family_id, leads.since, strict=True)
               if start <= str(since) <= end and (family_id is None or since != first.get(family_id)))


def _re_referrals(tables: dict[CountyTable, pd.DataFrame], start: str, end: str, as_of: str) -> tuple[int, int]:
    """Early help episodes closed in the period, and how many were re-referred (queries.rereferral) by as_of."""
    episodes = tables[CountyTable.EPISODES]
    eh = episodes[(episodes.kind == "early_help") & episodes.closed.notna()]
    closed = eh[(eh.closed.astype(str) >= start) & (eh.closed.astype(str) <= end)]
    if closed.empty:
        return 0, 0
    back = {r.closed_episode_id for r in re_referrals(tables, as_of) if start <= r.closed <= end}
    return len(closed), len(back)


def coverage_from_tables(tables: dict[CountyTable, pd.DataFrame], as_of: str, district: str | None,
                         period_from: str, period_to: str,
                         settings: DuplicateSettings | None = None, families: int | None = None) -> CoverageReport:
    """The strategic report from county-shaped tables (the families counted from the FAMILIES table unless
    their number is given)."""
    settings = settings or DuplicateSettings()
    inv = open_on(tables, CountyTable.INVOLVEMENTS, as_of)
    counted = inv[inv.need_code.isin(COUNTED_NEEDS)]  # 'unspecified' work covers no need
    needs = open_on(tables, CountyTable.PERSON_NEEDS, as_of)
    leads = open_on(tables, CountyTable.LEADS, as_of)
    per_family = inv.groupby("family_id").professional_id.nunique()
    many = set(per_family[per_family >= settings.many_professionals].index)
    closed, back = _re_referrals(tables, period_from, period_to, as_of)
    return CoverageReport(
        as_of, district, period_from, period_to,
        int(tables[CountyTable.FAMILIES].family_id.nunique()) if families is None else families,
        _matrix(counted, "sector"), _matrix(counted, "agency_id"), _unmet(needs, counted),
        len(many - set(leads.family_id)),
        _load_bands(leads, tables[CountyTable.PROFESSIONALS]),
        _transfers(tables[CountyTable.LEADS], period_from, period_to),
        closed, back)


def coverage(store: GraphStore, as_of: str | None = None, district: str | None = None,
             period_from: str | None = None, period_to: str | None = None,
             settings: DuplicateSettings | None = None) -> CoverageReport:
    """Coverage for a district (None = county) as of a date; the period defaults to the year before."""
    as_of = as_of_or_default(store, as_of)
    district = check_district(store, district)
    period_to = check_iso(period_to, "period end") if period_to else as_of
    period_from = check_iso(period_from, "period start") if period_from else add_days(period_to, -365)
    tables = county_tables(store, [t for t in COVERAGE_TABLES if t != CountyTable.FAMILIES], district, as_of,
                           {CountyTable.PERSON_NEEDS})  # the rest: re-referrals and transfers look back
    return coverage_from_tables(tables, as_of, district, period_from, period_to, settings,
                                families=store.family_count(district))
