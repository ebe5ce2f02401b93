"""`familygraph ask ...`: the question catalogue on the command line, as tables or --json."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from familygraph.aggregates import AGGREGATE_QUESTIONS, audit_cli_question
from familygraph.edge import CliError, open_configured_store, positive_int, user_date
from graphmodel.contract import GraphStore
from queries import coverage as coverage_q
from queries import duplicates, frontdoor, interrelated, suggest, supporting_families, team
from queries.common import today
from queries.roles import cli_user
from queries.source_rules import apply_source_rules
from queries.suppression import shown, shown_rate

__all__ = ["add_ask_arguments", "ask", "register"]


def add_ask_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `familygraph ask`."""
    parser.add_argument("question", choices=sorted(_QUESTIONS), help="which question")
    parser.add_argument("target", nargs="?", help="family id (team, needs, suggest, duplicates) or a name "
                        "(search)")
    parser.add_argument("--as-of", type=user_date, default=None,
                        help="date to answer for, YYYY-MM-DD or DD/MM/YYYY (default today)")
    parser.add_argument("--dob", type=user_date, default=None, help="date of birth (search)")
    parser.add_argument("--postcode", default=None, help="postcode (search)")
    parser.add_argument("--district", default=None, help="limit county-wide answers to a district")
    parser.add_argument("--top", type=positive_int, default=20, help="rows of a worklist to show")
    parser.add_argument("--from", dest="period_from", type=user_date, default=None, help="period start (coverage)")
    parser.add_argument("--to", dest="period_to", type=user_date, default=None, help="period end (coverage)")
    parser.add_argument("--json", action="store_true", help="print JSON for machines")
    parser.add_argument("--raw", action="store_true", help="coverage, cooccurrence, sf: unsuppressed counts, for the "
                        "data team only (recorded in the audit log); never to be published")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _table(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "(nothing found)"
    return pd.DataFrame(rows).to_string(index=False, max_colwidth=70)


def _need_target(args: argparse.Namespace) -> str:
    if not args.target:
        raise CliError(f"ask {args.question}: give a family id")
    return str(args.target)


def _search(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    hits = frontdoor.search(store, args.target or "", args.dob, args.postcode, args.as_of)
    rows = [{"person": h.person_id, "name": h.name, "dob": h.dob, "score": h.score,
             "families": "; ".join(f"{f.family_id} {f.family_name}: lead "
                                   f"{f.leads[0].name + ' ' + (f.leads[0].phone or '') if f.leads else 'none'}, "
                                   f"{f.professionals} professionals, {f.open_episodes} open episodes"
                                   for f in h.families)} for h in hits]
    return hits, _table(rows)


def _team(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    snap = store.family_snapshot(_need_target(args))
    view = team.team_from_snapshot(apply_source_rules(snap, cli_user()), args.as_of or today()) if snap else None
    if view is None:
        return None, f"no family {args.target}"
    members = _table([{"member": m.name, "role": m.role, "resident": m.resident, "age": m.age,
                       "open needs": ", ".join(m.open_needs)} for m in view.members])
    work = _table([{"lead": "LEAD" if t.is_lead else "", "professional": t.name, "agency": t.agency,
                    "with": t.with_whom, "addresses": ", ".join(t.addresses), "since": t.since,
                    "phone": t.phone, "source": f"{t.source_id} ({t.source_age_days}d old)"} for t in view.team])
    fresh = "\n".join(f"- {s.note}" for s in view.sources)
    return view, f"{view.family_name} ({view.family_id}) as of {view.as_of}\n\n{members}\n\n{work}\n\n{fresh}"


def _duplicates(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    if args.target:
        found = duplicates.family_duplicates(store, args.target, args.as_of)
    else:
        found = duplicates.county_worklist(store, args.as_of, args.district, top=args.top)
    return found, _table([{"family": f.family_id, "kind": f.kind, "severity": f.severity, "reason": f.reason}
                          for f in found])


def _needs(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    result = interrelated.family_needs(store, _need_target(args), args.as_of)
    if result is None:
        return None, f"no family {args.target}"
    needs = _table([{"person": p, "role": r, "need": n} for p, r, n in result.needs])
    links = "\n".join(f"- {link.name}{'' if link.complete else ' (partly: ' + ', '.join(link.present) + ')'}: "
                      f"{link.why}" for link in result.links) or "(no known links)"
    return result, f"{needs}\n\n{links}"


def _cooccurrence(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    cells = interrelated.cooccurrence(store, args.as_of, args.district)[: args.top]
    return cells, _table([{"need a": c.need_a, "need b": c.need_b, "families": shown(c.families), "lift": c.lift}
                          for c in cells])


def _suggest(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    result = suggest.suggest_lead(store, _need_target(args), args.as_of)
    if result is None:
        return None, f"no family {args.target}"
    rows = [{"professional": c.name, "agency": c.agency, "score": c.score,
             "why": "; ".join(p.explanation for p in c.parts)} for c in result.candidates]
    return result, f"{result.message}\n\n{_table(rows)}"


def _coverage(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    report = coverage_q.coverage(store, args.as_of, args.district, args.period_from, args.period_to)
    unmet = _table([{"need": u.need_code, "people with need": shown(u.people), "no open work": shown(u.unmet)}
                    for u in report.unmet])
    load = _table([{"lead load": b.band, "professionals": shown(b.professionals)} for b in report.lead_load])
    text = (f"as of {report.as_of}, district {report.district or 'all'}, period {report.period_from} to "
            f"{report.period_to}\nfamilies with several professionals and no lead: "
            f"{shown(report.leaderless_families)}\ntransfers: {shown(report.transfers)}\nre-referral within 12 "
            f"months: {shown_rate(report.re_referred_within_12_months, report.closed_episodes)} of "
            f"{shown(report.closed_episodes)} closed episodes\n(c = 1 to 5, not shown)\n\n{unmet}\n\n{load}")
    return report, text


def _sf(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    report = supporting_families.supporting_families(store, args.as_of, args.district)
    counts = report.counts()
    return counts, "\n".join(f"{k}: {shown(v)}" for k, v in counts.items()) + "\n(c = 1 to 5, not shown)"


_QUESTIONS: dict[str, Callable[[GraphStore, argparse.Namespace], tuple[Any, str]]] = {
    "search": _search, "team": _team, "duplicates": _duplicates, "needs": _needs,
    "cooccurrence": _cooccurrence, "suggest": _suggest, "coverage": _coverage, "sf": _sf,
    **AGGREGATE_QUESTIONS,  # the strategic aggregates go through the one disclosure control
}


def ask(store: GraphStore, args: argparse.Namespace) -> int:
    """Answer one question and print it; exit status 1 when a named family is unknown."""
    value, text = _QUESTIONS[args.question](store, args)
    audit_cli_question(store, args.question, args.target, value)
    if args.json:
        print(json.dumps(_plain(value), default=str, indent=1))
    else:
        print(text)
    return 1 if value is None else 0


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one of the catalogue's questions (see queries/)."""
    store = open_configured_store()
    try:
        return ask(store, args)
    finally:
        store.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ask."""
    parser = sub.add_parser("ask", help="ask a question: team, duplicates, needs, suggest, coverage, search, sf")
    add_ask_arguments(parser)
    parser.set_defaults(func=cmd_ask)
