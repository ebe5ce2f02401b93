"""`familygraph link`: link person records across sources (Splink) and replace the derived links."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys

from familygraph.edge import fraction, open_configured_store
from graphmodel.audit import AuditAction
from queries.access import record
from queries.roles import cli_user

__all__ = ["register"]


def cmd_link(args: argparse.Namespace) -> int:
    """Link person records across and within sources; replace the derived links."""
    from tqdm import tqdm

    from loaders.linkage.decide import Thresholds

    logging.getLogger("splink").setLevel(logging.ERROR)
    from loaders.linkage.graph import link_store

    thresholds = Thresholds(args.accept, args.reject, args.accept_same_source, args.link_within_source)
    store = open_configured_store()
    bar = tqdm(total=100, desc="linking", unit="%", file=sys.stderr, disable=None)

    def progress(stage: str, share: float) -> None:
        bar.set_description(stage)
        bar.n = round(share * 100)
        bar.refresh()

    try:
        summary, _ = link_store(store, progress=progress, thresholds=thresholds, train=args.train)
        record(store, cli_user(), AuditAction.LOAD, detail="record linkage run (derived links replaced)")
    finally:
        bar.close()
        store.close()
    print(summary.run, file=sys.stderr)
    print(json.dumps(dataclasses.asdict(summary)))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add link."""
    link = sub.add_parser("link", help="link person records across sources (Splink); review uncertain links in the app")
    link.add_argument("--accept", type=fraction, default=0.7,
                      help="match probability at or above which links are made (0 to 1)")
    link.add_argument("--reject", type=fraction, default=0.2,
                      help="below which candidate pairs are dropped; between the two they wait for review (0 to 1)")
    link.add_argument("--accept-same-source", type=fraction, default=0.95,
                      help="what two records of one extract need to be linked automatically (0 to 1)")
    link.add_argument("--link-within-source", action=argparse.BooleanOptionalAction, default=True,
                      help="link two records of one extract (on by default)")
    link.add_argument("--train", action=argparse.BooleanOptionalAction, default=None,
                      help="--train estimates a new model from the records and scores every pair; --no-train uses "
                           "the built-in priors; neither (the default) reuses the model saved by the last run and "
                           "scores only pairs involving new or changed records (trains when none is saved)")
    link.set_defaults(func=cmd_link)
