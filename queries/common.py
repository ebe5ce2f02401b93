"""Helpers shared by the questions: dates, the default as-of, filter checks, and a family snapshot as the
county tables' frames."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.dates import default_as_of as _newest_extract
from graphmodel.dates import format_uk
from graphmodel.errors import UserInputError
from graphmodel.records import COUNTY_COLUMNS, PERIOD_COLUMNS, CountyTable, FamilySnapshot, MemberRecord

__all__ = ["PERIOD_COLUMNS", "UnknownFilter", "add_days", "as_of_or_default", "check_district", "check_iso",
           "check_known", "days_between", "default_as_of", "display_date", "member_tables", "missing", "open_mask",
           "open_on", "snapshot_tables", "today"]

_NOT_IN_SNAPSHOT = (None,) * (len(COUNTY_COLUMNS[CountyTable.PEOPLE]) - 6)
"""A person's postcode, identifiers and address: in the county PEOPLE table, not in a family's snapshot."""


class UnknownFilter(UserInputError):
    """A family id, district, need code or agency given as a filter does not exist; the message names it."""


def today() -> str:
    """Today's date as ISO text."""
    return dt.date.today().isoformat()


def check_iso(value: str, what: str = "as-of date") -> str:
    """An ISO date (YYYY-MM-DD) passed through; anything else is a UserInputError (never compared as text)."""
    try:
        parsed = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.isoformat() != value:
        raise UserInputError(f"{what} {value!r} is not a date in the form YYYY-MM-DD (parse it at the edge)")
    return value


def display_date(iso: str | None) -> str:
    """An ISO date as people read it in the UK (DD/MM/YYYY); empty when missing."""
    return format_uk(iso)


def default_as_of(store: GraphStore) -> str:
    """The date the data describes: the newest extract's date, or today when no source is loaded."""
    return _newest_extract(s.extracted_at for s in store.sources())


def as_of_or_default(store: GraphStore, as_of: str | None) -> str:
    """The as-of date asked for (checked to be ISO), else the shared default: the newest extract's date."""
    return check_iso(as_of) if as_of else default_as_of(store)


def check_district(store: GraphStore, district: str | None) -> str | None:
    """The district passed through when families live in it; an UnknownFilter naming the known ones otherwise."""
    if district is None:
        return None
    known = sorted({str(d) for d in store.county_table(CountyTable.FAMILIES).district.dropna()})
    if district not in known:
        raise UnknownFilter(f"unknown district {district!r}; known: {', '.join(known) or 'none (no data loaded)'}")
    return district


def check_known(kind: str, value: str, known: Iterable[str]) -> str:
    """value passed through when it is one of known; an UnknownFilter naming the known values otherwise."""
    options = sorted(set(known))
    if value not in options:
        raise UnknownFilter(f"unknown {kind} {value!r}; known: {', '.join(options[:40])}"
                            + (" ..." if len(options) > 40 else ""))
    return value


def missing(value: object) -> bool:
    """Whether a county-table cell is empty (None, or NaN where pandas filled a gap)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def add_days(iso: str, days: int) -> str:
    """An ISO date moved by a number of days."""
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def days_between(start: str, end: str) -> int:
    """Days from start to end (ISO dates)."""
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def snapshot_tables(snap: FamilySnapshot,
                    only: Iterable[CountyTable] | None = None) -> dict[CountyTable, pd.DataFrame]:
    """One family's snapshot in the shape of the county tables, so one rule serves both scopes (only the
    tables named in `only` when given: a rule that reads two tables need not pay for eight frames)."""
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
        CountyTable.PEOPLE: [(m.person_id, m.source_id, m.given_name, m.family_name, m.dob, m.sex,
                              *_NOT_IN_SNAPSHOT) for m in snap.members],
        CountyTable.MEMBERSHIPS: [(m.person_id, fid, m.role, m.resident) for m in snap.members],
    }
    wanted = set(rows) if only is None else set(only)
    return {table: pd.DataFrame(data, columns=list(COUNTY_COLUMNS[table]), dtype=object)
            for table, data in rows.items() if table in wanted}


def county_tables(store: GraphStore, tables: Sequence[CountyTable], district: str | None = None,
                  open_on: str | None = None, open_tables: Collection[CountyTable] = ()
                  ) -> dict[CountyTable, pd.DataFrame]:
    """Several county tables, read side by side (the store answers one while the last is decoded and sorted);
    those in open_tables hold only their rows open on the date open_on (a question that looks at no others)."""
    with ThreadPoolExecutor(max_workers=max(1, len(tables)), thread_name_prefix="county-table") as pool:
        reads = {table: pool.submit(store.county_table, table, district,
                                    open_on=open_on if table in open_tables else None)
                 for table in dict.fromkeys(tables)}
        return {table: read.result() for table, read in reads.items()}


def member_tables(families: Mapping[str, Iterable[MemberRecord]]) -> dict[CountyTable, pd.DataFrame]:
    """The PEOPLE and MEMBERSHIPS tables of just these families' members, keyed by family id (for names in
    reasons, without the county)."""
    people: dict[str, tuple[object, ...]] = {}
    members: list[tuple[object, ...]] = []
    for family_id, family_members in families.items():
        for m in family_members:
            people[m.person_id] = (m.person_id, m.source_id, m.given_name, m.family_name, m.dob, m.sex,
                                   *_NOT_IN_SNAPSHOT)
            members.append((m.person_id, family_id, m.role, m.resident))
    return {CountyTable.PEOPLE: pd.DataFrame(list(people.values()), columns=list(COUNTY_COLUMNS[CountyTable.PEOPLE]),
                                             dtype=object),
            CountyTable.MEMBERSHIPS: pd.DataFrame(members, columns=list(COUNTY_COLUMNS[CountyTable.MEMBERSHIPS]),
                                                  dtype=object)}




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
