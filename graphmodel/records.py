"""Typed records the stores return: what one family's graph holds, and what a write carries.

Dates are ISO strings (YYYY-MM-DD) in both stores, so they compare the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "AgencyRecord",
    "CountyTable",
    "EpisodeRecord",
    "FamilyRecord",
    "FamilySnapshot",
    "GraphBatch",
    "InvolvementRecord",
    "LeadRecord",
    "LinkRecord",
    "MemberRecord",
    "PersonHitRecord",
    "PersonNeedRecord",
    "ProfessionalRecord",
    "RelationshipRecord",
    "SourceRecord",
    "is_open",
]

Row = dict[str, Any]


def is_open(start: str | None, end: str | None, as_of: str) -> bool:
    """True when [start, end] contains as_of (missing start = always began; missing end = still open)."""
    return (start is None or start <= as_of) and (end is None or end >= as_of)


@dataclass(frozen=True, slots=True)
class FamilyRecord:
    """A family (wider than a household)."""

    id: str
    name: str
    postcode: str | None
    district: str | None
    source_id: str | None


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A person and their place in one family."""

    person_id: str
    given_name: str
    family_name: str
    dob: str | None
    sex: str | None
    role: str
    resident: bool
    source_id: str | None


@dataclass(frozen=True, slots=True)
class RelationshipRecord:
    """A known relationship between two people (e.g. parent_of)."""

    person_id: str
    related_person_id: str
    kind: str


@dataclass(frozen=True, slots=True)
class PersonNeedRecord:
    """A need held by a person over a period."""

    person_id: str
    need_code: str
    since: str
    until: str | None
    status: str
    source_id: str | None


@dataclass(frozen=True, slots=True)
class AgencyRecord:
    """An agency with its sector and tier."""

    id: str
    name: str
    sector: str
    tier: str
    district: str | None


@dataclass(frozen=True, slots=True)
class ProfessionalRecord:
    """A professional and the agency they work for."""

    id: str
    name: str
    role: str | None
    team: str | None
    email: str | None
    phone: str | None
    lead_capacity: int | None
    agency_id: str
    source_id: str | None


@dataclass(frozen=True, slots=True)
class InvolvementRecord:
    """A piece of work by one professional with a person or the whole family, addressing needs."""

    id: str
    professional_id: str
    person_id: str | None
    family_level: bool
    need_codes: tuple[str, ...]
    service: str | None
    start: str | None
    end: str | None
    source_id: str | None


@dataclass(frozen=True, slots=True)
class LeadRecord:
    """A lead professional assignment for a family."""

    professional_id: str
    family_id: str
    since: str
    until: str | None
    source_id: str | None


@dataclass(frozen=True, slots=True)
class EpisodeRecord:
    """An early help or social care episode of a family."""

    id: str
    kind: str
    opened: str
    closed: str | None
    end_reason: str | None
    assessment_date: str | None
    plan_date: str | None
    source_id: str | None


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """An extract from one agency: when it was taken and the period it covers."""

    id: str
    agency_id: str | None
    extracted_at: str
    coverage_from: str | None
    coverage_to: str | None
    description: str | None
    agency_name: str | None = None


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A record-linkage link from a member's record to another record of (probably) the same person."""

    person_id: str
    other_person_id: str
    other_name: str
    other_dob: str | None
    other_source_id: str | None
    match_probability: float
    status: str  # auto_accepted | confirmed | review
    reason: str | None


@dataclass(frozen=True, slots=True)
class FamilySnapshot:
    """Everything the graph holds about one family, across all dates (filter by as-of in queries)."""

    family: FamilyRecord
    members: tuple[MemberRecord, ...]
    relationships: tuple[RelationshipRecord, ...]
    person_needs: tuple[PersonNeedRecord, ...]
    involvements: tuple[InvolvementRecord, ...]
    professionals: tuple[ProfessionalRecord, ...]
    agencies: tuple[AgencyRecord, ...]
    leads: tuple[LeadRecord, ...]
    episodes: tuple[EpisodeRecord, ...]
    sources: tuple[SourceRecord, ...]
    links: tuple[LinkRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonHitRecord:
    """A candidate person for the front door, with the families they belong to."""

    person_id: str
    given_name: str
    family_name: str
    dob: str | None
    postcode: str | None
    given_key: str | None
    family_key: str | None
    family_ids: tuple[str, ...]


class CountyTable(StrEnum):
    """Flat county-wide projections the stores return as DataFrames with fixed columns."""

    FAMILIES = "families"
    INVOLVEMENTS = "involvements"  # one row per involvement, family and need addressed
    PERSON_NEEDS = "person_needs"
    LEADS = "leads"
    EPISODES = "episodes"
    PROFESSIONALS = "professionals"
    PEOPLE = "people"
    MEMBERSHIPS = "memberships"
    LINKS = "links"
    DECISIONS = "decisions"  # professionals with their agency
    HUB_EVENTS = "hub_events"  # the Hub workflow log (lead handover, worklist decisions)


COUNTY_COLUMNS: dict[CountyTable, tuple[str, ...]] = {
    CountyTable.FAMILIES: ("family_id", "name", "district"),
    CountyTable.INVOLVEMENTS: ("involvement_id", "family_id", "person_id", "professional_id", "agency_id",
                               "sector", "tier", "need_code", "start", "end"),
    CountyTable.PERSON_NEEDS: ("family_id", "person_id", "role", "need_code", "since", "until"),
    CountyTable.LEADS: ("family_id", "professional_id", "team", "agency_id", "since", "until"),
    CountyTable.EPISODES: ("family_id", "episode_id", "kind", "opened", "closed", "end_reason",
                           "assessment_date", "plan_date"),
    CountyTable.PROFESSIONALS: ("professional_id", "name", "team", "agency_id", "agency_name", "sector",
                                "lead_capacity"),
    CountyTable.PEOPLE: ("person_id", "source_id", "given_name", "family_name", "dob", "sex", "postcode",
                         "nhs_number", "upn", "address_line1", "town", "police_id", "other_id"),
    CountyTable.MEMBERSHIPS: ("person_id", "family_id", "role", "resident"),
    CountyTable.LINKS: ("person_id", "other_person_id", "match_probability", "match_weight", "reason", "status"),
    CountyTable.DECISIONS: ("seq", "id", "record_id_l", "record_id_r", "action", "who", "decided_at", "why",
                            "match_probability", "reason"),
    CountyTable.HUB_EVENTS: ("seq", "id", "kind", "subject", "family_id", "who", "at", "why", "assignee",
                             "fingerprint", "effective"),
}
"""Tables whose district filter does not apply (they are not about families)."""

PERIOD_COLUMNS: dict[CountyTable, tuple[str, str]] = {
    CountyTable.INVOLVEMENTS: ("start", "end"),
    CountyTable.PERSON_NEEDS: ("since", "until"),
    CountyTable.LEADS: ("since", "until"),
    CountyTable.EPISODES: ("opened", "closed"),
}
"""The county tables with a period: the columns of its start and its end (missing = not yet ended)."""


@dataclass(slots=True)
class GraphBatch:
    """Validated nodes and relationships to write in one all-or-nothing load.

    nodes: label -> rows (each with every property of the label's spec, `id` first).
    rels: relationship spec name -> rows with `src`, `dst` and the spec's key and property columns.
    """

    nodes: dict[str, list[Row]] = field(default_factory=dict)
    rels: dict[str, list[Row]] = field(default_factory=dict)

    def size(self) -> int:
        """Number of node and relationship rows in the batch."""
        return sum(len(r) for r in self.nodes.values()) + sum(len(r) for r in self.rels.values())
