"""The embedded store: the property graph in one SQLite file, with no server to run.

One table per node label and per relationship type (generated from the schema). Every write is one
SQLite transaction, so a load is all or nothing and a crash mid-write leaves the previous state.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.audit import AuditLog
from graphmodel.contract import StoreError
from graphmodel.records import FamilySnapshot
from graphmodel.schema import Label, NodeSpec, RelSpec
from graphmodel.stores import assemble, sql
from graphmodel.stores.audit_sqlite import SqliteAuditLog
from graphmodel.stores.base import Row, StoreBase
from graphmodel.stores.batching import slices
from graphmodel.stores.private import create_private_file, make_private_files, make_private_folder
from graphmodel.stores.refresh_embedded import EmbeddedRefreshOps

__all__ = ["EmbeddedStore"]


def _expand(query: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """List parameters written {name} in the text become :name_0, :name_1, ... (SQLite has no arrays)."""
    flat = {k: v for k, v in params.items() if not isinstance(v, list | tuple)}
    for name, values in params.items():
        if isinstance(values, list | tuple):
            query = query.replace(f"{{{name}}}", ", ".join(f":{name}_{i}" for i in range(len(values))) or "NULL")
            flat.update({f"{name}_{i}": v for i, v in enumerate(values)})
    return query, flat


class _SqliteWriter:
    """Statements and upserts inside the store's open transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def run(self, statement: str) -> None:
        """Run one statement."""
        self._conn.execute(statement)

    def wipe(self, spec: NodeSpec | RelSpec, statement: str) -> None:
        """Delete a whole table (the write replaces it)."""
        self._conn.execute(statement)

    def rows(self, spec: NodeSpec | RelSpec, statement: str, rows: list[Row]) -> None:
        """Upsert rows with executemany."""
        self._conn.executemany(statement, rows)

    def each(self, statement: str, rows: list[Row]) -> None:
        """Run the statement once per row."""
        self._conn.executemany(statement, rows)


_FACT_PARTS = ("members", "needs", "involvements", "leads", "episodes")
"""The snapshot parts whose source_id names a source the family's page must show (with the family's own)."""


class EmbeddedStore(EmbeddedRefreshOps, StoreBase):
    """A GraphStore in a local SQLite file (or ':memory:')."""

    kind = "embedded"
    reads_while_writing = False
    """A load's validation must not read through another thread while this store writes (one connection)."""
    QUERIES = sql.QUERIES
    chunk_rows = 20_000
    list_chunk = 900
    write_errors = (sqlite3.Error,)

    def __init__(self, path: Path | str):
        self.path = str(path)
        if self.path != ":memory:":
            make_private_folder(Path(self.path).parent)
            create_private_file(Path(self.path))
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the embedded store at {self.path}: {error}") from None
        self._lock = threading.RLock()
        self._conn.row_factory = sqlite3.Row
        try:
            self._conn.execute("PRAGMA busy_timeout=10000")  # a reader waits for a running load, not fails
            if self._conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=OFF")
            if not self._has_tables():
                self.apply_schema()  # a new file (or new tables); an existing store is otherwise only read on open
            self._add_new_columns()
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the embedded store at {self.path}: {error}") from None
        if self.path != ":memory:":
            make_private_files(Path(self.path))

    def _has_tables(self) -> bool:
        """Whether every table of the schema exists already."""
        with self._lock:
            names = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return set(sql.TABLES) <= names

    def _add_new_columns(self) -> None:
        """Columns the schema gained since this file was made (e.g. a person's address), added empty."""
        with self._lock:
            tables = [r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            columns = {t: {r[0] for r in self._conn.execute("SELECT name FROM pragma_table_info(?)", (t,))}
                       for t in tables}
        statements = sql.added_columns_ddl(columns)
        if statements:
            self._script(statements)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _writer(self, expected: int = 0) -> Iterator[_SqliteWriter]:
        """The whole write is one SQLite transaction."""
        with self._transaction() as conn:
            yield _SqliteWriter(conn)

    def _one_transaction(self) -> AbstractContextManager[_SqliteWriter]:
        """Every write of the embedded store is one transaction already."""
        return self._writer()

    @contextmanager
    def _numbered_transaction(self, label: Label) -> Iterator[tuple[_SqliteWriter, int]]:
        """BEGIN IMMEDIATE already locks the file for writing: the last number read stays the last."""
        with self._transaction() as conn:
            last = conn.execute(self.QUERIES.last_seq[label]).fetchone()[0]
            yield _SqliteWriter(conn), int(last or 0)

    def _write_failed(self, error: BaseException) -> StoreError:
        return StoreError(f"the embedded store rejected the load, nothing was written: {error}")

    def _script(self, statements: Sequence[str]) -> None:
        """All statements in one transaction."""
        with self._transaction() as conn:
            for statement in statements:
                conn.execute(statement)

    def _read(self, query: str, params: dict[str, Any]) -> list[Row]:
        query, flat = _expand(query, params)
        with self._lock:
            return [dict(r) for r in self._conn.execute(query, flat)]

    def _frame(self, query: str, params: dict[str, Any], columns: tuple[str, ...]) -> pd.DataFrame:
        query, flat = _expand(query, params)
        with self._lock:
            cursor = self._conn.execute(query, flat)
            return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description], dtype=object)

    snapshot_chunk = 400
    """Families read together by one set of snapshot queries (their ids appear twice in one query)."""

    def _snapshots(self, family_ids: list[str], with_sources: bool = True) -> dict[str, FamilySnapshot]:
        """Snapshots of a few hundred families: one query per part for all of them, split by family."""
        q = sql.QUERIES
        part: dict[str, dict[str, list[Row]]] = {}
        for name, query in (("members", q.members), ("relationships", q.relationships), ("needs", q.person_needs),
                            ("involvements", q.family_involvements), ("leads", q.leads), ("episodes", q.episodes),
                            ("links", q.family_links)):
            rows = part[name] = defaultdict(list)
            for row in self._read(query, {"ids": family_ids}):
                rows[row["family_id"]].append(row)
        families = self._read(q.family, {"ids": family_ids})
        involvements = [r for rows in part["involvements"].values() for r in rows]
        leads = [r for rows in part["leads"].values() for r in rows]
        codes = self._read_in(q.addresses, sorted({r["id"] for r in involvements}))
        profs: dict[str, list[Row]] = defaultdict(list)
        for row in self._read_in(q.professionals, sorted({r["professional_id"] for r in (*involvements, *leads)})):
            profs[row["id"]].append(row)
        addresses: dict[str, list[Row]] = defaultdict(list)
        for row in codes:
            addresses[row["involvement_id"]].append(row)
        mine = {family["id"]: {name: rows.get(family["id"], []) for name, rows in part.items()} for family in families}
        facts = {family["id"]: {r["source_id"] for r in (family, *(r for name in _FACT_PARTS
                                                                   for r in mine[family["id"]][name]))
                                if r.get("source_id")} for family in families}
        sources: dict[str, Row] = {}
        if with_sources:
            for row in self._read_in(q.family_sources, sorted(set().union(*facts.values())), at_least_once=True):
                sources[row["id"]] = row
        result = {}
        for family in families:
            fid, parts = family["id"], mine[family["id"]]
            ids = {r["professional_id"] for r in (*parts["involvements"], *parts["leads"])}
            result[fid] = assemble.snapshot(
                family, parts["members"], parts["relationships"], parts["needs"], parts["involvements"],
                [a for i in dict.fromkeys(r["id"] for r in parts["involvements"]) for a in addresses[i]],
                [r for i in sorted(ids) for r in profs.get(i, ())], parts["leads"], parts["episodes"],
                [s for s in sources.values() if s["county_wide"] or s["id"] in facts[fid]], parts["links"])
        return result

    def family_snapshots(self, family_ids: Iterable[str], *, sources: bool = True) -> dict[str, FamilySnapshot]:
        """Snapshots of several families (unknown ids are left out; sources=False: without their sources), read a
        few hundred families at a time."""
        ids = list(dict.fromkeys(family_ids))
        if not ids:
            return {}
        result: dict[str, FamilySnapshot] = {}
        for piece in slices(ids, self.snapshot_chunk):
            result.update(self._snapshots(list(piece), sources))
        return {fid: result[fid] for fid in ids if fid in result}

    def audit_log(self) -> AuditLog:
        """The append-only audit log kept in this file (its table is made once per store object)."""
        log = self.__dict__.get("_audit_log")
        if log is None:
            log = self.__dict__["_audit_log"] = SqliteAuditLog(self._conn, self._lock)
        return log

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._conn.close()
