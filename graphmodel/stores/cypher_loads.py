"""Cypher of the Neo4j load log: what a batched load records before each change, and how it is undone.

Labels and relationship types come from graphmodel.schema only; every value is a $parameter.
"""

from __future__ import annotations

from graphmodel.schema import NODES, RELS, Label, RelSpec, RelType

__all__ = ["BEFORE_NODES", "BEFORE_RELS", "LOAD_LOG_SCHEMA", "UNDO_NODES", "UNDO_RELS"]

LOAD = "FamilyGraphLoad"
UNDO = "FamilyGraphUndo"

LOAD_LOG_SCHEMA = (
    f"CREATE CONSTRAINT familygraphload_id IF NOT EXISTS FOR (n:{LOAD}) REQUIRE n.id IS UNIQUE",
    f"CREATE INDEX familygraphundo_load IF NOT EXISTS FOR (n:{UNDO}) ON (n.load_id)",
)


def _key(spec: RelSpec, source: str) -> str:
    """The relationship's key properties as a Cypher map read from `source`."""
    return ", ".join(f"{k}: {source}.{k}" for k in spec.key)


def _pattern(spec: RelSpec, row: str, key_source: str) -> str:
    """MATCH (a)-[r:TYPE {key}]->(b) for one logged row."""
    return (f"MATCH (a:{Label(spec.start).value} {{id: {row}.src}})-[r:{RelType(spec.type).value} "
            f"{{{_key(spec, key_source)}}}]->(b:{Label(spec.end).value} {{id: {row}.dst}})")


BEFORE_NODES = {spec.label: f"UNWIND $ids AS id MATCH (n:{Label(spec.label).value} {{id: id}}) "
                            f"RETURN n.id AS id, properties(n) AS props" for spec in NODES}
"""The nodes of a batch that exist already, with every property they had."""

BEFORE_RELS = {spec.name: f"UNWIND $rows AS row {_pattern(spec, 'row', 'row')} "
                          f"RETURN row.src AS src, row.dst AS dst, {{{_key(spec, 'row')}}} AS key, "
                          f"properties(r) AS props" for spec in RELS}
"""The relationships of a batch that exist already, with every property they had."""

UNDO_NODES = {spec.label: (
    f"UNWIND $created AS id MATCH (n:{Label(spec.label).value} {{id: id}}) DETACH DELETE n",
    f"UNWIND $before AS b MATCH (n:{Label(spec.label).value} {{id: b.id}}) SET n = b.props",
) for spec in NODES}
"""Delete the nodes a batch created; put back the properties of those it changed."""

UNDO_RELS = {spec.name: (
    f"UNWIND $created AS k {_pattern(spec, 'k', 'k.key')} DELETE r",
    f"UNWIND $before AS k {_pattern(spec, 'k', 'k.key')} SET r = k.props",
) for spec in RELS}
"""Delete the relationships a batch created; put back the properties of those it changed."""

START = (f"CREATE (:{LOAD} {{id: $id, status: 'running', started_at: $now, heartbeat: $now, host: $host, "
         f"pid: $pid, batches: 0}})")
LOG_BATCH = (f"MATCH (l:{LOAD} {{id: $load}}) SET l.heartbeat = $now, l.batches = $seq "
             f"CREATE (:{UNDO} {{load_id: $load, seq: $seq, kind: $kind, spec: $spec, created: $created, "
             f"before: $before}})")
MARK_COMMITTED = f"MATCH (l:{LOAD} {{id: $load}}) SET l.status = 'committed', l.heartbeat = $now"
MARK_UNDOING = f"MATCH (l:{LOAD} {{id: $load}}) SET l.status = 'undoing', l.heartbeat = $now"
NEXT_UNDO = (f"MATCH (u:{UNDO} {{load_id: $load}}) RETURN elementId(u) AS ref, u.kind AS kind, u.spec AS spec, "
             f"u.created AS created, u.before AS before ORDER BY u.seq DESC LIMIT 1")
DROP_UNDO = f"MATCH (u:{UNDO}) WHERE elementId(u) = $ref DELETE u"
DROP_LOG = (f"MATCH (u:{UNDO} {{load_id: $load}}) CALL (u) {{ DELETE u }} IN TRANSACTIONS OF 1000 ROWS")
DROP_LOAD = f"MATCH (l:{LOAD} {{id: $load}}) DELETE l"
LOADS = (f"MATCH (l:{LOAD}) RETURN l.id AS id, l.status AS status, l.started_at AS started_at, "
         f"l.heartbeat AS heartbeat, l.host AS host, l.pid AS pid, l.batches AS batches ORDER BY started_at")
