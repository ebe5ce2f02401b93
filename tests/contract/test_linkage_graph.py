"""Record linkage through the store: links, resolved people, and the review ledger, on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable
from loaders.linkage.decide import Thresholds
from loaders.linkage.graph import GraphLedgerStore, apply_decision, link_store, review_queue
from loaders.linkage.review import ReviewLedger
from loaders.load import load_folder

POLICE = (
    "person_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number,upn,source_id\n"
    "POL:77,Liam,Tayler,2014-03-09,M,CB1 1AA,,H801200001001,S_POL\n"
    "POL:78,Sarah,Taylor,1990-04-12,F,CB1 1AA,9434765919,,S_POL\n"
)
UNSURE = Thresholds(accept=1.0, reject=0.1)  # every likely link waits for a reviewer


@pytest.fixture
def linked_store(small_store: GraphStore, tmp_path: Path) -> GraphStore:
    """The small county plus a police extract holding two of its people under other spellings and dates."""
    police = tmp_path / "police"
    police.mkdir()
    (police / "people.csv").write_text(POLICE)
    load_folder(small_store, police)
    return small_store


def links_of(store: GraphStore) -> dict[tuple[str, str], str]:
    frame = store.county_table(CountyTable.LINKS)
    return {(r.person_id, r.other_person_id): r.status for r in frame.itertuples()}


def test_records_from_another_agency_link_to_the_same_people(linked_store: GraphStore) -> None:
    summary, _ = link_store(linked_store)
    links = links_of(linked_store)
    assert ("P1", "POL:78") in links and ("P3", "POL:77") in links
    assert summary.resolved_people == 2 and summary.records_in_groups == 4
    assert linked_store.counts()["ResolvedPerson"] == 2
    snap = linked_store.family_snapshot("F1")
    assert snap is not None
    liam = next(link for link in snap.links if link.person_id == "P3")
    assert (liam.other_person_id, liam.other_name, liam.other_source_id) == ("POL:77", "Liam Tayler", "S_POL")
    assert liam.reason


def test_a_second_run_replaces_the_links_and_keeps_source_records(linked_store: GraphStore) -> None:
    link_store(linked_store)
    first = linked_store.counts()
    link_store(linked_store)
    assert linked_store.counts() == first
    assert first["Person"] == 12


def test_confirm_reject_and_undo_are_recorded_and_shown(linked_store: GraphStore) -> None:
    link_store(linked_store, thresholds=UNSURE)
    queue = review_queue(linked_store)
    pairs = set(zip(queue.record_id_l, queue.record_id_r, strict=True))
    assert {("P3", "POL:77"), ("P1", "POL:78")} <= pairs
    assert list(queue.given_name_r[queue.record_id_l == "P3"]) == ["Liam"]
    apply_decision(linked_store, "confirm", "POL:77", "P3", who="hub.worker", why="same UPN, dob typo")
    apply_decision(linked_store, "reject", "P1", "POL:78", who="hub.worker", why="checked: a namesake")
    assert links_of(linked_store)[("P3", "POL:77")] == "confirmed"
    assert links_of(linked_store)[("P1", "POL:78")] == "rejected"
    apply_decision(linked_store, "undo", "P1", "POL:78", who="hub.lead", why="rejected by mistake")
    assert links_of(linked_store)[("P1", "POL:78")] == "review"
    history = ReviewLedger(GraphLedgerStore(linked_store)).history()
    assert [(d.action, d.who, d.seq) for d in history] == [
        ("confirm", "hub.worker", 1), ("reject", "hub.worker", 2), ("undo", "hub.lead", 3)]
    assert all(d.when and d.why for d in history)


def test_a_rejected_pair_is_never_proposed_again(linked_store: GraphStore) -> None:
    link_store(linked_store, thresholds=UNSURE)
    apply_decision(linked_store, "reject", "P1", "POL:78", who="hub.worker", why="a namesake")
    apply_decision(linked_store, "confirm", "P3", "POL:77", who="hub.worker", why="same child")
    link_store(linked_store, thresholds=UNSURE)
    links = links_of(linked_store)
    assert ("P1", "POL:78") not in links
    assert links[("P3", "POL:77")] == "confirmed"
    assert set(review_queue(linked_store).record_id_l) == set()


def test_a_decision_needs_who_and_why(linked_store: GraphStore) -> None:
    link_store(linked_store, thresholds=UNSURE)
    with pytest.raises(ValueError, match="who made it and why"):
        apply_decision(linked_store, "confirm", "P3", "POL:77", who="hub.worker", why=" ")


def test_a_split_group_stays_split_after_a_relink_and_a_reload(linked_store: GraphStore, tmp_path: Path) -> None:
    from loaders.linkage.graph import explain_stored_group, split_group, stored_groups

    link_store(linked_store)
    groups = stored_groups(linked_store)
    group = groups.loc[groups.record_id == "P3", "resolved_id"].iloc[0]
    explanation = explain_stored_group(linked_store, group)
    assert explanation is not None and {h.record_id for h in explanation.records} == {"P3", "POL:77"}
    assert explanation.weakest is not None and explanation.weakest.reason
    split_group(linked_store, group, ["POL:77"], who="hub.worker", why="school says a different Liam")
    assert "POL:77" not in set(stored_groups(linked_store).record_id)
    link_store(linked_store)
    assert "POL:77" not in set(stored_groups(linked_store).record_id)
    police = tmp_path / "police"
    load_folder(linked_store, police)  # the same extract again: a refresh
    link_store(linked_store)
    assert "POL:77" not in set(stored_groups(linked_store).record_id)
    assert ("P1", "POL:78") in links_of(linked_store)
