"""A family's history over time: every piece of work, lead assignment, episode and need as a bar in a lane.

Lanes are the members (their needs and the work with them), then "Whole family" (work with the family),
"Lead professional" and "Episodes". A bar with no end is still open; the as-of date is carried so a chart
can mark it. Built from one snapshot, so it agrees with every other family answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphmodel.dates import format_uk
from graphmodel.names import person_name
from graphmodel.records import FamilySnapshot, is_open
from graphmodel.taxonomy import NEEDS

__all__ = ["FAMILY_LANE", "TimelineBar", "family_timeline", "last_known", "tracks"]

FAMILY_LANE = "Whole family"
LEAD_LANE = "Lead professional"
EPISODE_LANE = "Episodes"


@dataclass(frozen=True, slots=True)
class TimelineBar:
    """One period in a lane: what it is, from when to when (None = still open), and its details as text."""

    lane: str
    kind: str  # work | need | lead | episode
    label: str
    start: str
    end: str | None
    open_on_as_of: bool
    details: tuple[str, ...]


def _need(code: str) -> str:
    return NEEDS[code].name if code in NEEDS else code


def family_timeline(snap: FamilySnapshot, as_of: str) -> list[TimelineBar]:
    """Every dated fact of the family as bars, lane by lane, oldest first within a lane."""
    names = {m.person_id: person_name(m.given_name, m.family_name) for m in snap.members}
    profs = {p.id: p for p in snap.professionals}
    agencies = {a.id: a.name for a in snap.agencies}
    bars: list[TimelineBar] = []
    for need in snap.person_needs:
        lane = names.get(need.person_id, need.person_id)
        bars.append(TimelineBar(lane, "need", f"Need: {_need(need.need_code)}", need.since, need.until,
                                is_open(need.since, need.until, as_of),
                                (f"{lane} has {_need(need.need_code).lower()}", f"status {need.status}",
                                 f"from {format_uk(need.since)} to {format_uk(need.until) or 'now'}",
                                 f"source {need.source_id or 'unknown'}")))
    for inv in snap.involvements:
        if not inv.start:
            continue
        prof = profs.get(inv.professional_id)
        who = prof.name if prof else inv.professional_id
        agency = agencies.get(prof.agency_id, prof.agency_id) if prof else ""
        lane = FAMILY_LANE if inv.family_level or not inv.person_id else names.get(inv.person_id, inv.person_id)
        needs = ", ".join(_need(c) for c in inv.need_codes) or (inv.service or "work")
        bars.append(TimelineBar(lane, "work", f"{who} ({agency})", inv.start, inv.end,
                                is_open(inv.start, inv.end, as_of),
                                (f"{who}, {agency}", f"with {lane.lower() if lane == FAMILY_LANE else lane}",
                                 f"addresses {needs}", f"service {inv.service or 'not recorded'}",
                                 f"from {format_uk(inv.start)} to {format_uk(inv.end) or 'now'}",
                                 f"source {inv.source_id or 'unknown'}")))
    for lead in snap.leads:
        prof = profs.get(lead.professional_id)
        who = prof.name if prof else lead.professional_id
        agency = agencies.get(prof.agency_id, prof.agency_id) if prof else ""
        bars.append(TimelineBar(LEAD_LANE, "lead", f"Lead: {who} ({agency})", lead.since, lead.until,
                                is_open(lead.since, lead.until, as_of),
                                (f"{who}, {agency}, lead professional",
                                 f"from {format_uk(lead.since)} to {format_uk(lead.until) or 'now'}",
                                 f"source {lead.source_id or 'unknown'}")))
    for episode in snap.episodes:
        kind = episode.kind.replace("_", " ")
        details = [f"{kind} episode {episode.id}",
                   f"opened {format_uk(episode.opened)}, closed {format_uk(episode.closed) or 'not yet'}"]
        if episode.end_reason:
            details.append(f"ended: {episode.end_reason}")
        if episode.assessment_date:
            details.append(f"assessment {format_uk(episode.assessment_date)}")
        if episode.plan_date:
            details.append(f"plan {format_uk(episode.plan_date)}")
        bars.append(TimelineBar(EPISODE_LANE, "episode", f"{kind.capitalize()} episode", episode.opened,
                                episode.closed, is_open(episode.opened, episode.closed, as_of), tuple(details)))
    lane_order = {name: i for i, name in enumerate([*names.values(), FAMILY_LANE, LEAD_LANE, EPISODE_LANE])}
    return sorted(bars, key=lambda b: (lane_order.get(b.lane, len(lane_order)), b.start, b.kind, b.label))


def tracks(bars: list[TimelineBar], as_of: str) -> list[int]:
    """For each bar, the row within its lane so that bars of one lane never overlap (first row that is free)."""
    ends: dict[str, list[str]] = {}
    rows = []
    for bar in bars:
        lane_ends = ends.setdefault(bar.lane, [])
        stop = bar.end or max(as_of, bar.start)
        row = next((i for i, end in enumerate(lane_ends) if end < bar.start), len(lane_ends))
        if row == len(lane_ends):
            lane_ends.append(stop)
        else:
            lane_ends[row] = stop
        rows.append(row)
    return rows


def last_known(bars: list[TimelineBar], as_of: str) -> str | None:
    """For a family with nothing open on the date: the most recent period that ended, as a sentence."""
    if any(b.open_on_as_of for b in bars if b.kind != "need"):
        return None
    ended = [b for b in bars if b.kind != "need" and b.end and b.end < as_of]
    if not ended:
        return None
    last = max(ended, key=lambda b: (b.end or "", b.kind))
    return f"Previously known: {last.label} ended {format_uk(last.end)}."
