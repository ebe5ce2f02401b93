"""Opening Neo4j: it only reads, reads see writes, the routing scheme works, a frozen server fails fast."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmodel.config import StoreConfig
from graphmodel.contract import StoreError, StoreUnavailable
from graphmodel.records import CountyTable, GraphBatch
from graphmodel.schema import Label
from graphmodel.stores.neo4j_store import Neo4jStore
from loaders.load import load_folder
from tests.conftest import SMALL, SMALL_AS_OF, neo4j_store_or_skip

pytestmark = pytest.mark.neo4j
REPO = Path(__file__).resolve().parents[2]


def _config() -> StoreConfig:
    return StoreConfig.from_env({**os.environ, "FAMILYGRAPH_STORE": "neo4j"})


def _open(uri: str | None = None, **options: object) -> Neo4jStore:
    config = _config()
    return Neo4jStore(uri or config.neo4j_uri, config.neo4j_user, config.neo4j_password, config.neo4j_database,
                      **options)  # type: ignore[arg-type]


@pytest.fixture
def loaded() -> Iterator[Neo4jStore]:
    """The shared Neo4j test server holding the small county."""
    shared = neo4j_store_or_skip()
    shared.clear()
    load_folder(shared, SMALL)
    yield shared  # type: ignore[misc]


def _indexes(store: Neo4jStore) -> set[str]:
    return {r["name"] for r in store._read("SHOW INDEXES YIELD name RETURN name", {})}


def test_opening_does_not_apply_the_schema_init_does(loaded: Neo4jStore) -> None:
    loaded._script(["DROP INDEX family_district IF EXISTS"])
    opened = _open()
    try:
        assert "family_district" not in _indexes(opened)
        assert opened.family_snapshot("F1") is not None
        opened.apply_schema()  # what `familygraph init` runs
        assert "family_district" in _indexes(opened)
    finally:
        opened.close()


def test_a_read_only_connection_answers_every_question_and_cannot_write(loaded: Neo4jStore) -> None:
    """Community edition has no read-only accounts; READ access mode, enforced by the server, stands in."""
    before = loaded.counts()
    reader = _open(read_only=True)
    try:
        assert reader.counts() == before
        assert reader.family_ids() == ["F1", "F2", "F3", "F4"]
        assert reader.family_snapshot("F1") is not None
        assert [h.person_id for h in reader.search_people(dob="2014-09-03")] == ["P3"]
        assert all(len(reader.county_table(t).columns) for t in CountyTable)
        assert reader.lead_load(["PR1"], SMALL_AS_OF) == {"PR1": 2}
        assert reader.sources()
        with pytest.raises(StoreError, match="read-only"):
            reader.write(GraphBatch(nodes={Label.FAMILY: [{"id": "F9", "name": "X", "postcode": None,
                                                             "district": None, "source_id": None}]}))
    finally:
        reader.close()
    assert loaded.counts() == before


def test_the_routing_scheme_works_against_the_server(loaded: Neo4jStore) -> None:
    port = _config().neo4j_uri.rsplit(":", 1)[1]
    routed = _open(f"neo4j://127.0.0.1:{port}")
    try:
        assert routed.family_snapshot("F1") == loaded.family_snapshot("F1")
        routed.write(GraphBatch(nodes={Label.DECISION: [{"id": "D-route", "seq": 1, "record_id_l": "P1",
                                                          "record_id_r": "P2", "action": "confirm", "who": "t",
                                                          "decided_at": "2026-01-01", "why": "w",
                                                          "match_probability": 0.9, "reason": "r"}]}))
        assert list(routed.county_table(CountyTable.DECISIONS).id) == ["D-route"]
    finally:
        routed.close()


def test_reads_carry_the_bookmark_of_the_last_write(loaded: Neo4jStore) -> None:
    """On a cluster a read may reach a follower; the shared bookmark makes it wait for the write."""
    before = set(loaded._bookmarks.get_bookmarks())
    for seq in range(1, 4):
        loaded.write(GraphBatch(nodes={Label.DECISION: [{"id": f"D{seq}", "seq": seq, "record_id_l": "P1",
                                                          "record_id_r": "P2", "action": "confirm", "who": "t",
                                                          "decided_at": "2026-01-01", "why": "w",
                                                          "match_probability": 0.9, "reason": "r"}]}))
        after = set(loaded._bookmarks.get_bookmarks())
        assert after and after != before
        before = after
        assert len(loaded.county_table(CountyTable.DECISIONS)) == seq


def _our_server_pid() -> int | None:
    """The pid of the local Neo4j started by scripts/neo4j-local for this checkout, if it is the one in use."""
    home = Path(os.environ.get("FAMILYGRAPH_NEO4J_HOME", REPO / ".neo4j-local"))
    pid_file = home / "neo4j.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text().strip())
    port = os.environ.get("NEO4J_PORT", "7687")
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
        environ = Path(f"/proc/{pid}/environ").read_bytes().decode()
    except OSError:
        return None
    if "Neo4jLauncher" not in cmdline or f"NEO4J_PORT={port}\0" not in environ + "\0":
        return None
    return pid if _config().neo4j_uri.endswith(f":{port}") else None


def test_a_frozen_server_is_reported_within_15_seconds(loaded: Neo4jStore) -> None:
    pid = _our_server_pid()
    if pid is None:
        pytest.skip("the server in use was not started by scripts/neo4j-local from this checkout")
    store = _open()
    assert store.family_snapshot("F1") is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="stopped answering"):
            store.family_snapshot("F1")
        assert time.monotonic() - started < 15
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            _open()
        assert time.monotonic() - started < 15
    finally:
        os.kill(pid, signal.SIGCONT)
    time.sleep(1)
    assert store.family_snapshot("F1") is not None  # back once the server answers again
    store.close()
