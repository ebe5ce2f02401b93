"""Neo4j loads in bounded batches under a load id: a failed, killed or refused load leaves the graph as it was."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graphmodel.config import StoreConfig
from graphmodel.contract import StoreError
from graphmodel.records import GraphBatch
from graphmodel.schema import Label, node_spec
from graphmodel.stores import undo_codec
from graphmodel.stores.embedded import EmbeddedStore
from graphmodel.stores.neo4j_store import Neo4jStore
from loaders.linkage.graph import LINK_TABLES
from loaders.load import load_folder
from loaders.refresh import apply_plan, plan_folder
from seed.generator import generate
from tests.conftest import SMALL, neo4j_store_or_skip

pytestmark = pytest.mark.neo4j
REPO = Path(__file__).resolve().parents[2]
TX_ROWS = 400
LOADER = """
import sys
from pathlib import Path
from graphmodel.stores.neo4j_store import Neo4jStore
from loaders.load import load_folder
from loaders.refresh import apply_plan, plan_folder
uri, user, password, database, folder = sys.argv[1:6]
store = Neo4jStore(uri, user, password, database, tx_rows=int(sys.argv[6]))
load_folder(store, Path(folder), lambda done, total: print(done, flush=True))
print("DONE", flush=True)
"""


def _args() -> tuple[str, str, str, str]:
    c = StoreConfig.from_env({**os.environ, "FAMILYGRAPH_STORE": "neo4j"})
    return c.neo4j_uri, c.neo4j_user, c.neo4j_password, c.neo4j_database


def _store(tx_rows: int = TX_ROWS) -> Neo4jStore:
    neo4j_store_or_skip()
    return Neo4jStore(*_args(), tx_rows=tx_rows)


def _loaded(folder: Path = SMALL, tx_rows: int = TX_ROWS) -> Neo4jStore:
    """A store writing in batches of tx_rows, cleared and holding the folder's county (the small one by default)."""
    store = _store(tx_rows)
    store.clear()
    load_folder(store, folder)
    return store


def dump(store: Neo4jStore) -> list[str]:
    """Every node (labels, properties) and relationship (ends, type, properties), bookkeeping included."""
    nodes = store._read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", {})
    rels = store._read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props", {})
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in nodes + rels)


@pytest.fixture(scope="module")
def counties(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two generated counties whose ids overlap, so the second load changes nodes and adds others."""
    root = tmp_path_factory.mktemp("counties")
    generate(300, 7, root / "a")
    generate(400, 8, root / "b")
    return root / "a", root / "b"


def test_a_batched_load_writes_what_one_transaction_writes() -> None:
    whole = _loaded(tx_rows=10**9)
    expected = dump(whole)
    batched = _loaded(tx_rows=7)
    assert dump(batched) == expected
    assert batched.unfinished_loads() == []
    whole.close()
    batched.close()


@pytest.mark.parametrize("pack_from", [0, undo_codec.PACK_FROM], ids=["undo-compressed", "undo-as-stored"])
def test_a_load_that_fails_after_committing_batches_is_undone(pack_from: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(undo_codec, "PACK_FROM", pack_from)  # 0: every undo record compressed, as big ones are
    store = _loaded(tx_rows=5)
    before = dump(store)
    changed = [{"id": f"F{i}", "name": f"Renamed {i}", "postcode": None, "district": "X", "source_id": None}
               for i in range(1, 40)]
    broken = [{"id": "P99", "given_name": {"not": "a value"}, "family_name": "X"}]
    with pytest.raises(StoreError, match="nothing was written"):
        store.write_stream([GraphBatch(nodes={Label.FAMILY: changed}),
                            GraphBatch(rels={"member_of": [{"src": "P1", "dst": "F30", "role": "child",
                                                            "resident": True, "source_id": None}]}),
                            GraphBatch(nodes={Label.PERSON: broken})])
    assert dump(store) == before
    store.close()


def _links(generation: str, pairs: int) -> GraphBatch:
    """Derived link data (as linkage writes it, replacing the last run's): SAME_AS pairs and resolved groups."""
    return GraphBatch(
        nodes={Label.RESOLVED_PERSON: [{"id": f"R{generation}{i}", "records": 2} for i in range(pairs)]},
        rels={"same_as": [{"src": f"P{i % 9 + 1}", "dst": f"P{(i + 1) % 9 + 1}", "match_probability": 0.9,
                           "match_weight": float(i), "reason": f"{generation} run pair {i}", "status": "auto"}
                          for i in range(pairs)],
              "resolves_to": [{"src": f"P{i % 9 + 1}", "dst": f"R{generation}{i}"} for i in range(pairs)]})


def _families(first: int, last: int) -> list[dict[str, object]]:
    return [{"id": f"F{i}", "name": f"Family {i}", "postcode": None, "district": "X", "source_id": None}
            for i in range(first, last)]


def test_a_load_known_to_be_big_sends_its_first_rows_while_the_rest_are_still_being_read() -> None:
    """The server works while the loader validates: rows go as soon as the server has nothing in hand, not
    only once a full batch has queued (the first rows of a county no longer wait for the people file)."""
    store = _store(tx_rows=1_000)
    store.clear()
    seen: list[int] = []

    def stream() -> Iterator[GraphBatch]:
        yield GraphBatch(nodes={Label.FAMILY: _families(0, 50)})
        deadline, held = time.monotonic() + 10, 0
        while not held and time.monotonic() < deadline:  # the loader is still "validating" the next file
            held = store._read("MATCH (f:Family) RETURN count(f) AS n", {})[0]["n"]
            time.sleep(0.05)
        seen.append(held)
        yield GraphBatch(nodes={Label.FAMILY: _families(50, 2_500)})

    store.write_stream(stream(), expected=2_500)
    assert seen == [50]  # committed (another session sees it) before the stream went on
    assert store.counts()["Family"] == 2_500 and store.unfinished_loads() == []
    store.close()


def _episodes(first: int, last: int, kind: str) -> list[dict[str, object]]:
    return [{"id": f"E{i}", "kind": kind, "opened": "2026-01-05", "closed": None, "end_reason": None,
             "assessment_date": None, "plan_date": None, "source_id": None} for i in range(first, last)]


def _member(person: str, family: str, role: str) -> dict[str, object]:
    return {"src": person, "dst": family, "role": role, "resident": True, "source_id": None}


def test_rows_that_meet_data_written_meanwhile_keep_it_when_the_load_is_undone() -> None:
    """A label or type that held nothing is written without reading what was there (faster); if another writer
    added some of the same ids or relationships meanwhile, those batches are written again reading it, so an
    undo puts the other writer's data back instead of deleting it."""
    store = _store(tx_rows=2)
    store.clear()
    store.write(GraphBatch(nodes={Label.FAMILY: _families(1, 4), Label.PERSON: [
        {"id": f"P{i}", "given_name": "Ann", "family_name": "Lee"} for i in range(1, 4)]}))
    other_user = _store(tx_rows=10**9)
    committed = "RETURN COUNT { (:Episode) } + COUNT { ()-[:MEMBER_OF]->() } AS n"

    def stream() -> Iterator[GraphBatch]:
        yield GraphBatch(nodes={Label.EPISODE: _episodes(1, 3, "early_help")},
                         rels={"member_of": [_member("P1", "F1", "child"), _member("P1", "F2", "child")]})
        deadline = time.monotonic() + 10  # wait for both batches to commit, then write as another user would
        while store._read(committed, {})[0]["n"] < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        other_user.write(GraphBatch(nodes={Label.EPISODE: _episodes(6, 7, "written meanwhile")},
                                    rels={"member_of": [_member("P2", "F2", "written meanwhile")]}))
        yield GraphBatch(nodes={Label.EPISODE: _episodes(5, 7, "early_help")},
                         rels={"member_of": [_member("P2", "F2", "child"), _member("P3", "F3", "child")]})
        yield GraphBatch(nodes={Label.PERSON: [{"id": "P99", "given_name": {"not": "a value"}}]})

    with pytest.raises(StoreError, match="nothing was written"):
        store.write_stream(stream(), expected=100)
    assert store._read("MATCH (e:Episode) RETURN e.id AS id, e.kind AS kind", {}) == [
        {"id": "E6", "kind": "written meanwhile"}]
    assert store._read("MATCH (p:Person)-[r:MEMBER_OF]->(f:Family) RETURN p.id AS p, f.id AS f, r.role AS role",
                       {}) == [{"p": "P2", "f": "F2", "role": "written meanwhile"}]
    assert store._read("MATCH ()-[r]->() WHERE r._fg_matched IS NOT NULL RETURN count(r) AS n", {})[0]["n"] == 0
    store.close()
    other_user.close()


def test_a_load_naming_an_id_twice_ends_as_one_transaction_would() -> None:
    """The second row of an id in a fresh label updates the node the first created, as a single write would."""
    had = {"had": [{"src": "F7", "dst": "E1"}]}
    batches = [GraphBatch(nodes={Label.FAMILY: _families(1, 8)}),
               GraphBatch(nodes={Label.FAMILY: [{**row, "name": "Renamed"} for row in _families(5, 12)]}),
               GraphBatch(nodes={Label.EPISODE: _episodes(1, 2, "early_help")}, rels=had),
               GraphBatch(nodes={Label.EPISODE: _episodes(2, 4, "early_help")}, rels=had)]
    whole = _store(tx_rows=10**9)
    whole.clear()
    whole.write_stream(batches)
    expected = dump(whole)
    batched = _store(tx_rows=3)
    batched.clear()
    batched.write_stream(batches, expected=100)
    assert dump(batched) == expected
    assert len([row for row in expected if "Renamed" in row]) == 7 and len([r for r in expected if "HAD" in r]) == 1
    whole.close()
    batched.close()


def test_a_later_row_of_an_id_waits_for_the_held_up_batch_that_first_wrote_it() -> None:
    """Two lanes: a batch naming an id that a batch still in flight also writes waits for it, so the later row
    wins even when the earlier batch is held up (here by another user's uncommitted write of another id)."""
    store = _store(tx_rows=2)
    store.clear()
    first, later = _families(1, 3), [{**row, "name": "Renamed"} for row in _families(2, 4)]  # F1 F2, then F2 F3
    with store._driver.session(database=store.database) as other_user:
        holding = other_user.begin_transaction()
        holding.run("CREATE (:Family {id: 'F1', name: 'uncommitted'})").consume()  # locks id F1 until it ends
        loading = threading.Thread(target=store.write_stream,
                                   args=([GraphBatch(nodes={Label.FAMILY: first}),
                                          GraphBatch(nodes={Label.FAMILY: later})],), kwargs={"expected": 100})
        loading.start()
        time.sleep(2)  # the first batch waits for F1; the second must wait for the first, not commit meanwhile
        holding.rollback()
        loading.join(timeout=30)
    names = {r["id"]: r["name"] for r in store._read("MATCH (f:Family) RETURN f.id AS id, f.name AS name", {})}
    assert names == {"F1": "Family 1", "F2": "Renamed", "F3": "Renamed"}
    store.close()


def test_a_replacing_write_bigger_than_a_batch_replaces_in_batches() -> None:
    """Linkage at national scale replaces more links than one transaction may hold: the old ones go in logged
    batches, the new ones come in batches, and the result is what one transaction gives."""
    whole, batched = _loaded(tx_rows=10**9), _loaded(tx_rows=25)
    for store in (whole, batched):
        store.write(_links("old", 120), replace=LINK_TABLES)
        store.write(_links("new", 90), replace=LINK_TABLES)
    expected = dump(whole)
    assert dump(batched) == expected
    assert "old run" not in repr(expected) and batched.unfinished_loads() == []
    whole.close()
    batched.close()


def test_a_replacing_write_that_fails_puts_back_what_it_deleted() -> None:
    store = _loaded(tx_rows=25)
    store.write(_links("old", 120), replace=LINK_TABLES)
    before = dump(store)

    def stream() -> Iterator[GraphBatch]:
        yield _links("new", 90)  # the old links are deleted and some new ones committed ...
        seen = store._read("MATCH ()-[r:SAME_AS]->() RETURN r.reason AS reason", {})
        assert not any("old run" in row["reason"] for row in seen)  # committed: another session sees it
        raise StoreError("the link run failed")  # ... before the run fails

    with pytest.raises(StoreError, match="the link run failed"):
        store.write_stream(stream(), replace=LINK_TABLES)
    assert dump(store) == before
    assert store.unfinished_loads() == []
    store.close()


def test_a_load_that_would_pass_the_memory_cap_fails_cleanly_and_the_server_stays_up() -> None:
    store = _store()
    before = store.counts()
    probe = ("UNWIND range(1, 3000000) AS i "
             "CREATE (:FamilyGraphProbe {i: i, pad: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'})")
    with pytest.raises(StoreError) as refused:
        try:
            with store._writer() as writer:
                writer.wipe(node_spec(Label.PERSON), probe)  # a statement in the one transaction, as a load
                # with no batch limit would be
        except store.write_errors as error:
            raise store._write_failed(error) from None
    assert "needed more memory than the server allows" in str(refused.value)
    assert "db.memory.transaction" in str(refused.value)
    assert store.counts() == before  # nothing kept, and the server still answers
    store.close()


def test_a_second_load_is_refused_while_one_is_running_elsewhere() -> None:
    store = _store()
    store.apply_schema()
    with store._session() as session:
        session.run("CREATE (:FamilyGraphLoad {id: 'other', status: 'running', started_at: $now, heartbeat: $now, "
                    "host: $host, pid: $pid, batches: 0})", now=time.time(), host=socket.gethostname(),
                    pid=os.getppid()).consume()
    try:
        with pytest.raises(StoreError, match=r"another load \(other.*familygraph load --undo other"):
            store.write(GraphBatch(nodes={Label.NEED: [{"id": f"n{i}"} for i in range(TX_ROWS * 2)]}))
        with pytest.raises(StoreError, match="load other is still running"):
            store.undo_load("other")
    finally:
        store._script(["MATCH (l:FamilyGraphLoad {id: 'other'}) DELETE l"])
    assert store.unfinished_loads() == []
    store.close()


def test_the_embedded_store_has_no_load_to_undo(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.sqlite")
    with pytest.raises(StoreError, match="one transaction"):
        store.undo_load("whatever")
    store.close()


def _kill_loader_at(folder: Path, rows: int) -> None:
    """Start a loader subprocess and SIGKILL it once it has written `rows` rows."""
    loader = subprocess.Popen([sys.executable, "-c", LOADER, *_args(), str(folder), str(TX_ROWS)],
                              stdout=subprocess.PIPE, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert loader.stdout is not None
    try:
        for line in loader.stdout:
            if line.strip() == "DONE":
                pytest.fail(f"the load finished before {rows} rows")
            if int(line) >= rows:
                os.kill(loader.pid, signal.SIGKILL)
                break
    finally:
        loader.wait(timeout=60)
    assert loader.returncode == -signal.SIGKILL


def test_killing_the_loader_at_five_points_leaves_the_graph_as_it_was(counties: tuple[Path, Path]) -> None:
    first, second = counties
    store = _loaded(first)
    before = dump(store)
    partial_seen = 0
    for point in (500, 1500, 3000, 4500, 6000):
        _kill_loader_at(second, point)
        unfinished = store.unfinished_loads()
        if dump(store) != before:
            partial_seen += 1
            assert len(unfinished) == 1 and unfinished[0].status == "running"
        if point == 3000:
            assert store.undo_load(unfinished[0].id) > 0  # familygraph load --undo LOAD_ID
        else:
            Neo4jStore(*_args()).recover()  # what the next load or `familygraph init` does first
        assert dump(store) == before, f"killed after {point} rows"
    assert partial_seen >= 4  # the kills did land in the middle of loads
    # the next load after a kill undoes the dead one itself, then loads as if nothing had happened
    _kill_loader_at(second, 2000)
    load_folder(store, second)
    after_recovery = dump(store)
    store.clear()
    load_folder(store, first)
    load_folder(store, second)
    assert after_recovery == dump(store)
    store.close()


def test_a_server_freezing_mid_load_fails_the_load_in_seconds_and_the_next_start_undoes_it(
        counties: tuple[Path, Path]) -> None:
    from graphmodel.contract import StoreUnavailable
    from tests.stores.test_neo4j_open import _our_server_pid

    pid = _our_server_pid()
    if pid is None:
        pytest.skip("the server in use was not started by scripts/neo4j-local from this checkout")
    first, second = counties
    store = _loaded(first, tx_rows=400)
    before = dump(store)
    frozen_at: list[float] = []

    def freeze_after_some_batches(done: int, total: int) -> None:
        if done >= 2000 and not frozen_at:
            os.kill(pid, signal.SIGSTOP)
            frozen_at.append(time.monotonic())

    try:
        with pytest.raises(StoreUnavailable, match="stopped answering"):
            load_folder(store, second, freeze_after_some_batches)
        waited = time.monotonic() - frozen_at[0]
    finally:
        os.kill(pid, signal.SIGCONT)
    assert waited < 30, f"the load hung {waited:.0f} s on a frozen server"
    time.sleep(1)
    fresh = Neo4jStore(*_args())
    assert fresh.recover(), "the frozen load was left for the next start to undo"
    assert dump(fresh) == before
    fresh.close()
    store.close()



def _stable(rows: list[str]) -> list[str]:
    """A dump without the moments a write records (when an extract was loaded), which differ run to run."""
    kept = []
    for row in map(json.loads, rows):
        row["props"] = {name: value for name, value in row["props"].items() if name != "loaded_at"}
        kept.append(json.dumps(row, sort_keys=True))
    return sorted(kept)


def _with_markers(store: Neo4jStore) -> None:
    """A review decision (which `load --clear` removes) and an erasure record (which it keeps)."""
    store.write(GraphBatch(nodes={Label.DECISION: [{"id": "DECISION-marker", "action": "different", "who": "t"}],
                                  Label.ERASURE: [{"id": "ERASURE-marker", "seq": 1, "who": "dpo"}]}))


def _clear_load(store: Neo4jStore, folder: Path, progress: Callable[[int, int], None] | None = None) -> None:
    """`familygraph load --clear FOLDER`: plan against the store, then empty it and write the folder."""
    apply_plan(store, plan_folder(store, folder, clear=True), progress)


def _has(store: Neo4jStore, node_id: str) -> bool:
    """Whether another session sees a node with this id."""
    return bool(store._read("MATCH (n {id: $id}) RETURN n.id AS id", {"id": node_id}))


def test_load_clear_bigger_than_a_batch_empties_and_loads_in_batches(counties: tuple[Path, Path]) -> None:
    """At national scale emptying the store passes any per-transaction memory cap: `load --clear` deletes the
    old data in logged batches, then loads, and ends with what one transaction gives."""
    first, second = counties
    results = []
    for tx_rows in (10**9, 25):
        store = _loaded(first, tx_rows)
        _with_markers(store)
        _clear_load(store, second)
        assert not _has(store, "DECISION-marker") and _has(store, "ERASURE-marker")
        assert store.unfinished_loads() == []
        results.append(_stable(dump(store)))
        store.close()
    assert results[0] == results[1]
    assert sum('"Family"' in row for row in results[1]) == 400


def test_a_load_clear_that_fails_after_emptying_puts_everything_back(counties: tuple[Path, Path]) -> None:
    first, second = counties
    store = _loaded(first, tx_rows=25)
    _with_markers(store)
    before = dump(store)
    seen_midway: list[bool] = []

    def fail_late(done: int, total: int) -> None:
        if done > total // 2:  # half the new rows written, the old data deleted and committed ...
            seen_midway.append(_has(store, "DECISION-marker"))
            raise StoreError("the load failed half-way")  # ... before the load fails

    with pytest.raises(StoreError, match="half-way"):
        _clear_load(store, second, fail_late)
    assert seen_midway == [False]  # the deletes really were committed batches, not one transaction
    assert dump(store) == before
    assert store.unfinished_loads() == []
    store.close()


def test_a_command_line_load_bigger_than_a_batch_records_its_extracts(counties: tuple[Path, Path]) -> None:
    """`familygraph load` plans per source and writes each source's extract record beside its rows: in a batched
    load the extract records are logged (and undoable) like the rows."""
    second = counties[1]
    results = []
    for tx_rows in (10**9, 25):
        store = _store(tx_rows)
        store.clear()
        apply_plan(store, plan_folder(store, second))
        assert store.unfinished_loads() == []
        results.append(_stable(dump(store)))
        store.close()
    assert results[0] == results[1]
    assert any('"Extract"' in row for row in results[1])


def test_big_values_are_written_and_wiped_a_few_at_a_time_under_the_memory_cap() -> None:
    """The parts of a county-wide source's undo are a megabyte each: a batch of 20,000 rows of them would pass
    the 256 MiB per-transaction cap both when they are written and when `load --clear` deletes them."""
    store = _store(tx_rows=20_000)
    store.clear()
    big = [{"id": f"S#1/undo-{n}", "source_id": "S", "extract_id": "S#1", "part": n, "undo": f"{n:>6}" * 170_000}
           for n in range(150)]  # 150 parts of 1,020,000 characters
    store.write(GraphBatch(nodes={Label.EXTRACT_PART: big}))
    assert len(store._read("MATCH (n:ExtractPart) RETURN n.id AS id", {})) == 150
    store.write(GraphBatch(nodes={Label.EXTRACT_PART: big[:2]}), replace=[str(Label.EXTRACT_PART)])
    kept = store._read("MATCH (n:ExtractPart) RETURN n.id AS id, size(n.undo) AS size ORDER BY id", {})
    assert kept == [{"id": "S#1/undo-0", "size": 1_020_000}, {"id": "S#1/undo-1", "size": 1_020_000}]
    assert store.unfinished_loads() == []
    store.close()
