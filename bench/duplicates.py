"""Duplicate finder accuracy on planted truth: precision and recall of duplicated work, and look-alikes flagged.

    python bench/duplicates.py --families 10000 --seed 2026

Generates a county with planted positives (duplicated work) and negatives (parallel work across members,
shared-care pairings, sequential work, one professional on two needs), loads it into the embedded store, runs
the Hub's worklist and prints one JSON line with precision, recall, the counts behind them and the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from graphmodel.contract import GraphStore

AS_OF = "2026-11-01"


def _truth(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "truth" / f"{name}.csv", dtype=str, keep_default_na=False)


def _family_need_baseline(store: GraphStore) -> set[tuple[str, str]]:
    """(family, need) pairs the earlier family-level rule flagged: two or more professionals, open on AS_OF."""
    from graphmodel.records import CountyTable
    from queries.common import open_on

    tables = {CountyTable.INVOLVEMENTS: store.county_table(CountyTable.INVOLVEMENTS)}
    inv = open_on(tables, CountyTable.INVOLVEMENTS, AS_OF)
    counts = inv.groupby(["family_id", "need_code"]).professional_id.nunique()
    return {(str(f), str(n)) for (f, n), c in counts.items() if c >= 2}


def measure(families: int, seed: int, folder: Path) -> dict[str, object]:
    """Generate, load, run the worklist and score it against the truth files."""
    from graphmodel.stores.embedded import EmbeddedStore
    from loaders.load import load_folder
    from queries.duplicates import county_worklist
    from seed.generator import generate

    generate(families, seed, folder, as_of=AS_OF)
    store = EmbeddedStore(folder / "store.sqlite")
    load_folder(store, folder)
    started = time.perf_counter()
    worklist = county_worklist(store, AS_OF)
    seconds = time.perf_counter() - started
    baseline = _family_need_baseline(store)
    store.close()
    rows = pd.concat([_truth(folder, "duplicated_involvement"), _truth(folder, "duplicated_involvement_background")])
    expected = set(zip(rows.family_id, rows.need_code, rows.person_id, strict=True))
    found = {(f.family_id, f.need_code or "", f.person_ids[0] if f.person_ids else "")
             for f in worklist if f.kind == "duplicated_work"}
    negatives = _truth(folder, "duplicate_lookalikes")
    negative_keys = {(r.family_id, r.need_code, p) for r in negatives.itertuples() for p in r.person_ids.split(";")}
    hits = len(expected & found)
    by_family_need = {(f, n) for f, n, _ in expected}
    base_hits = len(baseline & by_family_need)
    return {
        "bench": "duplicate_finder", "families": families, "seed": seed, "as_of": AS_OF,
        "precision": round(hits / len(found), 4) if found else None,
        "recall": round(hits / len(expected), 4) if expected else None,
        "true_positives": hits, "false_positives": len(found - expected), "false_negatives": len(expected - found),
        "planted_positives": len(_truth(folder, "duplicated_involvement")),
        "background_positives": len(_truth(folder, "duplicated_involvement_background")),
        "planted_negatives": {str(k): int(v) for k, v in negatives.groupby("kind").size().items()},
        "negatives_flagged": len(negative_keys & found),
        "parallel_findings": sum(f.kind == "parallel_work" for f in worklist),
        "baseline_family_need_rule": {  # the old rule: any two professionals on one need anywhere in the family
            "precision": round(base_hits / len(baseline), 4) if baseline else None,
            "recall": round(base_hits / len(by_family_need), 4) if by_family_need else None,
            "flagged": len(baseline)},
        "worklist_seconds": round(seconds, 3), "cpus": os.cpu_count(),
        "load_note": "shared 2-core machine, other agents running",
    }


def main() -> None:
    """Print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(measure(args.families, args.seed, Path(tmp))))


if __name__ == "__main__":
    main()
