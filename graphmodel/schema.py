"""The graph schema: node labels, relationship types, their properties, constraints and indexes.

This is the allow-list: every label and relationship type that reaches a Cypher or SQL string comes
from here, never from input.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["HISTORY_NODES", "NODES", "RELS", "Label", "NodeSpec", "RelSpec", "RelType", "node_spec", "rel_spec"]


class Label(StrEnum):
    """Node labels."""

    FAMILY = "Family"
    PERSON = "Person"
    PROFESSIONAL = "Professional"
    AGENCY = "Agency"
    NEED = "Need"
    INVOLVEMENT = "Involvement"
    EPISODE = "Episode"
    SOURCE = "Source"
    RESOLVED_PERSON = "ResolvedPerson"
    DECISION = "Decision"
    EXTRACT = "Extract"
    EXTRACT_PART = "ExtractPart"
    ERASURE = "Erasure"
    HUB_EVENT = "HubEvent"
    LINK_MODEL = "LinkModel"


class RelType(StrEnum):
    """Relationship types."""

    MEMBER_OF = "MEMBER_OF"
    RELATED_TO = "RELATED_TO"
    WORKS_FOR = "WORKS_FOR"
    DELIVERS = "DELIVERS"
    WITH = "WITH"
    ADDRESSES = "ADDRESSES"
    HAS_NEED = "HAS_NEED"
    LEADS = "LEADS"
    HAD = "HAD"
    SAME_AS = "SAME_AS"
    RESOLVES_TO = "RESOLVES_TO"


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """A node label, its properties (all stored; `id` is the unique key), indexed properties and indexes on
    several properties together (read in order: equality on the first, then a prefix of the next)."""

    label: Label
    properties: tuple[str, ...]
    indexes: tuple[str, ...] = ()
    composite: tuple[tuple[str, ...], ...] = ()
    big: bool = False
    """Each node holds up to a megabyte (an extract's undo): Neo4j writes and deletes a few per transaction."""


@dataclass(frozen=True, slots=True)
class RelSpec:
    """A relationship between two labels; `key` properties distinguish parallel relationships."""

    name: str
    type: RelType
    start: Label
    end: Label
    key: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()


NODES: tuple[NodeSpec, ...] = (
    NodeSpec(Label.FAMILY, ("id", "name", "postcode", "district", "source_id"), ("district",)),
    NodeSpec(
        Label.PERSON,
        ("id", "given_name", "family_name", "dob", "sex", "postcode", "nhs_number", "upn", "source_id",
         "given_key", "family_key", "family_phonetic", "address_line1", "town", "police_id", "other_id"),
        ("dob", "postcode", "family_phonetic", "given_key"),
        (("family_phonetic", "given_key"),),  # the front door: a family name's sound, then a given name's initial
    ),
    NodeSpec(Label.PROFESSIONAL, ("id", "name", "role", "team", "email", "phone", "lead_capacity", "source_id")),
    NodeSpec(Label.AGENCY, ("id", "name", "sector", "tier", "district")),
    NodeSpec(Label.NEED, ("id", "name", "category_2021", "outcome_2022", "risk_factor")),
    NodeSpec(Label.INVOLVEMENT, ("id", "service", "start_date", "end_date", "source_id")),
    NodeSpec(Label.EPISODE, ("id", "kind", "opened", "closed", "end_reason", "assessment_date", "plan_date",
                             "source_id")),
    NodeSpec(Label.SOURCE, ("id", "agency_id", "extracted_at", "coverage_from", "coverage_to", "description")),
    NodeSpec(Label.RESOLVED_PERSON, ("id", "records")),
    NodeSpec(Label.DECISION, ("id", "seq", "record_id_l", "record_id_r", "action", "who", "decided_at", "why",
                              "match_probability", "reason"), ("seq",)),
    # Hub workflow (lead handover, worklist assign/note/resolve): an append-only log of who did what, when, why.
    NodeSpec(Label.HUB_EVENT, ("id", "seq", "kind", "subject", "family_id", "who", "at", "why", "assignee",
                               "fingerprint", "effective"), ("family_id", "subject")),
    # Record linkage: the trained model (Splink's JSON, when and on what data it was trained) and the last
    # run's state (a hash per record, the thresholds), so a later run scores only new or changed records.
    NodeSpec(Label.LINK_MODEL, ("id", "trained_at", "records", "sources", "fingerprint", "model", "linked_at",
                                "thresholds", "state")),
)

NUMBERED: tuple[Label, ...] = (Label.DECISION, Label.HUB_EVENT, Label.ERASURE)
"""Append-only logs whose entries carry a number (seq) that no two writers may share."""

RELS: tuple[RelSpec, ...] = (
    RelSpec("member_of", RelType.MEMBER_OF, Label.PERSON, Label.FAMILY, (), ("role", "resident", "source_id")),
    RelSpec("related_to", RelType.RELATED_TO, Label.PERSON, Label.PERSON, ("kind",), ("source_id",)),
    RelSpec("works_for", RelType.WORKS_FOR, Label.PROFESSIONAL, Label.AGENCY),
    RelSpec("delivers", RelType.DELIVERS, Label.PROFESSIONAL, Label.INVOLVEMENT),
    RelSpec("with_person", RelType.WITH, Label.INVOLVEMENT, Label.PERSON),
    RelSpec("with_family", RelType.WITH, Label.INVOLVEMENT, Label.FAMILY),
    RelSpec("addresses", RelType.ADDRESSES, Label.INVOLVEMENT, Label.NEED),
    RelSpec("has_need", RelType.HAS_NEED, Label.PERSON, Label.NEED, ("since",), ("until", "status", "source_id")),
    RelSpec("leads", RelType.LEADS, Label.PROFESSIONAL, Label.FAMILY, ("since",), ("until", "source_id")),
    RelSpec("had", RelType.HAD, Label.FAMILY, Label.EPISODE),
    RelSpec("same_as", RelType.SAME_AS, Label.PERSON, Label.PERSON, (),
            ("match_probability", "match_weight", "reason", "status")),
    RelSpec("resolves_to", RelType.RESOLVES_TO, Label.PERSON, Label.RESOLVED_PERSON),
)

# Source refresh history and erasure audit (loaders/refresh.py, loaders/erase.py): kept apart from NODES so
# fact counts stay counts of facts. Extract: one numbered, dated extract of a source with its summary and the
# before-image needed to roll it back (JSON; when big, in ExtractPart records: loaders/extract_undo.py).
# Erasure: an append-only record without personal data.
HISTORY_NODES: tuple[NodeSpec, ...] = (
    NodeSpec(Label.EXTRACT, ("id", "source_id", "seq", "extracted_at", "loaded_at", "mode", "status", "summary",
                             "undo"), ("source_id",), big=True),
    NodeSpec(Label.EXTRACT_PART, ("id", "source_id", "extract_id", "part", "undo"), ("source_id", "extract_id"),
             big=True),
    NodeSpec(Label.ERASURE, ("id", "seq", "erased_at", "who", "reason", "subject", "removed")),
)

_NODES_BY_LABEL = {n.label: n for n in (*NODES, *HISTORY_NODES)}
_RELS_BY_NAME = {r.name: r for r in RELS}


def node_spec(label: Label | str) -> NodeSpec:
    """Return the spec of an allow-listed label; raise ValueError for anything else."""
    try:
        return _NODES_BY_LABEL[Label(label)]
    except ValueError:
        raise ValueError(f"label {label!r} is not in the schema") from None


def rel_spec(name: str) -> RelSpec:
    """Return the spec of an allow-listed relationship name; raise ValueError for anything else."""
    try:
        return _RELS_BY_NAME[name]
    except KeyError:
        raise ValueError(f"relationship {name!r} is not in the schema") from None
