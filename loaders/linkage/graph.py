"""Record linkage against a store: read person records, keep the review ledger in the graph, write links.

Source records are never merged or changed. A run replaces the derived links whole: SAME_AS between
records (with score, reason and status) and RESOLVES_TO a ResolvedPerson for every group of two or
more records. Reviewers' decisions are Decision nodes, appended and never changed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable, GraphBatch
from graphmodel.schema import Label
from loaders.linkage.api import LinkageResult, Progress, link
from loaders.linkage.decide import AUTO_ACCEPTED, CONFIRMED, DIFFERENT, REJECTED, REVIEW, Thresholds, cluster
from loaders.linkage.groups import GroupExplanation, explain_group, groups_from_links
from loaders.linkage.records import check_records
from loaders.linkage.review import Decision, ReviewLedger, pair_key, side_by_side
from loaders.linkage.saved import SavedLink, read_saved, record_hashes, saved_row, thresholds_text
from loaders.linkage.splink_model import MIN_TRAINING_RECORDS, LinkageModel

__all__ = ["GraphLedgerStore", "LinkSummary", "apply_decision", "explain_stored_group", "link_store", "links_frame",
           "mark_different", "person_records", "regroup_store", "review_queue", "split_group", "stored_groups"]

LINK_TABLES = (Label.RESOLVED_PERSON.value, "same_as", "resolves_to")
"""What a linkage run replaces."""
STATUS_AFTER = {"confirm": CONFIRMED, "reject": REJECTED, "undo": REVIEW}


def person_records(store: GraphStore) -> pd.DataFrame:
    """Every Person in the store as a PersonRecord frame (record_id = person id)."""
    return store.county_table(CountyTable.PEOPLE).rename(columns={"person_id": "record_id"})


class GraphLedgerStore:
    """The review ledger kept in the store as Decision nodes (append-only)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def append(self, decision: Decision) -> Decision:
        """Write one decision in its own transaction, numbered after the last (no two reviewers share a number)."""
        [seq] = self.store.write_numbered(GraphBatch(nodes={Label.DECISION: [{
            "id": str(uuid.uuid4()), "record_id_l": decision.record_id_l,
            "record_id_r": decision.record_id_r, "action": decision.action, "who": decision.who,
            "decided_at": decision.when, "why": decision.why, "match_probability": decision.match_probability,
            "reason": decision.reason}]}), Label.DECISION)
        return Decision(decision.record_id_l, decision.record_id_r, decision.action, decision.who, decision.when,
                        decision.why, decision.match_probability, decision.reason, seq)

    def decisions(self) -> list[Decision]:
        """Every decision, oldest first."""
        frame = self.store.county_table(CountyTable.DECISIONS).sort_values("seq", key=lambda s: s.astype(int))
        return [Decision(r.record_id_l, r.record_id_r, r.action, r.who, r.decided_at, r.why,
                         None if r.match_probability is None else float(r.match_probability), r.reason, int(r.seq))
                for r in frame.itertuples()]


@dataclass(frozen=True, slots=True)
class LinkSummary:
    """What a linkage run found."""

    records: int
    pairs_scored: int
    linked_pairs: int  # linked automatically or confirmed by a reviewer (not those waiting for review)
    auto_linked_pairs: int
    review_queue: int
    different_people_pairs: int  # pairs a household rule (or a reviewer) keeps apart
    resolved_people: int
    records_in_groups: int
    model: str = ""  # how the model was trained, and on how many records
    notes: tuple[str, ...] = ()
    model_reused: bool = False  # the model saved in the store was used as it was (no training this run)
    new_or_changed_records: int | None = None  # records whose pairs were scored; None: every pair was scored
    run: str = ""  # one sentence: which model, how many pairs scored, involving how many records


def result_to_batch(result: LinkageResult, keep_rejected: bool = False) -> GraphBatch:
    """SAME_AS links (not rejected ones, unless asked) and ResolvedPerson groups of two or more records."""
    pairs = result.pairs if keep_rejected else result.pairs[result.pairs.status != REJECTED]
    pairs = pairs[pairs.match_probability.notna()]
    groups = result.clusters[result.clusters.cluster_size > 1]
    resolved = groups.drop_duplicates("resolved_id")
    return GraphBatch(
        nodes={Label.RESOLVED_PERSON: [{"id": r.resolved_id, "records": int(r.cluster_size)}
                                       for r in resolved.itertuples()]},
        rels={
            "same_as": [{"src": r.record_id_l, "dst": r.record_id_r, "match_probability": float(r.match_probability),
                         "match_weight": float(r.match_weight), "reason": _reason(r), "status": r.status}
                        for r in pairs.itertuples()],
            "resolves_to": [{"src": r.record_id, "dst": r.resolved_id} for r in groups.itertuples()],
        })


def _reason(row: object) -> str:
    """The score's reason, led by the household rule's when the pair is kept apart as different people."""
    reason, note = str(getattr(row, "reason", "") or ""), str(getattr(row, "note", "") or "")
    if getattr(row, "status", "") == DIFFERENT and note and not reason.startswith(note):
        return f"{note}. Evidence: {reason}"
    return reason


def link_store(store: GraphStore, *, progress: Progress | None = None, thresholds: Thresholds | None = None,
               train: bool | None = None, model: LinkageModel | None = None,
               ) -> tuple[LinkSummary, LinkageResult]:
    """Link every person record in the store and replace the derived links, all or nothing.

    (One transaction, or on Neo4j a bigger write in logged batches: the old links are deleted batch by batch
    with a record of each, so a run that fails or is killed is undone to the links before it.)

    train=None (the default) reuses the model saved in the store by the last run, if there is one that fits,
    and then scores only pairs involving records new or changed since that run, keeping the scores of the
    others; train=True trains a new model and scores every pair; train=False uses the priors (quicker, less
    accurate) and scores every pair. Reviewers' decisions always apply. The model used and this run's state
    are saved with the links.
    """
    thresholds = thresholds or Thresholds()
    ledger = ReviewLedger(GraphLedgerStore(store))
    records = check_records(person_records(store))
    hashes = record_hashes(records)
    saved = read_saved(store)
    touched: set[str] | None = None
    previous: pd.DataFrame | None = None
    if model is None and train is None and saved is not None and (
            saved.trained_on_data or len(records) < MIN_TRAINING_RECORDS):
        model = saved.model
        if saved.hashes is not None and saved.thresholds == thresholds_text(thresholds):
            before = saved.hashes.reindex(hashes.index)
            touched = set(hashes.index[before.isna().to_numpy() | (before.to_numpy() != hashes.to_numpy())])
            previous = _previous_pairs(store)
    result = link(records, ledger, progress=progress, thresholds=thresholds, train_em=train is not False,
                  model=model, prior_only=train is False, touched=touched, previous=previous,
                  retrain_unfit=saved is not None and model is saved.model)
    batch = result_to_batch(result)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    reused = not result.trained and saved is not None and model is saved.model
    sources = sorted({s for s in records["source_id"] if s})
    if train is False and saved is not None and saved.trained_on_data:  # priors this once: keep the trained model
        row = saved_row(saved.model, None, trained_hashes=None, sources=sources, previous=saved, linked_at=now,
                        thresholds=thresholds)
    else:  # no state after a run on priors, so the next run with the saved model scores every pair
        row = saved_row(result.model, None if train is False else hashes, trained_hashes=None if reused else hashes,
                        sources=sources, previous=saved if reused else None, linked_at=now, thresholds=thresholds)
    batch.nodes[Label.LINK_MODEL] = [row]
    store.write(batch, replace=LINK_TABLES)
    groups = result.clusters[result.clusters.cluster_size > 1]
    status = result.pairs.status
    trained = result.model.trained
    how = f"trained on {trained.get('records', '?')} records at {trained.get('at', '?')}: " + "; ".join(
        trained.get("how", []))
    summary = LinkSummary(len(result.records), result.pairs_scored, int(status.isin((AUTO_ACCEPTED, CONFIRMED)).sum()),
                          int((status == AUTO_ACCEPTED).sum()), len(result.review_queue),
                          int(status.isin((DIFFERENT, REJECTED)).sum()), groups.resolved_id.nunique(), len(groups),
                          how, result.notes, reused, result.touched,
                          _run_sentence(result, reused, saved))
    return summary, result


def _run_sentence(result: LinkageResult, reused: bool, saved: SavedLink | None) -> str:
    """'reused model trained 05/12/2026 on 5,000 records; scored 1,234 pairs involving 120 new or changed records'."""
    if reused and saved is not None:
        when = saved.trained_at[:10]
        shown = f"{when[8:10]}/{when[5:7]}/{when[:4]}" if len(when) == 10 else "an unknown date"
        model = f"reused model trained {shown} on {saved.records:,} records"
    else:
        trained = result.model.trained
        priors = any("priors" in step for step in trained.get("how", []))
        model = (f"model of priors ({len(result.records):,} records)" if priors
                 else f"trained a new model on {len(result.records):,} records")
    if result.touched is None:
        return f"{model}; scored {result.pairs_scored:,} pairs (every pair)"
    return f"{model}; scored {result.pairs_scored:,} pairs involving {result.touched:,} new or changed records"


def _previous_pairs(store: GraphStore) -> pd.DataFrame:
    """The stored links as scored pairs, each reason without the household rule's note a run put before it."""
    links = links_frame(store)
    reason = links["reason"].fillna("").astype(str)
    evidence = reason.str.split(". Evidence: ", n=1, regex=False)
    links["reason"] = [parts[1] if status == DIFFERENT and len(parts) == 2 else text
                       for parts, status, text in zip(evidence, links["status"], reason, strict=True)]
    return links[["record_id_l", "record_id_r", "match_probability", "match_weight", "reason"]]


def review_queue(store: GraphStore) -> pd.DataFrame:
    """Links waiting for a reviewer, strongest first, with both records side by side."""
    links = store.county_table(CountyTable.LINKS)
    waiting = links[links.status == REVIEW].rename(columns={"person_id": "record_id_l",
                                                              "other_person_id": "record_id_r"})
    waiting = waiting.sort_values(["match_probability", "record_id_l"], ascending=[False, True])
    return side_by_side(waiting, person_records(store))


def apply_decision(store: GraphStore, action: str, record_a: str, record_b: str, *, who: str, why: str) -> Decision:
    """Record a reviewer's confirm, reject or undo in the ledger and show it on the link at once."""
    ledger = ReviewLedger(GraphLedgerStore(store))
    left, right = pair_key(record_a, record_b)
    links = store.county_table(CountyTable.LINKS)
    row = links[(links.person_id == left) & (links.other_person_id == right)]
    probability = float(row.match_probability.iloc[0]) if len(row) else None
    reason = str(row.reason.iloc[0]) if len(row) else None
    if action == "confirm":
        decision = ledger.confirm(left, right, who=who, why=why, match_probability=probability, reason=reason)
    elif action == "reject":
        decision = ledger.reject(left, right, who=who, why=why, match_probability=probability, reason=reason)
    elif action == "undo":
        decision = ledger.undo(left, right, who=who, why=why)
    else:
        raise ValueError(f"unknown review action {action!r}")
    in_force = ledger.decision_in_force(left, right)
    status = STATUS_AFTER[in_force.action] if in_force else REVIEW
    if len(row):
        store.write(GraphBatch(rels={"same_as": [{
            "src": left, "dst": right, "match_probability": probability,
            "match_weight": float(row.match_weight.iloc[0]), "reason": reason, "status": status}]}))
    regroup_store(store)
    return decision


def links_frame(store: GraphStore) -> pd.DataFrame:
    """The stored links as pairs: record_id_l, record_id_r, match_probability, match_weight, reason, status."""
    links = store.county_table(CountyTable.LINKS)
    return links.rename(columns={"person_id": "record_id_l", "other_person_id": "record_id_r"})


def regroup_store(store: GraphStore) -> None:
    """Rebuild the resolved people from the stored links and the reviewers' decisions (no re-scoring)."""
    links = links_frame(store)
    state = ReviewLedger(GraphLedgerStore(store)).state()
    present = person_records(store)["record_id"]
    keys = list(zip(links["record_id_l"], links["record_id_r"], strict=True))
    pairs = links.assign(status=[state.get(k, s) for k, s in zip(keys, links["status"], strict=True)], note="")
    known, ids = set(keys), set(present)
    extra = [(a, b, s) for (a, b), s in state.items() if (a, b) not in known and a in ids and b in ids]
    if extra:
        pairs = pd.concat([pairs, pd.DataFrame(extra, columns=["record_id_l", "record_id_r", "status"])],
                          ignore_index=True)
    clusters, pairs = cluster(present, pairs)
    result = LinkageResult(person_records(store), pairs, clusters, pairs.iloc[0:0], LinkageModel({}), 0)
    store.write(result_to_batch(result, keep_rejected=True), replace=LINK_TABLES)


def stored_groups(store: GraphStore) -> pd.DataFrame:
    """Every group of two or more records in the store: record_id, resolved_id, cluster_size."""
    return groups_from_links(links_frame(store))


def explain_stored_group(store: GraphStore, resolved: str) -> GroupExplanation | None:
    """Why a stored group's records are one person (None when there is no such group)."""
    return explain_group(resolved, links_frame(store))


def mark_different(store: GraphStore, record_a: str, record_b: str, *, who: str, why: str) -> Decision:
    """A reviewer says two records are different people: a cannot-link every later run honours."""
    return apply_decision(store, "reject", record_a, record_b, who=who, why=why)


def split_group(store: GraphStore, resolved: str, take_out: list[str], *, who: str, why: str) -> list[Decision]:
    """Split records out of a group: each is marked different from every record left in it."""
    groups = stored_groups(store)
    members = set(groups.loc[groups["resolved_id"] == resolved, "record_id"])
    out = set(take_out)
    if not out or not out < members:
        raise ValueError(f"choose some but not all records of group {resolved} to split off")
    ledger = ReviewLedger(GraphLedgerStore(store))
    decisions = [ledger.reject(a, b, who=who, why=why) for a in sorted(out) for b in sorted(members - out)]
    regroup_store(store)
    return decisions
