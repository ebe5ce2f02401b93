"""Duplicated involvement: for one family, and as a county-wide worklist ranked by severity.

The rules (one implementation, used for one family and for the county):
- same need: two or more open involvements by different professionals address the same need for
  the same family at the same time (worse when they come from different agencies);
- two leads: two or more lead professional assignments open at once;
- two early help episodes: two or more open early help episodes (so two assessments and plans);
- no lead: many professionals (a configurable threshold) with open work and no lead;
- repeated transfers: the lead changed between teams several times within twelve months.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable
from graphmodel.taxonomy import COUNTED_NEEDS, NEEDS
from queries.common import days_between, open_on, snapshot_tables, today

__all__ = ["DuplicateFinding", "DuplicateSettings", "county_worklist", "family_duplicates", "find_duplicates"]


@dataclass(frozen=True, slots=True)
class DuplicateSettings:
    """Thresholds for the duplication rules."""

    many_professionals: int = 4
    transfers: int = 2
    transfer_window_days: int = 365


@dataclass(frozen=True, slots=True)
class DuplicateFinding:
    """One reason to look at a family again, with the evidence and a sentence that explains it."""

    family_id: str
    kind: str  # same_need | two_leads | two_early_help | no_lead | repeated_transfers
    severity: int
    reason: str
    need_code: str | None = None
    involvement_ids: tuple[str, ...] = ()
    professional_ids: tuple[str, ...] = ()
    agency_ids: tuple[str, ...] = ()
    episode_ids: tuple[str, ...] = ()
    details: dict[str, str] = field(default_factory=dict)


def _names(professionals: pd.DataFrame) -> dict[str, str]:
    """Professional id -> 'name (agency)'."""
    return {str(pid): f"{name} ({agency})" for pid, name, agency in
            zip(professionals.professional_id, professionals.name, professionals.agency_name, strict=True)}


def _flagged(frame: pd.DataFrame, keys: list[str], counted: str, minimum: int) -> pd.DataFrame:
    """Rows of the groups (by keys) with at least `minimum` distinct values of `counted`."""
    if frame.empty:
        return frame
    distinct = frame.groupby(keys, sort=False)[counted].transform("nunique")
    return frame[distinct >= minimum]


def _same_need(inv: pd.DataFrame, who: dict[str, str]) -> list[DuplicateFinding]:
    """Open involvements by different professionals on the same need for the same family."""
    findings = []
    counted = inv[inv.need_code.isin(COUNTED_NEEDS)]  # work with no recorded need is never a duplicate
    rows = _flagged(counted.drop_duplicates(["family_id", "need_code", "involvement_id"]),
                    ["family_id", "need_code"], "professional_id", 2)
    records = sorted(zip(rows.family_id, rows.need_code, rows.start.astype(str), rows.involvement_id,
                         rows.professional_id, rows.agency_id, rows.tier, strict=True))
    for (family_id, need_code), grouped in itertools.groupby(records, key=lambda r: (r[0], r[1])):
        group = list(grouped)
        agencies = tuple(sorted({r[5] for r in group}))
        professionals = tuple(sorted({r[4] for r in group}))
        severity = (5 if len(agencies) > 1 else 3) + (len(professionals) - 2)
        severity += int(any(r[6] == "specialist" for r in group))
        parts = [f"{who.get(r[4], r[4])} since {r[2]}" for r in group]
        need_name = NEEDS[str(need_code)].name.lower() if need_code in NEEDS else str(need_code)
        span = "agencies" if len(agencies) > 1 else "professionals of one agency"
        findings.append(DuplicateFinding(
            str(family_id), "same_need", severity,
            f"{len(group)} open pieces of work address {need_name} from {len(agencies)} different {span}: "
            + "; ".join(parts),
            need_code=str(need_code), involvement_ids=tuple(sorted(r[3] for r in group)),
            professional_ids=professionals, agency_ids=agencies))
    return findings


def _two_leads(leads: pd.DataFrame, who: dict[str, str]) -> list[DuplicateFinding]:
    findings = []
    for family_id, group in _flagged(leads, ["family_id"], "professional_id", 2).groupby("family_id", sort=True):
        names = "; ".join(f"{who.get(r.professional_id, r.professional_id)} since {r.since}"
                          for r in group.sort_values("since").itertuples())
        findings.append(DuplicateFinding(
            str(family_id), "two_leads", 9, f"{group.professional_id.nunique()} lead professionals at once: {names}",
            professional_ids=tuple(sorted(set(group.professional_id)))))
    return findings


def _two_early_help(episodes: pd.DataFrame) -> list[DuplicateFinding]:
    findings = []
    early_help = _flagged(episodes[episodes.kind == "early_help"], ["family_id"], "episode_id", 2)
    for family_id, group in early_help.groupby("family_id", sort=True):
        opened = ", ".join(f"{r.episode_id} opened {r.opened}" for r in group.sort_values("opened").itertuples())
        findings.append(DuplicateFinding(
            str(family_id), "two_early_help", 8,
            f"{len(group)} early help episodes open at once (two assessments and plans): {opened}",
            episode_ids=tuple(sorted(group.episode_id))))
    return findings


def _no_lead(inv: pd.DataFrame, leads: pd.DataFrame, settings: DuplicateSettings) -> list[DuplicateFinding]:
    busy = _flagged(inv, ["family_id"], "professional_id", settings.many_professionals)
    busy = busy[~busy.family_id.isin(set(leads.family_id))]
    findings = []
    for family_id, group in busy.groupby("family_id", sort=True):
        professionals = sorted(set(group.professional_id))
        agencies = sorted(set(group.agency_id))
        findings.append(DuplicateFinding(
            str(family_id), "no_lead", 4 + len(professionals) - settings.many_professionals,
            f"{len(professionals)} professionals from {len(agencies)} agencies work with the family and "
            "nobody is the lead professional",
            professional_ids=tuple(professionals), agency_ids=tuple(agencies)))
    return findings


def _transfers(all_leads: pd.DataFrame, settings: DuplicateSettings, as_of: str) -> list[DuplicateFinding]:
    """Lead changes (a new lead from another team after an earlier one) within a rolling window."""
    findings = []
    started = all_leads[all_leads.since.astype(str) <= as_of]
    started = started[started.groupby("family_id").since.transform("size") > settings.transfers]
    for family_id, group in started.groupby("family_id", sort=True):
        ordered = group.sort_values(["since", "professional_id"]).reset_index(drop=True)
        changes = [ordered.since[i] for i in range(1, len(ordered))
                   if ordered.team[i] != ordered.team[i - 1] or ordered.professional_id[i] !=
                   ordered.professional_id[i - 1]]
        best = max((sum(1 for c in changes[i:] if days_between(changes[i], c) < settings.transfer_window_days)
                    for i in range(len(changes))), default=0)
        if best < settings.transfers:
            continue
        findings.append(DuplicateFinding(
            str(family_id), "repeated_transfers", 3 + best,
            f"the lead professional changed {best} times within {settings.transfer_window_days} days "
            f"({len(ordered)} leads in all since {ordered.since[0]})",
            professional_ids=tuple(sorted(set(ordered.professional_id)))))
    return findings


def find_duplicates(tables: dict[CountyTable, pd.DataFrame], as_of: str,
                    settings: DuplicateSettings | None = None) -> list[DuplicateFinding]:
    """Apply every duplication rule to county-shaped tables; most severe first."""
    settings = settings or DuplicateSettings()
    inv = open_on(tables, CountyTable.INVOLVEMENTS, as_of)
    leads = open_on(tables, CountyTable.LEADS, as_of)
    episodes = open_on(tables, CountyTable.EPISODES, as_of)
    who = _names(tables[CountyTable.PROFESSIONALS])
    findings = (_same_need(inv, who) + _two_leads(leads, who) + _two_early_help(episodes)
                + _no_lead(inv, leads, settings) + _transfers(tables[CountyTable.LEADS], settings, as_of))
    return sorted(findings, key=lambda f: (-f.severity, f.family_id, f.kind, f.need_code or ""))


def family_duplicates(store: GraphStore, family_id: str, as_of: str | None = None,
                      settings: DuplicateSettings | None = None) -> list[DuplicateFinding]:
    """Duplicated involvement and related warnings for one family (empty if unknown)."""
    snap = store.family_snapshot(family_id)
    if snap is None:
        return []
    return find_duplicates(snapshot_tables(snap), as_of or today(), settings)


def county_worklist(store: GraphStore, as_of: str | None = None, district: str | None = None,
                    settings: DuplicateSettings | None = None, top: int | None = None) -> list[DuplicateFinding]:
    """The Hub's county-wide worklist, most severe first."""
    tables = {t: store.county_table(t, district) for t in (CountyTable.INVOLVEMENTS, CountyTable.LEADS,
                                                           CountyTable.EPISODES, CountyTable.PROFESSIONALS)}
    findings = find_duplicates(tables, as_of or today(), settings)
    return findings[:top] if top else findings
