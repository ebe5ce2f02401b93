"""`familygraph links list|queue|groups`: the links a run made, the review queue, the linked groups."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

import pandas as pd

from familygraph.edge import open_configured_store
from graphmodel.errors import UserInputError

__all__ = ["register"]

_COLUMNS = {"list": ("record_id_l", "record_id_r", "status", "match_probability", "match_weight", "reason"),
            "queue": ("record_id_l", "given_name_l", "family_name_l", "dob_l", "record_id_r", "given_name_r",
                      "family_name_r", "dob_r", "match_probability", "reason")}


def _rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """Plain rows (None for missing), rounded probabilities."""
    out = frame[[c for c in columns if c in frame.columns]].astype(object).where(frame.notna(), None)
    return [{k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
            for row in out.to_dict("records")]


def _print(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, indent=1, default=str))
        return
    if not rows:
        print("(none)")
        return
    print(pd.DataFrame(rows).to_string(index=False, max_colwidth=80))


def cmd_links(args: argparse.Namespace) -> int:
    """Show stored links, the review queue or the linked groups (one group explained with --explain)."""
    from loaders.linkage.graph import explain_stored_group, links_frame, review_queue, stored_groups

    store = open_configured_store()
    try:
        if args.what == "list":
            _print(_rows(links_frame(store), _COLUMNS["list"]), args.json)
        elif args.what == "queue":
            _print(_rows(review_queue(store), _COLUMNS["queue"]), args.json)
        elif args.explain:
            explanation = explain_stored_group(store, args.explain)
            if explanation is None:
                raise UserInputError(f"no linked group {args.explain!r}; `familygraph links groups` lists them")
            if args.json:
                print(json.dumps(dataclasses.asdict(explanation), indent=1, default=str))
            else:
                _explain_text(explanation)
        else:
            groups = stored_groups(store)
            summary = groups.groupby("resolved_id")["record_id"].agg(lambda r: "; ".join(sorted(r))).reset_index()
            summary.columns = ["group", "records"]
            _print(summary.to_dict("records"), args.json)
    finally:
        store.close()
    return 0


def _explain_text(explanation: Any) -> None:
    """A group's records, the link holding each in, and the weakest link, as lines of text."""
    print(f"OFFICIAL-SENSITIVE · group {explanation.resolved_id}: {len(explanation.records)} records")
    for holding in explanation.records:
        if holding.held_by is None:
            print(f"  {holding.record_id}  (the group grows from this record)")
        else:
            print(f"  {holding.record_id}  held by {holding.held_by}: {holding.status}, probability "
                  f"{holding.match_probability:.3f}, weight {holding.match_weight:+.1f}; {holding.reason}")
    if explanation.weakest is not None:
        weakest = explanation.weakest
        print(f"weakest link: {weakest.record_id} / {weakest.held_by} (weight {weakest.match_weight:+.1f})")
    for a, b, why in explanation.different:
        print(f"kept apart inside the group's reach: {a} / {b}: {why}")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add links."""
    links = sub.add_parser("links", help="show the links a run made, the review queue or the linked groups")
    links.add_argument("what", choices=("list", "queue", "groups"))
    links.add_argument("--explain", metavar="GROUP", help="with groups: why one group's records are one person")
    links.add_argument("--json", action="store_true", help="print JSON for machines")
    links.set_defaults(func=cmd_links)
