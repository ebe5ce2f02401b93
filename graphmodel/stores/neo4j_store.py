"""The Neo4j store, through the official driver: batched UNWIND/MERGE writes, parameterised reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from neo4j import Driver, GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graphmodel.contract import ProgressFn, StoreError, StoreUnavailable
from graphmodel.records import COUNTY_COLUMNS, CountyTable, FamilySnapshot, GraphBatch, PersonHitRecord, SourceRecord
from graphmodel.schema import NODES, Label, NodeSpec, RelType, rel_spec
from graphmodel.stores import assemble, cypher
from graphmodel.stores.batching import chunks
from graphmodel.stores.taxonomy_rows import need_rows

__all__ = ["Neo4jStore"]

BATCH_ROWS = 10_000

_COUNTY_CYPHER = {
    CountyTable.FAMILIES: cypher.COUNTY_FAMILIES,
    CountyTable.INVOLVEMENTS: cypher.COUNTY_INVOLVEMENTS,
    CountyTable.PERSON_NEEDS: cypher.COUNTY_PERSON_NEEDS,
    CountyTable.LEADS: cypher.COUNTY_LEADS,
    CountyTable.EPISODES: cypher.COUNTY_EPISODES,
    CountyTable.PROFESSIONALS: cypher.COUNTY_PROFESSIONALS,
    CountyTable.PEOPLE: cypher.COUNTY_PEOPLE,
    CountyTable.MEMBERSHIPS: cypher.COUNTY_MEMBERSHIPS,
    CountyTable.LINKS: cypher.COUNTY_LINKS,
    CountyTable.DECISIONS: cypher.COUNTY_DECISIONS,
    CountyTable.HUB_EVENTS: cypher.COUNTY_HUB_EVENTS,
}


_DOWN = (ServiceUnavailable, SessionExpired, AuthError, OSError)


def _translate(uri: str, error: Exception) -> StoreError:
    """Any driver or server error as a StoreError whose message says what to do."""
    if isinstance(error, _DOWN):
        return _unavailable(uri, error)
    if isinstance(error, Neo4jError):
        return StoreError(f"Neo4j at {uri} answered with an error: {error.message}")
    return StoreUnavailable(f"lost the connection to Neo4j at {uri} ({type(error).__name__}); check that the "
                            "server is running ('scripts/neo4j-local status').")


_COUNTY_COLLECTED = {table: cypher.collected(query, COUNTY_COLUMNS[table]) for table, query in _COUNTY_CYPHER.items()}


def _unavailable(uri: str, error: Exception) -> StoreUnavailable:
    """A message that says what went wrong and how to fix it."""
    if isinstance(error, AuthError):
        return StoreUnavailable(f"Neo4j at {uri} refused the user name or password. Check NEO4J_USER and "
                                "NEO4J_PASSWORD (the local server started by scripts/neo4j-local uses "
                                "neo4j / familygraph-dev unless NEO4J_PASSWORD was set).")
    return StoreUnavailable(f"Neo4j is not reachable at {uri} ({type(error).__name__}). Start it with "
                            "'scripts/neo4j-local start', or set NEO4J_URI to your server, or use the embedded "
                            "store (FAMILYGRAPH_STORE=embedded).")


class Neo4jStore:
    """A GraphStore backed by a Neo4j 5 server."""

    kind = "neo4j"
    reads_while_writing = True
    """Reads go through their own sessions, so a load may validate while it writes."""

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j",
                 driver: Driver | None = None):
        self.uri, self.database = uri, database
        try:
            self._driver = driver or GraphDatabase.driver(
                uri, auth=(user, password), connection_timeout=5.0, connection_acquisition_timeout=15.0,
                max_transaction_retry_time=5.0, notifications_min_severity="OFF")
            self._driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, OSError, ValueError) as error:
            raise _unavailable(uri, error) from None
        except Neo4jError as error:
            raise StoreError(f"Neo4j at {uri} answered with an error: {error.message}") from None
        self.apply_schema()

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        try:
            records, _, _ = self._driver.execute_query(query, params, database_=self.database,
                                                       routing_=RoutingControl.READ)
        except (DriverError, Neo4jError) as error:
            raise _translate(self.uri, error) from None
        return [r.data() for r in records]

    def _run(self, query: str, **params: Any) -> None:
        try:
            self._driver.execute_query(query, params, database_=self.database)
        except (DriverError, Neo4jError) as error:
            raise _translate(self.uri, error) from None

    def apply_schema(self) -> None:
        """Uniqueness constraints on every label's id, indexes, and the need taxonomy."""
        for statement in cypher.SCHEMA_STATEMENTS:
            self._run(statement)
        self._run(cypher.UPSERT_NODES[Label.NEED], rows=need_rows())

    def write(self, batch: GraphBatch, progress: ProgressFn | None = None, replace: Sequence[str] = ()) -> None:
        """All nodes then all relationships, in batches, inside one transaction (after deleting every node
        or relationship named in replace)."""
        self.write_stream([batch], progress, replace, expected=batch.size())

    def write_stream(self, batches: Iterable[GraphBatch], progress: ProgressFn | None = None,
                     replace: Sequence[str] = (), expected: int = 0) -> None:
        """Write batches as they come, all in one transaction; an error from the stream rolls it back."""
        done = 0
        wipe = [cypher.delete_label(Label(name)) if name in Label._value2member_map_
                else cypher.delete_rels(rel_spec(name).type) for name in replace]
        try:
            with self._driver.session(database=self.database) as session, session.begin_transaction() as tx:
                for statement in wipe:
                    tx.run(statement).consume()
                for spec, rows in chunks(batches, BATCH_ROWS):
                    query = (cypher.UPSERT_NODES[spec.label] if isinstance(spec, NodeSpec)
                             else cypher.UPSERT_RELS[spec.name])
                    tx.run(query, rows=rows).consume()
                    done += len(rows)
                    if progress:
                        progress(done, max(done, expected))
                tx.commit()
        except ClientError as error:
            raise StoreError(f"Neo4j rejected the load, nothing was written: {error.message}") from None
        except (DriverError, Neo4jError) as error:
            raise _translate(self.uri, error) from None

    def clear(self) -> None:
        """Delete everything but the need taxonomy."""
        try:
            with self._driver.session(database=self.database) as session:
                session.run(cypher.CLEAR).consume()
        except (DriverError, Neo4jError) as error:
            raise _translate(self.uri, error) from None

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        result = {spec.label.value: self._read(cypher.count_nodes(spec.label))[0]["n"] for spec in NODES}
        result.update({t.value: self._read(cypher.count_rels(t))[0]["n"] for t in RelType})
        return result

    def existing_ids(self, label: Label, ids: Iterable[str]) -> set[str]:
        """Ids that exist as nodes of the label."""
        wanted = list(dict.fromkeys(ids))
        return {r["id"] for r in self._read(cypher.existing_ids(Label(label)), ids=wanted)} if wanted else set()

    def family_ids(self, district: str | None = None) -> list[str]:
        """All family ids, sorted."""
        return [r["id"] for r in self._read(cypher.FAMILY_IDS, district=district)]

    def family_snapshot(self, family_id: str) -> FamilySnapshot | None:
        """Everything about one family, in one query."""
        return self.family_snapshots([family_id]).get(family_id)

    def family_snapshots(self, family_ids: Iterable[str]) -> dict[str, FamilySnapshot]:
        """Snapshots of several families in one round trip (unknown ids are left out)."""
        ids = list(dict.fromkeys(family_ids))
        if not ids:
            return {}
        result = {}
        for row in self._read(cypher.FAMILY_SNAPSHOTS, family_ids=ids):
            involvements = row["involvements"]
            addresses = [{"involvement_id": r["id"], "need_code": c} for r in involvements for c in r["need_codes"]]
            professionals = [r["professional"] for r in (*involvements, *row["leads"]) if r["professional"]]
            result[row["family"]["id"]] = assemble.snapshot(
                row["family"], row["members"], row["relationships"], row["needs"], involvements, addresses,
                professionals, row["leads"], row["episodes"], row["sources"], row["links"])
        return result

    def search_people(self, *, family_phonetic: str | None = None, given_prefix: str | None = None,
                      given_key: str | None = None,
                      dob: str | None = None, postcode: str | None = None,
                      limit: int = 200) -> list[PersonHitRecord]:
        """People matching any given key."""
        return assemble.person_hits(self._read(cypher.SEARCH_PEOPLE, family_phonetic=family_phonetic,
                                               given_prefix=given_prefix, given_key=given_key, dob=dob,
                                               postcode=postcode, limit=limit))

    def county_table(self, table: CountyTable, district: str | None = None) -> pd.DataFrame:
        """A flat county-wide projection (rows collected server-side into one record)."""
        rows = self._read(_COUNTY_COLLECTED[table], district=district)[0]["rows"]
        frame = pd.DataFrame(rows, columns=list(COUNTY_COLUMNS[table]), dtype=object)
        return assemble.county_frame(table, frame)

    def lead_load(self, professional_ids: Iterable[str], as_of: str) -> dict[str, int]:
        """Families each professional leads on a date."""
        ids = sorted(set(professional_ids))
        load = dict.fromkeys(ids, 0)
        if ids:
            load.update({r["professional_id"]: r["families"]
                         for r in self._read(cypher.LEAD_LOAD, ids=ids, as_of=as_of)})
        return load

    def sources(self) -> list[SourceRecord]:
        """All sources."""
        return assemble.source_records(self._read(cypher.SOURCES))

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()
