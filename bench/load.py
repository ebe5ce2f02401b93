"""Load benchmark: generate counties, load each into each store, compare with a hand-written baseline.

Prints one JSON line per run: store, families, rows, wall seconds, rows/s, peak RSS of the loading
process; and for Neo4j the same rows loaded by a minimal UNWIND/MERGE script (no validation, a
commit per batch) so the ratio of our loader to that baseline comes from the same run.

    python bench/load.py --families 10000 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count_rows(folder: Path) -> int:
    """Data rows across the import files of a folder."""
    total = 0
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            total += sum(1 for _ in handle) - 1
    return total


def neo4j_config() -> tuple[str, str, str, str]:
    """URI, user, password and database from the environment (the local launcher's defaults)."""
    return (os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"), os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", "familygraph-dev"), os.environ.get("NEO4J_DATABASE", "neo4j"))


def run_ours(store_kind: str, folder: Path) -> dict[str, Any]:
    """Validate and load the folder with FamilyGraph's loader into an empty store."""
    from graphmodel.stores.embedded import EmbeddedStore
    from loaders.load import load_folder

    if store_kind == "neo4j":
        from graphmodel.stores.neo4j_store import Neo4jStore

        uri, user, password, database = neo4j_config()
        store: Any = Neo4jStore(uri, user, password, database)
        store.clear()
    else:
        tmp = tempfile.mkdtemp(prefix="fg-bench-")
        store = EmbeddedStore(Path(tmp) / "bench.sqlite")
    started = time.perf_counter()
    report = load_folder(store, folder)
    wall = time.perf_counter() - started
    counts = store.counts()
    store.close()
    return {"rows": report.rows, "writes": report.writes, "wall_s": round(wall, 2),
            "nodes_and_rels": sum(counts.values())}


BASELINE_NODES = {
    "agencies.csv": ("Agency", "agency_id"), "sources.csv": ("Source", "source_id"),
    "professionals.csv": ("Professional", "professional_id"), "families.csv": ("Family", "family_id"),
    "people.csv": ("Person", "person_id"), "involvements.csv": ("Involvement", "involvement_id"),
    "episodes.csv": ("Episode", "episode_id"),
}
BASELINE_RELS = {
    "memberships.csv": ("Person", "person_id", "MEMBER_OF", "Family", "family_id", ""),
    "relationships.csv": ("Person", "person_id", "RELATED_TO", "Person", "related_person_id", "{kind: row.kind}"),
    "needs.csv": ("Person", "person_id", "HAS_NEED", "Need", "need_code", "{since: row.since}"),
    "leads.csv": ("Professional", "professional_id", "LEADS", "Family", "family_id", "{since: row.since}"),
}


def run_baseline(folder: Path, batch: int = 10_000) -> dict[str, Any]:
    """The same rows through a minimal hand-written UNWIND/MERGE script, a commit per batch."""
    from neo4j import GraphDatabase

    from graphmodel.stores.neo4j_store import Neo4jStore

    uri, user, password, database = neo4j_config()
    Neo4jStore(uri, user, password, database).clear()  # same constraints, empty graph
    driver = GraphDatabase.driver(uri, auth=(user, password))
    started = time.perf_counter()
    rows_total = 0

    def send(query: str, rows: list[dict[str, str]]) -> None:
        for start in range(0, len(rows), batch):
            driver.execute_query(query, rows=rows[start:start + batch], database_=database)

    def read(name: str) -> list[dict[str, str]]:
        with (folder / name).open(encoding="utf-8") as handle:
            return [{k: v for k, v in r.items() if v != ""} for r in csv.DictReader(handle)]

    for name, (label, key) in BASELINE_NODES.items():
        rows = read(name)
        rows_total += len(rows)
        send(f"UNWIND $rows AS row MERGE (n:{label} {{id: row.{key}}}) SET n += row", rows)
    inv = read("involvements.csv")
    send("UNWIND $rows AS row MATCH (p:Professional {id: row.professional_id}) "
         "MATCH (i:Involvement {id: row.involvement_id}) MERGE (p)-[:DELIVERS]->(i)", inv)
    send("UNWIND $rows AS row MATCH (i:Involvement {id: row.involvement_id}) "
         "MATCH (x {id: coalesce(row.person_id, row.family_id)}) WHERE x:Person OR x:Family "
         "MERGE (i)-[:WITH]->(x)", inv)
    addresses = [{"involvement_id": r["involvement_id"], "need_code": c}
                 for r in inv for c in r["need_codes"].split(";")]
    send("UNWIND $rows AS row MATCH (i:Involvement {id: row.involvement_id}) MATCH (n:Need {id: row.need_code}) "
         "MERGE (i)-[:ADDRESSES]->(n)", addresses)
    profs = read("professionals.csv")
    send("UNWIND $rows AS row MATCH (p:Professional {id: row.professional_id}) "
         "MATCH (a:Agency {id: row.agency_id}) MERGE (p)-[:WORKS_FOR]->(a)", profs)
    episodes = read("episodes.csv")
    send("UNWIND $rows AS row MATCH (f:Family {id: row.family_id}) MATCH (e:Episode {id: row.episode_id}) "
         "MERGE (f)-[:HAD]->(e)", episodes)
    for name, (start, skey, rel, end, ekey, props) in BASELINE_RELS.items():
        rows = read(name)
        rows_total += len(rows)
        send(f"UNWIND $rows AS row MATCH (a:{start} {{id: row.{skey}}}) MATCH (b:{end} {{id: row.{ekey}}}) "
             f"MERGE (a)-[r:{rel} {props}]->(b) SET r += row", rows)
    wall = time.perf_counter() - started
    driver.close()
    return {"rows": rows_total, "wall_s": round(wall, 2)}


def one(args: argparse.Namespace) -> None:
    """Run one measurement in this process and print its JSON line."""
    folder = Path(args.folder)
    result = run_baseline(folder) if args.one == "baseline" else run_ours(args.one, folder)
    result.update({"store": args.one, "families": args.n, "rows_per_s": round(result["rows"] / result["wall_s"]),
                   "peak_rss_mb": round(peak_rss_mb())})
    print(json.dumps(result), flush=True)


def main() -> None:
    """Generate, then measure each store (and the baseline) in fresh processes, printing JSON lines."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--stores", nargs="+", default=["embedded", "neo4j", "baseline"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args)
        return
    from seed.generator import generate

    machine = {"machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version()}
    for families in args.families:
        folder = Path(tempfile.mkdtemp(prefix=f"fg-county-{families}-"))
        started = time.perf_counter()
        generate(families, args.seed, folder)
        print(json.dumps({"generated": families, "rows": count_rows(folder),
                          "wall_s": round(time.perf_counter() - started, 2), **machine}), flush=True)
        runs: dict[str, list[dict[str, Any]]] = {store: [] for store in args.stores}
        for _ in range(args.repeat):  # interleaved, so a change in the machine's load hits every store alike
            for store in args.stores:
                out = subprocess.run([sys.executable, __file__, "--one", store, "--folder", str(folder),
                                      "--n", str(families)], capture_output=True, text=True, cwd=REPO,
                                     env={**os.environ, "PYTHONPATH": str(REPO)})
                if out.returncode != 0:
                    print(json.dumps({"store": store, "families": families, "error": out.stderr[-2000:]}))
                    continue
                line = json.loads(out.stdout.strip().splitlines()[-1])
                runs[store].append(line)
                print(json.dumps(line), flush=True)
        medians: dict[str, float] = {}
        for store, done in runs.items():
            if done:
                medians[store] = statistics.median(r["rows_per_s"] for r in done)
                print(json.dumps({"store": store, "families": families, "median_rows_per_s": medians[store],
                                  "median_wall_s": statistics.median(r["wall_s"] for r in done),
                                  "median_peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in done),
                                  "runs": len(done), "load_average": os.getloadavg()[0]}), flush=True)
        if "neo4j" in medians and "baseline" in medians:
            print(json.dumps({"families": families, "neo4j_vs_baseline":
                              round(medians["neo4j"] / medians["baseline"], 3)}), flush=True)


if __name__ == "__main__":
    main()
