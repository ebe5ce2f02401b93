"""Incremental linking on both stores: the model saved in the store is reused, only pairs involving new or
changed records are scored, the other pairs keep their scores, and reviewers' decisions always hold."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from graphmodel.changes import refresh_store
from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable
from loaders.erase import erase_person
from loaders.linkage.decide import Thresholds
from loaders.linkage.graph import apply_decision, link_store, person_records
from loaders.linkage.graph import links_frame as store_links
from loaders.linkage.records import check_records
from loaders.linkage.saved import data_fingerprint, read_saved, record_hashes
from loaders.refresh import apply_plan, plan_folder
from tests.conftest import SMALL

HEADER = "person_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number,upn,source_id\n"
LIAM = "POL:77,Liam,Tayler,2014-03-09,M,CB1 1AA,,H801200001001,S_POL\n"
LILY = "POL:79,Lilly,Brown,2012-12-12,F,CB4 4DD,,,S_POL\n"
PIOTR = "POL:80,Piotr,Nowak,2010-10-01,M,CB3 3CC,,,S_POL\n"


def _police(store: GraphStore, tmp_path: Path, name: str, rows: str, corrections: bool = False) -> None:
    """Load a police extract (a full extract of S_POL) through the refresh loader, as `familygraph load` does."""
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(SMALL / "agencies.csv", folder)
    shutil.copy(SMALL / "sources.csv", folder)
    (folder / "people.csv").write_text(HEADER + rows)
    target = refresh_store(store)
    apply_plan(target, plan_folder(target, folder, accept_identity_changes=corrections))


def _links(store: GraphStore) -> dict[tuple[str, str], tuple[str, float]]:
    frame = store.county_table(CountyTable.LINKS)
    return {(r.person_id, r.other_person_id): (r.status, round(float(r.match_probability), 6))
            for r in frame.itertuples()}


@pytest.fixture
def first_run(store: GraphStore, tmp_path: Path) -> GraphStore:
    """The small county and a police extract holding Liam under another spelling, linked once."""
    target = refresh_store(store)
    apply_plan(target, plan_folder(target, SMALL))
    _police(store, tmp_path, "police1", LIAM)
    summary, _ = link_store(store)
    assert not summary.model_reused and summary.new_or_changed_records is None
    return store


def test_the_model_is_saved_with_what_it_was_trained_on(first_run: GraphStore) -> None:
    saved = read_saved(first_run)
    assert saved is not None
    assert (saved.records, saved.sources) == (11, ("S_EH", "S_POL"))
    records = check_records(person_records(first_run))
    assert saved.fingerprint == data_fingerprint(record_hashes(records))
    assert dt.datetime.fromisoformat(saved.trained_at).date() == dt.datetime.now(dt.UTC).date()
    assert saved.hashes is not None and len(saved.hashes) == 11
    assert "comparisons" in json.loads(saved.model.to_json())["settings"]


def test_a_second_extract_is_linked_incrementally_with_the_same_result_as_a_full_run(
        first_run: GraphStore, tmp_path: Path) -> None:
    full_first = link_store(first_run, train=False)[0]  # priors: the model a county this small links with
    _police(first_run, tmp_path, "police2", LIAM + LILY + PIOTR)
    link_store(first_run, train=False)
    summary, _ = link_store(first_run)  # nothing saved to reuse after --no-train: every pair
    assert summary.new_or_changed_records is None
    assert ("P8", "POL:80") in _links(first_run)
    erase_person(refresh_store(first_run), "POL:80", reason="request 17", who="dpo")
    saved = read_saved(first_run)
    assert saved is not None and saved.hashes is None  # no trace of the erased record id in the run state
    relinked, _ = link_store(first_run)
    assert relinked.model_reused and relinked.new_or_changed_records is None
    assert not any("POL:80" in pair for pair in _links(first_run))
    incremental, _ = link_store(first_run)
    assert incremental.model_reused and incremental.new_or_changed_records == 0
    assert "reused model trained" in incremental.run and "0 new or changed records" in incremental.run
    _police(first_run, tmp_path, "police4", LIAM + LILY + PIOTR.replace("POL:80", "POL:81"))  # a new record
    incremental, _ = link_store(first_run)
    assert incremental.model_reused and incremental.new_or_changed_records == 1
    after_incremental = _links(first_run)
    full, _ = link_store(first_run, train=False)
    assert _links(first_run) == after_incremental
    assert ("P8", "POL:81") in after_incremental and ("P10", "POL:79") in after_incremental
    assert incremental.pairs_scored < full.pairs_scored and full_first.pairs_scored < full.pairs_scored


def test_a_changed_record_is_scored_again(first_run: GraphStore, tmp_path: Path) -> None:
    def liam() -> str:
        links = store_links(first_run)
        return str(links.loc[(links.record_id_l == "P3") & (links.record_id_r == "POL:77"), "reason"].iloc[0])

    assert "date of birth day and month swapped" in liam()
    _police(first_run, tmp_path, "police2", LIAM.replace("2014-03-09", "2014-09-03"),  # corrected
            corrections=True)
    summary, _ = link_store(first_run)
    assert summary.model_reused and summary.new_or_changed_records == 1
    assert "date of birth same" in liam()


def test_reviewers_decisions_hold_through_an_incremental_run(first_run: GraphStore, tmp_path: Path) -> None:
    link_store(first_run, thresholds=Thresholds(accept=1.0, reject=0.1))
    apply_decision(first_run, "reject", "P3", "POL:77", who="hub.worker", why="school says another Liam")
    _police(first_run, tmp_path, "police2", LIAM + LILY)
    summary, _ = link_store(first_run, thresholds=Thresholds(accept=1.0, reject=0.1))
    assert summary.model_reused and summary.new_or_changed_records == 1
    links = _links(first_run)
    assert ("P3", "POL:77") not in links  # rejected: never proposed again
    assert links[("P10", "POL:79")][0] == "review"
    apply_decision(first_run, "confirm", "P10", "POL:79", who="hub.worker", why="same girl, name misspelt")
    _police(first_run, tmp_path, "police3", LIAM + LILY + PIOTR)
    link_store(first_run, thresholds=Thresholds(accept=1.0, reject=0.1))
    assert _links(first_run)[("P10", "POL:79")][0] == "confirmed"


def test_train_retrains_and_scores_every_pair(first_run: GraphStore, tmp_path: Path) -> None:
    _police(first_run, tmp_path, "police2", LIAM + LILY)
    summary, _ = link_store(first_run, train=True)
    assert not summary.model_reused and summary.new_or_changed_records is None
    assert "every pair" in summary.run


def test_other_thresholds_score_every_pair_with_the_saved_model(first_run: GraphStore) -> None:
    summary, _ = link_store(first_run, thresholds=Thresholds(accept=0.9, reject=0.1))
    assert summary.model_reused and summary.new_or_changed_records is None
