"""One call from PersonRecords and the review ledger to linked pairs, resolved persons and a review queue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from loaders.linkage.decide import AUTO_REJECTED, REVIEW, Thresholds, cluster, decide
from loaders.linkage.features import keys
from loaders.linkage.household import ALL_RULES, people_by_id, rules_for
from loaders.linkage.records import check_records
from loaders.linkage.review import ReviewLedger, side_by_side
from loaders.linkage.splink_model import PAIR_COLUMNS, LinkageModel, active_comparisons, score, train

__all__ = ["LinkageResult", "Progress", "link"]

Progress = Callable[[str, float], None]
"""Told each stage's name and the fraction of the run done, e.g. progress('scoring pairs', 0.6)."""


@dataclass(frozen=True, slots=True)
class LinkageResult:
    """What a linkage run decided; nothing in the source records is changed."""

    records: pd.DataFrame  # the checked PersonRecords
    pairs: pd.DataFrame  # record_id_l, record_id_r, match_probability, match_weight, reason, status, note
    clusters: pd.DataFrame  # record_id, resolved_id, cluster_size (every record, singletons too)
    review_queue: pd.DataFrame  # pairs with status 'review', strongest first, both records side by side
    model: LinkageModel
    pairs_scored: int  # candidate pairs the model scored (before the floor)
    notes: tuple[str, ...] = ()  # what was noticed in the records (identifiers failing their check digit)
    touched: int | None = None  # records whose pairs were scored in an incremental run; None: every pair scored
    trained: bool = True  # False when the model given was used as it was


def link(records: pd.DataFrame, ledger: ReviewLedger | None, *, progress: Progress | None = None,
         thresholds: Thresholds | None = None, model: LinkageModel | None = None, seed: int = 42,
         threads: int | None = None, train_em: bool = True, prior_only: bool = False,
         touched: set[str] | None = None, previous: pd.DataFrame | None = None,
         retrain_unfit: bool = False) -> LinkageResult:
    """Link person records within and across sources.

    Trains the model on the records unless one is given; pairs a reviewer rejected stay rejected and
    are never queued again; confirmed pairs stay linked whatever their score.

    Incremental: with a model, `touched` (new or changed record ids) and `previous` (the last run's pairs:
    record_id_l, record_id_r, match_probability, match_weight, reason), only pairs involving a touched record
    are scored; the previous pairs between two untouched records that are still present keep their scores,
    and everything is decided and clustered again. With retrain_unfit, a model whose comparisons no longer fit
    the records (a field now holds values it was not trained on) is retrained and every pair scored, with a
    note; otherwise a model given is used as it is.
    """
    tell = progress or (lambda stage, done: None)
    thresholds = thresholds or Thresholds()
    ledger = ledger or ReviewLedger()
    tell("checking records", 0.0)
    checked = check_records(records)
    built = keys(checked)
    notes = list(built.notes)
    if retrain_unfit and model is not None and {c.name for c in model.comparisons()} != {
            c.name for c in active_comparisons(built.frame)}:
        fields = sorted({c.name for c in active_comparisons(built.frame)} ^ {c.name for c in model.comparisons()})
        notes.append(f"the saved model does not fit the records ({', '.join(fields)}): retrained, every pair scored")
        model, touched, previous = None, None, None
    trained = model is None
    if model is None:
        tell("training the model", 0.1)
        model = train(built.frame, seed=seed, threads=threads, em=train_em, priors_only=prior_only)
    tell("scoring pairs", 0.4)
    if touched is not None and previous is None:
        touched = None
    scored = score(built.frame, model, floor=min(thresholds.reject, 0.05), threads=threads, touched=touched)
    scored_pairs = scored.pairs
    if touched is not None and previous is not None:
        present = set(checked["record_id"])
        keep = previous[~previous["record_id_l"].isin(touched) & ~previous["record_id_r"].isin(touched)
                        & previous["record_id_l"].isin(present) & previous["record_id_r"].isin(present)
                        & previous["match_probability"].notna()]
        scored_pairs = pd.concat([keep[list(PAIR_COLUMNS)], scored_pairs], ignore_index=True)
        scored_pairs = scored_pairs.drop_duplicates(["record_id_l", "record_id_r"], keep="last")
        scored_pairs = scored_pairs.sort_values(["record_id_l", "record_id_r"]).reset_index(drop=True)
    tell("applying decisions", 0.8)
    people = people_by_id(built.frame)
    sources = dict(zip(checked["record_id"], checked["source_id"], strict=True))
    trained_on_data = not any("priors" in step for step in model.trained.get("how", ["priors"]))
    rules = rules_for(model.settings, built.frame) if trained_on_data else ALL_RULES
    pairs = decide(scored_pairs, ledger.state(), thresholds, checked["record_id"], sources, people, rules)
    tell("clustering", 0.9)
    clusters, pairs = cluster(checked["record_id"], pairs, people, rules)
    pairs = pairs[pairs["status"] != AUTO_REJECTED].reset_index(drop=True)
    queue = pairs[pairs["status"] == REVIEW].sort_values("match_probability", ascending=False, kind="stable")
    tell("done", 1.0)
    return LinkageResult(checked, pairs, clusters, side_by_side(queue, checked), model, scored.pairs_scored,
                         tuple(notes), None if touched is None else len(touched), trained)
