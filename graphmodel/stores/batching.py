"""The order in which a batch is written: every label's nodes, then every relationship, in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from graphmodel.records import GraphBatch
from graphmodel.schema import HISTORY_NODES, NODES, RELS, NodeSpec, RelSpec

__all__ = ["chunks", "slices"]

T = TypeVar("T")


def slices(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive pieces of at most `size` values (none for no values)."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def chunks(batches: Iterable[GraphBatch], size: int) -> Iterator[tuple[NodeSpec | RelSpec, list[dict[str, Any]]]]:
    """(spec, rows) pieces of at most `size` rows; nodes of a batch before its relationships."""
    for batch in batches:
        pieces: list[tuple[NodeSpec | RelSpec, list[dict[str, Any]]]] = [
            (spec, batch.nodes.get(spec.label, [])) for spec in (*NODES, *HISTORY_NODES)]
        pieces += [(rspec, batch.rels.get(rspec.name, [])) for rspec in RELS]
        for spec, rows in pieces:
            for piece in slices(rows, size):
                yield spec, list(piece)
