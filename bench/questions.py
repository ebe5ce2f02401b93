"""Question latency benchmark: per-family questions (p50/p95) and county-wide questions (wall time).

    python bench/questions.py --families 100000 --stores embedded neo4j --sample 200

Generates a county (or reuses --folder), loads it into each store (unless --no-load), then times
front door, team, duplicates and lead suggestion for a random sample of families, and the county
worklist, coverage and Supporting Families once each (median of --repeat runs). One JSON line each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.load import neo4j_config

AS_OF = "2026-11-01"


def open_bench_store(kind: str, db_path: Path) -> Any:
    """The embedded store at db_path, or the configured Neo4j."""
    if kind == "neo4j":
        from graphmodel.stores.neo4j_store import Neo4jStore

        return Neo4jStore(*neo4j_config())
    from graphmodel.stores.embedded import EmbeddedStore

    return EmbeddedStore(db_path)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(fn: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def per_family(store: Any, sample: list[str], missed: list[str] | None = None) -> dict[str, list[float]]:
    """Latencies of the per-family questions over the sample (and, into missed, each person the front door
    did not return when asked by their exact name and date of birth)."""
    from queries.duplicates import family_duplicates
    from queries.frontdoor import search
    from queries.suggest import suggest_lead
    from queries.team import team_around_family

    timings: dict[str, list[float]] = {"front_door": [], "team": [], "duplicates": [], "suggestion": []}
    for family_id in sample:
        snap = store.family_snapshot(family_id)
        member = snap.members[0]
        name = f"{member.given_name} {member.family_name}"
        hits: list[Any] = []
        timings["front_door"].append(timed(lambda: hits.extend(search(store, name, member.dob, as_of=AS_OF))))  # noqa: B023
        if missed is not None and member.person_id not in {hit.person_id for hit in hits}:
            missed.append(member.person_id)
        timings["team"].append(timed(lambda: team_around_family(store, family_id, AS_OF)))  # noqa: B023
        timings["duplicates"].append(timed(lambda: family_duplicates(store, family_id, AS_OF)))  # noqa: B023
        timings["suggestion"].append(timed(lambda: suggest_lead(store, family_id, AS_OF)))  # noqa: B023
    return timings


def county_wide(store: Any, repeat: int) -> dict[str, float]:
    """Median wall seconds of the county-wide questions."""
    from queries.coverage import coverage
    from queries.duplicates import county_worklist
    from queries.supporting_families import supporting_families

    result = {}
    for name, fn in (("worklist", lambda: county_worklist(store, AS_OF)), ("coverage", lambda: coverage(store, AS_OF)),
                     ("supporting_families", lambda: supporting_families(store, AS_OF))):
        result[name] = round(statistics.median(timed(fn) / 1000 for _ in range(repeat)), 2)
    return result


def main() -> None:
    """Generate, load, measure; print JSON lines."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--stores", nargs="+", default=["embedded", "neo4j"])
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", default=None, help="reuse a generated county")
    parser.add_argument("--no-load", action="store_true", help="reuse what the stores hold")
    args = parser.parse_args()
    machine = {"machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version()}
    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="fg-q-"))
    if not (folder / "families.csv").exists():
        from seed.generator import generate

        generate(args.families, 3, folder, as_of=AS_OF)
    db_path = folder / "bench.sqlite"
    for kind in args.stores:
        store = open_bench_store(kind, db_path)
        if not args.no_load:
            from loaders.load import load_folder

            store.clear()
            started = time.perf_counter()
            load_folder(store, folder)
            print(json.dumps({"store": kind, "families": args.families, "load_s":
                              round(time.perf_counter() - started, 1), **machine}), flush=True)
        sample = random.Random(1).sample(store.family_ids(), args.sample)
        per_family(store, sample[:10])  # warm caches and query plans
        missed: list[str] = []
        for question, values in per_family(store, sample, missed).items():
            print(json.dumps({"store": kind, "families": args.families, "question": question, "n": len(values),
                              "p50_ms": round(percentile(values, 0.5), 1),
                              "p95_ms": round(percentile(values, 0.95), 1)}), flush=True)
        print(json.dumps({"store": kind, "families": args.families, "front_door_missed": len(missed),
                          "of": len(sample)}), flush=True)
        print(json.dumps({"store": kind, "families": args.families, "county_wide_s": county_wide(store, args.repeat)}),
              flush=True)
        store.close()


if __name__ == "__main__":
    main()
