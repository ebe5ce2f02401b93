"""Source refreshes, rollback and erasure on the embedded store: reads of whole rows and targeted changes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from graphmodel.changes import ChangeSet, full_node_row, full_rel_row
from graphmodel.contract import ProgressFn, StoreError
from graphmodel.schema import NODES, RELS, Label, node_spec, rel_spec
from graphmodel.stores import refresh_sql, sql
from graphmodel.stores.taxonomy_rows import need_rows

__all__ = ["EmbeddedRefreshOps"]

Row = dict[str, Any]
_CHUNK = 900


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


class EmbeddedRefreshOps:
    """Mixed into EmbeddedStore: node_rows, rel_rows and apply_changes (see graphmodel.changes)."""

    _conn: sqlite3.Connection
    _lock: threading.RLock
    _transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def _select(self, make: Callable[[str | None, int], str], filters: dict[str, Iterable[str] | None]) -> list[Row]:
        given = [(by, list(dict.fromkeys(v))) for by, v in filters.items() if v is not None]
        with self._lock:
            if not given:
                return [dict(r) for r in self._conn.execute(make(None, 0))]
            by, values = given[0]
            rows: list[Row] = []
            for chunk in _chunks(values):
                rows += [dict(r) for r in self._conn.execute(make(by, len(chunk)), chunk)]
            return rows

    def node_rows(self, label: Label, *, ids: Iterable[str] | None = None,
                  sources: Iterable[str] | None = None) -> list[Row]:
        """Full rows of nodes of a label, by id or source (neither: all), sorted by id."""
        spec = node_spec(label)
        rows = self._select(lambda by, n: refresh_sql.node_rows(spec, by, n), {"ids": ids, "sources": sources})
        return sorted((full_node_row(spec, r) for r in rows), key=lambda r: r["id"])

    def rel_rows(self, name: str, *, src_ids: Iterable[str] | None = None, dst_ids: Iterable[str] | None = None,
                 sources: Iterable[str] | None = None) -> list[Row]:
        """Full rows of relationships of a spec, by start, end or source (none: all), sorted."""
        spec = rel_spec(name)
        if sources is not None and "source_id" not in spec.properties:
            return []
        rows = self._select(lambda by, n: refresh_sql.rel_rows(spec, by, n),
                            {"src_ids": src_ids, "dst_ids": dst_ids, "sources": sources})
        full = [full_rel_row(spec, r) for r in rows]
        return sorted(full, key=lambda r: tuple(str(r[k]) for k in ("src", "dst", *spec.key)))

    def apply_changes(self, changes: ChangeSet, progress: ProgressFn | None = None) -> None:
        """Clear (if asked), delete, then upsert, all in one transaction."""
        total, done = max(changes.size(), 1), 0
        try:
            with self._transaction() as conn:
                if changes.clear:
                    for spec in NODES:
                        if spec.label is not Label.NEED:
                            conn.execute(f"DELETE FROM {sql.node_table(spec.label)}")  # noqa: S608
                    conn.execute(f"DELETE FROM {sql.node_table(Label.EXTRACT)}")  # noqa: S608
                    for rspec in RELS:
                        conn.execute(f"DELETE FROM {sql.rel_table(rspec.name)}")  # noqa: S608
                    conn.executemany(sql.upsert_node_sql(node_spec(Label.NEED)), need_rows())
                for name, rows in changes.rel_deletes.items():
                    dspec = rel_spec(name)
                    conn.executemany(refresh_sql.delete_rel(dspec), [full_rel_row(dspec, r) for r in rows])
                    done += len(rows)
                for label, ids in changes.node_deletes.items():
                    node_spec(label)
                    for statement in refresh_sql.delete_node_rels(Label(label)):
                        conn.executemany(statement, [(i,) for i in ids])
                    conn.executemany(refresh_sql.delete_nodes(Label(label)), [(i,) for i in ids])
                    done += len(ids)
                for label, rows in changes.node_upserts.items():
                    nspec = node_spec(label)
                    conn.executemany(sql.upsert_node_sql(nspec), [full_node_row(nspec, r) for r in rows])
                    done += len(rows)
                    if progress:
                        progress(done, total)
                for name, rows in changes.rel_upserts.items():
                    rspec = rel_spec(name)
                    conn.executemany(sql.upsert_rel_sql(rspec), [full_rel_row(rspec, r) for r in rows])
                    done += len(rows)
                    if progress:
                        progress(done, total)
        except sqlite3.Error as error:
            raise StoreError(f"the embedded store rejected the change, nothing was written: {error}") from None
