"""`familygraph audit`: read the audit log (by user, family, action, dates, searched name), as a table or JSON."""

from __future__ import annotations

import argparse
import json

from familygraph.edge import open_configured_store, user_date
from graphmodel.audit import AuditAction
from queries.access import record
from queries.audit_report import audit_report
from queries.roles import cli_user

__all__ = ["register"]


def cmd_audit(args: argparse.Namespace) -> int:
    """Print the entries asked for, unusual volumes, and whether the log's hash chain is intact."""
    store = open_configured_store()
    try:
        report = audit_report(store, args.user, args.family, args.since, args.until, args.term, args.action)
        record(store, cli_user(), AuditAction.AUDIT_READ,
               detail=f"filters user={args.user or '-'} family={args.family or '-'} action={args.action or '-'}")
    finally:
        store.close()
    if args.json:
        print(json.dumps(report.as_json(), indent=1))
    else:
        frame = report.frame()
        print("OFFICIAL-SENSITIVE")
        print(frame.to_string(index=False, max_colwidth=60) if len(frame) else "(no entries)")
        for unusual in report.unusual:
            print(f"unusual: {unusual.actor} on {unusual.day}: {unusual.family_views} family views, "
                  f"{unusual.break_glass} break-glass")
        print("hash chain: " + ("intact" if not report.chain_problems else "; ".join(report.chain_problems)))
    return 0 if not report.chain_problems else 4


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add audit."""
    audit = sub.add_parser("audit", help="read the audit log: who looked at which family, when and why")
    audit.add_argument("--user", default=None, help="only this user (as signed in, e.g. an e-mail address)")
    audit.add_argument("--family", default=None, help="only entries about this family id")
    audit.add_argument("--action", default=None, choices=[a.value for a in AuditAction], help="only this action")
    audit.add_argument("--since", type=user_date, default=None, help="from this date (YYYY-MM-DD or DD/MM/YYYY)")
    audit.add_argument("--until", type=user_date, default=None, help="up to this date, inclusive")
    audit.add_argument("--term", default=None, help="only searches for this name (matched by its keyed hash)")
    audit.add_argument("--json", action="store_true", help="print JSON for machines")
    audit.set_defaults(func=cmd_audit)
