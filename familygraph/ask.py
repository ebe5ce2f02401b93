"""`familygraph ask ...`: the question catalogue on the command line, as tables or --json."""

from __future__ import annotations

import argparse
import dataclasses
import json
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from familygraph.edge import CliError, open_configured_store, positive_int, user_date
from graphmodel.contract import GraphStore
from graphmodel.dates import format_uk
from queries import coverage as coverage_q
from queries import duplicates, frontdoor, interrelated, suggest, supporting_families, team
from queries.common import UnknownFilter, as_of_or_default
from queries.rereferral import DEFINITION as RE_REFERRAL_DEFINITION
from queries.suppression import shown, shown_rate

__all__ = ["add_ask_arguments", "ask", "register"]


def add_ask_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `familygraph ask`."""
    parser.add_argument("question", choices=sorted(_QUESTIONS), help="which question")
    parser.add_argument("target", nargs="?", help="family id (team, needs, suggest, duplicates, sf) or a name "
                        "(search)")
    parser.add_argument("--as-of", type=user_date, default=None,
                        help="date to answer for, YYYY-MM-DD or DD/MM/YYYY (default: the newest extract's date, "
                             "as in the app)")
    parser.add_argument("--dob", type=user_date, default=None, help="date of birth (search)")
    parser.add_argument("--postcode", default=None, help="postcode (search)")
    parser.add_argument("--district", default=None, help="limit county-wide answers to a district")
    parser.add_argument("--need", default=None, help="limit the worklist to a need code (duplicates)")
    parser.add_argument("--agency", default=None, help="limit the worklist to findings involving an agency id "
                        "(duplicates)")
    parser.add_argument("--top", type=positive_int, default=20, help="rows of a worklist to show")
    parser.add_argument("--from", dest="period_from", type=user_date, default=None, help="period start (coverage)")
    parser.add_argument("--to", dest="period_to", type=user_date, default=None, help="period end (coverage)")
    parser.add_argument("--json", action="store_true", help="print JSON for machines")


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


WIDTH = 110


def _wrapped(text: str, indent: str = "  ") -> str:
    """A long sentence wrapped (never cut) under an indent."""
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _unknown_family(args: argparse.Namespace) -> UnknownFilter:
    return UnknownFilter(f"unknown family id {args.target!r}")


def _need_target(args: argparse.Namespace) -> str:
    if not args.target:
        raise CliError(f"ask {args.question}: give a family id")
    return str(args.target)


def _search(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    hits = frontdoor.search(store, args.target or "", args.dob, args.postcode, args.as_of)
    rows = [{"person": h.person_id, "name": h.name, "dob": format_uk(h.dob), "score": h.score,
             "families": "; ".join(f"{f.family_id} {f.family_name}: lead "
                                   f"{f.leads[0].name + ' ' + (f.leads[0].phone or '') if f.leads else 'none'}, "
                                   f"{f.professionals} professionals, {f.open_episodes} open episodes"
                                   + (f"; {f.previously_known}" if f.previously_known else "")
                                   for f in h.families)} for h in hits]
    return hits, _table(rows)


def _team(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    view = team.team_around_family(store, _need_target(args), args.as_of)
    if view is None:
        raise _unknown_family(args)
    members = _table([{"member": m.name, "role": m.role, "resident": m.resident, "age": m.age,
                       "open needs": ", ".join(m.open_needs)} for m in view.members])
    work = _table([{"lead": "LEAD" if t.is_lead else "", "professional": t.name, "agency": t.agency,
                    "with": t.with_whom, "addresses": ", ".join(t.addresses), "since": format_uk(t.since),
                    "phone": t.phone, "source": f"{t.source_id} ({t.source_age_days}d old)"} for t in view.team])
    fresh = "\n".join(f"- {s.note}" for s in view.sources)
    head = f"{view.family_name} ({view.family_id}) as of {format_uk(view.as_of)}"
    return view, f"{head}\n\n{members}\n\n{work}\n\n{fresh}"


def _duplicates(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    if args.target:
        found = duplicates.family_duplicates(store, args.target, args.as_of)
    else:
        found = duplicates.county_worklist(store, args.as_of, args.district, top=args.top, need=args.need,
                                           agency=args.agency)
    if not found:
        return found, "(nothing found)"
    blocks = [f"{f.family_id} · {f.kind.replace('_', ' ')} · severity {f.severity}\n{_wrapped(f.reason)}"
              for f in found]
    return found, "\n\n".join(blocks)


def _needs(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    result = interrelated.family_needs(store, _need_target(args), args.as_of)
    if result is None:
        raise _unknown_family(args)
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
        raise _unknown_family(args)
    rows = [{"professional": c.name, "agency": c.agency, "score": c.score,
             "why": "; ".join(p.explanation for p in c.parts)} for c in result.candidates]
    return result, f"{result.message}\n\n{_table(rows)}"


def _coverage(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    report = coverage_q.coverage(store, args.as_of, args.district, args.period_from, args.period_to)
    unmet = _table([{"need": u.need_code, "people with need": shown(u.people), "no open work": shown(u.unmet)}
                    for u in report.unmet])
    load = _table([{"lead load": b.band, "professionals": shown(b.professionals)} for b in report.lead_load])
    text = (f"as of {format_uk(report.as_of)}, district {report.district or 'all'}, period "
            f"{format_uk(report.period_from)} to {format_uk(report.period_to)}\nfamilies with several professionals "
            f"and no lead: {shown(report.leaderless_families)}\ntransfers: {shown(report.transfers)}\n"
            f"re-referral within 12 months: {shown_rate(report.re_referred_within_12_months, report.closed_episodes)}"
            f" ({shown(report.re_referred_within_12_months)} of {shown(report.closed_episodes)} "
            f"{report.re_referral_denominator})\n{_wrapped(RE_REFERRAL_DEFINITION, '')}\n(c = 1 to 5, not shown)"
            f"\n\n{unmet}\n\n{load}")
    return report, text


def _sf_family(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    detail = supporting_families.sf_for_family(store, str(args.target), args.as_of)
    lines = [f"{detail.family_name} ({detail.family_id}) as of {format_uk(detail.as_of)}", "", detail.summary, "",
             f"2021 categories met ({len(detail.categories)} of 6; eligible with 2):"]
    lines += [_wrapped("- " + c.sentence) for c in detail.categories] or ["  (none)"]
    lines += ["", f"2022-25 outcomes met ({len(detail.outcomes)} of 10; eligible with 3):"]
    lines += [_wrapped("- " + c.sentence) for c in detail.outcomes] or ["  (none)"]
    s = detail.standing
    lines += ["", "claim-ready needs: " + "; ".join(f"{what} {'yes' if ok else 'MISSING'}" for what, ok in (
        ("lead professional", s.has_lead), ("whole-family assessment", s.has_assessment),
        ("family plan", s.has_plan)))]
    return detail, "\n".join(lines)


def _sf(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    if args.target:
        return _sf_family(store, args)
    report = supporting_families.supporting_families(store, args.as_of, args.district)
    counts = report.counts()
    return counts, "\n".join(f"{k}: {shown(v)}" for k, v in counts.items()) + "\n(c = 1 to 5, not shown)"


_QUESTIONS: dict[str, Callable[[GraphStore, argparse.Namespace], tuple[Any, str]]] = {
    "search": _search, "team": _team, "duplicates": _duplicates, "needs": _needs,
    "cooccurrence": _cooccurrence, "suggest": _suggest, "coverage": _coverage, "sf": _sf,
}


def ask(store: GraphStore, args: argparse.Namespace) -> int:
    """Answer one question and print it; an unknown family, district or filter is a one-line error (exit 2)."""
    given = args.as_of
    args.as_of = as_of_or_default(store, given)
    value, text = _QUESTIONS[args.question](store, args)
    if args.json:
        print(json.dumps(_plain(value), default=str, indent=1))
    else:
        if not given:
            print(f"OFFICIAL-SENSITIVE · as of {format_uk(args.as_of)}, the newest extract's date "
                  "(give --as-of for another day)\n")
        else:
            print(f"OFFICIAL-SENSITIVE · as of {format_uk(args.as_of)}\n")
        print(text)
    return 0


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
