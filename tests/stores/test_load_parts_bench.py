"""The load-parts benchmark measures what it says: every variant writes the same graph, and the writer is put back."""

from __future__ import annotations

import os

import pytest

from bench.load_parts import VARIANTS, converted, run
from graphmodel.config import StoreConfig
from graphmodel.stores import cypher_loads, neo4j_loads
from graphmodel.stores.neo4j_store import Neo4jStore
from tests.conftest import SMALL, neo4j_store_or_skip

pytestmark = pytest.mark.neo4j


def test_every_variant_writes_the_same_nodes_and_relationships_and_the_writer_is_put_back() -> None:
    neo4j_store_or_skip()
    config = StoreConfig.from_env({**os.environ, "FAMILYGRAPH_STORE": "neo4j"})
    store = Neo4jStore(config.neo4j_uri, config.neo4j_user, config.neo4j_password, config.neo4j_database,
                       tx_rows=50)  # batched, as a county load is
    statements, log = dict(cypher_loads.LOGGED_NODES), neo4j_loads.LoadWriter._log
    fresh_check = neo4j_loads.LoadWriter._may_be_fresh
    batches = converted(SMALL)
    counts = {}
    for variant in VARIANTS:
        result = run(batches, variant, store)
        assert result["wall_s"] > 0
        counts[variant] = store.counts()
    assert all(c == counts["as-is"] for c in counts.values()) and sum(counts["as-is"].values()) > 100
    assert statements == cypher_loads.LOGGED_NODES and neo4j_loads.LoadWriter._log is log
    assert neo4j_loads.LoadWriter._may_be_fresh is fresh_check
    assert store.unfinished_loads() == []
    store.close()
