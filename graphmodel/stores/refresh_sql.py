"""SQL for source refreshes, rollback and erasure in the embedded store (tables from the schema allow-list)."""

from __future__ import annotations

from graphmodel.schema import RELS, Label, NodeSpec, RelSpec
from graphmodel.stores.sql import node_table, rel_table

__all__ = ["delete_node_rels", "delete_nodes", "delete_rel", "node_rows", "rel_rows"]

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


def delete_rel(spec: RelSpec) -> str:
    """Delete one relationship by both ends and its key (named parameters)."""
    keys = "".join(f' AND "{k}" = :{k}' for k in spec.key)
    return f"DELETE FROM {rel_table(spec.name)} WHERE src = :src AND dst = :dst{keys}"  # noqa: S608


def delete_nodes(label: Label) -> str:
    """Delete one node by id."""
    return f"DELETE FROM {node_table(label)} WHERE id = ?"  # noqa: S608 - allow-listed


def delete_node_rels(label: Label) -> list[str]:
    """Delete every relationship that starts or ends at one node of a label (by id)."""
    statements = []
    for spec in RELS:
        if spec.start == label:
            statements.append(f"DELETE FROM {rel_table(spec.name)} WHERE src = ?")  # noqa: S608
        if spec.end == label:
            statements.append(f"DELETE FROM {rel_table(spec.name)} WHERE dst = ?")  # noqa: S608
    return statements
