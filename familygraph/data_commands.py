"""`familygraph generate | init | load | stats`: make a county, prepare the store, load a folder, count."""

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
from graphmodel.audit import AuditAction
from graphmodel.contract import GraphStore
from loaders.problems import Problem
from queries.access import record
from queries.roles import cli_user

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


def load_into(store: GraphStore, folder: Path, problems_csv: Path | None = None,
              ssd: dict[str, str | None] | None = None, *, delta: bool = False, accept_identity_changes: bool = False,
              clear: bool = False) -> dict[str, object]:
    """Validate a folder (import files, or an SSD extract when `ssd` gives its source and agency), diff it per
    source against the store and write it with a progress bar; raise LoadRejected with every problem, identity
    changes included. Data-quality notes are counted by kind in the result and written whole to
    `problems_csv` (with the structural problems, if any). `clear` empties the store in the same write."""
    from familygraph.refresh_commands import print_plan
    from graphmodel.changes import refresh_store
    from loaders.problems import LoadRejected, write_problems_csv
    from loaders.quality_log import save_quality
    from loaders.refresh import apply_plan, plan_folder, plan_ssd_folder

    started = time.perf_counter()
    target = refresh_store(store)
    try:
        if ssd is not None:
            plan = plan_ssd_folder(target, folder, source_id=str(ssd["source_id"]), agency_id=str(ssd["agency_id"]),
                                   extracted_at=ssd.get("extracted_at"), delta=delta,
                                   accept_identity_changes=accept_identity_changes, clear=clear)
        else:
            plan = plan_folder(target, folder, delta=delta, accept_identity_changes=accept_identity_changes,
                               clear=clear)
    except LoadRejected as rejected:
        if problems_csv is not None:
            write_problems_csv(problems_csv, [*rejected.problems, *rejected.quality])
        raise
    update, close = progress_bar(f"loading {folder.name}", " writes")
    try:
        apply_plan(target, plan, update)
    finally:
        close()
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    if plan.quality:
        counts = ", ".join(f"{n:,} {kind}" for kind, n in plan.quality_counts().items())
        where = f"; all written to {problems_csv}" if problems_csv else "; write them all with --problems FILE.csv"
        print(f"note: {len(plan.quality):,} data-quality note(s), the records loaded without the bad value: "
              f"{counts}{where}", file=sys.stderr)
    if problems_csv is not None:
        write_problems_csv(problems_csv, plan.quality)
    save_quality(tuple(plan.quality), plan.sources)
    print_plan(plan, sys.stderr)
    seconds = time.perf_counter() - started
    _log.info("loaded %s: %s rows, %s writes in %.1f s", folder, plan.rows, plan.changes.size(), seconds)
    return {"rows": plan.rows, "writes": plan.changes.size(), "seconds": round(seconds, 2), "files": plan.files,
            "quality": plan.quality_counts(), "sources": {row.pop("source"): row for row in plan.summary_rows()},
            "identity_changes": [str(p) for p in plan.identity_changes]}


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
    """Validate and load an import folder (all or nothing); --clear empties the store in the same write."""
    from loaders.problems import LoadRejected, format_problems

    if args.undo:
        return cmd_undo(args.undo)
    if not args.demo and not args.folder:
        raise CliError("give a folder to load, or --demo")
    folder = DEMO_FOLDER if args.demo else Path(args.folder)
    if not folder.is_dir():
        raise CliError(f"{folder}: not a folder (give the folder that holds the import files)")
    if args.problems is not None and not args.problems.parent.is_dir():
        raise CliError(f"--problems {args.problems}: no such folder {args.problems.parent} (give a CSV file path "
                       "in an existing folder)")
    ssd = None
    if args.format == "ssd":
        if not args.source_id or not args.agency_id:
            raise CliError("--format ssd needs --source-id (the extract's id) and --agency-id (the agency it "
                           "comes from)")
        ssd = {"source_id": args.source_id, "agency_id": args.agency_id, "extracted_at": args.extracted_at}
    store = open_configured_store()
    try:
        result = load_into(store, folder, args.problems, ssd, delta=args.delta,
                           accept_identity_changes=args.accept_identity_changes, clear=args.clear)
        if args.clear:
            record(store, cli_user(), AuditAction.ERASURE, detail="store cleared for a load (load --clear)")
        record(store, cli_user(), AuditAction.LOAD, detail=f"{result['rows']} rows from {folder.name}")
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
                      help="replace everything in the store (checked first; emptied in the same write)")
    load.add_argument("--delta", action="store_true",
                      help="the extracts hold only changed rows: add and update, never close or remove")
    load.add_argument("--accept-identity-changes", action="store_true",
                      help="accept rows that change who a stored record is (date of birth, names, role, ...)")
    load.add_argument("--undo", metavar="LOAD_ID", help="undo a Neo4j load left unfinished (its id is logged)")
    load.add_argument("--problems", type=Path, metavar="FILE.csv",
                      help="write every problem and data-quality note (file, row, column, kind, source, reason)")
    load.add_argument("--format", choices=("import", "ssd"), default="import",
                      help="import: the import files (docs/data-format.md); ssd: a Standard Safeguarding Dataset "
                      "extract (ssd_person.csv, ...)")
    load.add_argument("--source-id", help="for --format ssd: the id of this extract (sources.csv)")
    load.add_argument("--agency-id", help="for --format ssd: the agency the extract comes from (already loaded, "
                      "or named in the folder's agencies.csv)")
    load.add_argument("--extracted-at", type=user_date, help="for --format ssd: when the extract was taken "
                      "(YYYY-MM-DD or DD/MM/YYYY; default today)")
    load.set_defaults(func=cmd_load)
    init = sub.add_parser("init", help="apply the schema; undo loads a stopped process left unfinished")
    init.set_defaults(func=cmd_init)
    stats = sub.add_parser("stats", help="counts and sources")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)
