"""`familygraph generate | load | stats`: make a county, load an import folder, count what is stored."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
import time
from pathlib import Path

from familygraph.edge import (
    DEMO_FOLDER,
    CliError,
    open_configured_store,
    positive_int,
    progress_bar,
    user_date,
    whole_number,
)
from graphmodel.contract import GraphStore
from loaders.problems import Problem

__all__ = ["load_into", "register"]

_log = logging.getLogger(__name__)


def cmd_generate(args: argparse.Namespace) -> int:
    """Write a synthetic county to a folder."""
    from seed.generator import generate

    update, close = progress_bar("families", " families")
    try:
        summary = generate(args.families, args.seed, Path(args.out), as_of=args.as_of, progress=update)
    finally:
        close()
    print(json.dumps(dataclasses.asdict(summary), default=str))
    return 0


def load_into(store: GraphStore, folder: Path, *, delta: bool = False, accept_identity_changes: bool = False,
              clear: bool = False) -> dict[str, object]:
    """Validate a folder, diff it per source against the store and write it in one transaction (with a
    progress bar); raise LoadRejected with every problem, identity changes included."""
    from familygraph.refresh_commands import print_plan
    from graphmodel.changes import refresh_store
    from loaders.refresh import apply_plan, plan_folder

    started = time.perf_counter()
    target = refresh_store(store)
    plan = plan_folder(target, folder, delta=delta, accept_identity_changes=accept_identity_changes, clear=clear)
    update, close = progress_bar(f"loading {folder.name}", " writes")
    try:
        apply_plan(target, plan, update)
    finally:
        close()
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    print_plan(plan, sys.stderr)
    seconds = time.perf_counter() - started
    _log.info("loaded %s: %s rows, %s writes in %.1f s", folder, plan.rows, plan.changes.size(), seconds)
    return {"rows": plan.rows, "writes": plan.changes.size(), "seconds": round(seconds, 2), "files": plan.files,
            "sources": {row.pop("source"): row for row in plan.summary_rows()},
            "identity_changes": [str(p) for p in plan.identity_changes]}


def cmd_load(args: argparse.Namespace) -> int:
    """Validate and load an import folder (all or nothing); --clear empties the store in the same transaction."""
    from loaders.problems import LoadRejected, format_problems

    if not args.demo and not args.folder:
        raise CliError("give a folder to load, or --demo")
    folder = DEMO_FOLDER if args.demo else Path(args.folder)
    if not folder.is_dir():
        raise CliError(f"{folder}: not a folder (give the folder that holds the import files)")
    store = open_configured_store()
    try:
        result = load_into(store, folder, delta=args.delta, accept_identity_changes=args.accept_identity_changes,
                           clear=args.clear)
    except LoadRejected as rejected:
        print(format_problems(rejected.problems), file=sys.stderr)
        _print_identity_counts(rejected.problems)
        raise
    finally:
        store.close()
    print(json.dumps(result))
    return 0


def _print_identity_counts(problems: list[Problem]) -> None:
    """One line counting the identity changes by file and column, when there are any."""
    from collections import Counter

    kinds = Counter(f"{p.file} {p.column}" for p in problems if p.reason.startswith("identity change"))
    if kinds:
        print(f"{sum(kinds.values())} identity change(s): " + "; ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
              + " (nothing was loaded; --accept-identity-changes if these are corrections)", file=sys.stderr)


def cmd_stats(args: argparse.Namespace) -> int:
    """Print node and relationship counts and the sources with their dates."""
    store = open_configured_store()
    try:
        counts = store.counts()
        sources = store.sources()
    finally:
        store.close()
    if args.json:
        print(json.dumps({"counts": counts, "sources": [dataclasses.asdict(s) for s in sources]}))
        return 0
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        print(f"{key:<{width}}  {value:>10,}")
    for source in sources:
        print(f"source {source.id}: agency {source.agency_id}, extracted {source.extracted_at}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add generate, load and stats."""
    gen = sub.add_parser("generate", help="write a synthetic county (CSV files + ground truth)")
    gen.add_argument("out")
    gen.add_argument("--families", type=positive_int, default=300)
    gen.add_argument("--seed", type=whole_number, default=42)
    gen.add_argument("--as-of", type=user_date, default="2026-11-01",
                     help="reference date of the county (YYYY-MM-DD or DD/MM/YYYY)")
    gen.set_defaults(func=cmd_generate)
    load = sub.add_parser("load", help="validate and load an import folder, all or nothing")
    load.add_argument("folder", nargs="?")
    load.add_argument("--demo", action="store_true", help="load the demo county shipped in seed/demo")
    load.add_argument("--clear", action="store_true",
                      help="replace everything in the store (checked first; emptied in the same transaction)")
    load.add_argument("--delta", action="store_true",
                      help="the extracts hold only changed rows: add and update, never close or remove")
    load.add_argument("--accept-identity-changes", action="store_true",
                      help="accept rows that change who a stored record is (date of birth, names, role, ...)")
    load.set_defaults(func=cmd_load)
    stats = sub.add_parser("stats", help="counts and sources")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)
