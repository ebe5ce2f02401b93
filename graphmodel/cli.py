"""The `familygraph` command: generate, load, stats, serve, ask."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from graphmodel.config import StoreConfig, open_store
from graphmodel.contract import GraphStore, ProgressFn, StoreError

__all__ = ["main"]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_FOLDER = REPO_ROOT / "seed" / "demo"


class CliError(Exception):
    """A failure to report as one line on stderr."""


def _progress_bar(description: str, unit: str) -> tuple[ProgressFn, Callable[[], None]]:
    """A tqdm progress callback (done, total) and a function that closes the bar."""
    from tqdm import tqdm

    bar = tqdm(desc=description, unit=unit, unit_scale=True, file=sys.stderr, disable=None)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def _store() -> GraphStore:
    return open_store(StoreConfig.from_env())


def cmd_generate(args: argparse.Namespace) -> int:
    """Write a synthetic county to a folder."""
    from seed.generator import generate

    update, close = _progress_bar("families", " families")
    try:
        summary = generate(args.families, args.seed, Path(args.out), as_of=args.as_of, progress=update)
    finally:
        close()
    print(json.dumps(dataclasses.asdict(summary), default=str))
    return 0


def load_into(store: GraphStore, folder: Path) -> dict[str, object]:
    """Validate and load a folder with a progress bar; raise LoadRejected with every problem."""
    from loaders.load import load_folder

    update, close = _progress_bar(f"loading {folder.name}", " writes")
    try:
        report = load_folder(store, folder, update)
    finally:
        close()
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    return {"rows": report.rows, "writes": report.writes, "seconds": round(report.seconds, 2),
            "files": report.files}


def cmd_load(args: argparse.Namespace) -> int:
    """Validate and load an import folder (all or nothing)."""
    from loaders.problems import LoadRejected, format_problems

    folder = DEMO_FOLDER if args.demo else Path(args.folder or "")
    if not args.demo and not args.folder:
        raise CliError("give a folder to load, or --demo")
    store = _store()
    try:
        if args.clear:
            store.clear()
        result = load_into(store, folder)
    except LoadRejected as rejected:
        print(format_problems(rejected.problems), file=sys.stderr)
        raise CliError(str(rejected)) from None
    finally:
        store.close()
    print(json.dumps(result))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print node and relationship counts and the sources with their dates."""
    store = _store()
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


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the Streamlit app (loading the demo county first with --demo if the store is empty)."""
    if args.demo:
        store = _store()
        try:
            if store.counts()["Family"] == 0:
                print(f"loading the demo county into the {store.kind} store ...", file=sys.stderr)
                load_into(store, DEMO_FOLDER)
        finally:
            store.close()
    command = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"),
               "--server.port", str(args.port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    if args.address:
        command += ["--server.address", args.address]
    return subprocess.call(command, env=os.environ.copy())


def cmd_link(args: argparse.Namespace) -> int:
    """Link person records across and within sources; replace the derived links."""
    from tqdm import tqdm

    from loaders.linkage.decide import Thresholds

    logging.getLogger("splink").setLevel(logging.ERROR)
    from loaders.linkage.graph import link_store

    store = _store()
    bar = tqdm(total=100, desc="linking", unit="%", file=sys.stderr, disable=None)

    def progress(stage: str, fraction: float) -> None:
        bar.set_description(stage)
        bar.n = round(fraction * 100)
        bar.refresh()

    try:
        summary, _ = link_store(store, progress=progress, thresholds=Thresholds(args.accept, args.reject))
    finally:
        bar.close()
        store.close()
    print(json.dumps(dataclasses.asdict(summary)))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one of the catalogue's questions (see queries/)."""
    from queries.cli import ask

    store = _store()
    try:
        return ask(store, args)
    finally:
        store.close()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    parser = argparse.ArgumentParser(prog="familygraph", description="FamilyGraph: who works with which "
                                     "family, on what, and who leads.")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write a synthetic county (CSV files + ground truth)")
    gen.add_argument("out")
    gen.add_argument("--families", type=int, default=300)
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--as-of", default="2026-11-01", help="reference date of the county (YYYY-MM-DD)")
    gen.set_defaults(func=cmd_generate)
    load = sub.add_parser("load", help="validate and load an import folder, all or nothing")
    load.add_argument("folder", nargs="?")
    load.add_argument("--demo", action="store_true", help="load the demo county shipped in seed/demo")
    load.add_argument("--clear", action="store_true", help="empty the store first")
    load.set_defaults(func=cmd_load)
    stats = sub.add_parser("stats", help="counts and sources")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)
    serve = sub.add_parser("serve", help="start the app")
    serve.add_argument("--demo", action="store_true", help="load the demo county if the store is empty")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", default="localhost",
                       help="interface to listen on (default localhost only; use 0.0.0.0 deliberately)")
    serve.set_defaults(func=cmd_serve)
    link = sub.add_parser("link", help="link person records across sources (Splink); review uncertain links in the app")
    link.add_argument("--accept", type=float, default=0.7, help="match probability at or above which links are made")
    link.add_argument("--reject", type=float, default=0.2, help="below which candidate pairs are dropped; between "
                      "the two they wait for review")
    link.set_defaults(func=cmd_link)
    ask = sub.add_parser("ask", help="ask a question: team, duplicates, needs, suggest, coverage, search, sf")
    try:
        from queries.cli import add_ask_arguments

        add_ask_arguments(ask)
    except ImportError:
        pass
    ask.set_defaults(func=cmd_ask)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; failures exit non-zero with a one-line reason on stderr."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, StoreError) as error:
        print(f"familygraph: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("familygraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
