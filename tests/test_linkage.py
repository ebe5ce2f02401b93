"""Record linkage: planted duplicates found, twins and siblings kept apart, and the review ledger."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from loaders.linkage import (
    LinkageModel,
    NothingToUndo,
    RecordsInvalid,
    ReviewLedger,
    SqliteLedgerStore,
    Thresholds,
    check_records,
    family_links,
    link,
    records_from_people,
)
from loaders.linkage.decide import APART_NOTE
from loaders.linkage.features import features
from loaders.linkage.splink_model import train

COLUMNS = ("record_id", "source_id", "given_name", "family_name", "dob", "sex", "postcode", "nhs_number",
           "upn")
PLANTED = [
    ("health:1", "health", "Robert", "Okafor", "2012-03-04", "M", "FX1 1AA", "9991000003", None),
    ("school:1", "school", "Bob", "Okafor", "2012-03-04", "M", "FX1 1AA", None, "A899200114001"),  # nickname
    ("health:2", "health", "Jessica", "Whitfield", "1990-09-21", "F", "FX3 4QT", None, None),
    ("police:2", "police", "Jessica", "Whitfeild", "1990-09-21", "F", "FX3 4QT", None, None),  # typo
    ("csc:3", "csc", "Amira", "Hassan", "2010-05-07", "F", "FX11 2DE", None, None),
    ("school:3", "school", "Amira", "Hassan", "2010-07-05", "F", "FX11 2DE", None, None),  # day/month swapped
    ("school:4", "school", "Oliver", "Nowak", "2015-06-01", "M", "FX2 2BB", None, None),  # twins
    ("school:5", "school", "Harry", "Nowak", "2015-06-01", "M", "FX2 2BB", None, None),
    ("health:6", "health", "Lily", "Nowak", "2017-02-02", "F", "FX2 2BB", None, None),  # siblings
    ("health:7", "health", "Ella", "Nowak", "2019-08-08", "F", "FX2 2BB", None, None),
    ("police:8", "police", "Kwame", "Mensah", "1985-01-30", "M", "FX20 9ZZ", None, None),  # unrelated
]


@functools.cache
def county_model() -> LinkageModel:
    """A model trained (without labels) on a small generated county; shared by the tests."""
    from seed.generator import generate

    folder = Path(__import__("tempfile").mkdtemp(prefix="linkage-county-"))
    generate(700, 3, folder)
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False).replace("", None)
    return train(features(check_records(records_from_people(people))), seed=1, max_pairs=3e5)


def planted() -> pd.DataFrame:
    return pd.DataFrame(PLANTED, columns=COLUMNS)


def run(ledger: ReviewLedger | None = None, records: pd.DataFrame | None = None):
    return link(planted() if records is None else records, ledger, model=county_model())


def same_person(result, a: str, b: str) -> bool:
    ids = result.clusters.set_index("record_id")["resolved_id"]
    return bool(ids[a] == ids[b])


def status(result, a: str, b: str) -> str | None:
    left, right = sorted((a, b))
    rows = result.pairs[(result.pairs["record_id_l"] == left) & (result.pairs["record_id_r"] == right)]
    return None if rows.empty else str(rows["status"].iloc[0])


@pytest.mark.parametrize(("a", "b", "why"), [
    ("health:1", "school:1", "nickname"), ("health:2", "police:2", "similar name"),
    ("csc:3", "school:3", "day and month swapped")])
def test_planted_duplicates_are_linked_with_a_reason(a, b, why):
    result = run()
    assert same_person(result, a, b)
    assert status(result, a, b) == "auto_accepted"
    reason = result.pairs.set_index(["record_id_l", "record_id_r"]).loc[tuple(sorted((a, b))), "reason"]
    assert why.split()[0] in reason or why in reason


def test_twins_and_siblings_with_same_surname_and_postcode_are_not_linked():
    result = run()
    assert not same_person(result, "school:4", "school:5")
    assert status(result, "school:4", "school:5") != "auto_accepted"
    assert not same_person(result, "health:6", "health:7")
    assert result.clusters["cluster_size"].max() == 2


def test_every_record_gets_a_resolved_person_and_sources_are_kept():
    result = run()
    assert list(result.clusters["record_id"]) == [r[0] for r in PLANTED]
    assert result.records.equals(check_records(planted()))
    assert result.pairs_scored >= len(result.pairs)


def test_confirm_links_and_survives_a_rerun_even_unscored():
    ledger = ReviewLedger()
    ledger.confirm("police:8", "health:7", who="hub.worker@council", why="same person per GP letter")
    result = run(ledger)
    assert same_person(result, "police:8", "health:7")
    assert status(result, "police:8", "health:7") == "confirmed"


def test_rejected_pair_is_never_proposed_again_and_splits_the_person():
    ledger = ReviewLedger()
    ledger.reject("school:4", "school:5", who="hub.worker@council", why="twins, school confirmed")
    ledger.reject("health:1", "school:1", who="hub.worker@council", why="different child, checked NHS spine")
    for _ in range(2):
        result = run(ledger)
        assert not same_person(result, "health:1", "school:1")
        assert status(result, "health:1", "school:1") == "rejected"
        queued = set(zip(result.review_queue["record_id_l"], result.review_queue["record_id_r"], strict=True))
        assert ("school:4", "school:5") not in queued and ("health:1", "school:1") not in queued


def test_undo_restores_the_model_decision_and_keeps_the_history():
    ledger = ReviewLedger()
    ledger.reject("health:1", "school:1", who="a.reviewer", why="looked different")
    ledger.undo("school:1", "health:1", who="b.reviewer", why="rejected in error")
    result = run(ledger)
    assert same_person(result, "health:1", "school:1")
    assert [d.action for d in ledger.history("health:1", "school:1")] == ["reject", "undo"]
    with pytest.raises(NothingToUndo):
        ledger.undo("health:1", "school:1", who="b.reviewer", why="again")


def test_undo_of_a_later_decision_brings_back_the_earlier_one():
    ledger = ReviewLedger()
    ledger.confirm("a", "b", who="x", why="first look")
    ledger.reject("a", "b", who="y", why="second look")
    assert ledger.state() == {("a", "b"): "rejected"}
    ledger.undo("a", "b", who="y", why="mistake")
    assert ledger.state() == {("a", "b"): "confirmed"}


def test_decisions_record_who_when_and_why():
    ledger = ReviewLedger(clock=lambda: "2026-11-01T09:30:00+00:00")
    decision = ledger.confirm("school:1", "health:1", who="hub.worker@council", why="same UPN on file",
                              match_probability=0.93, reason="agree: ...")
    assert (decision.record_id_l, decision.record_id_r) == ("health:1", "school:1")
    assert (decision.who, decision.when, decision.why, decision.seq) == (
        "hub.worker@council", "2026-11-01T09:30:00+00:00", "same UPN on file", 1)
    with pytest.raises(ValueError, match="who"):
        ledger.reject("a", "b", who=" ", why="no name")
    with pytest.raises(ValueError, match="why"):
        ledger.reject("a", "b", who="someone", why="")


def test_sqlite_ledger_persists_and_cannot_be_rewritten(tmp_path):
    path = tmp_path / "ledger.sqlite"
    ReviewLedger(SqliteLedgerStore(path)).reject("a", "b", who="x", why="twins")
    reopened = ReviewLedger(SqliteLedgerStore(path))
    assert reopened.state() == {("a", "b"): "rejected"}
    assert reopened.history()[0].why == "twins"
    with sqlite3.connect(path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM decision")


def test_review_queue_shows_both_records_side_by_side():
    ledger = ReviewLedger()
    result = link(planted(), ledger, model=county_model(), thresholds=Thresholds(accept=1.0, reject=0.0))
    queue = result.review_queue
    wanted = {"given_name_l", "given_name_r", "dob_l", "dob_r", "reason", "match_probability"}
    assert wanted <= set(queue.columns)
    assert list(queue["match_probability"]) == sorted(queue["match_probability"], reverse=True)
    first = queue.iloc[0]
    ledger.confirm(first["record_id_l"], first["record_id_r"], who="x", why="checked")
    assert len(ledger.pending(queue)) == len(queue) - 1


def test_a_rejection_is_respected_through_a_third_record():
    records = pd.concat([planted(), pd.DataFrame(
        [("gp:1", "gp", "Robert", "Okafor", "2012-03-04", "M", "FX1 1AA", "9991000003", None)], columns=COLUMNS)])
    ledger = ReviewLedger()
    ledger.reject("health:1", "school:1", who="x", why="different boys")
    result = run(ledger, records)
    assert not same_person(result, "health:1", "school:1")
    assert (result.pairs["note"] == APART_NOTE).any()


def test_records_contract_is_checked():
    with pytest.raises(RecordsInvalid, match="upn"):
        link(planted().drop(columns=["upn"]), None, model=county_model())
    with pytest.raises(RecordsInvalid, match="unique"):
        link(pd.concat([planted(), planted().head(1)]), None, model=county_model())


def test_families_link_through_their_members():
    memberships = pd.DataFrame({"person_id": ["health:1", "school:1", "health:2"],
                                "family_id": ["health:F1", "school:F9", "health:F2"]})
    links = family_links(memberships, run().clusters)
    got = links[["family_id_l", "family_id_r", "shared_people"]].values.tolist()
    assert got == [["health:F1", "school:F9", 1]]


def test_an_unscored_rejection_still_keeps_records_apart():
    ledger = ReviewLedger()
    ledger.confirm("police:8", "school:1", who="x", why="same boy, police record updated")
    ledger.reject("police:8", "health:1", who="y", why="different boys")
    result = run(ledger)
    assert same_person(result, "police:8", "school:1")
    assert not same_person(result, "police:8", "health:1")
    assert status(result, "health:1", "school:1") == "review"
