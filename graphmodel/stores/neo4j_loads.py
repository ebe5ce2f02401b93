"""Bounded, undoable Neo4j loads: batches committed under a load id, each with a record of what it changed.

A write that fits in one batch is one transaction, as before. A bigger one becomes a logged load: a
FamilyGraphLoad node (status running), then transactions of at most tx_rows rows / tx_bytes bytes, each
holding its changes *and* an undo record (ids it created, properties it overwrote). When the last batch
is in, the load is marked committed and its undo records are dropped. A load that fails is undone at
once; one whose process died is undone by the next load or `familygraph init` (recover), or by
`familygraph load --undo LOAD_ID` (undo). See docs/neo4j-loads.md for the exact guarantee.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction, Session, Transaction
from neo4j.exceptions import ConstraintError, Neo4jError

from graphmodel.contract import StoreError, StoreUnavailable
from graphmodel.schema import Label, NodeSpec, RelSpec
from graphmodel.stores import cypher
from graphmodel.stores import cypher_loads as q
from graphmodel.stores.batching import slices
from graphmodel.stores.neo4j_connect import is_memory_refusal
from graphmodel.stores.undo_codec import pack, unpack

__all__ = ["LoadRecord", "LoadWriter", "list_loads", "recover_loads", "undo_load"]

log = logging.getLogger(__name__)

_ACTIVE: set[str] = set()
"""Loads running in this process."""

STALE_SECONDS = 600.0
"""A running load on another machine whose heartbeat is older than this is taken as dead."""

Row = dict[str, Any]
SessionFactory = Callable[[], Session]
Guard = Callable[[Callable[[], Any]], Any]
"""Runs a call against the server, failing it if the server stops answering (Neo4jStore._guarded)."""


def _unguarded(call: Callable[[], Any]) -> Any:
    return call()


@dataclass(frozen=True, slots=True)
class LoadRecord:
    """A load that has not finished: its id, state and owner."""

    id: str
    status: str
    started_at: float
    heartbeat: float
    host: str
    pid: int
    batches: int

    def owner_alive(self) -> bool:
        """Whether the process that runs this load may still be running."""
        if self.id in _ACTIVE:
            return True
        if self.host == socket.gethostname():
            if self.pid == os.getpid():
                return False
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                return True
            return True
        return time.time() - self.heartbeat < STALE_SECONDS


def _estimate_bytes(rows: list[Row]) -> int:
    """About how many bytes the rows take on the wire (from a sample)."""
    sample = rows[:16]
    if not sample:
        return 0
    return len(rows) * sum(len(repr(r)) for r in sample) // len(sample)


def _logged_statement(spec: NodeSpec | RelSpec) -> str:
    """The logged upsert of a spec (it returns what existed before)."""
    return q.LOGGED_NODES[spec.label] if isinstance(spec, NodeSpec) else q.LOGGED_RELS[spec.name]


def _spec_name(spec: NodeSpec | RelSpec) -> str:
    """The name a spec's undo records go under (its label, or its relationship spec's name)."""
    return spec.label.value if isinstance(spec, NodeSpec) else spec.name


def _as_table(rows: Sequence[Row], columns: tuple[str, ...]) -> list[list[Any]] | None:
    """The rows as lists in the columns' order (smaller on the wire than maps); None if a row has another key."""
    allowed = frozenset(columns)
    if not all(allowed.issuperset(row) for row in rows):
        return None
    return [[row.get(column) for column in columns] for row in rows]


class _FoundExisting(Exception):
    """A fresh upsert found some of its rows already there (the transaction is rolled back and written again)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def list_loads(session_factory: SessionFactory) -> list[LoadRecord]:
    """Loads that have not finished (running, being undone, or committed but not cleaned up)."""
    with session_factory() as session:
        rows = [r.data() for r in session.run(q.LOADS)]
    return [LoadRecord(r["id"], r["status"], float(r["started_at"] or 0), float(r["heartbeat"] or 0),
                       r["host"] or "", int(r["pid"] or 0), int(r["batches"] or 0)) for r in rows]


def _undo_one(tx: ManagedTransaction, record: Row) -> None:
    """Reverse one batch: delete what it created, restore what it overwrote or wiped."""
    created, before = unpack(record["created"]), unpack(record["before"])
    kind, spec = record["kind"], record["spec"]
    if kind in ("wiped_node", "wiped_rel"):
        delete, restore = "", q.UNDO_WIPED_NODES[Label(spec)] if kind == "wiped_node" else q.UNDO_WIPED_RELS[spec]
    elif kind == "fresh_rel":
        delete, restore = q.UNDO_FRESH_RELS[spec], ""
    else:
        delete, restore = q.UNDO_NODES[Label(spec)] if kind == "node" else q.UNDO_RELS[spec]
    if created:
        tx.run(delete, created=created).consume()
    if before:
        tx.run(restore, before=before).consume()
    tx.run(q.DROP_UNDO, ref=record["ref"]).consume()


def undo_load(session_factory: SessionFactory, load_id: str, *, force: bool = False) -> int:
    """Undo an unfinished load, newest batch first, one transaction per batch; return batches undone.

    Safe to repeat after an interruption: each batch's undo and the removal of its record commit together.
    A load already marked committed is only cleaned up (it finished; there is nothing to undo). A load
    whose process is still running is refused unless force is given (its own failure handler forces).
    """
    loads = {load.id: load for load in list_loads(session_factory)}
    if load_id not in loads:
        raise StoreError(f"there is no unfinished load {load_id!r} (a load that finished cannot be undone; "
                         "its undo record is dropped when it commits)")
    load = loads[load_id]
    if not force and load.status == "running" and load.owner_alive():
        raise StoreError(f"load {load_id} is still running (process {load.pid} on {load.host}); stop it first, "
                         "and it undoes itself")
    undone = 0
    with session_factory() as session:
        if loads[load_id].status != "committed":
            session.run(q.MARK_UNDOING, load=load_id, now=time.time()).consume()
            while True:
                found = session.run(q.NEXT_UNDO, load=load_id).data()
                if not found:
                    break
                session.execute_write(_undo_one, found[0])
                undone += 1
        _drop_log(session, load_id)
    log.info("load %s: %d batch(es) undone", load_id, undone)
    return undone


def _drop_log(session: Session, load_id: str) -> None:
    """Delete a load's undo records in small transactions, then the load itself."""
    while session.run(q.DROP_LOG, load=load_id).single(strict=True)["deleted"]:
        pass
    session.run(q.DROP_LOAD, load=load_id).consume()


def recover_loads(session_factory: SessionFactory, refuse_running: bool = True) -> list[str]:
    """Finish what dead loads left: undo unfinished ones, clean up committed ones; return their ids.

    A load whose process is alive (or that beat recently, from another machine) is left alone; with
    refuse_running, its presence raises StoreError instead (two big loads never interleave).
    """
    done = []
    for load in list_loads(session_factory):
        if load.status == "running" and load.owner_alive():
            if not refuse_running:
                continue
            raise StoreError(f"another load ({load.id}, started {time.ctime(load.started_at)} on {load.host}) is "
                             f"still running; wait for it, or undo it with 'familygraph load --undo {load.id}'")
        if load.status != "committed":
            log.warning("undoing unfinished load %s (%d batches)", load.id, load.batches)
        undo_load(session_factory, load.id)
        done.append(load.id)
    return done


class LoadWriter:
    """Collects a write's statements and rows; one transaction if it is small, a logged load if not."""

    def __init__(self, session_factory: SessionFactory, tx_rows: int, tx_bytes: int,
                 guard: Guard = _unguarded, *, eager: bool = False) -> None:
        """eager: the write is known to be bigger than one batch (a logged load whatever happens), so whatever rows
        are queued go to the server whenever it has nothing in hand, instead of waiting for a full batch: the
        server starts while the first files are still being validated, and batches grow to tx_rows as it
        falls behind."""
        self._sessions = session_factory
        self._guard = guard
        self._unreachable = False
        self._tx_rows, self._tx_bytes = tx_rows, tx_bytes
        self._eager = eager
        self._queue_lock = threading.Lock()
        self._wipes: list[tuple[NodeSpec | RelSpec, str]] = []
        self._pending: list[tuple[NodeSpec | RelSpec, str, Sequence[Row]]] = []
        self._rows = self._bytes = self._seq = 0
        self.load_id: str | None = None
        self._session: Session | None = None
        self._committer: ThreadPoolExecutor | None = None
        self._inflight: Future[Any] | None = None
        self._fresh: dict[str, bool] = {}
        """Per label or relationship spec: whether its rows are still written without before-images."""
        self._unique_labels: set[str] = set()
        """Labels whose ids the server keeps unique (read when the load starts)."""

    def wipe(self, spec: NodeSpec | RelSpec, statement: str) -> None:
        """Delete all of a label or relationship spec before the rows (derived data replaced whole).

        In a write that fits one transaction the statement runs there; in a logged load the data is deleted
        in bounded batches before the first rows, each batch logging what it deleted so an undo restores it.
        """
        self._wipes.append((spec, statement))

    def rows(self, spec: NodeSpec | RelSpec, statement: str, rows: list[Row]) -> None:
        """Queue rows; commit a batch once the queue holds tx_rows rows or tx_bytes bytes (rows that are big
        each, such as the parts of an extract's undo, are queued a few at a time)."""
        size = _estimate_bytes(rows)
        step = len(rows) if size <= self._tx_bytes else max(1, len(rows) * self._tx_bytes // size)
        for piece in slices(rows, step):
            with self._queue_lock:
                self._pending.append((spec, statement, piece))
                self._rows += len(piece)
                self._bytes += size * len(piece) // max(len(rows), 1)
                full = self._rows >= self._tx_rows or self._bytes >= self._tx_bytes
            if full:
                self._flush()
        if self._eager and self._pending and (self._inflight is None or self._inflight.done()):
            self._flush()

    def _take_pending(self) -> list[tuple[NodeSpec | RelSpec, str, Sequence[Row]]]:
        """Empty the queue, returning what it held."""
        with self._queue_lock:
            batch, self._pending, self._rows, self._bytes = self._pending, [], 0, 0
        return batch

    def _start(self) -> Session:
        """Undo what dead loads left, then register this load."""
        recover_loads(self._sessions)
        self.load_id = str(uuid.uuid4())
        _ACTIVE.add(self.load_id)
        self._session = self._sessions()
        try:
            self._unique_labels = {r["label"] for r in self._session.run(q.UNIQUE_IDS)}
        except Neo4jError as error:  # not allowed to list constraints: every batch reads its before-images
            log.info("load %s: constraints not listed (%s); no fresh writes", self.load_id, error.code)
        self._session.run(q.START, id=self.load_id, now=time.time(), host=socket.gethostname(),
                          pid=os.getpid()).consume()
        log.info("load %s started (undo with: familygraph load --undo %s)", self.load_id, self.load_id)
        return self._session

    def _flush(self) -> None:
        """Hand the queued rows to the committing thread, once it has committed the batch before.

        So the server writes one batch while this thread validates and converts the next (one batch in
        flight at most: memory stays bounded, and batches commit in order).
        """
        batch = self._take_pending()
        self._settle()
        if self._committer is None:
            if self._wipes:  # before any row: the replaced data goes first, batch by batch
                self._guarded(self._wipe_logged)
            self._committer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-load")
        self._inflight = self._committer.submit(self._guarded, lambda: self._commit_batch(batch))

    def _settle(self) -> None:
        """Wait for the batch in flight; its error, if any, is raised here."""
        inflight, self._inflight = self._inflight, None
        if inflight is not None:
            inflight.result()

    def _guarded(self, call: Callable[[], Any]) -> Any:
        """Run a call through the guard, remembering a server that stopped answering (nothing more is tried)."""
        try:
            return self._guard(call)
        except StoreUnavailable:
            self._unreachable = True
            raise

    def _commit_batch(self, batch: list[tuple[NodeSpec | RelSpec, str, Sequence[Row]]]) -> None:
        """One batch with its undo records, after checking the load is still running (one transaction); then,
        for an eager writer, whatever was queued meanwhile, batch after batch, until the queue is empty."""
        session = self._session or self._start()
        while batch:
            self._commit_one(session, batch)
            batch = self._take_pending() if self._eager else []

    def _commit_one(self, session: Session, batch: list[tuple[NodeSpec | RelSpec, str, Sequence[Row]]]) -> None:
        """One batch in one transaction; written again with before-images if a fresh upsert found rows there."""
        while True:
            try:
                with session.begin_transaction() as tx:
                    self._claim(tx)
                    for spec, _statement, rows in batch:
                        self._write(tx, spec, rows)
                    tx.commit()
                return
            except _FoundExisting as found:  # rolled back: nothing of this try is kept
                log.info("load %s: %s already held some of its rows; written with before-images from now on",
                         self.load_id, found.name)
                self._fresh[found.name] = False

    def _write(self, tx: Transaction, spec: NodeSpec | RelSpec, rows: Sequence[Row]) -> None:
        """Write a spec's rows with the undo record of what they change.

        While a spec's rows have all been new (its label or type held nothing when the load first wrote it, and
        every batch since created all it wrote), they are written fresh, without reading before-images: nodes
        are created (their label's uniqueness constraint fails the transaction if an id is already there) and
        relationships merged counting those found. If anything was already there the transaction is rolled
        back (_FoundExisting) and the spec is written with before-images from then on.
        """
        name = _spec_name(spec)
        fresh = self._fresh.get(name)
        if fresh is None:
            fresh = self._fresh[name] = self._may_be_fresh(tx, spec)
        table = _as_table(rows, q.fresh_columns(spec)) if fresh else None
        if table is None:
            self._log_written(tx, spec, rows, tx.run(_logged_statement(spec), rows=rows).single(strict=True)["before"])
            return
        if isinstance(spec, NodeSpec):
            try:
                tx.run(q.FRESH_NODES[spec.label], rows=table).consume()
            except ConstraintError as error:
                raise _FoundExisting(name) from error
            self._log(tx, "node", name, [row[0] for row in table], [])
            return
        if tx.run(q.FRESH_RELS[spec.name], rows=table).single(strict=True)["matched"]:
            raise _FoundExisting(name)
        self._log(tx, "fresh_rel", name, [row[:2 + len(spec.key)] for row in table], [])

    def _may_be_fresh(self, tx: Transaction, spec: NodeSpec | RelSpec) -> bool:
        """Whether a spec's label or type holds nothing yet (and, for nodes, the server keeps their ids unique)."""
        if isinstance(spec, NodeSpec):
            if spec.label.value not in self._unique_labels:
                return False
            query = cypher.count_nodes(spec.label)
        else:
            query = q.count_rels_into(spec)
        return bool(tx.run(query).single(strict=True)["n"] == 0)

    def _claim(self, tx: Transaction) -> None:
        """First in every transaction of the load: lock it, and write nothing if it was undone meanwhile (this
        process was cut off from a frozen server)."""
        if not tx.run(q.CLAIM_LOAD, load=self.load_id, now=time.time()).single(strict=True)["n"]:
            raise StoreError(f"load {self.load_id} was undone while it ran; nothing more of it is written")

    def _log(self, tx: Transaction, kind: str, name: str, created: list[Any], before: list[Any]) -> int:
        """The undo record of one statement of the load, in its transaction, numbered after the one before;
        returns the size of what it records in characters of JSON (compressed when stored)."""
        self._seq += 1
        (created_text, created_size), (before_text, before_size) = pack(created), pack(before)
        tx.run(q.LOG_BATCH, load=self.load_id, seq=self._seq, now=time.time(), kind=kind, spec=name,
               created=created_text, before=before_text).consume()
        return created_size + before_size

    def _wipe_logged(self) -> None:
        """Delete what the write replaces in batches of at most tx_rows, relationships before nodes, logging each."""
        session = self._session or self._start()
        ordered = sorted(self._wipes, key=lambda wiped: isinstance(wiped[0], NodeSpec))
        for spec, _statement in ordered:
            if isinstance(spec, NodeSpec):
                kind, name, statement = "wiped_node", spec.label.value, q.LOGGED_WIPE_NODES[spec.label]
            else:
                kind, name, statement = "wiped_rel", spec.name, q.LOGGED_WIPE_RELS[spec.name]
            limit = 4 if isinstance(spec, NodeSpec) and spec.big else self._tx_rows
            while deleted := self._wipe_bite(session, kind, name, statement, limit):
                if deleted > self._tx_bytes:  # big values (undo parts): fewer per bite, by bytes as well as rows
                    limit = max(1, limit * self._tx_bytes // deleted)

    def _wipe_bite(self, session: Session, kind: str, name: str, statement: str, limit: int) -> int:
        """Delete and log at most `limit` of a wiped spec in one transaction; return the bytes logged (0 when
        nothing was left). A bite the server refuses for memory is retried a quarter the size."""
        while True:
            try:
                with session.begin_transaction() as tx:
                    self._claim(tx)
                    deleted = tx.run(statement, limit=limit).single(strict=True)["deleted"]
                    if not deleted:
                        return 0
                    logged = self._log(tx, kind, name, [], deleted)
                    tx.commit()
                    return logged
            except Exception as error:
                if not is_memory_refusal(error) or limit == 1:
                    raise
                limit = max(1, limit // 4)

    def _log_written(self, tx: Transaction, spec: NodeSpec | RelSpec, rows: Sequence[Row], before: list[Any]) -> None:
        """Record what an upsert changed: what existed before (the server's answer) and what the rows created (the
        rest, worked out here, so the ids of a fresh load are not sent back and forth)."""
        if isinstance(spec, NodeSpec):
            existed = {b["id"] for b in before}
            created: list[Any] = [row["id"] for row in rows if row["id"] not in existed]
            self._log(tx, "node", spec.label.value, created, before)
            return
        key = spec.key
        had = {(b["src"], b["dst"], *(b["key"][k] for k in key)) for b in before}
        created = [{"src": row["src"], "dst": row["dst"], "key": {k: row[k] for k in key}} for row in rows
                   if (row["src"], row["dst"], *(row[k] for k in key)) not in had]
        self._log(tx, "rel", spec.name, created, before)

    def finish(self) -> None:
        """Commit the rest: as one transaction if nothing was committed yet and what it replaces is small too,
        else as the last batch of a logged load."""
        if self._committer is None:  # no batch was handed over: the rows fitted in one
            if self._guarded(self._fits_one_transaction):
                self._guarded(self._commit_whole)
                return
            self._flush()  # a small write replacing much (`load --clear` of a small folder): logged batches
        if self._pending:
            self._flush()
        self._settle()
        session = self._session
        assert session is not None
        self._guarded(lambda: session.run(q.MARK_COMMITTED, load=self.load_id, now=time.time()).consume())
        log.info("load %s committed (%d statements)", self.load_id, self._seq)
        load_id = self.load_id
        assert load_id is not None
        self.load_id = None  # committed: nothing below may undo it
        try:
            self._guard(lambda: _drop_log(session, load_id))
        except Exception as error:  # the load stands; the next load or `init` removes its undo records
            log.warning("load %s committed, but its undo records are not removed yet (%s)", load_id, error)
        finally:
            _ACTIVE.discard(load_id)
            self.close()

    def _fits_one_transaction(self) -> bool:
        """Whether the rows and everything the wipes would delete fit one batch (a big-valued node, such as a part
        of an extract's undo, counts as a twentieth of a batch)."""
        if not self._wipes:
            return True
        held = 0
        with self._sessions() as session:
            for spec, _statement in self._wipes:
                query = cypher.count_nodes(spec.label) if isinstance(spec, NodeSpec) else cypher.count_rels(spec.type)
                weight = max(1, self._tx_rows // 20) if isinstance(spec, NodeSpec) and spec.big else 1
                held += session.run(query).single(strict=True)["n"] * weight
        return held + self._rows <= self._tx_rows

    def _commit_whole(self) -> None:
        """The whole write as one transaction (it fitted in one batch)."""
        with self._sessions() as session, session.begin_transaction() as tx:
            for _spec, statement in self._wipes:
                tx.run(statement).consume()
            for _spec, statement, rows in self._pending:
                tx.run(statement, rows=rows).consume()
            tx.commit()

    def abandon(self) -> None:
        """The write failed: undo what it committed (left for recovery if the server cannot be reached)."""
        try:
            self._settle()  # the batch in flight commits or fails before anything is undone
        except Exception as error:
            log.warning("the last batch of load %s failed too (%s)", self.load_id, error)
        load_id = self.load_id
        if self._unreachable:  # its session is stuck with the server: leave the undo to the next start
            _ACTIVE.discard(load_id or "")
            log.error("Neo4j stopped answering during load %s; the next load or 'familygraph init' undoes it",
                      load_id)
            return
        try:
            self._guard(self.close)
            if load_id is not None:
                self._guard(lambda: undo_load(self._sessions, load_id, force=True))
        except Exception as error:
            log.error("could not undo load %s now (%s); the next load or 'familygraph init' will", load_id, error)

    def close(self) -> None:
        """Release the session and the committing thread."""
        _ACTIVE.discard(self.load_id or "")
        if self._committer is not None:
            self._committer.shutdown(wait=False)
            self._committer = None
        if self._session is not None:
            self._session.close()
            self._session = None
