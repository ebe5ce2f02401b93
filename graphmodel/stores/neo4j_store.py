"""The Neo4j store, through the official driver: bounded logged loads, parameterised reads with a deadline.

Opening only reads (connectivity and the server's version); the schema is applied by `init` and loads.
Every session and execute_query share one bookmark manager, so a read sees the writes before it even on
a cluster. A server that stops answering is reported within about 14 s instead of hanging the page.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Query,
    RoutingControl,
    Session,
    Transaction,
    unit_of_work,
)
from neo4j.exceptions import ClientError, DriverError, Neo4jError

from graphmodel.audit import AuditLog
from graphmodel.contract import StoreError, StoreUnavailable
from graphmodel.records import FamilySnapshot, PersonHitRecord
from graphmodel.schema import Label
from graphmodel.stores import assemble, cypher
from graphmodel.stores.audit_neo4j import Neo4jAuditLog
from graphmodel.stores.base import Row, StoreBase
from graphmodel.stores.batching import slices
from graphmodel.stores.neo4j_connect import (
    check_version,
    is_memory_refusal,
    is_write_refusal,
    make_driver,
    memory_refused,
    stopped_answering,
    translate,
)
from graphmodel.stores.neo4j_loads import LoadRecord, LoadWriter, list_loads, recover_loads, undo_load
from graphmodel.stores.refresh_neo4j import Neo4jRefreshOps
from graphmodel.stores.taxonomy_rows import need_rows

__all__ = ["Neo4jStore"]

T = TypeVar("T")

ANSWER_WITHIN = 9.0
"""After this long without an answer, check that the server still answers a new connection."""
PROBE_TIMEOUT = 5.0
OPEN_TIMEOUT = 12.0
READ_TIMEOUT = float(os.environ.get("FAMILYGRAPH_NEO4J_READ_TIMEOUT", "300"))
"""Server-side limit of one read transaction (a live but slow query is stopped by the server)."""
TX_ROWS = int(os.environ.get("FAMILYGRAPH_NEO4J_TX_ROWS", "10000"))
TX_BYTES = int(os.environ.get("FAMILYGRAPH_NEO4J_TX_BYTES", str(6 * 1024 * 1024)))
"""A load commits a batch once it holds this many rows or (estimated) bytes."""
LANES = int(os.environ.get("FAMILYGRAPH_NEO4J_LANES", "2"))
"""How many batches of a load may be in flight at once (each its own transaction; the server runs them side by
side where they do not depend on each other)."""


class _TxWriter:
    """Statements of a change set inside one open Neo4j transaction."""

    def __init__(self, tx: Transaction, chunk: int) -> None:
        self._tx, self._chunk = tx, chunk

    def run(self, statement: str) -> None:
        """Run one statement."""
        self._tx.run(statement).consume()  # statements are named constants

    def each(self, statement: str, rows: list[Row]) -> None:
        """UNWIND $rows, in pieces of at most `chunk` rows."""
        for piece in slices(rows, self._chunk):
            self._tx.run(statement, rows=piece).consume()


class Neo4jStore(Neo4jRefreshOps, StoreBase):
    """A GraphStore backed by a Neo4j 5.23+ server."""

    kind = "neo4j"
    reads_while_writing = True
    """Reads go through their own sessions, so a load may validate while it writes."""
    QUERIES = cypher.QUERIES
    chunk_rows = 10_000
    write_errors = (DriverError, Neo4jError)

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j",
                 driver: Driver | None = None, *, trusted_ca: Path | None = None, read_only: bool = False,
                 tx_rows: int = TX_ROWS, tx_bytes: int = TX_BYTES, lanes: int = LANES):
        self.uri, self.database, self.read_only = uri, database, read_only
        self.tx_rows, self.tx_bytes, self.lanes = tx_rows, tx_bytes, lanes
        self._credentials = (user, password, trusted_ca)
        self._pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="neo4j-read")
        self._bookmarks = GraphDatabase.bookmark_manager()
        self._schema_applied = False
        self._lock = threading.Lock()
        try:
            self._driver = driver or make_driver(uri, user, password, trusted_ca)
            agent = self._deadline(self._connect, OPEN_TIMEOUT)
        except ValueError as error:
            raise StoreUnavailable(f"NEO4J_URI {uri!r} is not a Neo4j address: {error}") from None
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(uri, error) from None
        check_version(uri, agent)

    def _connect(self) -> str:
        """Check that the server answers and accepts the credentials; return its agent string."""
        self._driver.verify_connectivity()
        return self._driver.get_server_info().agent

    # --- deadlines ---------------------------------------------------------------------------------

    def _deadline(self, call: Callable[[], T], seconds: float) -> T:
        """The call's result, or StoreUnavailable if the server gives none within `seconds`."""
        future = self._pool.submit(call)
        try:
            return future.result(timeout=seconds)
        except FutureTimeout:
            raise stopped_answering(self.uri, seconds) from None

    def _answers(self) -> bool:
        """Whether the server completes a fresh connection and login within PROBE_TIMEOUT."""
        user, password, ca = self._credentials
        probe = make_driver(self.uri, user, password, ca)
        answered = threading.Event()

        def check() -> None:  # its own thread: never queued behind the reads it is checking on
            try:
                probe.verify_connectivity()
                answered.set()
            except Exception:  # no answer is the answer
                pass
            finally:
                probe.close()

        threading.Thread(target=check, daemon=True, name="neo4j-probe").start()
        return answered.wait(PROBE_TIMEOUT)

    def _guarded(self, call: Callable[[], T]) -> T:
        """The call's result; a server that stops answering fails it within ANSWER_WITHIN + PROBE_TIMEOUT."""
        future = self._pool.submit(call)
        waited = 0.0
        while True:
            try:
                return future.result(timeout=ANSWER_WITHIN)
            except FutureTimeout:
                waited += ANSWER_WITHIN
                if not self._answers():
                    raise stopped_answering(self.uri, waited + PROBE_TIMEOUT) from None

    # --- primitives --------------------------------------------------------------------------------

    def _session(self, write: bool = True) -> Session:
        """A session sharing the store's bookmarks; READ access mode when the store is read-only."""
        mode = READ_ACCESS if self.read_only or not write else WRITE_ACCESS
        return self._driver.session(database=self.database, bookmark_manager=self._bookmarks,
                                    default_access_mode=mode)

    def _read(self, query: str, params: dict[str, Any]) -> list[Row]:
        def call() -> list[Row]:
            records, _, _ = self._driver.execute_query(
                Query(query, timeout=READ_TIMEOUT), params, database_=self.database,
                routing_=RoutingControl.READ, bookmark_manager_=self._bookmarks)
            return [r.data() for r in records]

        try:
            return self._guarded(call)
        except (DriverError, Neo4jError) as error:
            raise translate(self.uri, error, write=False) from None

    def _frame(self, query: str, params: dict[str, Any], columns: tuple[str, ...]) -> pd.DataFrame:
        """The rows collected server-side into one record (far fewer records to decode); streamed record by
        record instead when the collected list would pass the server's transaction memory limit."""
        def collected() -> list[Any]:
            with self._session(write=False) as session:  # auto-commit: a refusal for memory is not retried
                return list(session.run(Query(query, timeout=READ_TIMEOUT), params).single(strict=True)["rows"])

        try:
            rows = self._guarded(collected)
        except DriverError as error:
            raise translate(self.uri, error, write=False) from None
        except Neo4jError as error:
            if not (is_memory_refusal(error) and query in cypher.UNCOLLECTED):
                raise translate(self.uri, error, write=False) from None
            rows = [r.values() for r in self._records(cypher.UNCOLLECTED[query], params)]
        return pd.DataFrame(rows, columns=list(columns), dtype=object)

    def _records(self, query: str, params: dict[str, Any]) -> list[Any]:
        """A read's records, pulled from the server in pieces (its memory stays that of one piece)."""
        @unit_of_work(timeout=READ_TIMEOUT)
        def pull(tx: ManagedTransaction) -> list[Any]:
            return list(tx.run(query, params))

        def call() -> list[Any]:
            with self._session(write=False) as session:
                return session.execute_read(pull)

        try:
            return self._guarded(call)
        except (DriverError, Neo4jError) as error:
            raise translate(self.uri, error, write=False) from None

    def _script(self, statements: Sequence[str]) -> None:
        """Each statement in its own auto-commit transaction (schema changes need that); one that returns
        `deleted` is repeated until it deletes nothing (a bounded clear)."""
        try:
            with self._session() as session:
                for statement in statements:
                    while True:
                        record = session.run(statement).single()
                        if record is None or not record.get("deleted"):
                            break
        except (DriverError, Neo4jError) as error:
            raise translate(self.uri, error) from None

    def _ensure_schema(self) -> None:
        """Apply the schema and the need taxonomy once per store object before its first write, so a load into
        a new database (one nobody ran `familygraph init` on) keeps its needs."""
        with self._lock:
            if self._schema_applied:
                return
            self._schema_applied = True
        self._script(self.QUERIES.schema)
        statement = self.QUERIES.upsert_nodes[Label.NEED]  # directly: recovery of dead loads stays the caller's step
        with self._session() as session:
            session.execute_write(lambda tx: tx.run(statement, rows=need_rows()).consume())

    @contextmanager
    def _writer(self, expected: int = 0) -> Iterator[LoadWriter]:
        """A small write is one transaction; a big one a logged load of bounded batches (undone on error).

        A write expected to be bigger than a batch starts sending at once (see LoadWriter's `eager`)."""
        self._ensure_schema()
        try:
            recover_loads(self._session, refuse_running=False)  # before the load reads what the store holds
        except (DriverError, Neo4jError) as error:
            raise translate(self.uri, error) from None
        writer = LoadWriter(self._session, self.tx_rows, self.tx_bytes, guard=self._guarded,
                            eager=expected > self.tx_rows, lanes=self.lanes)
        try:
            yield writer
            writer.finish()
        except BaseException:
            writer.abandon()
            raise

    @contextmanager
    def _one_transaction(self) -> Iterator[_TxWriter]:
        """A change set that deletes: one transaction, rolled back if anything in it fails."""
        self._ensure_schema()
        try:
            recover_loads(self._session, refuse_running=False)
        except (DriverError, Neo4jError) as error:
            raise translate(self.uri, error) from None
        with self._session() as session, session.begin_transaction() as tx:
            yield _TxWriter(tx, self.chunk_rows)
            tx.commit()

    @contextmanager
    def _numbered_transaction(self, label: Label) -> Iterator[tuple[_TxWriter, int]]:
        """Lock the log's counter node first, so a second writer waits until this one commits."""
        self._ensure_schema()
        with self._session() as session, session.begin_transaction() as tx:
            tx.run(cypher.LOCK_COUNTER, name=str(label)).consume()
            last = tx.run(self.QUERIES.last_seq[label]).single()
            yield _TxWriter(tx, self.chunk_rows), int(last["seq"] or 0) if last else 0
            tx.commit()

    def _write_failed(self, error: BaseException) -> StoreError:
        if is_memory_refusal(error):
            return memory_refused(self.uri, error)
        if isinstance(error, ClientError) and not is_write_refusal(error):
            return StoreError(f"Neo4j rejected the load, nothing was written: {error.message}")
        return translate(self.uri, error)

    # --- load log ----------------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Undo loads whose process died (cleaning up finished ones); return their ids. Running loads stay."""
        self._ensure_schema()
        try:
            return recover_loads(self._session, refuse_running=False)
        except (DriverError, Neo4jError) as error:
            raise translate(self.uri, error) from None

    def unfinished_loads(self) -> list[LoadRecord]:
        """Loads running now or left unfinished."""
        try:
            return list_loads(lambda: self._session(write=False))
        except (DriverError, Neo4jError) as error:
            raise translate(self.uri, error) from None

    def undo_load(self, load_id: str) -> int:
        """Undo one unfinished load by its id; return the number of batches undone."""
        try:
            return undo_load(self._session, load_id)
        except (DriverError, Neo4jError) as error:
            raise translate(self.uri, error) from None

    # --- reads -------------------------------------------------------------------------------------

    def family_snapshots(self, family_ids: Iterable[str], *, sources: bool = True) -> dict[str, FamilySnapshot]:
        """Snapshots of several families in one round trip (unknown ids are left out; sources=False: without
        their sources)."""
        ids = list(dict.fromkeys(family_ids))
        if not ids:
            return {}
        result = {}
        for row in self._read(cypher.QUERIES.family_snapshots, {"family_ids": ids, "with_sources": sources}):
            involvements = row["involvements"]
            addresses = [{"involvement_id": r["id"], "need_code": c} for r in involvements for c in r["need_codes"]]
            professionals = [r["professional"] for r in (*involvements, *row["leads"]) if r["professional"]]
            result[row["family"]["id"]] = assemble.snapshot(
                row["family"], row["members"], row["relationships"], row["needs"], involvements, addresses,
                professionals, row["leads"], row["episodes"], row["sources"], row["links"])
        return result

    def search_people_many(self, searches: Sequence[Mapping[str, Any]]) -> list[list[PersonHitRecord]]:
        """Several front-door searches in one round trip (each answered as search_people would)."""
        if not searches:
            return []
        params = [self.search_params(search) for search in searches]
        rows: list[list[Row]] = [[] for _ in searches]
        for collected in self._read(cypher.QUERIES.search_people_many, {"searches": params}):
            for values in collected["rows"]:
                row = dict(zip(cypher.SEARCH_PEOPLE_COLUMNS, values, strict=True))
                rows[row["search"]].append(row)
        return [assemble.person_hits(found) for found in rows]

    def audit_log(self) -> AuditLog:
        """The append-only audit log kept in this database (or the FAMILYGRAPH_AUDIT_DB file, see use_audit_log)."""
        log = self.__dict__.get("_audit_log")
        if log is None:
            log = self.__dict__["_audit_log"] = Neo4jAuditLog(self._driver, self.database, self.uri,
                                                              read_only=self.read_only)
        return log

    def close(self) -> None:
        """Close the driver (without waiting on a server that stopped answering)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        closer = threading.Thread(target=self._driver.close, daemon=True)
        closer.start()
        closer.join(timeout=5)

