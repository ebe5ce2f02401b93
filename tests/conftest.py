"""Shared fixtures: one store fixture parametrized over both stores, and the small hand-built county."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmodel.config import StoreConfig
from graphmodel.contract import GraphStore, StoreUnavailable
from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small"
SMALL_AS_OF = "2026-06-01"
IN_CI = bool(os.environ.get("CI"))

_neo4j_store: GraphStore | None = None
_neo4j_error: str | None = None


def neo4j_store_or_skip() -> GraphStore:
    """The shared Neo4j store; skip locally when no server runs, fail in CI (CI must run these tests)."""
    global _neo4j_store, _neo4j_error
    if _neo4j_store is None and _neo4j_error is None:
        config = StoreConfig.from_env({**os.environ, "FAMILYGRAPH_STORE": "neo4j"})
        try:
            from graphmodel.stores.neo4j_store import Neo4jStore

            _neo4j_store = Neo4jStore(config.neo4j_uri, config.neo4j_user, config.neo4j_password,
                                      config.neo4j_database)
        except StoreUnavailable as error:
            _neo4j_error = str(error)
    if _neo4j_store is None:
        message = f"Neo4j tests need a server: {_neo4j_error}"
        if IN_CI:
            pytest.fail(message + " (CI is set, so a missing Neo4j is a failure)")
        pytest.skip(message)
    return _neo4j_store


def open_test_store(kind: str, tmp_path: Path) -> GraphStore:
    """An empty store of the given kind."""
    if kind == "neo4j":
        store = neo4j_store_or_skip()
        store.clear()
        return store
    return EmbeddedStore(tmp_path / "store.sqlite")


STORE_KINDS = [pytest.param("embedded"), pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store, once per store kind."""
    opened = open_test_store(request.param, tmp_path)
    yield opened
    if request.param == "embedded":
        opened.close()


@pytest.fixture
def small_store(store: GraphStore) -> GraphStore:
    """A store holding the small hand-built county (tests/fixtures/small)."""
    load_folder(store, SMALL)
    return store


def another_connection(store: GraphStore) -> GraphStore:
    """A second, independent connection to the same store (as a second app user or CLI would open)."""
    if store.kind == "neo4j":
        from graphmodel.stores.neo4j_store import Neo4jStore

        config = StoreConfig.from_env({**os.environ, "FAMILYGRAPH_STORE": "neo4j"})
        return Neo4jStore(config.neo4j_uri, config.neo4j_user, config.neo4j_password, config.neo4j_database)
    return EmbeddedStore(store.path)  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Close the shared Neo4j driver."""
    if _neo4j_store is not None:
        _neo4j_store.close()
