"""Helpers shared by the questions: dates, and a family snapshot as the county tables' frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from graphmodel.records import COUNTY_COLUMNS, CountyTable, FamilySnapshot

__all__ = ["PERIOD_COLUMNS", "add_days", "days_between", "open_mask", "open_on", "snapshot_tables", "today"]


def today() -> str:
    """Today's date as ISO text."""
    return dt.date.today().isoformat()


def add_days(iso: str, days: int) -> str:
    """An ISO date moved by a number of days."""
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def days_between(start: str, end: str) -> int:
    """Days from start to end (ISO dates)."""
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def snapshot_tables(snap: FamilySnapshot) -> dict[CountyTable, pd.DataFrame]:
    """One family's snapshot in the shape of the county tables, so one rule serves both scopes."""
    fid = snap.family.id
    agency = {a.id: a for a in snap.agencies}
    prof = {p.id: p for p in snap.professionals}
    roles = {m.person_id: m.role for m in snap.members}
    rows: dict[CountyTable, list[tuple[object, ...]]] = {
        CountyTable.FAMILIES: [(fid, snap.family.name, snap.family.district)],
        CountyTable.INVOLVEMENTS: [
            (i.id, fid, i.person_id, i.professional_id, prof[i.professional_id].agency_id,
             agency[prof[i.professional_id].agency_id].sector, agency[prof[i.professional_id].agency_id].tier,
             code, i.start, i.end)
            for i in snap.involvements for code in i.need_codes],
        CountyTable.PERSON_NEEDS: [(fid, n.person_id, roles[n.person_id], n.need_code, n.since, n.until)
                                   for n in snap.person_needs],
        CountyTable.LEADS: [(fid, lead.professional_id, prof[lead.professional_id].team,
                             prof[lead.professional_id].agency_id, lead.since, lead.until) for lead in snap.leads],
        CountyTable.EPISODES: [(fid, e.id, e.kind, e.opened, e.closed, e.end_reason, e.assessment_date,
                                e.plan_date) for e in snap.episodes],
        CountyTable.PROFESSIONALS: [(p.id, p.name, p.team, p.agency_id, agency[p.agency_id].name,
                                     agency[p.agency_id].sector, p.lead_capacity) for p in snap.professionals],
    }
    return {table: pd.DataFrame(data, columns=list(COUNTY_COLUMNS[table]), dtype=object)
            for table, data in rows.items()}


PERIOD_COLUMNS: dict[CountyTable, tuple[str, str]] = {
    CountyTable.INVOLVEMENTS: ("start", "end"),
    CountyTable.PERSON_NEEDS: ("since", "until"),
    CountyTable.LEADS: ("since", "until"),
    CountyTable.EPISODES: ("opened", "closed"),
}
"""The start and end columns of each county table that has a period."""


def open_on(tables: dict[CountyTable, pd.DataFrame], table: CountyTable, as_of: str) -> pd.DataFrame:
    """The rows of a county table whose period contains as_of."""
    frame = tables[table]
    return frame[open_mask(frame, *PERIOD_COLUMNS[table], as_of)]


def open_mask(frame: pd.DataFrame, start: str, end: str, as_of: str) -> pd.Series:
    """Rows whose [start, end] period contains as_of (missing end = still open)."""
    if frame.empty:
        return pd.Series([], dtype=bool, index=frame.index)
    begun = frame[start].isna() | (frame[start].astype(str) <= as_of)
    not_ended = frame[end].isna() | (frame[end].astype(str) >= as_of)
    return begun & not_ended
