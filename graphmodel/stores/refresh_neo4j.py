"""Source refreshes, rollback and erasure on Neo4j: reads of whole rows and targeted changes in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from neo4j import Driver, RoutingControl
from neo4j.exceptions import ClientError, DriverError, Neo4jError

from graphmodel.changes import ChangeSet, full_node_row, full_rel_row
from graphmodel.contract import ProgressFn, StoreError
from graphmodel.schema import Label, node_spec, rel_spec
from graphmodel.stores import cypher, refresh_cypher

__all__ = ["Neo4jRefreshOps"]

Row = dict[str, Any]
_BATCH = 10_000


class Neo4jRefreshOps:
    """Mixed into Neo4jStore: node_rows, rel_rows and apply_changes (see graphmodel.changes)."""

    _driver: Driver
    database: str
    uri: str

    def _fetch(self, query: str, values: list[str] | None) -> list[dict[str, Any]]:
        from graphmodel.stores.neo4j_store import _translate

        try:
            records, _, _ = self._driver.execute_query(query, {"values": values}, database_=self.database,
                                                       routing_=RoutingControl.READ)
        except (DriverError, Neo4jError) as error:
            raise _translate(self.uri, error) from None
        return [dict(zip(r.keys(), r.values(), strict=True)) for r in records]  # maps and lists come back plain

    @staticmethod
    def _filter(filters: dict[str, Iterable[str] | None]) -> tuple[str | None, list[str] | None]:
        given = [(by, list(dict.fromkeys(v))) for by, v in filters.items() if v is not None]
        return given[0] if given else (None, None)

    def node_rows(self, label: Label, *, ids: Iterable[str] | None = None,
                  sources: Iterable[str] | None = None) -> list[Row]:
        """Full rows of nodes of a label, by id or source (neither: all), sorted by id."""
        spec = node_spec(label)
        by, values = self._filter({"ids": ids, "sources": sources})
        rows = self._fetch(refresh_cypher.node_rows(spec, by), values)[0]["rows"]
        return sorted((full_node_row(spec, r) for r in rows), key=lambda r: r["id"])

    def rel_rows(self, name: str, *, src_ids: Iterable[str] | None = None, dst_ids: Iterable[str] | None = None,
                 sources: Iterable[str] | None = None) -> list[Row]:
        """Full rows of relationships of a spec, by start, end or source (none: all), sorted."""
        spec = rel_spec(name)
        if sources is not None and "source_id" not in spec.properties:
            return []
        by, values = self._filter({"src_ids": src_ids, "dst_ids": dst_ids, "sources": sources})
        rows = self._fetch(refresh_cypher.rel_rows(spec, by), values)[0]["rows"]
        full = [full_rel_row(spec, {"src": r["src"], "dst": r["dst"], **r["p"]}) for r in rows]
        return sorted(full, key=lambda r: tuple(str(r[k]) for k in ("src", "dst", *spec.key)))

    def apply_changes(self, changes: ChangeSet, progress: ProgressFn | None = None) -> None:
        """Clear (if asked), delete, then upsert, all in one transaction."""
        from graphmodel.stores.neo4j_store import _translate

        total, done = max(changes.size(), 1), 0
        try:
            with self._driver.session(database=self.database) as session, session.begin_transaction() as tx:
                if changes.clear:
                    tx.run(refresh_cypher.CLEAR_FACTS).consume()
                for name, rows in changes.rel_deletes.items():
                    spec = rel_spec(name)
                    for start in range(0, len(rows), _BATCH):
                        tx.run(refresh_cypher.DELETE_RELS[name],
                               rows=[full_rel_row(spec, r) for r in rows[start:start + _BATCH]]).consume()
                    done += len(rows)
                for label, ids in changes.node_deletes.items():
                    for start in range(0, len(ids), _BATCH):
                        tx.run(refresh_cypher.DELETE_NODES[Label(label)], ids=ids[start:start + _BATCH]).consume()
                    done += len(ids)
                for label, rows in changes.node_upserts.items():
                    nspec = node_spec(label)
                    for start in range(0, len(rows), _BATCH):
                        tx.run(cypher.UPSERT_NODES[nspec.label],
                               rows=[full_node_row(nspec, r) for r in rows[start:start + _BATCH]]).consume()
                        done += min(_BATCH, len(rows) - start)
                        if progress:
                            progress(done, total)
                for name, rows in changes.rel_upserts.items():
                    rspec = rel_spec(name)
                    for start in range(0, len(rows), _BATCH):
                        tx.run(cypher.UPSERT_RELS[name],
                               rows=[full_rel_row(rspec, r) for r in rows[start:start + _BATCH]]).consume()
                        done += min(_BATCH, len(rows) - start)
                        if progress:
                            progress(done, total)
                tx.commit()
        except ClientError as error:
            raise StoreError(f"Neo4j rejected the change, nothing was written: {error.message}") from None
        except (DriverError, Neo4jError) as error:
            raise _translate(self.uri, error) from None
