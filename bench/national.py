"""National-scale benchmark: generate a county, load it into each store, link it, ask questions.

    python bench/national.py --families 300000 --stores embedded neo4j

One JSON line per stage: generation (wall, rows); per store, in a fresh process: load (wall, rows/s),
link (wall), per-family questions (p50/p95 over --sample random families), county questions (wall),
the client's peak RSS, the Neo4j server's peak heap in use and peak RSS (sampled every 0.5 s, when the
server is the local one), and the store's size on disk. Targets (issue 13): generate + load + link
< 15 min per store at 300,000 families; per-family p95 < 50 ms (Neo4j) / < 20 ms (embedded); county
questions < 10 s; server heap for any load <= 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.load import count_rows, neo4j_config  # noqa: E402
from bench.questions import AS_OF, county_wide, per_family, percentile  # noqa: E402


class ServerWatch:
    """Samples the local Neo4j's heap in use (JMX) and RSS (/proc) in a thread; keeps the peaks."""

    def __init__(self) -> None:
        self.peak_heap_mb = 0.0
        self.peak_rss_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        home = Path(os.environ.get("FAMILYGRAPH_NEO4J_HOME", REPO / ".neo4j-local"))
        pid_file = home / "neo4j.pid"
        self.pid = int(pid_file.read_text()) if pid_file.exists() else None

    def _run(self) -> None:
        from neo4j import GraphDatabase

        uri, user, password, _ = neo4j_config()
        with GraphDatabase.driver(uri, auth=(user, password)) as driver:
            while not self._stop.is_set():
                try:
                    records, _, _ = driver.execute_query(
                        "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
                        "RETURN attributes.HeapMemoryUsage.value.properties.used AS used")
                    self.peak_heap_mb = max(self.peak_heap_mb, records[0]["used"] / 2**20)
                except Exception:  # a missed sample only
                    pass
                if self.pid:
                    try:
                        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                            if line.startswith("VmRSS:"):
                                self.peak_rss_mb = max(self.peak_rss_mb, int(line.split()[1]) / 1024)
                    except OSError:
                        pass
                self._stop.wait(0.5)

    def __enter__(self) -> ServerWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def dir_size_mb(path: Path) -> float:
    """Bytes under a directory (or of a file) in MiB."""
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def run_store(kind: str, folder: Path, families: int, sample_size: int, link: bool, load: bool = True) -> None:
    """Load, link and question one store in this process (only question it, without load); a JSON line per stage."""
    from graphmodel.stores.embedded import EmbeddedStore
    from graphmodel.stores.neo4j_store import Neo4jStore
    from loaders.linkage.graph import link_store
    from loaders.load import load_folder

    base = {"store": kind, "families": families}
    db_path = folder / "national.sqlite"
    if kind == "neo4j":
        store: Any = Neo4jStore(*neo4j_config())
        if load:
            store.clear()
    else:
        if load:
            db_path.unlink(missing_ok=True)
        store = EmbeddedStore(db_path)
    watch = ServerWatch() if kind == "neo4j" else None
    with watch or _Null():
        if load:
            started = time.perf_counter()
            report = load_folder(store, folder)
            wall = time.perf_counter() - started
            print(json.dumps({**base, "stage": "load", "wall_s": round(wall, 1), "rows": report.rows,
                              "rows_per_s": round(report.rows / wall), "writes": report.writes}), flush=True)
        if load and link:
            started = time.perf_counter()
            summary, _ = link_store(store)
            print(json.dumps({**base, "stage": "link", "wall_s": round(time.perf_counter() - started, 1),
                              "records": summary.records, "linked_pairs": summary.linked_pairs}), flush=True)
    sample = random.Random(1).sample(store.family_ids(), sample_size)
    per_family(store, sample[:10])  # warm caches and plans
    missed: list[str] = []
    for question, values in per_family(store, sample, missed).items():
        print(json.dumps({**base, "stage": "question", "question": question, "n": len(values),
                          "p50_ms": round(percentile(values, 0.5), 1), "p95_ms": round(percentile(values, 0.95), 1)}),
              flush=True)
    print(json.dumps({**base, "stage": "front_door_recall", "missed": len(missed), "of": len(sample)}), flush=True)
    print(json.dumps({**base, "stage": "county_questions", "wall_s": county_wide(store, 1)}), flush=True)
    if kind == "neo4j":
        home = Path(os.environ.get("FAMILYGRAPH_NEO4J_HOME", REPO / ".neo4j-local"))
        size = dir_size_mb(home / "data" / "data")
    else:
        size = dir_size_mb(db_path)
    store.close()
    client_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = {"stage": "resources", "client_peak_rss_mb": round(client_rss), "store_size_mb": round(size)}
    if watch is not None:
        peak.update({"server_peak_heap_mb": round(watch.peak_heap_mb), "server_peak_rss_mb": round(watch.peak_rss_mb)})
    print(json.dumps({**base, **peak}), flush=True)


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def main() -> None:
    """Generate once, then each store in a fresh process."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=300_000)
    parser.add_argument("--stores", nargs="+", default=["embedded", "neo4j"])
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--folder", help="reuse a generated county")
    parser.add_argument("--no-link", action="store_true")
    parser.add_argument("--questions-only", action="store_true",
                        help="ask the questions of what the stores hold (from an earlier run on --folder)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_store(args.one, Path(args.folder), args.families, args.sample, not args.no_link, not args.questions_only)
        return
    machine = {"machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
               "load_average": os.getloadavg()[0]}
    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix=f"fg-national-{args.families}-"))
    if not (folder / "families.csv").exists():
        from seed.generator import generate

        started = time.perf_counter()
        generate(args.families, args.seed, folder, as_of=AS_OF)
        print(json.dumps({"stage": "generate", "families": args.families, "rows": count_rows(folder),
                          "wall_s": round(time.perf_counter() - started, 1), **machine}), flush=True)
    for kind in args.stores:
        command = [sys.executable, __file__, "--one", kind, "--folder", str(folder), "--families", str(args.families),
                   "--sample", str(args.sample)] + (["--no-link"] if args.no_link else []) + (
                   ["--questions-only"] if args.questions_only else [])
        out = subprocess.run(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        if out.returncode != 0:
            print(json.dumps({"store": kind, "families": args.families, "error": f"exit {out.returncode}"}),
                  flush=True)


if __name__ == "__main__":
    main()
