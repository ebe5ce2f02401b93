"""SQL for source refreshes, rollback and erasure in the embedded store (tables from the schema allow-list)."""

from __future__ import annotations

from graphmodel.schema import NodeSpec, RelSpec
from graphmodel.stores.sql import node_table, rel_table

__all__ = ["node_rows", "rel_rows"]

_FILTERS = {"ids": "id", "sources": "source_id", "src_ids": "src", "dst_ids": "dst"}


def node_rows(spec: NodeSpec, by: str | None, n: int = 0) -> str:
    """Every column of a node table, optionally where `by` (ids or sources) is one of n values."""
    where = f" WHERE {_FILTERS[by]} IN ({', '.join('?' * n)})" if by else ""
    return f"SELECT * FROM {node_table(spec.label)}{where} ORDER BY id"  # noqa: S608 - allow-listed


def rel_rows(spec: RelSpec, by: str | None, n: int = 0) -> str:
    """Every column of a relationship table, optionally where `by` (src_ids, dst_ids, sources) is one of n."""
    where = f" WHERE {_FILTERS[by]} IN ({', '.join('?' * n)})" if by else ""
    order = ", ".join(["src", "dst", *(f'"{k}"' for k in spec.key)])
    return f"SELECT * FROM {rel_table(spec.name)}{where} ORDER BY {order}"  # noqa: S608 - allow-listed
