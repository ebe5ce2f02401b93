"""Targeted changes to a store in one transaction: the primitive under source refreshes, rollback and erasure.

A ChangeSet names whole rows to upsert and rows to delete; a store applies it all or nothing, in this order:
clear (when asked), relationship deletes, node deletes (with their relationships), node upserts,
relationship upserts. Rows are full rows (every property of the spec, `id` first for nodes; `src`, `dst`,
key and properties for relationships), so an upsert of a before-image restores it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from graphmodel.contract import GraphStore, ProgressFn
from graphmodel.schema import NODES, RELS, Label, NodeSpec, RelSpec, node_spec, rel_spec

__all__ = ["ChangeSet", "RefreshStore", "check_names", "dump", "full_node_row", "full_rel_row", "refresh_store",
           "rel_key"]

Row = dict[str, Any]
_BOOL_PROPS = {"resident"}


@dataclass(slots=True)
class ChangeSet:
    """Rows to upsert and delete in one transaction; clear=True first deletes every fact and the extract history
    (the need taxonomy and erasure records stay)."""

    node_upserts: dict[Label, list[Row]] = field(default_factory=dict)
    node_deletes: dict[Label, list[str]] = field(default_factory=dict)
    rel_upserts: dict[str, list[Row]] = field(default_factory=dict)
    rel_deletes: dict[str, list[Row]] = field(default_factory=dict)
    clear: bool = False
    numbered: Label | None = None
    """A log (schema.NUMBERED) whose rows here are numbered in the transaction, after its last entry, under a
    lock on the log: two writers at the same moment never share a number (their seq is set then)."""

    def size(self) -> int:
        """Number of rows touched."""
        return (sum(map(len, self.node_upserts.values())) + sum(map(len, self.node_deletes.values()))
                + sum(map(len, self.rel_upserts.values())) + sum(map(len, self.rel_deletes.values())))

    def merge(self, other: ChangeSet) -> None:
        """Add another change set's rows to this one."""
        for mine, theirs in ((self.node_upserts, other.node_upserts), (self.node_deletes, other.node_deletes),
                             (self.rel_upserts, other.rel_upserts), (self.rel_deletes, other.rel_deletes)):
            for key, rows in theirs.items():
                mine.setdefault(key, []).extend(rows)  # type: ignore[arg-type]
        self.clear = self.clear or other.clear


def full_node_row(spec: NodeSpec, row: Row) -> Row:
    """A node row with every property of its spec (missing ones None; stored 0/1 flags as booleans)."""
    return {p: _value(p, row.get(p)) for p in spec.properties}


def full_rel_row(spec: RelSpec, row: Row) -> Row:
    """A relationship row with src, dst and every key and property of its spec."""
    return {"src": row["src"], "dst": row["dst"], **{p: _value(p, row.get(p)) for p in (*spec.key, *spec.properties)}}


def rel_key(spec: RelSpec, row: Row) -> tuple[Any, ...]:
    """What identifies one relationship of a spec: both ends and the key properties."""
    return (row["src"], row["dst"], *(row.get(k) for k in spec.key))


def _value(prop: str, value: Any) -> Any:
    if prop in _BOOL_PROPS and value is not None:
        return bool(value)
    return value


FACT_LABELS: tuple[Label, ...] = tuple(s.label for s in NODES if s.label is not Label.NEED)
FACT_RELS: tuple[str, ...] = tuple(r.name for r in RELS)


@runtime_checkable
class RefreshStore(GraphStore, Protocol):
    """What source refreshes, rollback and erasure need from a store, beyond the GraphStore contract."""

    def node_rows(self, label: Label, *, ids: Iterable[str] | None = None,
                  sources: Iterable[str] | None = None) -> list[Row]:
        """Full rows of nodes of a label, by id or by source_id (neither: all), sorted by id."""

    def rel_rows(self, name: str, *, src_ids: Iterable[str] | None = None, dst_ids: Iterable[str] | None = None,
                 sources: Iterable[str] | None = None) -> list[Row]:
        """Full rows of relationships of a spec, by start id, end id or source_id (none: all), sorted."""

    def apply_changes(self, changes: ChangeSet, progress: ProgressFn | None = None) -> list[int]:
        """Apply a change set in one transaction, or nothing; return the numbers given to its numbered rows."""


def check_names(changes: ChangeSet) -> None:
    """Every label and relationship named in a change set is in the schema (raises ValueError otherwise)."""
    for label in (*changes.node_upserts, *changes.node_deletes):
        node_spec(label)
    for name in (*changes.rel_upserts, *changes.rel_deletes):
        rel_spec(name)


def refresh_store(store: GraphStore) -> RefreshStore:
    """The store as a RefreshStore (both stores are); a StoreError for one that cannot refresh."""
    from graphmodel.contract import StoreError

    if not isinstance(store, RefreshStore):
        raise StoreError(f"the {store.kind} store cannot replace, roll back or erase records")
    return store


def dump(store: RefreshStore, history: bool = False) -> dict[str, list[Row]]:
    """Every fact in the store (every node label but the need taxonomy, every relationship), sorted; with
    history=True also the Extract and Erasure records. Two stores holding the same facts dump equal."""
    from graphmodel.schema import HISTORY_NODES

    labels = [*FACT_LABELS, *((s.label for s in HISTORY_NODES) if history else ())]
    result: dict[str, list[Row]] = {str(label): store.node_rows(label) for label in labels}
    result.update({name: store.rel_rows(name) for name in FACT_RELS})
    return result
