"""Cypher of the Neo4j load log: what a batched load records before each change, and how it is undone.

Labels and relationship types come from graphmodel.schema only; every value is a $parameter.
"""

from __future__ import annotations

from graphmodel.schema import HISTORY_NODES, NODES, RELS, Label, NodeSpec, RelSpec, RelType

__all__ = ["FRESH_NODES", "FRESH_RELS", "LOAD_LOG_SCHEMA", "LOGGED_NODES", "LOGGED_RELS", "LOGGED_WIPE_NODES",
           "LOGGED_WIPE_RELS", "UNDO_FRESH_RELS", "UNDO_NODES", "UNDO_RELS", "UNDO_WIPED_NODES", "UNDO_WIPED_RELS",
           "UNIQUE_IDS", "count_rels_into", "fresh_columns"]

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


def _logged_nodes(label: Label) -> str:
    """Upsert rows on id, returning what the ids that existed held before (one record)."""
    name = Label(label).value
    return (f"UNWIND $rows AS row OPTIONAL MATCH (old:{name} {{id: row.id}}) "
            f"WITH row, CASE WHEN old IS NULL THEN NULL ELSE properties(old) END AS before "
            f"MERGE (n:{name} {{id: row.id}}) SET n += row "
            f"RETURN collect(CASE WHEN before IS NOT NULL THEN {{id: row.id, props: before}} END) AS before")


def _logged_rels(spec: RelSpec) -> str:
    """Upsert relationships, returning what those that existed held before (one record)."""
    key = _key(spec, "row")
    rel_type = RelType(spec.type).value
    sets = ", ".join(f"r.{p} = row.{p}" for p in spec.properties)
    ref = f"src: row.src, dst: row.dst, key: {{{key}}}"
    return (f"UNWIND $rows AS row MATCH (a:{Label(spec.start).value} {{id: row.src}}) "
            f"MATCH (b:{Label(spec.end).value} {{id: row.dst}}) "
            f"OPTIONAL MATCH (a)-[old:{rel_type} {{{key}}}]->(b) "
            f"WITH a, b, row, CASE WHEN old IS NULL THEN NULL ELSE properties(old) END AS before "
            f"MERGE (a)-[r:{rel_type} {{{key}}}]->(b)" + (f" SET {sets}" if sets else "") +
            f" RETURN collect(CASE WHEN before IS NOT NULL THEN {{{ref}, props: before}} END) AS before")


LOGGED_NODES = {spec.label: _logged_nodes(spec.label) for spec in (*NODES, *HISTORY_NODES)}
"""The upsert of a logged load's batch, telling what it created and what it overwrote."""
LOGGED_RELS = {spec.name: _logged_rels(spec) for spec in RELS}

MATCHED = "_fg_matched"
"""Set on a relationship a fresh upsert found already there: the transaction is then rolled back, so it is never
stored."""


def fresh_columns(spec: NodeSpec | RelSpec) -> tuple[str, ...]:
    """The order of a fresh upsert's row lists: a node's properties (id first), or a relationship's ends, key and
    properties."""
    if isinstance(spec, NodeSpec):
        return ("id", *(p for p in spec.properties if p != "id"))
    return ("src", "dst", *spec.key, *spec.properties)


def _fresh_nodes(spec: NodeSpec) -> str:
    """Create a node per row list (nulls are left unset); the label's uniqueness constraint fails the transaction
    if an id is already there."""
    props = ", ".join(f"{name}: row[{i}]" for i, name in enumerate(fresh_columns(spec)))
    return f"UNWIND $rows AS row CREATE (:{Label(spec.label).value} {{{props}}})"


def _fresh_rels(spec: RelSpec) -> str:
    """Upsert a relationship per row list without reading what was there, counting those that already existed."""
    columns = fresh_columns(spec)
    key = ", ".join(f"{name}: row[{columns.index(name)}]" for name in spec.key)
    sets = ", ".join(f"r.{name} = row[{columns.index(name)}]" for name in spec.properties)
    return (f"UNWIND $rows AS row MATCH (a:{Label(spec.start).value} {{id: row[0]}}) "
            f"MATCH (b:{Label(spec.end).value} {{id: row[1]}}) "
            f"MERGE (a)-[r:{RelType(spec.type).value} {{{key}}}]->(b)" + (f" ON CREATE SET {sets}" if sets else "")
            + f" ON MATCH SET r.{MATCHED} = true RETURN count(r.{MATCHED}) AS matched")


FRESH_NODES = {spec.label: _fresh_nodes(spec) for spec in (*NODES, *HISTORY_NODES)}
"""The write of a batch expected to create every node it holds (its label held none of them): no before-image is
read. If an id is already there the uniqueness constraint fails it; the batch is rolled back and written with
LOGGED_NODES instead."""
FRESH_RELS = {spec.name: _fresh_rels(spec) for spec in RELS}
"""The same for relationships: if `matched` is not 0 the batch is rolled back and written with LOGGED_RELS."""
UNIQUE_IDS = ("SHOW CONSTRAINTS YIELD type, entityType, labelsOrTypes, properties "
              "WHERE type IN ['UNIQUENESS', 'NODE_KEY'] AND entityType = 'NODE' AND properties = ['id'] "
              "RETURN labelsOrTypes[0] AS label")
"""Labels whose ids the server keeps unique (a fresh write of nodes relies on it)."""


def count_rels_into(spec: RelSpec) -> str:
    """How many relationships of the spec's type end at its end label (count store)."""
    return f"MATCH ()-[r:{RelType(spec.type).value}]->(:{Label(spec.end).value}) RETURN count(r) AS n"


UNDO_NODES = {spec.label: (
    f"UNWIND $created AS id MATCH (n:{Label(spec.label).value} {{id: id}}) DETACH DELETE n",
    f"UNWIND $before AS b MATCH (n:{Label(spec.label).value} {{id: b.id}}) SET n = b.props",
) for spec in (*NODES, *HISTORY_NODES)}
"""Delete the nodes a batch created; put back the properties of those it changed."""

UNDO_RELS = {spec.name: (
    f"UNWIND $created AS k {_pattern(spec, 'k', 'k.key')} DELETE r",
    f"UNWIND $before AS k {_pattern(spec, 'k', 'k.key')} SET r = k.props",
) for spec in RELS}
"""Delete the relationships a batch created; put back the properties of those it changed."""

UNDO_FRESH_RELS = {spec.name: (
    f"UNWIND $created AS k MATCH (a:{Label(spec.start).value} {{id: k[0]}})-[r:{RelType(spec.type).value} "
    f"{{{', '.join(f'{name}: k[{i + 2}]' for i, name in enumerate(spec.key))}}}]->"
    f"(b:{Label(spec.end).value} {{id: k[1]}}) DELETE r") for spec in RELS}
"""Delete the relationships a fresh batch created, recorded as lists: ends, then key values."""

LOGGED_WIPE_NODES = {spec.label: (
    f"MATCH (n:{Label(spec.label).value}) WITH n LIMIT $limit WITH n, properties(n) AS props DELETE n "
    f"RETURN collect(props) AS deleted") for spec in (*NODES, *HISTORY_NODES)}
"""One bounded bite of a wipe (data replaced whole), returning what it deleted. DELETE, not DETACH DELETE:
a node that still has relationships fails the load (its relationships are wiped, and logged, first)."""
LOGGED_WIPE_RELS = {spec.name: (
    f"MATCH (a:{Label(spec.start).value})-[r:{RelType(spec.type).value}]->(b:{Label(spec.end).value}) "
    f"WITH a, b, r LIMIT $limit WITH a.id AS src, b.id AS dst, properties(r) AS props, r DELETE r "
    f"RETURN collect({{src: src, dst: dst, props: props}}) AS deleted") for spec in RELS}

UNDO_WIPED_NODES = {spec.label: f"UNWIND $before AS p CREATE (n:{Label(spec.label).value}) SET n = p"
                    for spec in (*NODES, *HISTORY_NODES)}
"""Put back the nodes a wipe batch deleted."""
UNDO_WIPED_RELS = {spec.name: (
    f"UNWIND $before AS d MATCH (a:{Label(spec.start).value} {{id: d.src}}) "
    f"MATCH (b:{Label(spec.end).value} {{id: d.dst}}) CREATE (a)-[r:{RelType(spec.type).value}]->(b) SET r = d.props")
    for spec in RELS}
"""Put back the relationships a wipe batch deleted."""

START = (f"CREATE (:{LOAD} {{id: $id, status: 'running', started_at: $now, heartbeat: $now, host: $host, "
         f"pid: $pid, batches: 0}})")
CLAIM_LOAD = f"MATCH (l:{LOAD} {{id: $load}}) SET l.heartbeat = $now RETURN l.status AS status, l.batches AS batches"
"""Last in every batch, before its undo records: the SET locks the load node (so status and count are read after
any undo that began has committed, and an undo waits for the batch), numbering its records after those before."""
LOG_BATCH = (f"MATCH (l:{LOAD} {{id: $load}}) SET l.heartbeat = $now, l.batches = $seq "
             f"CREATE (:{UNDO} {{load_id: $load, seq: $seq, kind: $kind, spec: $spec, created: $created, "
             f"before: $before}})")
MARK_COMMITTED = f"MATCH (l:{LOAD} {{id: $load}}) SET l.status = 'committed', l.heartbeat = $now"
MARK_UNDOING = f"MATCH (l:{LOAD} {{id: $load}}) SET l.status = 'undoing', l.heartbeat = $now"
NEXT_UNDO = (f"MATCH (u:{UNDO} {{load_id: $load}}) RETURN elementId(u) AS ref, u.kind AS kind, u.spec AS spec, "
             f"u.created AS created, u.before AS before ORDER BY u.seq DESC LIMIT 1")
DROP_UNDO = f"MATCH (u:{UNDO}) WHERE elementId(u) = $ref DELETE u"
DROP_LOG = f"MATCH (u:{UNDO} {{load_id: $load}}) WITH u LIMIT 4 DELETE u RETURN count(*) AS deleted"
"""One bounded bite (undo records are strings of up to a batch of rows, some megabytes each); repeated until it
deletes nothing."""
DROP_LOAD = f"MATCH (l:{LOAD} {{id: $load}}) DELETE l"
LOADS = (f"MATCH (l:{LOAD}) RETURN l.id AS id, l.status AS status, l.started_at AS started_at, "
         f"l.heartbeat AS heartbeat, l.host AS host, l.pid AS pid, l.batches AS batches ORDER BY started_at")
