"""Neo4j's audit log survives clear() by design; each governance test starts from an empty one (tests only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _empty_neo4j_audit_log(request: pytest.FixtureRequest) -> Iterator[None]:
    if "store" in request.fixturenames:
        store = request.getfixturevalue("store")
        if store.kind == "neo4j":
            store._driver.execute_query("MATCH (a:AuditEntry) DETACH DELETE a")
    yield


from tests.app.conftest import clean_env, small_db  # noqa: E402,F401 - shared with the app tests
