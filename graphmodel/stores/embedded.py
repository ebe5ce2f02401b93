"""The embedded store: the property graph in one SQLite file, with no server to run.

One table per node label and per relationship type (generated from the schema). Every write is one
SQLite transaction, so a load is all or nothing and a crash mid-write leaves the previous state.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.contract import ProgressFn, StoreError
from graphmodel.records import CountyTable, FamilySnapshot, GraphBatch, PersonHitRecord, SourceRecord
from graphmodel.schema import NODES, RELS, Label, NodeSpec, RelType, node_spec, rel_spec
from graphmodel.stores import assemble, sql
from graphmodel.stores.batching import chunks
from graphmodel.stores.taxonomy_rows import need_rows

__all__ = ["EmbeddedStore"]

_CHUNK = 20_000
_COUNTY_SQL = {
    CountyTable.FAMILIES: sql.COUNTY_FAMILIES,
    CountyTable.INVOLVEMENTS: sql.COUNTY_INVOLVEMENTS,
    CountyTable.PERSON_NEEDS: sql.COUNTY_PERSON_NEEDS,
    CountyTable.LEADS: sql.COUNTY_LEADS,
    CountyTable.EPISODES: sql.COUNTY_EPISODES,
    CountyTable.PROFESSIONALS: sql.COUNTY_PROFESSIONALS,
    CountyTable.PEOPLE: sql.COUNTY_PEOPLE,
    CountyTable.MEMBERSHIPS: sql.COUNTY_MEMBERSHIPS,
    CountyTable.LINKS: sql.COUNTY_LINKS,
    CountyTable.DECISIONS: sql.COUNTY_DECISIONS,
    CountyTable.HUB_EVENTS: sql.COUNTY_HUB_EVENTS,
}


def _placeholders(n: int) -> str:
    return ", ".join("?" * n)


class EmbeddedStore:
    """A GraphStore in a local SQLite file (or ':memory:')."""

    kind = "embedded"
    reads_while_writing = False
    """A load's validation must not read through another thread while this store writes (one connection)."""

    def __init__(self, path: Path | str):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the embedded store at {self.path}: {error}") from None
        self._lock = threading.RLock()
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=OFF")
        self.apply_schema()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _rows(self, query: str, params: dict[str, Any] | Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._conn.execute(query, params)]

    def apply_schema(self) -> None:
        """Create tables and indexes if missing, and the need taxonomy nodes."""
        with self._transaction() as conn:
            for statement in sql.DDL:
                conn.execute(statement)
            conn.executemany(sql.upsert_node_sql(node_spec(Label.NEED)), need_rows())

    def write(self, batch: GraphBatch, progress: ProgressFn | None = None, replace: Sequence[str] = ()) -> None:
        """Upsert the batch in one transaction (after deleting every node or relationship named in replace)."""
        self.write_stream([batch], progress, replace, expected=batch.size())

    def write_stream(self, batches: Iterable[GraphBatch], progress: ProgressFn | None = None,
                     replace: Sequence[str] = (), expected: int = 0) -> None:
        """Upsert batches as they come, all in one transaction; an error from the stream rolls it back."""
        done = 0
        try:
            with self._transaction() as conn:
                for name in replace:
                    table = (sql.node_table(name) if name in Label._value2member_map_
                             else sql.rel_table(rel_spec(name).name))
                    conn.execute(f"DELETE FROM {table}")  # noqa: S608 - allow-listed
                for spec, rows in chunks(batches, _CHUNK):
                    statement = (sql.upsert_node_sql(spec) if isinstance(spec, NodeSpec)
                                 else sql.upsert_rel_sql(spec))
                    conn.executemany(statement, rows)
                    done += len(rows)
                    if progress:
                        progress(done, max(done, expected))
        except sqlite3.Error as error:
            raise StoreError(f"the embedded store rejected the load, nothing was written: {error}") from None

    def clear(self) -> None:
        """Delete all rows (the need taxonomy is put back)."""
        with self._transaction() as conn:
            for spec in NODES:
                conn.execute(f"DELETE FROM {sql.node_table(spec.label)}")  # noqa: S608 - allow-listed
            for rspec in RELS:
                conn.execute(f"DELETE FROM {sql.rel_table(rspec.name)}")  # noqa: S608 - allow-listed
            conn.executemany(sql.upsert_node_sql(node_spec(Label.NEED)), need_rows())

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        result: dict[str, int] = {}
        with self._lock:
            for spec in NODES:
                query = f"SELECT COUNT(*) FROM {sql.node_table(spec.label)}"  # noqa: S608 - allow-listed
                result[spec.label.value] = self._conn.execute(query).fetchone()[0]
            for rtype in RelType:
                result[rtype.value] = 0
            for rspec in RELS:
                query = f"SELECT COUNT(*) FROM {sql.rel_table(rspec.name)}"  # noqa: S608 - allow-listed
                result[rspec.type.value] += self._conn.execute(query).fetchone()[0]
        return result

    def existing_ids(self, label: Label, ids: Iterable[str]) -> set[str]:
        """Ids among those given that exist as nodes of the label."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        table = sql.node_table(node_spec(label).label)
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            query = f"SELECT id FROM {table} WHERE id IN ({_placeholders(len(chunk))})"  # noqa: S608
            found |= {r["id"] for r in self._rows(query, chunk)}
        return found

    def family_ids(self, district: str | None = None) -> list[str]:
        """All family ids, sorted."""
        return [r["id"] for r in self._rows(sql.FAMILY_IDS, {"district": district})]

    def family_snapshot(self, family_id: str) -> FamilySnapshot | None:
        """Everything about one family."""
        params = {"family_id": family_id}
        family = self._rows(sql.FAMILY, params)
        if not family:
            return None
        members = self._rows(sql.MEMBERS, params)
        needs = self._rows(sql.PERSON_NEEDS, params)
        involvements = self._rows(sql.FAMILY_INVOLVEMENTS, params)
        inv_ids = [r["id"] for r in involvements]
        leads = self._rows(sql.LEADS, params)
        episodes = self._rows(sql.EPISODES, params)
        prof_ids = sorted({r["professional_id"] for r in involvements} | {r["professional_id"] for r in leads})
        facts = sorted({r["source_id"] for r in (*family, *members, *needs, *involvements, *leads, *episodes)
                        if r.get("source_id")})
        return assemble.snapshot(
            family[0], members, self._rows(sql.RELATIONSHIPS, params), needs, involvements,
            self._rows(sql.ADDRESSES.format(ids=_placeholders(len(inv_ids))), inv_ids) if inv_ids else [],
            self._rows(sql.PROFESSIONALS.format(ids=_placeholders(len(prof_ids))), prof_ids) if prof_ids else [],
            leads, episodes,
            self._rows(sql.FAMILY_SOURCES.format(ids=_placeholders(len(facts))), facts),
            self._rows(sql.FAMILY_LINKS, params),
        )

    def family_snapshots(self, family_ids: Iterable[str]) -> dict[str, FamilySnapshot]:
        """Snapshots of several families (unknown ids are left out)."""
        snaps = {fid: self.family_snapshot(fid) for fid in dict.fromkeys(family_ids)}
        return {fid: snap for fid, snap in snaps.items() if snap is not None}

    def search_people(self, *, family_phonetic: str | None = None, given_prefix: str | None = None,
                      given_key: str | None = None,
                      dob: str | None = None, postcode: str | None = None,
                      limit: int = 200) -> list[PersonHitRecord]:
        """People matching any given key."""
        params = {"family_phonetic": family_phonetic, "given_prefix": given_prefix, "given_key": given_key,
                  "dob": dob,
                  "postcode": postcode, "limit": limit}
        return assemble.person_hits(self._rows(sql.SEARCH_PEOPLE, params))

    def county_table(self, table: CountyTable, district: str | None = None) -> pd.DataFrame:
        """A flat county-wide projection."""
        with self._lock:
            cursor = self._conn.execute(_COUNTY_SQL[table], {"district": district})
            frame = pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description], dtype=object)
        return assemble.county_frame(table, frame)

    def lead_load(self, professional_ids: Iterable[str], as_of: str) -> dict[str, int]:
        """Families each professional leads on a date."""
        ids = sorted(set(professional_ids))
        load = dict.fromkeys(ids, 0)
        if ids:
            query = sql.LEAD_LOAD.format(ids=", ".join(f":p{i}" for i in range(len(ids))))
            params: dict[str, Any] = {"as_of": as_of, **{f"p{i}": pid for i, pid in enumerate(ids)}}
            load.update({r["professional_id"]: r["families"] for r in self._rows(query, params)})
        return load

    def sources(self) -> list[SourceRecord]:
        """All sources."""
        return assemble.source_records(self._rows(sql.SOURCES))

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._conn.close()

