"""`familygraph sources | rollback SOURCE | erase person ID`: extract history, undo an extract, erase a person."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import sys
from typing import TextIO

from familygraph.edge import CliError, open_configured_store
from graphmodel.changes import refresh_store
from graphmodel.dates import format_uk
from loaders.refresh import RefreshPlan

__all__ = ["print_plan", "register"]

_COUNTS = ("added", "changed", "closed", "removed")


def print_plan(plan: RefreshPlan, out: TextIO) -> None:
    """The per-source summary of a load as a table (sources with nothing to do are counted, not listed)."""
    rows = [r for r in plan.summary_rows() if any(r[k] for k in _COUNTS)]
    quiet = len(plan.summaries) - len(rows)
    print(f"{'source':<24} {'extract':>7} {'extracted':>10} {'mode':<6} "
          + " ".join(f"{k:>8}" for k in _COUNTS), file=out)
    for row in rows:
        print(f"{row['source']:<24} {row['extract'] or '-':>7} {format_uk(row['extracted_at']):>10} "
              f"{row['mode']:<6} " + " ".join(f"{row[k]:>8,}" for k in _COUNTS), file=out)
    if quiet:
        print(f"({quiet} other source(s): no fact changed)", file=out)
    if plan.identity_changes:
        print(f"{len(plan.identity_changes)} identity change(s) accepted:", file=out)
        for problem in plan.identity_changes:
            print(f"  {problem}", file=out)


def _when(stamp: str) -> str:
    """DD/MM/YYYY HH:MM UTC for a stored ISO timestamp."""
    return f"{format_uk(stamp[:10])} {stamp[11:16]} UTC" if len(stamp) >= 16 else format_uk(stamp)


def cmd_sources(args: argparse.Namespace) -> int:
    """List every source with its extract history."""
    from loaders.history import source_history

    store = open_configured_store()
    try:
        history = source_history(refresh_store(store))
    finally:
        store.close()
    if args.json:
        print(json.dumps([dataclasses.asdict(h) for h in history]))
        return 0
    print("OFFICIAL-SENSITIVE")
    for source in history:
        print(f"{source.source_id}: agency {source.agency_id or '-'}, extracted {format_uk(source.extracted_at)}")
        for e in source.extracts:
            print(f"  #{e.seq} extracted {format_uk(e.extracted_at) or '-'}, loaded {_when(e.loaded_at)} ({e.mode}, "
                  f"{e.status}): " + ", ".join(f"{getattr(e, k):,} {k}" for k in _COUNTS))
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Restore the facts of a source as they were before its latest extract."""
    from loaders.history import rollback_source

    store = open_configured_store()
    try:
        undone = rollback_source(refresh_store(store), args.source)
    finally:
        store.close()
    print(json.dumps({"rolled_back": f"{undone.source_id}#{undone.seq}", "extracted_at": undone.extracted_at,
                      "undid": {k: getattr(undone, k) for k in _COUNTS}}))
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    """Erase a person and every fact only they carry; leave an audit entry without personal data."""
    from loaders.erase import erase_person

    if args.kind != "person":
        raise CliError(f"cannot erase a {args.kind!r}: only 'person' is supported")
    who = args.who or getpass.getuser()
    store = open_configured_store()
    try:
        report = erase_person(refresh_store(store), args.id, reason=args.reason, who=who)
    finally:
        store.close()
    print(json.dumps(dataclasses.asdict(report)))
    print(f"erased; erasure record {report.seq} ({sum(report.removed.values())} records removed)",
          file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add sources, rollback and erase."""
    sources = sub.add_parser("sources", help="sources with their extract history")
    sources.add_argument("--json", action="store_true")
    sources.set_defaults(func=cmd_sources)
    rollback = sub.add_parser("rollback", help="restore a source's previous extract (undo its latest load)")
    rollback.add_argument("source", help="source id, e.g. SRC-AG0001 (see 'familygraph sources')")
    rollback.set_defaults(func=cmd_rollback)
    erase = sub.add_parser("erase", help="erase a person and every fact only they carry (audit entry kept)")
    erase.add_argument("kind", choices=["person"])
    erase.add_argument("id", help="the person's id")
    erase.add_argument("--reason", required=True, help="why (kept in the audit entry; no personal data)")
    erase.add_argument("--who", help="who asked for it (default: the logged-in user)")
    erase.set_defaults(func=cmd_erase)
