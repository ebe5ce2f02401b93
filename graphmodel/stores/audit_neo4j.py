"""The audit log in Neo4j: (:AuditEntry) nodes, unique by seq, written only by CREATE.

Its schema is made at the first append, so a read-only connection can still read the log. A read-only graph
(FAMILYGRAPH_READ_ONLY, or a database the server keeps read-only) cannot hold the log: each append is then
refused with one line saying to set FAMILYGRAPH_AUDIT_DB, so nothing is shown that was not audited.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver, RoutingControl
from neo4j.exceptions import ConstraintError, DriverError, Neo4jError

from graphmodel.audit import GENESIS, AuditEntry, AuditEvent, AuditFilter, entry_of, now_utc
from graphmodel.contract import StoreError
from graphmodel.stores.neo4j_connect import is_write_refusal

__all__ = ["AUDIT_LABEL", "Neo4jAuditLog", "audit_refused"]

AUDIT_LABEL = "AuditEntry"

_SCHEMA = (
    "CREATE CONSTRAINT audit_entry_seq IF NOT EXISTS FOR (a:AuditEntry) REQUIRE a.seq IS UNIQUE",
    "CREATE INDEX audit_entry_actor IF NOT EXISTS FOR (a:AuditEntry) ON (a.actor)",
    "CREATE INDEX audit_entry_family IF NOT EXISTS FOR (a:AuditEntry) ON (a.family_id)",
)
_LAST = "MATCH (a:AuditEntry) RETURN a.seq AS seq, a.hash AS hash ORDER BY a.seq DESC LIMIT 1"
_CREATE = "CREATE (a:AuditEntry) SET a = $row"
_SELECT = """MATCH (a:AuditEntry)
WHERE ($user IS NULL OR a.actor = $user) AND ($family_id IS NULL OR a.family_id = $family_id)
  AND ($action IS NULL OR a.action = $action) AND ($since IS NULL OR a.at >= $since)
  AND ($until IS NULL OR a.at <= $until)
RETURN a.seq AS seq, a.at AS at, a.actor AS actor, a.role AS role, a.action AS action, a.family_id AS family_id,
       a.detail AS detail, a.reason AS reason, a.prev_hash AS prev_hash, a.hash AS hash
ORDER BY a.seq"""
_FIELDS = ("seq", "at", "actor", "role", "action", "family_id", "detail", "reason", "prev_hash", "hash")


class Neo4jAuditLog:
    """Append (CREATE in a write transaction, retried if another append took the same seq) and read."""

    def __init__(self, driver: Driver, database: str, uri: str = "", *, read_only: bool = False):
        self._driver, self._database, self._uri, self._read_only = driver, database, uri, read_only
        self._schema_made = False

    def _schema(self) -> None:
        """The constraint and indexes, once per object, before the first append."""
        if self._schema_made:
            return
        for statement in _SCHEMA:
            self._driver.execute_query(statement, database_=self._database)
        self._schema_made = True

    def append(self, event: AuditEvent) -> AuditEntry:
        """Add the event after the last entry; the uniqueness of seq makes a concurrent append retry."""
        if self._read_only:
            raise audit_refused(self._uri, "FAMILYGRAPH_READ_ONLY is set")
        for _ in range(20):
            try:
                self._schema()
                with self._driver.session(database=self._database) as session:
                    return session.execute_write(_append_tx, event)
            except ConstraintError:
                continue
            except (DriverError, Neo4jError) as error:
                if is_write_refusal(error):
                    raise audit_refused(self._uri, "the server refuses writes to the database") from None
                raise StoreError(f"could not write to the audit log in Neo4j: {error}") from None
        raise StoreError("could not write to the audit log in Neo4j: too many concurrent writers")

    def entries(self, where: AuditFilter | None = None) -> list[AuditEntry]:
        """Entries in order, filtered."""
        w = where or AuditFilter()
        until = w.until + "T99" if w.until and len(w.until) == 10 else w.until
        query = _SELECT + (f" LIMIT {int(w.limit)}" if w.limit is not None else "")
        try:
            records, _, _ = self._driver.execute_query(
                query, {"user": w.user, "family_id": w.family_id, "action": w.action, "since": w.since,
                        "until": until}, database_=self._database, routing_=RoutingControl.READ)
        except (DriverError, Neo4jError) as error:
            raise StoreError(f"could not read the audit log in Neo4j: {error}") from None
        return [AuditEntry(*(r[f] for f in _FIELDS)) for r in records]


def audit_refused(uri: str, why: str) -> StoreError:
    """Nothing may be shown unaudited: one line saying where the audit log must go instead."""
    return StoreError(f"the audit log cannot be written: Neo4j{' at ' + uri if uri else ''} is read-only ({why}), "
                      "so nothing that must be audited is shown. Set FAMILYGRAPH_AUDIT_DB to an audit file this "
                      "app may write (docs/neo4j-local.md, 'A read-only database').")


def _append_tx(tx: Any, event: AuditEvent) -> AuditEntry:
    last = tx.run(_LAST).single()
    seq, prev = (int(last["seq"]) + 1, str(last["hash"])) if last else (1, GENESIS)
    entry = entry_of(seq, now_utc(), event, prev)
    tx.run(_CREATE, row={f: getattr(entry, f) for f in _FIELDS}).consume()
    return entry
