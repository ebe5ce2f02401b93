"""`ask coverage | cooccurrence | sf`: the strategic aggregates through the one disclosure control
(queries/disclosure.py), as text or --json, and each answer audited."""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from graphmodel.audit import AuditAction
from graphmodel.contract import GraphStore
from queries.access import record, record_search, require
from queries.common import today
from queries.disclosure import Release, release
from queries.roles import Role, cli_user

__all__ = ["AGGREGATE_QUESTIONS", "audit_cli_question"]

_LEGEND = "(c = 1 to 5, or a figure that would reveal one; dates in whole months)"


def _release(store: GraphStore, args: argparse.Namespace, question: str) -> Release:
    user, raw = cli_user(), bool(getattr(args, "raw", False))
    if raw:
        require(store, user, {Role.DATA}, "Raw (unsuppressed) counts")
    rel = release(store, args.as_of or today(), args.district, args.period_from, args.period_to, raw=raw)
    detail = (f"ask {question} district={args.district or 'county'} as_of={rel.as_of} "
              f"period={rel.period_from}..{rel.period_to} json={bool(args.json)}")
    record(store, user, AuditAction.AGGREGATES, detail=("RAW COUNTS " if raw else "") + detail)
    return rel


def _frame(rows: list[dict[str, Any]]) -> str:
    return pd.DataFrame(rows).to_string(index=False) if rows else "(nothing)"


def _heading(rel: Release) -> str:
    return (f"OFFICIAL-SENSITIVE\nas of {rel.as_of}, district {rel.district or 'all'}, period {rel.period_from} "
            f"to {rel.period_to}" + "".join(f"\n{note}" for note in rel.notes[1:]))


def coverage_answer(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    """Headlines, unmet needs and lead load."""
    rel = _release(store, args, "coverage")
    heads = "\n".join(f"{k[1].replace('_', ' ')}: {v}" for k, v in rel.table("headline"))
    rate = rel.rate(("headline", "re_referred"), ("headline", "closed_episodes"))
    unmet = _frame([{"need": k[1], "people with need": v, "no open work": rel.counts.get(("unmet_without", k[1]), 0)}
                    for k, v in rel.table("unmet_people")])
    load = _frame([{"lead load": k[1], "professionals": v} for k, v in rel.table("lead_load")])
    text = f"{_heading(rel)}\n{heads}\nre-referral rate: {rate}\n{_LEGEND}\n\n{unmet}\n\n{load}"
    return rel.as_json(), text


def cooccurrence_answer(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    """Needs that occur together, with lift (both protected)."""
    rel = _release(store, args, "cooccurrence")
    rows = [{"need a": k[1], "need b": k[2], "families": v, "lift": rel.lifts[k]} for k, v in rel.table("cooccurrence")]
    rows.sort(key=lambda r: (r["lift"] == "c", -float(r["lift"]) if r["lift"] != "c" else 0.0))
    data = rel.as_json()
    data["counts"] = [c for c in data["counts"] if c["table"] == "cooccurrence"]  # type: ignore[attr-defined]
    return data, f"{_heading(rel)}\n{_frame(rows[: args.top])}\n{_LEGEND}"


def sf_answer(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    """Supporting Families eligibility counts."""
    rel = _release(store, args, "sf")
    names = ("families_with_needs", "eligible_2021", "eligible_2022", "claim_ready")
    counts = {n: rel.headline(n) for n in names}
    return {"as_of": rel.as_of, "district": rel.district, "notes": list(rel.notes), **counts}, (
        f"{_heading(rel)}\n" + "\n".join(f"{k}: {v}" for k, v in counts.items()) + f"\n{_LEGEND}")


def audit_cli_question(store: GraphStore, question: str, target: str | None, answer: Any) -> None:
    """Record a search (terms hashed) or a family-level answer given on the command line."""
    user = cli_user()
    if question == "search":
        record_search(store, user, target or "", len(answer) if isinstance(answer, list) else 0)
    elif question in ("team", "needs", "suggest") or (question in ("duplicates", "sf") and target):
        record(store, user, AuditAction.FAMILY_VIEW, target, f"ask {question}")


AGGREGATE_QUESTIONS = {"coverage": coverage_answer, "cooccurrence": cooccurrence_answer, "sf": sf_answer}
