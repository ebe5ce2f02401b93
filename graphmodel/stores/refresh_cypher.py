"""Cypher for source refreshes, rollback and erasure in the Neo4j store (labels and types from the schema)."""

from __future__ import annotations

from graphmodel.schema import HISTORY_NODES, NODES, RELS, Label, NodeSpec, RelSpec, RelType

__all__ = ["CLEAR_FACTS", "DELETE_NODE_ROWS", "DELETE_REL_ROWS", "node_rows", "rel_rows", "streamed"]

_NODE_FILTERS = {"ids": "n.id IN $values", "sources": "n.source_id IN $values"}
_REL_FILTERS = {"src_ids": "a.id IN $values", "dst_ids": "b.id IN $values", "sources": "r.source_id IN $values"}


def _pattern(spec: RelSpec) -> str:
    return f"(a:{Label(spec.start).value})-[r:{RelType(spec.type).value}]->(b:{Label(spec.end).value})"


def node_rows(spec: NodeSpec, by: str | None) -> str:
    """Every property of nodes of a label (collected into one record), optionally filtered ($values)."""
    where = f" WHERE {_NODE_FILTERS[by]}" if by else ""
    return f"MATCH (n:{Label(spec.label).value}){where} RETURN collect(properties(n)) AS rows"


def rel_rows(spec: RelSpec, by: str | None) -> str:
    """Both ends and every property of relationships of a spec (one record), optionally filtered ($values)."""
    where = f" WHERE {_REL_FILTERS[by]}" if by else ""
    return f"MATCH {_pattern(spec)}{where} RETURN collect({{src: a.id, dst: b.id, p: properties(r)}}) AS rows"


def streamed(collected: str) -> str:
    """A node_rows or rel_rows query returning one record per row (`row`) instead of one collected list."""
    head, _, item = collected.rpartition(" RETURN collect(")
    return f"{head} RETURN {item.removesuffix(') AS rows')} AS row"


def _delete_rels(spec: RelSpec) -> str:
    keys = "".join(f" AND r.{k} = row.{k}" for k in spec.key)
    return (f"UNWIND $rows AS row MATCH (a:{Label(spec.start).value} {{id: row.src}})"
            f"-[r:{RelType(spec.type).value}]->(b:{Label(spec.end).value} {{id: row.dst}}) "
            f"WHERE true{keys} DELETE r")


DELETE_REL_ROWS: dict[str, str] = {spec.name: _delete_rels(spec) for spec in RELS}
DELETE_NODE_ROWS: dict[Label, tuple[str, ...]] = {
    spec.label: (f"UNWIND $rows AS row MATCH (n:{Label(spec.label).value} {{id: row.id}}) DETACH DELETE n",)
    for spec in (*NODES, *HISTORY_NODES)}
CLEAR_FACTS: tuple[str, ...] = ("MATCH (n) WHERE NOT n:Need AND NOT n:Erasure AND NOT n:AuditEntry DETACH DELETE n",)
