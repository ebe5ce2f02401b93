"""Crash benchmark: kill -9 the loader, and the Neo4j server, in the middle of a county-sized load.

    python -m bench.crash --base FOLDER_A --load FOLDER_B --loader-at 100000 300000 --server-at 250000
    python -m bench.crash --load FOLDER_B --loader-at 400000 --server-at 800000   # a first load, into an empty store

The local server (scripts/neo4j-local, with this shell's NEO4J_PORT / FAMILYGRAPH_NEO4J_HOME) is cleared
and loaded with FOLDER_A; a digest of every node and relationship (labels or type, ends, all properties,
bookkeeping included) is taken. Then, for each point, a loader process loads FOLDER_B (whose ids overlap
A's, so it both changes existing nodes and adds new ones) and is killed with SIGKILL once it has passed
that many rows: either the loader itself, or the server (which is then started again and recovers from
its transaction log). The next start's recovery (what `familygraph init` or the next load does first)
runs, and the digest is compared with the one before. One JSON line per point: where, rows passed,
whether the graph had changed before recovery, the batches undone, seconds to recover, and whether the
graph is as it was. Without --base the store is only cleared, so the killed load is a first load, written
fresh (no before-images read; see docs/neo4j-loads.md), and recovery must leave the store empty again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.load import neo4j_config  # noqa: E402

LOADER = """
import sys
from pathlib import Path
from graphmodel.stores.neo4j_store import Neo4jStore
from loaders.load import load_folder
store = Neo4jStore(*sys.argv[2:6])
load_folder(store, Path(sys.argv[1]), lambda done, total: print(done, flush=True))
print("DONE", flush=True)
"""

NODES = "MATCH (n) RETURN labels(n) AS l, properties(n) AS p"
RELS = "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p"


def digest(store: Any) -> tuple[int, str]:
    """Count and an order-free digest (sum of SHA-256 of each row, mod 2^256) of every node and relationship."""
    total, count = 0, 0
    with store._session(write=False) as session:
        for query in (NODES, RELS):
            for record in session.run(query):
                text = json.dumps(record.data(), sort_keys=True, default=str)
                total = (total + int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")) % 2**256
                count += 1
    return count, f"{total:064x}"[:16]


def open_store() -> Any:
    """The Neo4j store of this shell's environment."""
    from graphmodel.stores.neo4j_store import Neo4jStore

    return Neo4jStore(*neo4j_config())


def server_pid() -> int:
    """The local server's pid."""
    home = Path(os.environ.get("FAMILYGRAPH_NEO4J_HOME", REPO / ".neo4j-local"))
    return int((home / "neo4j.pid").read_text().strip())


def load_until(folder: Path, rows: int, victim: str) -> int:
    """Run a loader on the folder and kill the victim ('loader' or 'server') once it passed `rows` rows."""
    loader = subprocess.Popen([sys.executable, "-c", LOADER, str(folder), *neo4j_config()], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    passed = 0
    assert loader.stdout is not None
    for line in loader.stdout:
        if line.startswith("DONE"):
            raise SystemExit(f"the load finished before {rows} rows; choose a smaller point")
        passed = int(line)
        if passed >= rows:
            os.kill(loader.pid if victim == "loader" else server_pid(), signal.SIGKILL)
            break
    else:
        raise SystemExit(f"the loader stopped by itself after {passed} rows (exit {loader.wait()})")
    if victim == "server":
        loader.wait(timeout=600)  # it fails on the lost connection and leaves the undo to the next start
        subprocess.run([str(REPO / "scripts" / "neo4j-local"), "start"], check=True, capture_output=True)
    else:
        loader.wait(timeout=60)
    return passed


def main() -> None:
    """Load the base, then kill at each point and check recovery, printing JSON lines."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, help="folder loaded first (default: none, so the killed load is a "
                        "first load into an empty store, written fresh)")
    parser.add_argument("--load", type=Path, required=True)
    parser.add_argument("--loader-at", type=int, nargs="*", default=[])
    parser.add_argument("--server-at", type=int, nargs="*", default=[])
    args = parser.parse_args()
    from loaders.load import load_folder

    store = open_store()
    store.clear()
    if args.base is not None:
        started = time.perf_counter()
        report = load_folder(store, args.base)
        print(json.dumps({"base_rows": report.rows, "load_s": round(time.perf_counter() - started, 1)}), flush=True)
    before = digest(store)
    store.close()
    print(json.dumps({"digest_before": before}), flush=True)
    points = [("loader", n) for n in args.loader_at] + [("server", n) for n in args.server_at]
    for victim, rows in points:
        passed = load_until(args.load, rows, victim)
        store = open_store()
        changed = digest(store) != before
        started = time.perf_counter()
        undone = store.recover()
        recover_s = time.perf_counter() - started
        after = digest(store)
        store.close()
        print(json.dumps({"killed": victim, "rows_passed": passed, "graph_changed_before_recovery": changed,
                          "loads_undone": len(undone), "recover_s": round(recover_s, 1),
                          "nodes_and_rels": after[0], "as_it_was": after == before}), flush=True)


if __name__ == "__main__":
    main()
