"""Refresh benchmark: a county's first extract, a source's next extract, its rollback and an erasure.

Prints one JSON line per store and step: seconds, rows, changes written, peak RSS; the first load also
runs the streaming loader (loaders.load.load_folder, no diff and no history) on an empty store of the
same kind as the baseline.

    python bench/refresh.py --families 2000 --stores embedded neo4j
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _open(kind: str) -> Any:
    from graphmodel.stores.embedded import EmbeddedStore

    if kind == "neo4j":
        from graphmodel.stores.neo4j_store import Neo4jStore

        store: Any = Neo4jStore(os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
                                os.environ.get("NEO4J_USER", "neo4j"),
                                os.environ.get("NEO4J_PASSWORD", "familygraph-dev"),
                                os.environ.get("NEO4J_DATABASE", "neo4j"))
        store.clear()
        return store
    return EmbeddedStore(Path(tempfile.mkdtemp(prefix="fg-refresh-")) / "store.sqlite")


def _line(**fields: Any) -> None:
    fields["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(fields), flush=True)


def main() -> None:
    """Run every step on every store."""
    from graphmodel.changes import dump
    from loaders.erase import erase_person
    from loaders.history import rollback_source
    from loaders.load import load_folder
    from loaders.refresh import apply_plan, plan_folder
    from seed.extracts import next_extract
    from seed.generator import generate

    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--stores", nargs="+", default=["embedded"])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fg-refresh-county-"))
    generate(args.families, 7, work / "first", as_of="2026-11-01")
    planted = next_extract(work / "first", work / "second", "2026-11-20")
    for kind in args.stores:
        base = _open(kind)
        started = time.perf_counter()
        report = load_folder(base, work / "first")
        _line(store=kind, step="baseline streaming load", families=args.families, rows=report.rows,
              seconds=round(time.perf_counter() - started, 2))
        base.close()
        store = _open(kind)
        for step, folder in (("first extract", work / "first"), ("next extract", work / "second")):
            started = time.perf_counter()
            plan = plan_folder(store, folder)
            planned = time.perf_counter() - started
            apply_plan(store, plan)
            summary = plan.summaries[planted.source_id].counts()
            _line(store=kind, step=step, families=args.families, rows=plan.rows, writes=plan.changes.size(),
                  plan_s=round(planned, 2), seconds=round(time.perf_counter() - started, 2),
                  source=planted.source_id, **summary)
            if step == "first extract":
                first = dump(store)
        started = time.perf_counter()
        rollback_source(store, planted.source_id)
        seconds = round(time.perf_counter() - started, 2)
        _line(store=kind, step="rollback", seconds=seconds, restored_exactly=dump(store) == first)
        person = store.node_rows(__import__("graphmodel.schema").schema.Label.PERSON)[0]["id"]
        started = time.perf_counter()
        erased = erase_person(store, person, reason="benchmark", who="bench")
        _line(store=kind, step="erase person", seconds=round(time.perf_counter() - started, 2),
              removed=sum(erased.removed.values()))
        store.close()


if __name__ == "__main__":
    main()
