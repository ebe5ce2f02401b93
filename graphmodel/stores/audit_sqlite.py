"""The audit log in SQLite: one table that triggers keep append-only, in the embedded store's file or in an
audit file of its own (FAMILYGRAPH_AUDIT_DB), which is where it goes when the graph is read-only."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from pathlib import Path
from typing import Any

from graphmodel.audit import GENESIS, AuditEntry, AuditEvent, AuditFilter, entry_of, now_utc
from graphmodel.contract import StoreError
from graphmodel.stores.private import create_private_file, make_private_files, make_private_folder

__all__ = ["AUDIT_DDL", "SqliteAuditLog", "open_audit_file"]

BUSY_MS = 15_000
"""How long an append waits for another process's append to the same audit file."""

AUDIT_DDL = (
    """CREATE TABLE IF NOT EXISTS audit_log (
        seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL,
        family_id TEXT, detail TEXT NOT NULL, reason TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor, seq)",
    "CREATE INDEX IF NOT EXISTS audit_log_family ON audit_log (family_id, seq)",
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
)

_LAST = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
_INSERT = """INSERT INTO audit_log (seq, at, actor, role, action, family_id, detail, reason, prev_hash, hash)
    VALUES (:seq, :at, :actor, :role, :action, :family_id, :detail, :reason, :prev_hash, :hash)"""
_SELECT = """SELECT seq, at, actor, role, action, family_id, detail, reason, prev_hash, hash FROM audit_log
    WHERE (:user IS NULL OR actor = :user) AND (:family_id IS NULL OR family_id = :family_id)
      AND (:action IS NULL OR action = :action) AND (:since IS NULL OR at >= :since)
      AND (:until IS NULL OR at <= :until)
    ORDER BY seq LIMIT :limit"""


class SqliteAuditLog:
    """Append and read; the table's triggers refuse UPDATE and DELETE from anyone."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock):
        self._conn, self._lock = conn, lock
        with self._lock:
            for statement in AUDIT_DDL:
                self._conn.execute(statement)

    def append(self, event: AuditEvent) -> AuditEntry:
        """Add the event after the last entry, in its own transaction."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    last = self._conn.execute(_LAST).fetchone()
                    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
                    entry = entry_of(seq, now_utc(), event, prev)
                    self._conn.execute(_INSERT, _row(entry))
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.Error as error:
                raise StoreError(f"could not write to the audit log: {error}") from None
        return entry

    def entries(self, where: AuditFilter | None = None) -> list[AuditEntry]:
        """Entries in order, filtered."""
        w = where or AuditFilter()
        params = {"user": w.user, "family_id": w.family_id, "action": w.action, "since": w.since,
                  "until": _until(w.until), "limit": -1 if w.limit is None else w.limit}
        with self._lock:
            rows = self._conn.execute(_SELECT, params).fetchall()
        return [AuditEntry(*tuple(r)) for r in rows]


def open_audit_file(path: Path) -> SqliteAuditLog:
    """An audit log in a file of its own (0600 in a 0700 folder), shared safely by the app and the command line.

    Each append is one `BEGIN IMMEDIATE` transaction, so processes appending at once queue and the hash
    chain stays one chain.
    """
    try:
        make_private_folder(path.parent)
        create_private_file(path)
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=BUSY_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        log = SqliteAuditLog(conn, threading.RLock())
        weakref.finalize(log, conn.close)  # the file is closed with the log (or at exit)
        make_private_files(path)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(f"cannot open the audit file {path} (FAMILYGRAPH_AUDIT_DB): {error}") from None
    return log


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "at": entry.at, "actor": entry.actor, "role": entry.role, "action": entry.action,
            "family_id": entry.family_id, "detail": entry.detail, "reason": entry.reason,
            "prev_hash": entry.prev_hash, "hash": entry.hash}


def _until(until: str | None) -> str | None:
    """A date alone means the whole of that day."""
    return until + "T99" if until and len(until) == 10 else until
