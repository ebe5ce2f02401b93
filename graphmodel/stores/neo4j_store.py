"""The Neo4j store, through the official driver: batched UNWIND/MERGE writes, parameterised reads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
from neo4j import Driver, GraphDatabase, RoutingControl, Transaction
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graphmodel.contract import StoreError, StoreUnavailable
from graphmodel.records import FamilySnapshot
from graphmodel.schema import NodeSpec, RelSpec
from graphmodel.stores import assemble, cypher
from graphmodel.stores.base import Row, StoreBase

__all__ = ["Neo4jStore"]

_DOWN = (ServiceUnavailable, SessionExpired, AuthError, OSError)


def _translate(uri: str, error: BaseException) -> StoreError:
    """Any driver or server error as a StoreError whose message says what to do."""
    if isinstance(error, _DOWN):
        return _unavailable(uri, error)
    if isinstance(error, Neo4jError):
        return StoreError(f"Neo4j at {uri} answered with an error: {error.message}")
    return StoreUnavailable(f"lost the connection to Neo4j at {uri} ({type(error).__name__}); check that the "
                            "server is running ('scripts/neo4j-local status').")


def _unavailable(uri: str, error: BaseException) -> StoreUnavailable:
    """A message that says what went wrong and how to fix it."""
    if isinstance(error, AuthError):
        return StoreUnavailable(f"Neo4j at {uri} refused the user name or password. Check NEO4J_USER and "
                                "NEO4J_PASSWORD (the local server started by scripts/neo4j-local uses "
                                "neo4j / familygraph-dev unless NEO4J_PASSWORD was set).")
    return StoreUnavailable(f"Neo4j is not reachable at {uri} ({type(error).__name__}). Start it with "
                            "'scripts/neo4j-local start', or set NEO4J_URI to your server, or use the embedded "
                            "store (FAMILYGRAPH_STORE=embedded).")


class _TxWriter:
    """Statements and upserts inside one explicit transaction."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def run(self, statement: str) -> None:
        """Run one statement."""
        self._tx.run(statement).consume()

    def rows(self, spec: NodeSpec | RelSpec, statement: str, rows: list[Row]) -> None:
        """One UNWIND statement for the rows."""
        self._tx.run(statement, rows=rows).consume()


class Neo4jStore(StoreBase):
    """A GraphStore backed by a Neo4j 5 server."""

    kind = "neo4j"
    reads_while_writing = True
    """Reads go through their own sessions, so a load may validate while it writes."""
    QUERIES = cypher.QUERIES
    chunk_rows = 10_000
    write_errors = (DriverError, Neo4jError)

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

    def _read(self, query: str, params: dict[str, Any]) -> list[Row]:
        try:
            records, _, _ = self._driver.execute_query(query, params, database_=self.database,
                                                       routing_=RoutingControl.READ)
        except (DriverError, Neo4jError) as error:
            raise _translate(self.uri, error) from None
        return [r.data() for r in records]

    def _frame(self, query: str, params: dict[str, Any], columns: tuple[str, ...]) -> pd.DataFrame:
        """The rows collected server-side into one record (far fewer records to decode)."""
        rows = self._read(query, params)[0]["rows"]
        return pd.DataFrame(rows, columns=list(columns), dtype=object)

    def _script(self, statements: Sequence[str]) -> None:
        """Each statement in its own auto-commit transaction (schema and CALL IN TRANSACTIONS need that)."""
        try:
            with self._driver.session(database=self.database) as session:
                for statement in statements:
                    session.run(statement).consume()
        except (DriverError, Neo4jError) as error:
            raise _translate(self.uri, error) from None

    @contextmanager
    def _writer(self) -> Iterator[_TxWriter]:
        """One explicit transaction for the whole write."""
        with self._driver.session(database=self.database) as session, session.begin_transaction() as tx:
            yield _TxWriter(tx)
            tx.commit()

    def _write_failed(self, error: BaseException) -> StoreError:
        if isinstance(error, ClientError):
            return StoreError(f"Neo4j rejected the load, nothing was written: {error.message}")
        return _translate(self.uri, error)

    def family_snapshots(self, family_ids: Iterable[str]) -> dict[str, FamilySnapshot]:
        """Snapshots of several families in one round trip (unknown ids are left out)."""
        ids = list(dict.fromkeys(family_ids))
        if not ids:
            return {}
        result = {}
        for row in self._read(cypher.QUERIES.family_snapshots, {"family_ids": ids}):
            involvements = row["involvements"]
            addresses = [{"involvement_id": r["id"], "need_code": c} for r in involvements for c in r["need_codes"]]
            professionals = [r["professional"] for r in (*involvements, *row["leads"]) if r["professional"]]
            result[row["family"]["id"]] = assemble.snapshot(
                row["family"], row["members"], row["relationships"], row["needs"], involvements, addresses,
                professionals, row["leads"], row["episodes"], row["sources"], row["links"])
        return result

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()

