"""Erasure on request: a person and every fact only they carry leave both the graph and the extract history.

Removed in one transaction: the Person; their memberships, relationships (both ways) and needs; the
involvements with them (an involvement is with one person, so it is theirs alone); a family left with no
member, with its leads, episodes and whole-family work; their record links (SAME_AS both ways,
RESOLVES_TO, a ResolvedPerson group left with fewer than two records) and the review decisions about
them. Every extract's undo is scrubbed of the erased records, so no rollback can bring them back; the last
linkage run's state (a hash per record id, kept for incremental linking) is dropped, so the next `familygraph
link` scores every pair with the saved model. What
stays is one Erasure record: when, who, why, a hash of the id and the counts removed — no personal data.

The Erasure record is a minimal, append-only audit entry of its own; it should join the general audit
log when that lands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from graphmodel.changes import ChangeSet, RefreshStore, full_node_row
from graphmodel.errors import UserInputError
from graphmodel.schema import Label, node_spec, rel_spec
from loaders.extract_undo import changes_from_json, changes_to_json, part_ids, stored_undo, undo_text

__all__ = ["ErasureReport", "erase_person", "subject_hash"]

Row = dict[str, Any]
_PERSON_RELS_OUT = ("member_of", "related_to", "has_need", "same_as", "resolves_to")
_PERSON_RELS_IN = ("related_to", "same_as", "with_person")


@dataclass(frozen=True, slots=True)
class ErasureReport:
    """The audit entry written: its number, time, who, why, the id's hash and what was removed."""

    seq: int
    erased_at: str
    who: str
    reason: str
    subject: str
    removed: dict[str, int]


def subject_hash(person_id: str) -> str:
    """SHA-256 of the erased id: lets an auditor check a given id was erased without the entry holding it."""
    return hashlib.sha256(f"familygraph-erasure:person:{person_id}".encode()).hexdigest()


def erase_person(store: RefreshStore, person_id: str, *, reason: str, who: str) -> ErasureReport:
    """Erase one person (see the module docstring) in one transaction; UserInputError if unknown."""
    if not reason.strip():
        raise UserInputError("give the reason for the erasure (--reason TEXT)")
    if not store.node_rows(Label.PERSON, ids=[person_id]):
        raise UserInputError(f"no person with id {person_id!r} in the store")
    changes = ChangeSet()
    removed: dict[str, int] = {}

    def drop_rels(name: str, rows: list[Row]) -> None:
        if rows:
            changes.rel_deletes.setdefault(name, []).extend(rows)
            removed[rel_spec(name).type.value] = removed.get(rel_spec(name).type.value, 0) + len(rows)

    def drop_nodes(label: Label, ids: list[str]) -> None:
        if ids:
            changes.node_deletes.setdefault(label, []).extend(ids)
            removed[label.value] = removed.get(label.value, 0) + len(ids)

    gone: set[str] = {person_id}
    for name in _PERSON_RELS_OUT:
        drop_rels(name, store.rel_rows(name, src_ids=[person_id]))
    for name in _PERSON_RELS_IN:
        rows = [r for r in store.rel_rows(name, dst_ids=[person_id]) if r["src"] != person_id]
        if name == "with_person":
            involvements = sorted({r["src"] for r in rows})
            drop_rels(name, rows)
            drop_nodes(Label.INVOLVEMENT, involvements)
            gone |= set(involvements)
        else:
            drop_rels(name, rows)
    families = sorted({r["dst"] for r in store.rel_rows("member_of", src_ids=[person_id])})
    lonely = [f for f in families if {r["src"] for r in store.rel_rows("member_of", dst_ids=[f])} <= {person_id}]
    if lonely:
        episodes = sorted({r["dst"] for r in store.rel_rows("had", src_ids=lonely)})
        work = sorted({r["src"] for r in store.rel_rows("with_family", dst_ids=lonely)})
        drop_rels("leads", store.rel_rows("leads", dst_ids=lonely))
        drop_nodes(Label.EPISODE, episodes)
        drop_nodes(Label.INVOLVEMENT, work)
        drop_nodes(Label.FAMILY, lonely)
        gone |= set(lonely) | set(episodes) | set(work)
    _drop_groups(store, person_id, changes, removed)
    decisions = [r["id"] for r in store.node_rows(Label.DECISION)
                 if person_id in (r["record_id_l"], r["record_id_r"])]
    drop_nodes(Label.DECISION, decisions)
    drop_nodes(Label.PERSON, [person_id])
    _scrub_extracts(store, gone, changes)
    changes.node_upserts[Label.LINK_MODEL] = [{**row, "state": None} for row in store.node_rows(Label.LINK_MODEL)
                                               if row.get("state")]
    erased_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    subject = subject_hash(person_id)
    changes.numbered = Label.ERASURE  # numbered inside the transaction: two erasures at once never share one
    changes.node_upserts[Label.ERASURE] = [{
        "id": f"ERASURE-{erased_at}-{subject[:12]}", "erased_at": erased_at, "who": who, "reason": reason.strip(),
        "subject": subject, "removed": json.dumps(dict(sorted(removed.items())))}]
    (seq,) = store.apply_changes(changes)
    return ErasureReport(seq, erased_at, who, reason.strip(), subject, dict(sorted(removed.items())))


def _drop_groups(store: RefreshStore, person_id: str, changes: ChangeSet, removed: dict[str, int]) -> None:
    """A ResolvedPerson left with fewer than two records goes (with its last link); others lose one record."""
    for group in sorted({r["dst"] for r in store.rel_rows("resolves_to", src_ids=[person_id])}):
        rest = [r for r in store.rel_rows("resolves_to", dst_ids=[group]) if r["src"] != person_id]
        if len(rest) < 2:
            changes.node_deletes.setdefault(Label.RESOLVED_PERSON, []).append(group)
            removed["ResolvedPerson"] = removed.get("ResolvedPerson", 0) + 1
        else:
            changes.node_upserts.setdefault(Label.RESOLVED_PERSON, []).append({"id": group, "records": len(rest)})


def _scrub_extracts(store: RefreshStore, gone: set[str], changes: ChangeSet) -> None:
    """Rewrite the extract records whose undo mentions an erased record, with those rows taken out (their undo
    parts rewritten too, and parts no longer needed deleted)."""
    for row in store.node_rows(Label.EXTRACT):
        text = undo_text(store, row)
        if not text or not any(i in text for i in gone):
            continue
        undo = changes_from_json(text)
        clean = ChangeSet(
            node_upserts={k: [r for r in v if r["id"] not in gone] for k, v in undo.node_upserts.items()},
            node_deletes={k: [i for i in v if i not in gone] for k, v in undo.node_deletes.items()},
            rel_upserts={k: [r for r in v if r["src"] not in gone and r["dst"] not in gone]
                         for k, v in undo.rel_upserts.items()},
            rel_deletes={k: [r for r in v if r["src"] not in gone and r["dst"] not in gone]
                         for k, v in undo.rel_deletes.items()})
        stored, parts = stored_undo(str(row["id"]), str(row["source_id"]), changes_to_json(clean))
        changes.node_upserts.setdefault(Label.EXTRACT, []).append(
            full_node_row(node_spec(Label.EXTRACT), {**row, "undo": stored}))
        changes.node_upserts.setdefault(Label.EXTRACT_PART, []).extend(parts)
        if unused := sorted(set(part_ids(row)) - {part["id"] for part in parts}):
            changes.node_deletes.setdefault(Label.EXTRACT_PART, []).extend(unused)
