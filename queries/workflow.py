"""The Hub's workflow, written to the store with who, when and why: lead handover and worklist decisions.

Every action is an append-only HubEvent node (kind, subject, who, at, why). A lead handover also ends the old
lead assignments and starts the new one (LEADS relationships) in the same all-or-nothing write. A resolved
worklist finding stays resolved while the facts behind it (the work, professionals, agencies and episodes it
names) are the same; when they change it comes back marked "changed since resolved".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graphmodel.contract import GraphStore
from graphmodel.errors import UserInputError
from graphmodel.records import CountyTable, FamilySnapshot, GraphBatch, ProfessionalRecord, is_open
from graphmodel.schema import Label
from queries.common import add_days
from queries.duplicates import DuplicateFinding, family_duplicates

__all__ = [
    "HUB_SOURCE",
    "HubEvent",
    "LeadHandover",
    "WorklistItem",
    "assign_finding",
    "assign_lead",
    "find_finding",
    "finding_fingerprint",
    "finding_id",
    "hub_events",
    "note_finding",
    "resolve_finding",
    "worklist_items",
]

HUB_SOURCE = "hub-workflow"
"""source_id of the facts the Hub writes itself (lead assignments made in FamilyGraph)."""

LEAD_ASSIGN, FINDING_ASSIGN, FINDING_NOTE, FINDING_RESOLVE = "lead_assign", "finding_assign", "finding_note", \
    "finding_resolve"
STATUS_OPEN, STATUS_ASSIGNED, STATUS_RESOLVED, STATUS_CHANGED = "open", "assigned", "resolved", \
    "changed since resolved"


@dataclass(frozen=True, slots=True)
class HubEvent:
    """One action in the Hub's log: what was done to which subject, by whom, when (UTC) and why."""

    seq: int
    id: str
    kind: str
    subject: str
    family_id: str
    who: str
    at: str
    why: str
    assignee: str | None
    fingerprint: str | None
    effective: str | None


@dataclass(frozen=True, slots=True)
class LeadHandover:
    """A lead assignment made: who leads now, whose assignments ended, and whom to tell."""

    family_id: str
    family_name: str
    lead: ProfessionalRecord
    ended: tuple[ProfessionalRecord, ...]
    tell: tuple[ProfessionalRecord, ...]
    event: HubEvent


@dataclass(frozen=True, slots=True)
class WorklistItem:
    """A worklist finding with its workflow state: assignee, notes and resolution."""

    finding: DuplicateFinding
    id: str
    status: str
    assignee: str | None
    notes: tuple[HubEvent, ...]
    resolution: HubEvent | None


def finding_id(finding: DuplicateFinding) -> str:
    """A stable id of a finding: family, kind, need and the members concerned
    (e.g. F0000042:duplicated_work:school_attendance:P0000123)."""
    return ":".join(part for part in (finding.family_id, finding.kind, finding.need_code or "",
                                      "+".join(finding.person_ids)) if part)


def finding_fingerprint(finding: DuplicateFinding) -> str:
    """A short hash of the facts behind a finding: if any of them changes, so does the fingerprint."""
    facts = "|".join(",".join(sorted(ids)) for ids in (finding.involvement_ids, finding.professional_ids,
                                                        finding.agency_ids, finding.episode_ids, finding.person_ids))
    return hashlib.sha256(f"{finding.kind}|{facts}".encode()).hexdigest()[:16]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _text(value: object) -> str | None:
    return None if value is None or value != value else str(value)


def hub_events(store: GraphStore, district: str | None = None) -> list[HubEvent]:
    """Every Hub action, oldest first."""
    frame = store.county_table(CountyTable.HUB_EVENTS, district)
    events = [HubEvent(int(r.seq), str(r.id), str(r.kind), str(r.subject), str(r.family_id), str(r.who), str(r.at),
                       str(r.why or ""), _text(r.assignee), _text(r.fingerprint), _text(r.effective))
              for r in frame.itertuples()]
    return sorted(events, key=lambda e: e.seq)


def _checked(who: str, why: str, what: str) -> tuple[str, str]:
    who, why = " ".join(str(who).split()), str(why).strip()
    if not who:
        raise UserInputError(f"{what} needs the name of the person doing it")
    if not why:
        raise UserInputError(f"{what} needs a reason")
    return who, why


def _event_row(kind: str, subject: str, family_id: str, who: str, why: str,
               assignee: str | None = None, fingerprint: str | None = None,
               effective: str | None = None) -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "kind": kind, "subject": subject, "family_id": family_id,
            "who": who, "at": _now(), "why": why, "assignee": assignee, "fingerprint": fingerprint,
            "effective": effective}


def _record(store: GraphStore, row: dict[str, object], rels: dict[str, list[dict[str, Any]]] | None = None
            ) -> HubEvent:
    """Write the event (and any relationships with it) at once, numbered after the last Hub event."""
    [seq] = store.write_numbered(GraphBatch(nodes={Label.HUB_EVENT: [row]}, rels=rels or {}), Label.HUB_EVENT)
    return _event({**row, "seq": seq})


def _event(row: dict[str, object]) -> HubEvent:
    return HubEvent(int(str(row["seq"])), str(row["id"]), str(row["kind"]), str(row["subject"]),
                    str(row["family_id"]), str(row["who"]), str(row["at"]), str(row["why"]),
                    _text(row["assignee"]), _text(row["fingerprint"]), _text(row["effective"]))


def _snapshot(store: GraphStore, family_id: str) -> FamilySnapshot:
    snap = store.family_snapshot(family_id)
    if snap is None:
        raise UserInputError(f"there is no family with id {family_id!r}")
    return snap


def _professional(store: GraphStore, professional_id: str) -> ProfessionalRecord:
    frame = store.county_table(CountyTable.PROFESSIONALS)
    rows = frame[frame.professional_id == professional_id]
    if rows.empty:
        raise UserInputError(f"there is no professional with id {professional_id!r}")
    row = rows.iloc[0]
    return ProfessionalRecord(professional_id, str(row["name"]), None, _text(row["team"]), None, None,
                              row["lead_capacity"], str(row["agency_id"]), None)


def assign_lead(store: GraphStore, family_id: str, professional_id: str, *, who: str, why: str,
                on: str) -> LeadHandover:
    """Make a professional the family's lead from a date: other open leads end the day before; all logged."""
    who, why = _checked(who, why, "assigning a lead professional")
    snap = _snapshot(store, family_id)
    known = {p.id: p for p in snap.professionals}
    lead = known.get(professional_id) or _professional(store, professional_id)
    open_leads = [lead_ for lead_ in snap.leads if is_open(lead_.since, lead_.until, on)]
    if [lead_.professional_id for lead_ in open_leads] == [professional_id]:
        raise UserInputError(f"{lead.name} is already the lead professional for {family_id} on {on}")
    rels = []
    ended = []
    for old in open_leads:
        if old.professional_id == professional_id:
            continue
        rels.append({"src": old.professional_id, "dst": family_id, "since": old.since,
                     "until": max(old.since, add_days(on, -1)), "source_id": old.source_id})
        ended.append(known[old.professional_id])
    if professional_id not in {lead_.professional_id for lead_ in open_leads}:
        rels.append({"src": professional_id, "dst": family_id, "since": on, "until": None,
                     "source_id": HUB_SOURCE})
    row = _event_row(LEAD_ASSIGN, family_id, family_id, who, why, assignee=professional_id, effective=on)
    event = _record(store, row, {"leads": rels})
    working = {i.professional_id for i in snap.involvements if is_open(i.start, i.end, on)}
    tell_ids = sorted((working | {p.id for p in ended}) - {professional_id})
    tell = tuple(known[pid] for pid in tell_ids if pid in known)
    return LeadHandover(family_id, snap.family.name, lead, tuple(ended), tell, event)


def find_finding(store: GraphStore, finding: str, as_of: str) -> DuplicateFinding:
    """The current finding with this id (family:kind[:need]); UserInputError naming the family's findings."""
    family_id = finding.split(":", 1)[0].strip()
    _snapshot(store, family_id)
    current = family_duplicates(store, family_id, as_of)
    for candidate in current:
        if finding_id(candidate) == finding.strip():
            return candidate
    known = ", ".join(finding_id(f) for f in current) or "none"
    raise UserInputError(f"no current finding {finding!r} on {as_of} (the family's findings: {known})")


def assign_finding(store: GraphStore, finding: DuplicateFinding, assignee: str, *, who: str,
                   why: str = "assigned") -> HubEvent:
    """Give a finding to a Hub worker."""
    who, why = _checked(who, why, "assigning a finding")
    assignee = " ".join(assignee.split())
    if not assignee:
        raise UserInputError("assigning a finding needs the name of the Hub worker")
    row = _event_row(FINDING_ASSIGN, finding_id(finding), finding.family_id, who, why, assignee=assignee,
                     fingerprint=finding_fingerprint(finding))
    return _record(store, row)


def note_finding(store: GraphStore, finding: DuplicateFinding, note: str, *, who: str) -> HubEvent:
    """Add a note to a finding."""
    who, note = _checked(who, note, "a note")
    row = _event_row(FINDING_NOTE, finding_id(finding), finding.family_id, who, note,
                     fingerprint=finding_fingerprint(finding))
    return _record(store, row)


def resolve_finding(store: GraphStore, finding: DuplicateFinding, *, who: str, why: str) -> HubEvent:
    """Resolve a finding with a reason; it stays resolved until the facts behind it change."""
    who, why = _checked(who, why, "resolving a finding")
    row = _event_row(FINDING_RESOLVE, finding_id(finding), finding.family_id, who, why,
                     fingerprint=finding_fingerprint(finding))
    return _record(store, row)


def worklist_items(findings: list[DuplicateFinding], events: list[HubEvent]) -> list[WorklistItem]:
    """Each current finding with its state: open, assigned, resolved, or changed since resolved."""
    by_subject: dict[str, list[HubEvent]] = defaultdict(list)
    for event in events:
        by_subject[event.subject].append(event)
    items = []
    for finding in findings:
        fid = finding_id(finding)
        log = by_subject.get(fid, [])
        assigns = [e for e in log if e.kind == FINDING_ASSIGN]
        resolves = [e for e in log if e.kind == FINDING_RESOLVE]
        resolution = resolves[-1] if resolves else None
        assignee = assigns[-1].assignee if assigns else None
        if resolution is not None:
            status = (STATUS_RESOLVED if resolution.fingerprint == finding_fingerprint(finding)
                      else STATUS_CHANGED)
        else:
            status = STATUS_ASSIGNED if assignee else STATUS_OPEN
        items.append(WorklistItem(finding, fid, status, assignee,
                                  tuple(e for e in log if e.kind == FINDING_NOTE), resolution))
    return items
