"""Record linkage: planted duplicates found, twins and siblings kept apart, and the review ledger."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
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


def _records(rows: Sequence[tuple[str | None, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


TWINS = [
    ("school:10", "school", "Ava", "Price", "2016-04-02", "F", "FX7 1AB", None, None),
    ("school:11", "school", "Eva", "Price", "2016-04-02", "F", "FX7 1AB", None, None),
    ("health:11", "health", "Eva", "Price", "2016-04-02", "F", "FX7 1AB", None, None),  # Eva again
    ("school:12", "school", "Jack", "Shaw", "2013-11-20", "M", "FX8 2CD", None, None),
    ("school:13", "school", "Jake", "Shaw", "2013-11-20", "M", "FX8 2CD", None, None),
    ("police:20", "police", "Daniel", "Reid", "1979-06-14", "M", "FX9 3EF", None, None),  # father
    ("school:21", "school", "Daniel", "Reid", "2009-02-27", "M", "FX9 3EF", None, None),  # son, same name
    ("health:30", "health", "Grace", "Lowe", "2001-01-09", "F", "FX1 4GH", "9434765919", None),
    ("police:31", "police", "Grace", "Lowe", "2001-01-09", "F", "FX1 4GH", "9434765870", None),  # other NHS no.
]


def test_twins_with_look_alike_names_are_different_people_with_a_reason():
    result = run(records=_records(TWINS))
    assert same_person(result, "school:11", "health:11")
    assert not same_person(result, "school:10", "school:11")
    assert not same_person(result, "school:10", "health:11")
    assert not same_person(result, "school:12", "school:13")
    assert status(result, "school:10", "school:11") == "different_people"
    note = result.pairs.set_index(["record_id_l", "record_id_r"]).loc[("school:10", "school:11"), "note"]
    assert "twins" in note and "Ava" in note and "Eva" in note


def test_generational_namesakes_and_different_nhs_numbers_stay_apart():
    result = run(records=_records(TWINS))
    assert not same_person(result, "police:20", "school:21")
    assert status(result, "police:20", "school:21") == "different_people"
    assert not same_person(result, "health:30", "police:31")


def test_no_group_joins_records_a_rule_keeps_apart_even_through_a_third_record():
    bridge = ("gp:40", "gp", "Eva", "Price", "2016-04-02", "F", None, None, None)  # could join either twin
    result = run(records=_records([*TWINS, bridge]))
    groups = result.clusters.set_index("record_id")["resolved_id"]
    assert groups["school:10"] != groups["school:11"]
    assert groups["school:10"] != groups["health:11"]


def test_two_records_of_one_extract_need_more_evidence():
    rows = [("school:50", "school", "Mia", "Khan", "2014-05-06", "F", "FX2 9ZZ", None, None),
            ("school:51", "school", "Mia", "Kahn", "2014-05-06", "F", "FX2 9ZY", None, None),
            ("health:51", "health", "Mia", "Kahn", "2014-05-06", "F", "FX2 9ZY", None, None)]
    strict = Thresholds(accept=0.7, reject=0.2, accept_same_source=1.0)
    result = link(_records(rows), None, model=county_model(), thresholds=strict)
    assert status(result, "school:50", "school:51") == "review"
    off = link(_records(rows), None, model=county_model(),
               thresholds=Thresholds(link_within_source=False))
    assert status(off, "school:50", "school:51") is None


def test_swapped_given_and_family_names_still_link():
    rows = [("health:60", "health", "Owen", "Hughes", "1988-07-19", "M", "FX3 1AA", None, None),
            ("police:60", "police", "Hughes", "Owen", "1988-07-19", "M", "FX3 1AA", None, None)]
    result = run(records=_records(rows))
    assert same_person(result, "health:60", "police:60")
    assert "swapped" in result.pairs["reason"].iloc[0]


def test_an_identifier_failing_its_check_digit_is_dropped_with_a_note():
    rows = [("health:70", "health", "Ruby", "Hall", "2011-03-03", "F", "FX4 1AA", "9434765918", None),
            ("school:70", "school", "Ruby", "Hall", "2011-03-03", "F", "FX4 1AA", "1234567890", None)]
    result = run(records=_records(rows))
    assert any("NHS number" in note for note in result.notes)
    assert same_person(result, "health:70", "school:70")  # a bad NHS number neither links nor separates


def test_nicknames_come_from_the_maintained_list_not_the_generator():
    from loaders.linkage.nicknames import nickname_related
    from seed.names_data import NICKNAMES as GENERATOR_NICKNAMES

    assert nickname_related("robert", "bob") and nickname_related("william", "liam")
    assert not nickname_related("jack", "jake")  # both shorten Jacob; twins are named so
    assert nickname_related("margaret", "daisy") and "daisy" not in GENERATOR_NICKNAMES


def test_generated_county_twins_and_namesakes_are_never_merged(tmp_path):
    from bench.linkage_metrics import group_scores, pairs_within, scores
    from seed.generator import generate

    generate(900, 5, tmp_path)
    people = pd.read_csv(tmp_path / "people.csv", dtype=str, keep_default_na=False).replace("", None)
    dup = pd.read_csv(tmp_path / "truth" / "duplicate_people.csv", dtype=str)
    negatives = pd.read_csv(tmp_path / "truth" / "different_people.csv", dtype=str)
    assert {"twins", "twins_look_alike", "namesakes", "siblings"} <= set(negatives["kind"])
    result = link(records_from_people(people), None)
    groups = pd.Series(result.clusters["resolved_id"].to_numpy(), index=result.clusters["record_id"])
    entity = pd.Series(groups.index.to_numpy(), index=groups.index)
    entity[dup["duplicate_person_id"].to_numpy()] = dup["person_id"].to_numpy()
    pairwise = scores(pairs_within(groups), pairs_within(entity))
    grouped = group_scores(groups, entity, negatives.itertuples(index=False))
    merged = {k: v for k, v in grouped.items() if k.endswith("_merged")}
    assert merged["twins_merged"] == merged["twins_look_alike_merged"] == merged["namesakes_merged"] == 0
    # about 70 planted pairs here, so one miss is 1.4 points; the 10,000-household benchmark measures the target
    assert (pairwise["recall"] or 0) >= 0.93 and (pairwise["precision"] or 0) >= 0.97
    assert grouped["b3_precision"] >= 0.998


def test_link_and_links_commands(tmp_path):
    import json

    from tests.conftest import SMALL
    from tests.test_cli import run_cli

    police = tmp_path / "police"
    police.mkdir()
    (police / "people.csv").write_text(
        "person_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number,upn,source_id\n"
        "POL:77,Liam,Tayler,2014-03-09,M,CB1 1AA,,H801200001001,S_POL\n")
    home = tmp_path / "home"
    assert run_cli("load", str(SMALL), home=home).returncode == 0
    assert run_cli("load", str(police), home=home).returncode == 0
    done = run_cli("link", "--no-train", "--no-link-within-source", home=home)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["auto_linked_pairs"] == summary["linked_pairs"] == 1 and summary["review_queue"] == 0
    assert "priors" in summary["model"]
    groups = json.loads(run_cli("links", "groups", "--json", home=home).stdout)
    assert [g["records"] for g in groups] == ["P3; POL:77"]
    explained = run_cli("links", "groups", "--explain", groups[0]["group"], home=home)
    assert "held by" in explained.stdout and "weakest link" in explained.stdout
    listed = json.loads(run_cli("links", "list", "--json", home=home).stdout)
    assert {(r["record_id_l"], r["record_id_r"], r["status"]) for r in listed} >= {("P3", "POL:77", "auto_accepted")}
    missing = run_cli("links", "groups", "--explain", "RP-NOPE", home=home)
    assert missing.returncode != 0 and "no linked group" in missing.stderr and "Traceback" not in missing.stderr


def test_a_large_population_is_scored_in_bounded_memory_with_the_same_links(monkeypatch):
    """From splink_model.LARGE records, pairs below the floor are dropped inside Splink's predict and twins
    come from a second prediction: the links made are the same, twins are still kept apart."""
    from loaders.linkage import splink_model

    records = check_records(planted())
    model = county_model()
    normal = link(records, None, model=model)
    monkeypatch.setattr(splink_model, "LARGE", 1)
    bounded = link(records, None, model=model)
    assert _linked(bounded) == _linked(normal) and _linked(normal)
    twins = bounded.pairs[(bounded.pairs.record_id_l == "school:4") & (bounded.pairs.record_id_r == "school:5")]
    assert list(twins.status) == ["different_people"]
    assert bounded.pairs_scored <= normal.pairs_scored


def _linked(result) -> set[tuple[str, str]]:
    pairs = result.pairs
    return set(zip(pairs.record_id_l[pairs.status == "auto_accepted"],
                   pairs.record_id_r[pairs.status == "auto_accepted"], strict=True))
