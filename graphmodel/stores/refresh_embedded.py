"""Source refreshes, rollback and erasure on the embedded store: reads of whole rows and targeted changes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any

from graphmodel.changes import full_node_row, full_rel_row
from graphmodel.schema import Label, node_spec, rel_spec
from graphmodel.stores import refresh_sql
from graphmodel.stores.batching import slices

__all__ = ["EmbeddedRefreshOps"]

Row = dict[str, Any]
_CHUNK = 900


class EmbeddedRefreshOps:
    """Mixed into EmbeddedStore: node_rows and rel_rows (apply_changes is the store base's)."""

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
            for chunk in slices(values, _CHUNK):
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
