"""The store contract: every behaviour here holds for the embedded store and for Neo4j alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphmodel.contract import GraphStore, StoreError
from graphmodel.records import COUNTY_COLUMNS, CountyTable, GraphBatch
from graphmodel.schema import Label
from loaders.load import load_folder
from loaders.problems import LoadRejected
from tests.conftest import SMALL, SMALL_AS_OF

EXPECTED_SMALL_COUNTS = {
    "Family": 4, "Person": 10, "Professional": 9, "Agency": 8, "Need": 18, "Involvement": 15, "Episode": 5,
    "Source": 8, "MEMBER_OF": 12, "RELATED_TO": 10, "WORKS_FOR": 9, "DELIVERS": 15, "WITH": 15,
    "ADDRESSES": 17, "HAS_NEED": 15, "LEADS": 6, "HAD": 5, "ResolvedPerson": 0, "Decision": 0, "HubEvent": 0,
    "LinkModel": 0,
    "SAME_AS": 0,
    "RESOLVES_TO": 0,
}


def test_empty_store_holds_only_the_need_taxonomy(store: GraphStore) -> None:
    counts = store.counts()
    assert counts["Need"] == 18  # the need taxonomy, with "unspecified"
    assert sum(counts.values()) == 18


def test_loading_the_small_county_gives_the_counts_of_its_rows(small_store: GraphStore) -> None:
    assert small_store.counts() == EXPECTED_SMALL_COUNTS


def test_loading_the_same_folder_twice_changes_nothing(small_store: GraphStore) -> None:
    load_folder(small_store, SMALL)
    assert small_store.counts() == EXPECTED_SMALL_COUNTS


def test_a_rejected_folder_leaves_the_store_exactly_as_it_was(small_store: GraphStore, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(SMALL, broken)
    text = (broken / "involvements.csv").read_text()
    (broken / "involvements.csv").write_text(text.replace("I15,PR9,,F4", "I15,PR99,,F4"))
    (broken / "families.csv").write_text((broken / "families.csv").read_text() + "F5,New family,,,S_EH\n")
    before = small_store.counts()
    with pytest.raises(LoadRejected) as rejected:
        load_folder(small_store, broken)
    assert [(p.file, p.row, p.column) for p in rejected.value.problems] == [("involvements.csv", 16,
                                                                             "professional_id")]
    assert small_store.counts() == before
    assert small_store.family_snapshot("F5") is None


def test_a_write_that_fails_midway_writes_nothing(small_store: GraphStore) -> None:
    before = small_store.counts()
    batch = GraphBatch(nodes={
        Label.FAMILY: [{"id": "F9", "name": "Good", "postcode": None, "district": None, "source_id": None}],
        Label.PERSON: [{"id": "P99", "given_name": {"not": "a value"}, "family_name": "X", "dob": None,
                        "sex": None, "postcode": None, "nhs_number": None, "upn": None, "source_id": None,
                        "given_key": "", "family_key": "", "family_phonetic": ""}],
    })
    with pytest.raises(StoreError):
        small_store.write(batch)
    assert small_store.counts() == before
    assert small_store.family_snapshot("F9") is None


def test_a_later_folder_may_refer_to_what_is_already_loaded(small_store: GraphStore, tmp_path: Path) -> None:
    extra = tmp_path / "police"
    extra.mkdir()
    (extra / "involvements.csv").write_text(
        "involvement_id,professional_id,person_id,family_id,need_codes,service,start,end,source_id\n"
        "POL-1,PR3,P9,,substance_misuse,Drug referral,2026-04-01,,S_POL\n")
    load_folder(small_store, extra)
    snapshot = small_store.family_snapshot("F4")
    assert snapshot is not None
    assert "POL-1" in {i.id for i in snapshot.involvements}


def test_family_snapshot_holds_members_work_leads_and_episodes(small_store: GraphStore) -> None:
    snap = small_store.family_snapshot("F1")
    assert snap is not None
    assert snap.family.name == "Taylor family"
    assert [(m.person_id, m.role, m.resident) for m in snap.members] == [
        ("P1", "parent", True), ("P2", "parent", False), ("P3", "child", True), ("P4", "child", True)]
    assert [i.id for i in snap.involvements] == ["I1", "I2", "I3", "I4", "I5", "I6", "I7"]
    whole_family = next(i for i in snap.involvements if i.id == "I1")
    assert whole_family.family_level and whole_family.need_codes == ("domestic_abuse", "school_attendance")
    assert next(i for i in snap.involvements if i.id == "I2").person_id == "P3"
    assert [(lead.professional_id, lead.until) for lead in snap.leads] == [("PR1", None)]
    assert [e.id for e in snap.episodes] == ["E1"]
    assert {p.id: p.agency_id for p in snap.professionals}["PR7"] == "A_DA"
    assert {a.id: a.tier for a in snap.agencies}["A_SCH"] == "universal"
    assert ("P1", "P2", "ex_partner_of") in {(r.person_id, r.related_person_id, r.kind) for r in snap.relationships}
    assert {s.id for s in snap.sources} == {"S_EH", "S_SCH", "S_POL", "S_AMH", "S_HV", "S_DA", "S_DAS"}


def test_a_child_in_two_families_brings_their_work_to_both(small_store: GraphStore) -> None:
    evans = small_store.family_snapshot("F2")
    assert evans is not None
    assert {m.person_id for m in evans.members} == {"P2", "P3", "P5", "P6"}
    assert {i.id for i in evans.involvements} >= {"I2", "I8"}


def test_unknown_family_is_none(small_store: GraphStore) -> None:
    assert small_store.family_snapshot("NOPE") is None


def test_search_people_matches_any_key(small_store: GraphStore) -> None:
    by_dob = small_store.search_people(dob="2014-09-03")
    assert [(h.person_id, h.family_ids) for h in by_dob] == [("P3", ("F1", "F2"))]
    by_postcode = small_store.search_people(postcode="CB44DD")
    assert [h.person_id for h in by_postcode] == ["P10", "P9"]
    assert small_store.search_people(family_phonetic="ZZZZ") == []


def test_county_tables_have_fixed_columns(small_store: GraphStore) -> None:
    for table in CountyTable:
        frame = small_store.county_table(table)
        assert tuple(frame.columns) == COUNTY_COLUMNS[table]
    involvements = small_store.county_table(CountyTable.INVOLVEMENTS)
    # I1 addresses two needs; I2 (Liam) counts for both of his families
    assert len(involvements[involvements.involvement_id == "I1"]) == 2
    assert set(involvements[involvements.involvement_id == "I2"].family_id) == {"F1", "F2"}
    north = small_store.county_table(CountyTable.FAMILIES, district="North")
    assert list(north.family_id) == ["F1", "F3"]


def test_lead_load_counts_current_leads(small_store: GraphStore) -> None:
    assert small_store.lead_load(["PR1", "PR9", "PR2"], SMALL_AS_OF) == {"PR1": 2, "PR9": 1, "PR2": 0}
    assert small_store.lead_load(["PR1"], "2024-04-01") == {"PR1": 1}


def test_existing_ids(small_store: GraphStore) -> None:
    assert small_store.existing_ids(Label.PERSON, ["P1", "P404"]) == {"P1"}


def test_sources_are_listed_with_their_dates(small_store: GraphStore) -> None:
    police = next(s for s in small_store.sources() if s.id == "S_POL")
    assert (police.agency_id, police.extracted_at) == ("A_POL", "2026-03-01")


def test_clear_empties_the_store(small_store: GraphStore) -> None:
    small_store.clear()
    assert small_store.counts()["Family"] == 0
    assert small_store.counts()["Need"] == 18
