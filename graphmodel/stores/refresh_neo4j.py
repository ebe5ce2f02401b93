"""Source refreshes, rollback and erasure on Neo4j: reads of whole rows (the writes are the store base's)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from graphmodel.changes import full_node_row, full_rel_row
from graphmodel.schema import Label, node_spec, rel_spec
from graphmodel.stores import refresh_cypher
from graphmodel.stores.batching import slices

__all__ = ["Neo4jRefreshOps"]

Row = dict[str, Any]
_IDS_PER_READ = 5_000


class Neo4jRefreshOps:
    """Mixed into Neo4jStore: node_rows and rel_rows (apply_changes is the store base's)."""

    _read: Callable[[str, dict[str, Any]], list[dict[str, Any]]]
    _records: Callable[[str, dict[str, Any]], list[Any]]

    def _fetch(self, query: str, values: list[str] | None) -> list[Row]:
        """The collected rows of a filtered read, _IDS_PER_READ values at a time; an unfiltered read streamed
        (a refresh at national scale reads hundreds of thousands of rows: no one list of them may pass the
        server's per-transaction memory cap)."""
        if values is None:
            return [record["row"] for record in self._records(refresh_cypher.streamed(query), {})]
        return [row for piece in slices(values, _IDS_PER_READ)
                for row in self._read(query, {"values": piece})[0]["rows"]]

    @staticmethod
    def _filter(filters: dict[str, Iterable[str] | None]) -> tuple[str | None, list[str] | None]:
        given = [(by, list(dict.fromkeys(v))) for by, v in filters.items() if v is not None]
        return given[0] if given else (None, None)

    def node_rows(self, label: Label, *, ids: Iterable[str] | None = None,
                  sources: Iterable[str] | None = None) -> list[Row]:
        """Full rows of nodes of a label, by id or source (neither: all), sorted by id."""
        spec = node_spec(label)
        by, values = self._filter({"ids": ids, "sources": sources})
        rows = self._fetch(refresh_cypher.node_rows(spec, by), values)
        return sorted((full_node_row(spec, r) for r in rows), key=lambda r: r["id"])

    def rel_rows(self, name: str, *, src_ids: Iterable[str] | None = None, dst_ids: Iterable[str] | None = None,
                 sources: Iterable[str] | None = None) -> list[Row]:
        """Full rows of relationships of a spec, by start, end or source (none: all), sorted."""
        spec = rel_spec(name)
        if sources is not None and "source_id" not in spec.properties:
            return []
        by, values = self._filter({"src_ids": src_ids, "dst_ids": dst_ids, "sources": sources})
        rows = self._fetch(refresh_cypher.rel_rows(spec, by), values)
        full = [full_rel_row(spec, {"src": r["src"], "dst": r["dst"], **r["p"]}) for r in rows]
        return sorted(full, key=lambda r: tuple(str(r[k]) for k in ("src", "dst", *spec.key)))
