"""Time the family page (an AppTest script run of app.py -> pages/family.py) on a generated county.

    python -m bench.app_page [--families 10000] [--runs 7] [--stores embedded,neo4j]

Generates the county with seed.generator (cached in bench/out/), loads it into the embedded store (and
into Neo4j when it is reachable: that clears the shared Neo4j database), then for each store opens the
family page for `runs` different families ("cold": nothing cached for that family) and re-runs the last
one ("warm": answers cached). Prints one JSON line per store with the median and p95 in seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

from graphmodel.config import StoreConfig, open_store
from graphmodel.contract import GraphStore, StoreError
from graphmodel.records import CountyTable

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
AS_OF = "2026-11-01"


def _county(families: int, seed: int) -> Path:
    """The generated county's import folder (generated once, then reused)."""
    from seed.generator import generate

    folder = OUT / f"county-{families}-{seed}"
    if not (folder / "people.csv").exists():
        print(f"generating {families} families into {folder} ...", file=sys.stderr)
        generate(families, seed, folder, as_of=AS_OF)
    return folder


def _loaded(store: GraphStore, folder: Path, families: int) -> None:
    """Load the folder unless the store already holds exactly this county."""
    from loaders.load import load_folder

    if store.counts().get("Family") == families:
        return
    print(f"loading {folder.name} into the {store.kind} store ...", file=sys.stderr)
    store.clear()
    report = load_folder(store, folder)
    print(f"  {report.rows:,} rows in {report.seconds:.1f} s", file=sys.stderr)


def _sample(store: GraphStore, runs: int) -> list[str]:
    """Families to open: half the busiest (most professionals), half spread through the county."""
    inv = store.county_table(CountyTable.INVOLVEMENTS)
    busy = inv.groupby("family_id").professional_id.nunique().sort_values(ascending=False)
    top = [str(f) for f in busy.index[: runs // 2]]
    spread = [str(f) for f in busy.index[:: max(1, len(busy) // runs)] if str(f) not in top]
    return (top + spread)[:runs]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _has_ecomap(at: object) -> bool:
    """True when the run drew the ecomap iframe (a self-contained vis.js page)."""
    def walk(node: object) -> bool:
        if getattr(node, "type", None) == "iframe":
            return "vis.Network" in str(node.proto.srcdoc)  # type: ignore[attr-defined]
        return any(walk(child) for child in getattr(node, "children", {}).values())

    return walk(at._tree)  # type: ignore[attr-defined]


def _time_family_page(kind: str, families: list[str]) -> dict[str, object]:
    """AppTest runs of the family page: one per family (cold), then the last family again (warm)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["as_of"] = dt.date.fromisoformat(AS_OF)
    at.run()  # front door: opens the store and warms the sidebar
    cold: list[float] = []
    for family_id in families:
        at.session_state["family_id"] = family_id
        at.switch_page("pages/family.py")
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        assert not at.exception, [e.value for e in at.exception]
        assert at.title and at.title[0].value != "Family", f"family {family_id} did not open"
        assert _has_ecomap(at), f"family {family_id}: no ecomap drawn"
    warm: list[float] = []
    for _ in range(len(families)):
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    return {"store": kind, "page": "family", "families_opened": len(families),
            "cold_median_s": round(statistics.median(cold), 3), "cold_p95_s": round(_p95(cold), 3),
            "cold_max_s": round(max(cold), 3), "warm_median_s": round(statistics.median(warm), 3)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=15, help="different families opened per store")
    parser.add_argument("--stores", default="embedded,neo4j")
    args = parser.parse_args(argv)
    try:
        folder = _county(args.families, args.seed)
    except ImportError as error:
        print(f"seed.generator is not available ({error}); nothing to time", file=sys.stderr)
        return 1
    for kind in args.stores.split(","):
        config = StoreConfig.from_env({**os.environ, "FAMILYGRAPH_STORE": kind,
                                       "FAMILYGRAPH_DB": str(OUT / f"county-{args.families}-{args.seed}.sqlite")})
        try:
            store = open_store(config)
        except StoreError as error:
            print(json.dumps({"store": kind, "skipped": str(error)}))
            continue
        try:
            _loaded(store, folder, args.families)
            sample = _sample(store, args.runs)
        finally:
            store.close()
        os.environ["FAMILYGRAPH_STORE"] = kind
        os.environ["FAMILYGRAPH_DB"] = str(config.embedded_path)
        result = _time_family_page(kind, sample)
        print(json.dumps({"families_in_county": args.families, **result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
