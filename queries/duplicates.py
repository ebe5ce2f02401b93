"""Duplicated work and related warnings, by person: for one family, and as the Hub's county-wide worklist.

The rules (written down in docs/questions.md; one implementation for one family and for the county):
- duplicated work: two or more open pieces of work, by different professionals, for the same person (work
  with the whole family counts for every member), addressing the same need; a universal service beside a
  specialist one in a shared-care pairing (graphmodel.taxonomy.SHARED_CARE) does not count;
- shared care: the pairing alone (shown on the family page only, severity 0);
- parallel work: different members each have their own open work on the same need and no one professional works
  with all of them (father's probation, son's youth justice worker): coordinate, low severity, not duplication;
- two leads: two or more lead professional assignments open at once;
- two early help episodes: two or more open early help episodes (so two assessments and plans);
- no lead: many professionals (a configurable threshold) with open work and no lead;
- repeated transfers: the lead changed between teams several times within twelve months.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable, FamilySnapshot
from graphmodel.taxonomy import COUNTED_NEEDS, NEEDS, shared_care
from queries.common import (
    UnknownFilter,
    as_of_or_default,
    check_district,
    check_known,
    county_tables,
    days_between,
    display_date,
    member_tables,
    missing,
    open_on,
    snapshot_tables,
)

__all__ = ["WORKLIST_TABLES", "DuplicateFinding", "DuplicateSettings", "county_worklist", "family_duplicates",
           "find_duplicates", "snapshot_duplicates"]

TIER_POINTS = {"universal": 0, "targeted": 1, "specialist": 2}
WORKLIST_TABLES: tuple[CountyTable, ...] = (CountyTable.INVOLVEMENTS, CountyTable.LEADS, CountyTable.EPISODES,
                                            CountyTable.PROFESSIONALS)
"""The county tables the worklist is built from (members' names come from the snapshots of the families
where two or more professionals work on one need, so the whole county's people are never read)."""
WORKLIST_OPEN = frozenset({CountyTable.INVOLVEMENTS, CountyTable.EPISODES})
"""The worklist tables whose rules look only at rows open on the day (all leads are read, for transfers)."""
FAMILY_TABLES: tuple[CountyTable, ...] = (*WORKLIST_TABLES, CountyTable.PEOPLE, CountyTable.MEMBERSHIPS)
"""The tables find_duplicates reads for one family (members' names included)."""


@dataclass(frozen=True, slots=True)
class DuplicateSettings:
    """Thresholds for the duplication rules."""

    many_professionals: int = 4
    transfers: int = 2
    transfer_window_days: int = 365


@dataclass(frozen=True, slots=True)
class DuplicateFinding:
    """One reason to look at a family again, with the evidence and one whole sentence that explains it."""

    family_id: str
    kind: str  # duplicated_work | parallel_work | shared_care | two_leads | two_early_help | no_lead | ...
    severity: int
    reason: str
    need_code: str | None = None
    involvement_ids: tuple[str, ...] = ()
    professional_ids: tuple[str, ...] = ()
    agency_ids: tuple[str, ...] = ()
    episode_ids: tuple[str, ...] = ()
    person_ids: tuple[str, ...] = ()  # the member(s) concerned; empty = the whole family
    details: dict[str, str] = field(default_factory=dict)


class Work(NamedTuple):
    """One open piece of work on one need, as the rules see it."""

    involvement_id: str
    person_id: str | None
    professional_id: str
    agency_id: str
    sector: str
    tier: str
    start: str | None


class Names:
    """Readable names of people, members' roles and professionals, for the reasons."""

    def __init__(self, tables: dict[CountyTable, pd.DataFrame]) -> None:
        people = tables.get(CountyTable.PEOPLE)
        members = tables.get(CountyTable.MEMBERSHIPS)
        profs = tables[CountyTable.PROFESSIONALS]
        self.people = ({} if people is None else
                       {str(p): f"{g} {f}" for p, g, f in zip(people.person_id, people.given_name,
                                                              people.family_name, strict=True)})
        self.roles = ({} if members is None else
                      {(str(f), str(p)): str(r).replace("_", " ")
                       for p, f, r in zip(members.person_id, members.family_id, members.role, strict=True)})
        self.profs = {str(p): (str(n), str(a)) for p, n, a in zip(profs.professional_id, profs.name,
                                                                profs.agency_name, strict=True)}

    def member(self, family_id: str, person_id: str) -> str:
        """'Sarah Taylor (parent)'."""
        role = self.roles.get((family_id, person_id))
        return self.people.get(person_id, person_id) + (f" ({role})" if role else "")

    def professional(self, pid: str, note: str = "") -> str:
        """'Jo Carter (Council Early Help, note)'."""
        name, agency = self.profs.get(pid, (pid, "agency not recorded"))
        return f"{name} ({agency}{', ' + note if note else ''})"

    def work(self, w: Work, whole_family: bool = False) -> str:
        """'Jo Carter (Council Early Help, whole-family work since 15/10/2025)'."""
        since = f"since {display_date(w.start)}" if w.start else "start date not recorded"
        return self.professional(w.professional_id, ("whole-family work " if whole_family else "") + since)


def _need_name(code: str) -> str:
    return NEEDS[code].name.lower() if code in NEEDS else code


def _listing(parts: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _overlap_since(group: Sequence[Work]) -> str | None:
    starts = [w.start for w in group if w.start]
    return max(starts) if starts else None


def _core(group: list[Work], need_code: str) -> list[Work]:
    """The work left when the universal side of any shared-care pairing present in the group is set aside."""
    sectors = {w.sector for w in group}
    aside = set()
    for w in group:
        for other in sectors - {w.sector}:
            pair = shared_care(w.sector, other, need_code)
            if pair is not None and pair.universal == w.sector:
                aside.add(w.involvement_id)
    return [w for w in group if w.involvement_id not in aside]


def _severity(core: list[Work]) -> int:
    agencies = {w.agency_id for w in core}
    professionals = {w.professional_id for w in core}
    return 4 + 2 * (len(agencies) - 1) + (len(professionals) - len(agencies)) + max(
        TIER_POINTS.get(w.tier, 0) for w in core)


def _duplicated(family_id: str, need_code: str, group: list[Work], person_id: str | None, whole: set[str],
                names: Names) -> DuplicateFinding:
    core = _core(group, need_code) if person_id else group
    agencies = sorted({w.agency_id for w in core})
    profs = sorted({w.professional_id for w in core})
    who = names.member(family_id, person_id) if person_id else "The whole family"
    span = f"{len(agencies)} agencies" if len(agencies) > 1 else "one agency"
    pieces = _listing([names.work(w, w.involvement_id in whole) for w in sorted(core, key=lambda w: (
        w.start or "", w.involvement_id))])
    since = _overlap_since(core)
    overlap = f"they have overlapped since {display_date(since)}" if since else "they overlap now"
    reason = (f"{who} has {len(core)} open pieces of work on {_need_name(need_code)} by {len(profs)} different "
              f"professionals from {span}: {pieces}; {overlap}.")
    return DuplicateFinding(family_id, "duplicated_work", _severity(core), reason, need_code=need_code,
                            involvement_ids=tuple(sorted(w.involvement_id for w in core)),
                            professional_ids=tuple(profs), agency_ids=tuple(agencies),
                            person_ids=(person_id,) if person_id else (),
                            details={"overlap_since": since or ""})


def _shared(family_id: str, need_code: str, group: list[Work], person_id: str, names: Names) -> DuplicateFinding:
    pair = next(p for a, b in itertools.combinations({w.sector for w in group}, 2)
                if (p := shared_care(a, b, need_code)) is not None)
    pieces = _listing([names.work(w) for w in sorted(group, key=lambda w: (w.start or "", w.involvement_id))])
    reason = (f"Shared care, not duplication: {names.member(family_id, person_id)} has open work on "
              f"{_need_name(need_code)} from {pieces}. {pair.why}")
    return DuplicateFinding(family_id, "shared_care", 0, reason, need_code=need_code,
                            involvement_ids=tuple(sorted(w.involvement_id for w in group)),
                            professional_ids=tuple(sorted({w.professional_id for w in group})),
                            agency_ids=tuple(sorted({w.agency_id for w in group})), person_ids=(person_id,))


def _parallel(family_id: str, need_code: str, by_person: dict[str, list[Work]], names: Names) -> DuplicateFinding:
    parts = [f"{names.member(family_id, pid)} with " + _listing([names.work(w) for w in work])
             for pid, work in sorted(by_person.items())]
    everyone = [w for work in by_person.values() for w in work]
    reason = (f"Parallel work, coordinate: {len(by_person)} members each have their own open work on "
              f"{_need_name(need_code)}: {'; '.join(parts)}. This is not duplication, but the professionals "
              "should know of each other and agree who coordinates.")
    return DuplicateFinding(family_id, "parallel_work", 1, reason, need_code=need_code,
                            involvement_ids=tuple(sorted({w.involvement_id for w in everyone})),
                            professional_ids=tuple(sorted({w.professional_id for w in everyone})),
                            agency_ids=tuple(sorted({w.agency_id for w in everyone})),
                            person_ids=tuple(sorted(by_person)))


def _by_person(family_id: str, need_code: str, rows: list[Work], names: Names) -> list[DuplicateFinding]:
    """Duplicated work, shared care and parallel work on one need in one family."""
    whole = [w for w in rows if w.person_id is None]
    whole_ids = {w.involvement_id for w in whole}
    own: dict[str, list[Work]] = {}
    for w in rows:
        if w.person_id is not None:
            own.setdefault(w.person_id, []).append(w)
    findings = []
    if len({w.professional_id for w in whole}) >= 2:
        findings.append(_duplicated(family_id, need_code, whole, None, whole_ids, names))
    for pid, work in sorted(own.items()):
        group = work + whole
        if len({w.professional_id for w in group}) < 2:
            continue
        if len({w.professional_id for w in _core(group, need_code)}) >= 2:
            findings.append(_duplicated(family_id, need_code, group, pid, whole_ids, names))
        else:
            findings.append(_shared(family_id, need_code, group, pid, names))
    if len(own) >= 2 and not set.intersection(*({w.professional_id for w in work} for work in own.values())):
        findings.append(_parallel(family_id, need_code, own, names))
    return findings


def _work_on_needs(inv: pd.DataFrame, names: Names) -> list[DuplicateFinding]:
    """Duplicated, shared and parallel work across the families in the open involvement rows."""
    if inv.empty:
        return []
    counted = inv[inv.need_code.isin(COUNTED_NEEDS)]  # work with no recorded need is never a duplicate
    rows = counted.drop_duplicates(["family_id", "need_code", "involvement_id"])
    several = rows.groupby(["family_id", "need_code"], sort=False).professional_id.transform("nunique") >= 2
    rows = rows[several]
    records = sorted(zip(rows.family_id.astype(str), rows.need_code.astype(str), rows.involvement_id.astype(str),
                         rows.person_id, rows.professional_id.astype(str), rows.agency_id.astype(str),
                         rows.sector.astype(str), rows.tier.astype(str), rows.start, strict=True),
                     key=lambda r: (r[0], r[1], r[2]))
    findings = []
    for (family_id, need_code), grouped in itertools.groupby(records, key=lambda r: (r[0], r[1])):
        work = [Work(r[2], None if r[3] is None or pd.isna(r[3]) else str(r[3]), r[4], r[5], r[6], r[7],
                     None if r[8] is None or pd.isna(r[8]) else str(r[8])) for r in grouped]
        findings.extend(_by_person(family_id, need_code, work, names))
    return findings


def _flagged(frame: pd.DataFrame, keys: list[str], counted: str, minimum: int) -> pd.DataFrame:
    """Rows of the groups (by keys) with at least `minimum` distinct values of `counted`."""
    if frame.empty:
        return frame
    distinct = frame.groupby(keys, sort=False)[counted].transform("nunique")
    return frame[distinct >= minimum]


def _by_family(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The frame's rows (as tuples of the columns) grouped by family, families sorted, rows in frame order."""
    groups: dict[str, list[tuple[Any, ...]]] = {}
    for family_id, *row in zip(frame.family_id, *(frame[c] for c in columns), strict=True):
        if not missing(family_id):
            groups.setdefault(family_id, []).append(tuple(row))
    return sorted(groups.items(), key=lambda item: item[0])


def _distinct(values: Iterable[object]) -> set[object]:
    """The distinct values that are not missing (as pandas' nunique counts them)."""
    return {v for v in values if not missing(v)}


def _sorted_rows(rows: list[tuple[Any, ...]], *columns: int) -> list[tuple[Any, ...]]:
    """Rows in the order pandas' sort_values gives on these columns (missing values last, ties kept in order)."""
    if len(columns) == 1 and len(rows) > _STABLE_UP_TO:  # one column: pandas sorts with numpy's quicksort
        order = pd.Series([r[columns[0]] for r in rows], dtype=object).sort_values().index
        return [rows[i] for i in order]
    return sorted(rows, key=lambda r: tuple(x for c in columns for x in (r[c] is None, r[c] or "")))


_STABLE_UP_TO = 16
"""numpy's quicksort is an insertion sort (stable) up to this many values."""


def _two_leads(leads: pd.DataFrame, names: Names) -> list[DuplicateFinding]:
    findings = []
    for family_id, rows in _by_family(_flagged(leads, ["family_id"], "professional_id", 2),
                                      ("professional_id", "since", "agency_id")):
        if len(_distinct(r[0] for r in rows)) < 2:
            continue
        ordered = _sorted_rows(rows, 1, 0)
        parts = _listing([names.professional(str(pid), f"lead since {display_date(since)}")
                          for pid, since, _ in ordered])
        starts = [r[1] for r in rows if r[1] is not None]
        both = str(max(starts)) if starts else "nan"
        findings.append(DuplicateFinding(
            str(family_id), "two_leads", 9,
            f"The family has {len(_distinct(r[0] for r in rows))} lead professionals at once: {parts}; they have "
            f"both been recorded as lead since {display_date(both)}, so the family has no single point of contact.",
            professional_ids=tuple(sorted({r[0] for r in rows})),
            agency_ids=tuple(sorted({r[2] for r in rows})), details={"overlap_since": both}))
    return findings


def _two_early_help(episodes: pd.DataFrame) -> list[DuplicateFinding]:
    findings = []
    early_help = _flagged(episodes[episodes.kind == "early_help"], ["family_id"], "episode_id", 2)
    for family_id, rows in _by_family(early_help, ("episode_id", "opened")):
        if len(_distinct(r[0] for r in rows)) < 2:
            continue
        opened = _listing([f"{episode_id} opened on {display_date(day)}"
                           for episode_id, day in _sorted_rows(rows, 1)])
        findings.append(DuplicateFinding(
            str(family_id), "two_early_help", 8,
            f"The family has {len(rows)} early help episodes open at once ({opened}), so two assessments and "
            "two plans may be running.", episode_ids=tuple(sorted(r[0] for r in rows))))
    return findings


def _no_lead(inv: pd.DataFrame, leads: pd.DataFrame, settings: DuplicateSettings) -> list[DuplicateFinding]:
    led = set(leads.family_id)
    many = _flagged(inv[~inv.family_id.isin(led)], ["family_id"], "professional_id", settings.many_professionals)
    findings = []
    for family_id, rows in _by_family(many, ("professional_id", "agency_id")):
        if family_id in led or not rows or len(_distinct(r[0] for r in rows)) < settings.many_professionals:
            continue
        professionals = sorted({r[0] for r in rows})
        agencies = sorted({r[1] for r in rows})
        findings.append(DuplicateFinding(
            str(family_id), "no_lead", 4 + len(professionals) - settings.many_professionals,
            f"{len(professionals)} professionals from {len(agencies)} agencies have open work with the family and "
            "nobody is the lead professional.",
            professional_ids=tuple(professionals), agency_ids=tuple(agencies)))
    return findings


def _transfers(all_leads: pd.DataFrame, settings: DuplicateSettings, as_of: str) -> list[DuplicateFinding]:
    """Lead changes (a new lead from another team after an earlier one) within a rolling window."""
    findings = []
    started = all_leads[all_leads.since.astype(str) <= as_of]
    if not started.empty:  # only families with more lead assignments than the threshold can have transfers
        started = started[started.groupby("family_id", sort=False).family_id.transform("size") > settings.transfers]
    for family_id, rows in _by_family(started, ("since", "professional_id", "team")):
        if len(rows) <= settings.transfers:
            continue
        ordered = _sorted_rows(rows, 0, 1)
        changes = [ordered[i][0] for i in range(1, len(ordered))
                   if ordered[i][2] != ordered[i - 1][2] or ordered[i][1] != ordered[i - 1][1]]
        best = max((sum(1 for c in changes[i:] if days_between(changes[i], c) < settings.transfer_window_days)
                    for i in range(len(changes))), default=0)
        if best < settings.transfers:
            continue
        findings.append(DuplicateFinding(
            str(family_id), "repeated_transfers", 3 + best,
            f"The lead professional changed {best} times within {settings.transfer_window_days} days "
            f"({len(ordered)} leads in all since {display_date(ordered[0][0])}).",
            professional_ids=tuple(sorted({r[1] for r in ordered}))))
    return findings


def _several_on_a_need(tables: dict[CountyTable, pd.DataFrame], as_of: str) -> list[str]:
    """Families where two or more professionals have open work on one need (the only ones whose members are named)."""
    inv = open_on(tables, CountyTable.INVOLVEMENTS, as_of)
    if inv.empty:
        return []
    counts = inv.groupby(["family_id", "need_code"]).professional_id.nunique()
    return sorted({str(f) for f in counts[counts >= 2].index.get_level_values(0)})


def find_duplicates(tables: dict[CountyTable, pd.DataFrame], as_of: str,
                    settings: DuplicateSettings | None = None) -> list[DuplicateFinding]:
    """Apply every rule to county-shaped tables; most severe first (shared care included, severity 0)."""
    settings = settings or DuplicateSettings()
    inv = open_on(tables, CountyTable.INVOLVEMENTS, as_of)
    leads = open_on(tables, CountyTable.LEADS, as_of)
    episodes = open_on(tables, CountyTable.EPISODES, as_of)
    names = Names(tables)
    findings = (_work_on_needs(inv, names) + _two_leads(leads, names) + _two_early_help(episodes)
                + _no_lead(inv, leads, settings) + _transfers(tables[CountyTable.LEADS], settings, as_of))
    return sorted(findings, key=lambda f: (-f.severity, f.family_id, f.kind, f.need_code or "", f.person_ids))


def family_duplicates(store: GraphStore, family_id: str, as_of: str | None = None,
                      settings: DuplicateSettings | None = None) -> list[DuplicateFinding]:
    """Duplicated work and related findings for one family; an UnknownFilter when the id is unknown."""
    snap = store.family_snapshot(family_id)
    if snap is None:
        raise UnknownFilter(f"unknown family id {family_id!r}")
    return snapshot_duplicates(snap, as_of_or_default(store, as_of), settings)


def _nothing_to_find(snap: FamilySnapshot, settings: DuplicateSettings) -> bool:
    """Whether no rule can flag the family, judged on all its facts (open or not), so never wrongly.

    Every rule needs two or more of something: professionals with work (duplicated, shared or parallel work;
    or `many_professionals` of them without a lead), lead professionals, early help episodes, or more than
    `transfers` lead assignments.
    """
    working = len({i.professional_id for i in snap.involvements})
    return (working < 2 and working < settings.many_professionals
            and len({lead.professional_id for lead in snap.leads}) < 2
            and sum(e.kind == "early_help" for e in snap.episodes) < 2
            and len(snap.leads) <= settings.transfers)


def snapshot_duplicates(snap: FamilySnapshot, as_of: str,
                        settings: DuplicateSettings | None = None) -> list[DuplicateFinding]:
    """find_duplicates on one family's snapshot (the frames are skipped when no rule can flag it)."""
    settings = settings or DuplicateSettings()
    if _nothing_to_find(snap, settings):
        return []
    return find_duplicates(snapshot_tables(snap, FAMILY_TABLES), as_of, settings)


def county_worklist(store: GraphStore, as_of: str | None = None, district: str | None = None,
                    settings: DuplicateSettings | None = None, top: int | None = None, need: str | None = None,
                    agency: str | None = None) -> list[DuplicateFinding]:
    """The Hub's county-wide worklist, most severe first (shared care, which needs no action, left out).

    need and agency narrow it to findings about that need code or involving that agency id; an unknown district,
    need code or agency is an UnknownFilter naming the known ones.
    """
    day = as_of_or_default(store, as_of)
    district = check_district(store, district)
    if need is not None:
        check_known("need code", need, NEEDS)
    tables = county_tables(store, WORKLIST_TABLES, district, day, WORKLIST_OPEN)
    tables.update(member_tables(store.family_members(_several_on_a_need(tables, day))))
    if agency is not None:
        check_known("agency", agency, (str(a) for a in store.county_table(CountyTable.PROFESSIONALS).agency_id))
    findings = [f for f in find_duplicates(tables, day, settings) if f.kind != "shared_care"
                and (need is None or f.need_code == need) and (agency is None or agency in f.agency_ids)]
    return findings[:top] if top else findings
