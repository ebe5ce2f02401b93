"""Lead professional suggestion: rank the professionals already involved, and show why."""

from __future__ import annotations

from dataclasses import dataclass

from graphmodel.contract import GraphStore
from graphmodel.records import FamilySnapshot, is_open
from queries.common import as_of_or_default, days_between

__all__ = ["WEIGHTS", "Candidate", "LeadSuggestion", "ScorePart", "suggest_from_snapshot", "suggest_lead"]

WEIGHTS: dict[str, float] = {
    "members": 0.30,
    "needs": 0.30,
    "relationship": 0.15,
    "capacity": 0.15,
    "tier": 0.10,
}
TIER_FIT: dict[str, float] = {"targeted": 1.0, "universal": 0.7, "specialist": 0.4}
"""Early help leads usually come from targeted or universal services; specialists hold statutory work."""


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One component of a candidate's score."""

    name: str
    value: float  # 0..1
    weight: float
    explanation: str

    @property
    def points(self) -> float:
        """Weighted contribution to the score."""
        return round(self.value * self.weight, 4)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A professional who could lead, with the parts of their score."""

    professional_id: str
    name: str
    agency: str
    role: str | None
    score: float
    parts: tuple[ScorePart, ...]
    is_current_lead: bool
    at_capacity: bool


@dataclass(frozen=True, slots=True)
class LeadSuggestion:
    """Ranked candidates, or a message saying why there are none."""

    family_id: str
    as_of: str
    candidates: tuple[Candidate, ...]
    message: str


def suggest_from_snapshot(snap: FamilySnapshot, lead_load: dict[str, int], as_of: str) -> LeadSuggestion:
    """Score every professional with open work with the family."""
    open_inv = [i for i in snap.involvements if is_open(i.start, i.end, as_of)]
    if not open_inv:
        return LeadSuggestion(snap.family.id, as_of, (), "Nobody is involved with this family yet: there is no "
                              "one to suggest. Start with a whole-family assessment by early help.")
    members = {m.person_id for m in snap.members}
    open_needs = {n.need_code for n in snap.person_needs if is_open(n.since, n.until, as_of)}
    current = {lead.professional_id for lead in snap.leads if is_open(lead.since, lead.until, as_of)}
    profs = {p.id: p for p in snap.professionals}
    agencies = {a.id: a for a in snap.agencies}
    candidates = []
    for pid in sorted({i.professional_id for i in open_inv}):
        work = [i for i in open_inv if i.professional_id == pid]
        prof, agency = profs[pid], agencies[profs[pid].agency_id]
        covered = members if any(i.family_level for i in work) else {i.person_id for i in work} & members
        needs = {c for i in work for c in i.need_codes} & open_needs
        first = min((i.start for i in work if i.start), default=as_of)
        days = max(0, days_between(first, as_of))
        load, capacity = lead_load.get(pid, 0), prof.lead_capacity or 0
        own = 1 if pid in current else 0
        spare = 0.0 if capacity == 0 else max(0.0, min(1.0, (capacity - (load - own)) / capacity))
        at_capacity = capacity > 0 and load - own >= capacity
        parts = (
            ScorePart("members", len(covered) / len(members) if members else 0.0, WEIGHTS["members"],
                      f"works with {len(covered)} of {len(members)} members"
                      + (" (whole-family work)" if any(i.family_level for i in work) else "")),
            ScorePart("needs", len(needs) / len(open_needs) if open_needs else 0.0, WEIGHTS["needs"],
                      f"addresses {len(needs)} of the family's {len(open_needs)} open needs"),
            ScorePart("relationship", min(1.0, days / 365), WEIGHTS["relationship"],
                      f"involved for {days} days (since {first})"),
            ScorePart("capacity", spare, WEIGHTS["capacity"],
                      "does not hold lead roles" if capacity == 0 else
                      f"leads {load} families against a capacity of {capacity}"
                      + (" (full)" if at_capacity else "")),
            ScorePart("tier", TIER_FIT.get(agency.tier, 0.5), WEIGHTS["tier"],
                      f"{agency.tier} service ({agency.name})"),
        )
        score = round(sum(p.points for p in parts), 4)
        candidates.append(Candidate(pid, prof.name, agency.name, prof.role, score, parts, pid in current,
                                    at_capacity))
    ranked = tuple(sorted(candidates, key=lambda c: (-c.score, c.professional_id)))
    best = ranked[0]
    message = (f"{best.name} ({best.agency}) scores highest: {best.parts[0].explanation}, "
               f"{best.parts[1].explanation}.")
    if current:
        message += " The family already has a lead; the ranking shows whether a change would help."
    return LeadSuggestion(snap.family.id, as_of, ranked, message)


def suggest_lead(store: GraphStore, family_id: str, as_of: str | None = None) -> LeadSuggestion | None:
    """Suggest a lead professional for a family on a date; None if the family is unknown."""
    snap = store.family_snapshot(family_id)
    if snap is None:
        return None
    as_of = as_of_or_default(store, as_of)
    ids = {i.professional_id for i in snap.involvements if is_open(i.start, i.end, as_of)}
    return suggest_from_snapshot(snap, store.lead_load(ids, as_of), as_of)
