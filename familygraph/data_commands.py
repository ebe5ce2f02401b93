"""`familygraph generate | init | load | stats`: make a county, prepare the store, load a folder, count."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
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


def load_into(store: GraphStore, folder: Path) -> dict[str, object]:
    """Validate and load a folder with a progress bar; raise LoadRejected with every problem."""
    from loaders.load import load_folder

    update, close = progress_bar(f"loading {folder.name}", " writes")
    try:
        report = load_folder(store, folder, update)
    finally:
        close()
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    _log.info("loaded %s: %s rows, %s writes in %.1f s", folder, report.rows, report.writes, report.seconds)
    return {"rows": report.rows, "writes": report.writes, "seconds": round(report.seconds, 2),
            "files": report.files}


def cmd_init(args: argparse.Namespace) -> int:
    """Apply the schema and undo loads a dead process left unfinished."""
    from graphmodel.stores.lifecycle import init_store

    store = open_configured_store()
    try:
        undone = init_store(store)
    finally:
        store.close()
    print(json.dumps({"schema": "applied", "undone_loads": undone}))
    return 0


def cmd_undo(load_id: str) -> int:
    """Undo one unfinished load by its id."""
    from graphmodel.stores.lifecycle import undo_load

    store = open_configured_store()
    try:
        batches = undo_load(store, load_id)
    finally:
        store.close()
    print(json.dumps({"undone_load": load_id, "batches": batches}))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """Validate and load an import folder (all or nothing)."""
    from loaders.problems import LoadRejected, format_problems

    if args.undo:
        return cmd_undo(args.undo)
    if not args.demo and not args.folder:
        raise CliError("give a folder to load, or --demo")
    folder = DEMO_FOLDER if args.demo else Path(args.folder)
    if not folder.is_dir():
        raise CliError(f"{folder}: not a folder (give the folder that holds the import files)")
    store = open_configured_store()
    try:
        if args.clear:
            store.clear()
        result = load_into(store, folder)
    except LoadRejected as rejected:
        print(format_problems(rejected.problems), file=sys.stderr)
        raise
    finally:
        store.close()
    print(json.dumps(result))
    return 0


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
    load.add_argument("--clear", action="store_true", help="empty the store first")
    load.add_argument("--undo", metavar="LOAD_ID", help="undo a Neo4j load left unfinished (its id is logged)")
    load.set_defaults(func=cmd_load)
    init = sub.add_parser("init", help="apply the schema; undo loads a stopped process left unfinished")
    init.set_defaults(func=cmd_init)
    stats = sub.add_parser("stats", help="counts and sources")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)
