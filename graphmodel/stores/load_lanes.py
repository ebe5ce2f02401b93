"""Which batches of a logged Neo4j load may commit side by side, and which must wait for an earlier one.

A batch waits for an earlier batch still in flight when its relationships join nodes of a label that batch
writes (a MATCH would miss the nodes not yet committed), or when both write the same node id or the same
relationship (the later row must win, as in one transaction). Anything else commits in parallel.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from graphmodel.schema import Label, NodeSpec, RelSpec

__all__ = ["Batch", "InFlight", "row_key", "spec_name"]

Row = dict[str, Any]
Batch = list[tuple[NodeSpec | RelSpec, str, Sequence[Row]]]
"""A batch's statements: spec, statement (used when the write is one transaction) and rows."""


def spec_name(spec: NodeSpec | RelSpec) -> str:
    """The name a spec's rows go under: its label, or its relationship spec's name."""
    return spec.label.value if isinstance(spec, NodeSpec) else spec.name


def row_key(spec: NodeSpec | RelSpec, row: Row) -> Hashable:
    """What identifies a row's node (its id) or relationship (its ends and key properties)."""
    if isinstance(spec, NodeSpec):
        return row.get("id")
    return (row.get("src"), row.get("dst"), *(row.get(k) for k in spec.key))


def _keys(spec: NodeSpec | RelSpec, rows: Sequence[Row]) -> Iterable[Hashable]:
    """row_key of every row (picked in C where every row holds the key's columns)."""
    names = ("id",) if isinstance(spec, NodeSpec) else ("src", "dst", *spec.key)
    try:
        return list(map(itemgetter(*names), rows))
    except KeyError:
        return [row_key(spec, row) for row in rows]


@dataclass(slots=True)
class InFlight:
    """A batch handed to a lane: the node labels it writes, the labels its relationships join, and its keys."""

    labels: frozenset[str]
    joins: frozenset[str]
    keys: dict[str, frozenset[Hashable]]
    future: Future[Any] = field(default_factory=Future)

    @classmethod
    def of(cls, batch: Batch) -> InFlight:
        """The footprint of a batch."""
        labels = {spec.label.value for spec, _, _ in batch if isinstance(spec, NodeSpec)}
        joins = {Label(end).value for spec, _, _ in batch if isinstance(spec, RelSpec)
                 for end in (spec.start, spec.end)}
        keys: dict[str, set[Hashable]] = {}
        for spec, _, rows in batch:
            keys.setdefault(spec_name(spec), set()).update(_keys(spec, rows))
        return cls(frozenset(labels), frozenset(joins), {name: frozenset(k) for name, k in keys.items()})

    def must_follow(self, earlier: InFlight) -> bool:
        """Whether this batch may only start once `earlier` has committed."""
        if self.joins & earlier.labels:
            return True
        return any(not keys.isdisjoint(earlier.keys.get(name, ())) for name, keys in self.keys.items())
