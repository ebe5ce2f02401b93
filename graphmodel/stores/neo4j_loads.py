"""Bounded, undoable Neo4j loads: batches committed under a load id, each with a record of what it changed.

A write that fits in one batch is one transaction, as before. A bigger one becomes a logged load: a
FamilyGraphLoad node (status running), then transactions of at most tx_rows rows / tx_bytes bytes, each
holding its changes *and* an undo record (ids it created, properties it overwrote); up to `lanes` of them in
flight at once where they do not depend on each other (load_lanes). When the last batch
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
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from neo4j import ManagedTransaction, Session, Transaction
from neo4j.exceptions import ConstraintError, Neo4jError, TransientError

from graphmodel.contract import StoreError, StoreUnavailable
from graphmodel.schema import Label, NodeSpec, RelSpec
from graphmodel.stores import cypher
from graphmodel.stores import cypher_loads as q
from graphmodel.stores.batching import slices
from graphmodel.stores.load_lanes import Batch, InFlight, spec_name
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


DEADLOCK = "DeadlockDetected"
"""The server failed one of two transactions waiting on each other's locks (the batch is tried again)."""
MAX_DEADLOCK_RETRIES = 5


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


def _as_table(rows: Sequence[Row], columns: tuple[str, ...]) -> list[Sequence[Any]] | None:
    """The rows as lists in the columns' order (smaller on the wire than maps); None if a row has another key."""
    if len(columns) > 1 and set(map(len, rows)) <= {len(columns)}:
        try:  # every row holds exactly the columns (the usual case): picked in C
            return list(map(itemgetter(*columns), rows))
        except KeyError:  # as many keys, but another one
            return None
    allowed = frozenset(columns)
    if not all(allowed.issuperset(row) for row in rows):
        return None
    return [[row.get(column) for column in columns] for row in rows]


@dataclass(frozen=True, slots=True)
class UndoRecord:
    """What one statement of a batch changed: created ids or keys, and before-images of what it overwrote."""

    kind: str
    spec: str
    created: list[Any]
    before: list[Any]


def _written(spec: NodeSpec | RelSpec, rows: Sequence[Row], before: list[Any]) -> UndoRecord:
    """The undo record of an upsert: what existed before (the server's answer) and what the rows created (the
    rest, worked out here, so the ids of a fresh load are not sent back and forth)."""
    if isinstance(spec, NodeSpec):
        existed = {b["id"] for b in before}
        return UndoRecord("node", spec_name(spec), [row["id"] for row in rows if row["id"] not in existed], before)
    key = spec.key
    had = {(b["src"], b["dst"], *(b["key"][k] for k in key)) for b in before}
    created = [{"src": row["src"], "dst": row["dst"], "key": {k: row[k] for k in key}} for row in rows
               if (row["src"], row["dst"], *(row[k] for k in key)) not in had]
    return UndoRecord("rel", spec_name(spec), created, before)


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
                 guard: Guard = _unguarded, *, eager: bool = False, lanes: int = 2) -> None:
        """eager: the write is known to be bigger than one batch (a logged load whatever happens), so whatever rows
        are queued go to the server whenever a lane has nothing in hand, instead of waiting for a full batch: the
        server starts while the first files are still being validated, and batches grow to tx_rows as it
        falls behind. lanes: how many batches may be in flight at once, each in its own transaction (see
        load_lanes for which may run side by side)."""
        self._sessions = session_factory
        self._guard = guard
        self._unreachable = False
        self._tx_rows, self._tx_bytes = tx_rows, tx_bytes
        self._eager = eager
        self._lanes = max(1, lanes)
        self._queue_lock = threading.Lock()
        self._dispatch_lock = threading.Lock()
        self._wipes: list[tuple[NodeSpec | RelSpec, str]] = []
        self._pending: Batch = []
        self._pending_labels: set[str] = set()
        self._rows = self._bytes = self._logged = 0
        self.load_id: str | None = None
        self._session: Session | None = None
        self._committer: ThreadPoolExecutor | None = None
        self._inflight: list[InFlight] = []
        self._stopped = False
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
        if isinstance(spec, RelSpec) and self._pending_labels & {Label(spec.start).value, Label(spec.end).value}:
            self._flush()  # the nodes go first, in a batch of their own: the next lane can then take these rows
        size = _estimate_bytes(rows)
        step = len(rows) if size <= self._tx_bytes else max(1, len(rows) * self._tx_bytes // size)
        for piece in slices(rows, step):
            with self._queue_lock:
                self._pending.append((spec, statement, piece))
                if isinstance(spec, NodeSpec):
                    self._pending_labels.add(spec.label.value)
                self._rows += len(piece)
                self._bytes += size * len(piece) // max(len(rows), 1)
                full = self._rows >= self._tx_rows or self._bytes >= self._tx_bytes
            if full:
                self._flush()
        if self._eager and self._pending and self._lane_free():
            self._flush()

    def _take_pending(self) -> Batch:
        """Empty the queue, returning what it held."""
        with self._queue_lock:
            batch, self._pending, self._rows, self._bytes = self._pending, [], 0, 0
            self._pending_labels = set()
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

    def _begin(self) -> None:
        """Register the load and delete what it replaces (before any row), then open its lanes."""
        if self._session is None:
            self._start()
        if self._wipes:
            self._wipe_logged()
        self._committer = ThreadPoolExecutor(max_workers=self._lanes, thread_name_prefix="neo4j-load")

    def _lane_free(self) -> bool:
        """Whether fewer batches than lanes are in flight."""
        return sum(not sent.future.done() for sent in self._inflight) < self._lanes

    def _flush(self) -> None:
        """Hand the queued rows to a lane, once one is free (the server writes while this thread validates and
        converts the next rows; at most `lanes` batches in flight, so memory stays bounded)."""
        with self._dispatch_lock:
            while True:
                self._reap()
                if len(self._inflight) < self._lanes:
                    break
                wait([sent.future for sent in self._inflight], return_when=FIRST_COMPLETED)
            self._dispatch()

    def _reap(self) -> None:
        """Forget committed batches; a failed one's error is raised here."""
        done = [sent for sent in self._inflight if sent.future.done()]
        self._inflight = [sent for sent in self._inflight if not sent.future.done()]
        for sent in done:
            sent.future.result()

    def _dispatch(self) -> None:
        """Send the queue as one batch (under the dispatch lock, a lane free), after the batches it must follow."""
        if self._committer is None:
            self._guarded(self._begin)
        assert self._committer is not None
        batch = self._take_pending()
        if not batch:
            return
        sent = InFlight.of(batch)
        after = [earlier.future for earlier in self._inflight if sent.must_follow(earlier)]
        sent.future = self._committer.submit(self._guarded, lambda: self._commit_batch(batch, after))
        self._inflight.append(sent)
        if self._eager:
            sent.future.add_done_callback(self._lane_came_free)

    def _lane_came_free(self, _done: Future[Any]) -> None:
        """Eager: a lane came free, so what was queued meanwhile goes now (unless the loading thread is sending
        already, or a batch failed)."""
        if self._stopped or not self._pending or not self._dispatch_lock.acquire(blocking=False):
            return
        try:
            if any(s.future.done() and s.future.exception() for s in self._inflight):
                return
            self._inflight = [sent for sent in self._inflight if not sent.future.done()]
            if len(self._inflight) < self._lanes:
                self._dispatch()
        finally:
            self._dispatch_lock.release()

    def _settle(self) -> None:
        """Wait for every batch in flight; the first error, if any, is raised here."""
        with self._dispatch_lock:
            inflight, self._inflight = self._inflight, []
        wait([sent.future for sent in inflight])
        for sent in inflight:
            sent.future.result()

    def _guarded(self, call: Callable[[], Any]) -> Any:
        """Run a call through the guard, remembering a server that stopped answering (nothing more is tried)."""
        try:
            return self._guard(call)
        except StoreUnavailable:
            self._unreachable = True
            raise

    def _commit_batch(self, batch: Batch, after: list[Future[Any]]) -> None:
        """One batch with its undo records in one transaction of its own session, once the batches it must
        follow have committed."""
        for earlier in after:
            if earlier.exception() is not None:
                raise StoreError("an earlier batch of this load failed; this one was not written")
        with self._sessions() as session:
            self._commit_one(session, batch)

    def _commit_one(self, session: Session, batch: Batch) -> None:
        """One batch in one transaction; written again with before-images if a fresh upsert found rows there,
        and tried again if the server broke a deadlock with another lane by failing it."""
        deadlocks = 0
        while True:
            try:
                with session.begin_transaction() as tx:
                    records = [self._write(tx, spec, rows) for spec, _statement, rows in batch]
                    self._log(tx, records)
                    tx.commit()
                return
            except _FoundExisting as found:  # rolled back: nothing of this try is kept
                log.info("load %s: %s already held some of its rows; written with before-images from now on",
                         self.load_id, found.name)
                self._fresh[found.name] = False
            except TransientError as error:
                if DEADLOCK not in (error.code or "") or deadlocks >= MAX_DEADLOCK_RETRIES:
                    raise
                deadlocks += 1
                log.info("load %s: a batch met a deadlock with another lane; trying it again", self.load_id)
                time.sleep(0.05 * deadlocks)

    def _write(self, tx: Transaction, spec: NodeSpec | RelSpec, rows: Sequence[Row]) -> UndoRecord:
        """Write a spec's rows; return the undo record of what they changed.

        While a spec's rows have all been new (its label or type held nothing when the load first wrote it, and
        every batch since created all it wrote), they are written fresh, without reading before-images: nodes
        are created (their label's uniqueness constraint fails the transaction if an id is already there) and
        relationships merged counting those found. If anything was already there the transaction is rolled
        back (_FoundExisting) and the spec is written with before-images from then on.
        """
        name = spec_name(spec)
        fresh = self._fresh.get(name)
        if fresh is None:
            fresh = self._fresh.setdefault(name, self._may_be_fresh(tx, spec))
        table = _as_table(rows, q.fresh_columns(spec)) if fresh else None
        if table is None:
            return _written(spec, rows, tx.run(_logged_statement(spec), rows=rows).single(strict=True)["before"])
        if isinstance(spec, NodeSpec):
            try:
                tx.run(q.FRESH_NODES[spec.label], rows=table).consume()
            except ConstraintError as error:
                raise _FoundExisting(name) from error
            return UndoRecord("node", name, list(map(itemgetter(0), table)), [])
        if tx.run(q.FRESH_RELS[spec.name], rows=table).single(strict=True)["matched"]:
            raise _FoundExisting(name)
        return UndoRecord("fresh_rel", name, [row[:2 + len(spec.key)] for row in table], [])

    def _may_be_fresh(self, tx: Transaction, spec: NodeSpec | RelSpec) -> bool:
        """Whether a spec's label or type holds nothing yet (and, for nodes, the server keeps their ids unique)."""
        if isinstance(spec, NodeSpec):
            if spec.label.value not in self._unique_labels:
                return False
            query = cypher.count_nodes(spec.label)
        else:
            query = q.count_rels_into(spec)
        return bool(tx.run(query).single(strict=True)["n"] == 0)

    def _log(self, tx: Transaction, records: list[UndoRecord]) -> int:
        """Last in every transaction of the load: claim the load (lock it, then check no undo began: else nothing
        of the batch is kept) and store the batch's undo records, numbered in commit order after those before;
        returns the size of what they record in characters of JSON (compressed when stored).

        The lock is taken at the end, so lanes write side by side and queue only to log and commit; an undo
        that starts meanwhile waits for every batch that has claimed, and a batch that claims after it began
        writes nothing."""
        claim = tx.run(q.CLAIM_LOAD, load=self.load_id, now=time.time()).single()
        if claim is None or claim["status"] != "running":
            raise StoreError(f"load {self.load_id} was undone while it ran; nothing more of it is written")
        seq, size = int(claim["batches"] or 0), 0
        for record in records:
            seq += 1
            (created_text, created_size), (before_text, before_size) = pack(record.created), pack(record.before)
            tx.run(q.LOG_BATCH, load=self.load_id, seq=seq, now=time.time(), kind=record.kind, spec=record.spec,
                   created=created_text, before=before_text).consume()
            size += created_size + before_size
        with self._queue_lock:
            self._logged += len(records)
        return size

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
                    deleted = tx.run(statement, limit=limit).single(strict=True)["deleted"]
                    if not deleted:
                        return 0
                    logged = self._log(tx, [UndoRecord(kind, name, [], deleted)])
                    tx.commit()
                    return logged
            except Exception as error:
                if not is_memory_refusal(error) or limit == 1:
                    raise
                limit = max(1, limit // 4)

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
        log.info("load %s committed (%d statements)", self.load_id, self._logged)
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
        self._stopped = True
        self._take_pending()  # nothing more is sent
        try:
            self._settle()  # the batches in flight commit or fail before anything is undone
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
