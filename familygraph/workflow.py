"""`familygraph lead ...` and `familygraph worklist ...`: the Hub's workflow, written to the store."""

from __future__ import annotations

import argparse
import getpass
import json
import os

import pandas as pd

from familygraph.edge import open_configured_store, positive_int, user_date
from graphmodel.contract import GraphStore
from graphmodel.dates import default_as_of, format_uk
from queries import workflow
from queries.duplicates import county_worklist

__all__ = ["register"]


def _who(args: argparse.Namespace) -> str:
    return str(args.who or os.environ.get("FAMILYGRAPH_USER") or getpass.getuser())


def _day(store: GraphStore, args: argparse.Namespace, name: str = "as_of") -> str:
    given = getattr(args, name, None)
    return str(given) if given else default_as_of(s.extracted_at for s in store.sources())


def _print(payload: dict[str, object], text: str, as_json: bool) -> None:
    print(json.dumps(payload, indent=2) if as_json else text)


def cmd_lead_assign(args: argparse.Namespace) -> int:
    """Make a professional the family's lead professional (any other open lead ends the day before)."""
    store = open_configured_store()
    try:
        on = _day(store, args, "on")
        handover = workflow.assign_lead(store, args.family, args.professional, who=_who(args), why=args.reason, on=on)
    finally:
        store.close()
    tell = [{"name": p.name, "email": p.email, "phone": p.phone} for p in handover.tell]
    lines = [f"{handover.lead.name} leads {handover.family_name} ({handover.family_id}) from {format_uk(on)}; "
             f"recorded by {handover.event.who} at {handover.event.at}: {handover.event.why}"]
    lines += [f"ended: {p.name}'s lead assignment" for p in handover.ended]
    if tell:
        lines.append("tell the team around the family:")
        lines += [f"  {t['name']}  {t['email'] or 'no email'}  {t['phone'] or 'no phone'}" for t in tell]
    _print({"family_id": handover.family_id, "lead": handover.lead.id, "from": on,
            "ended": [p.id for p in handover.ended], "tell": tell, "who": handover.event.who,
            "at": handover.event.at, "why": handover.event.why}, "\n".join(lines), args.json)
    return 0


def cmd_worklist_list(args: argparse.Namespace) -> int:
    """The worklist with each finding's id, state, assignee and the reason it was resolved."""
    store = open_configured_store()
    try:
        day = _day(store, args)
        items = workflow.worklist_items(county_worklist(store, day, args.district), workflow.hub_events(store))
    finally:
        store.close()
    if not args.all:
        items = [i for i in items if i.status != workflow.STATUS_RESOLVED]
    rows = [{"finding": i.id, "severity": i.finding.severity, "status": i.status, "assignee": i.assignee or "",
             "reason": i.finding.reason, "resolved because": i.resolution.why if i.resolution else ""}
            for i in items[:args.top]]
    text = pd.DataFrame(rows).to_string(index=False, max_colwidth=None) if rows else "(nothing to do)"
    _print({"as_of": day, "findings": rows}, text, args.json)
    return 0


def _finding_action(args: argparse.Namespace) -> int:
    store = open_configured_store()
    try:
        day = _day(store, args)
        finding = workflow.find_finding(store, args.finding, day)
        if args.action == "resolve":
            event = workflow.resolve_finding(store, finding, who=_who(args), why=args.reason)
        elif args.action == "assign":
            event = workflow.assign_finding(store, finding, args.to, who=_who(args), why=args.reason or "assigned")
        else:
            event = workflow.note_finding(store, finding, args.text, who=_who(args))
    finally:
        store.close()
    text = {"resolve": f"resolved {event.subject}: {event.why}",
            "assign": f"assigned {event.subject} to {event.assignee}",
            "note": f"noted on {event.subject}: {event.why}"}[args.action]
    _print({"finding": event.subject, "action": args.action, "who": event.who, "at": event.at, "why": event.why,
            "assignee": event.assignee}, f"{text} (by {event.who} at {event.at})", args.json)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add lead and worklist."""
    lead = sub.add_parser("lead", help="lead professional handover, written to the store with who, when, why")
    lead_sub = lead.add_subparsers(dest="lead_command", required=True)
    assign = lead_sub.add_parser("assign", help="make a professional the family's lead (ends any other lead)")
    assign.add_argument("family", help="family id")
    assign.add_argument("professional", help="professional id of the new lead")
    assign.add_argument("--reason", required=True, help="why (kept with the assignment)")
    assign.add_argument("--who", default=None, help="who is recording it (default $FAMILYGRAPH_USER or login)")
    assign.add_argument("--on", type=user_date, default=None,
                        help="date the new lead starts (default: the newest data extract's date)")
    assign.add_argument("--json", action="store_true", help="print JSON")
    assign.set_defaults(func=cmd_lead_assign)

    worklist = sub.add_parser("worklist", help="the Hub worklist: list, assign, note and resolve findings")
    wl_sub = worklist.add_subparsers(dest="worklist_command", required=True)
    listing = wl_sub.add_parser("list", help="findings with their ids and state")
    listing.add_argument("--district", default=None, help="one district")
    listing.add_argument("--all", action="store_true", help="include resolved findings")
    listing.add_argument("--top", type=positive_int, default=50, help="rows to show")
    for name, helptext in (("resolve", "resolve a finding with a reason"), ("assign", "give a finding to a Hub "
                           "worker"), ("note", "add a note to a finding")):
        action = wl_sub.add_parser(name, help=helptext)
        action.add_argument("finding", help="finding id as listed, e.g. "
                            "F0000042:duplicated_work:school_attendance:P0000123")
        if name == "resolve":
            action.add_argument("--reason", required=True, help="why it is resolved")
        elif name == "assign":
            action.add_argument("--to", required=True, help="the Hub worker")
            action.add_argument("--reason", default=None, help="why (optional)")
        else:
            action.add_argument("text", help="the note")
        action.add_argument("--who", default=None, help="who is recording it (default $FAMILYGRAPH_USER or login)")
        action.set_defaults(func=_finding_action, action=name)
    for parser in (listing, *[p for n, p in wl_sub.choices.items() if n != "list"]):
        parser.add_argument("--as-of", type=user_date, default=None,
                            help="date of the findings (default: the newest data extract's date)")
        parser.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_worklist_list)
