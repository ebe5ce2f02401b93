"""A Neo4j server with a small per-transaction memory cap (as on Aura): county questions still answer, by
streaming the table when the collected list would pass the cap, and a load too big for one transaction goes
in batches. The test starts its own server (scripts/neo4j-local) so the shared one keeps its settings."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j.exceptions import Neo4jError

from graphmodel.records import CountyTable
from graphmodel.stores.embedded import EmbeddedStore
from graphmodel.stores.neo4j_store import Neo4jStore
from loaders.load import load_folder
from seed.generator import generate
from tests.app.served import free_port
from tests.conftest import IN_CI, neo4j_store_or_skip

pytestmark = pytest.mark.neo4j
REPO = Path(__file__).resolve().parents[2]


class _SmallStatements(Neo4jStore):
    """Statements of 150 rows too, so each batch fits the cap."""

    chunk_rows = 150


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jStore]:
    """A second local server whose transactions may use at most 4 MiB each."""
    neo4j_store_or_skip()  # the same prerequisites as every Neo4j test (fails in CI without them)
    home, port = tmp_path_factory.mktemp("capped-neo4j"), free_port()
    env = {**os.environ, "FAMILYGRAPH_NEO4J_HOME": str(home), "NEO4J_PORT": str(port), "NEO4J_HEAP": "512m",
           "NEO4J_PAGECACHE": "64m", "NEO4J_TX_MAX": "4m", "NEO4J_TX_MEMORY": "64m"}
    script = str(REPO / "scripts" / "neo4j-local")
    started = subprocess.run([script, "start"], env=env, capture_output=True, text=True)
    if started.returncode != 0:
        message = f"could not start a second Neo4j: {started.stderr[-500:]}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    store = _SmallStatements(f"bolt://127.0.0.1:{port}", "neo4j",
                             os.environ.get("NEO4J_PASSWORD", "familygraph-dev"), "neo4j", tx_rows=150)
    try:
        yield store
    finally:
        store.close()
        subprocess.run([script, "stop"], env=env, capture_output=True)


def test_county_questions_answer_on_a_server_with_a_small_transaction_cap(capped: Neo4jStore,
                                                                          tmp_path: Path) -> None:
    folder = tmp_path / "county"
    generate(3000, 11, folder)
    load_folder(capped, folder)  # in batches of 150 rows: each fits the 4 MiB cap (a new database: no init)
    with pytest.raises(Neo4jError, match="memory"), capped._session(write=False) as session:
        session.run(capped.QUERIES.county[CountyTable.PEOPLE], {"district": None}).single()  # too big as one list
    reference = EmbeddedStore(tmp_path / "reference.sqlite")
    load_folder(reference, folder)
    for table in (CountyTable.PEOPLE, CountyTable.INVOLVEMENTS, CountyTable.MEMBERSHIPS):
        ours = capped.county_table(table).sort_values(list(capped.county_table(table).columns[:2]))
        theirs = reference.county_table(table).sort_values(list(ours.columns[:2]))
        assert len(ours) == len(theirs) > 1000, table
        same_text = {"True": "1", "False": "0"}  # Neo4j keeps booleans, SQLite integers
        assert ours.astype(str).replace(same_text).values.tolist() == theirs.astype(str).values.tolist(), table
    assert capped.counts() == reference.counts(), "a load into a new database keeps every need"
    reference.close()
