"""A person's address and agency ids: stored on Person in both stores, kept by refreshes, used by linkage."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from graphmodel.changes import RefreshStore, refresh_store
from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable
from graphmodel.stores.embedded import EmbeddedStore
from loaders.history import rollback_source
from loaders.linkage.graph import link_store, links_frame, person_records
from loaders.refresh import RefreshPlan, apply_plan, plan_folder
from tests.conftest import SMALL

HOUSING = (
    "person_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number,upn,source_id,address_line1,town,"
    "police_id,other_id\n"
    "HOU:1,Kerry,Evans,,F,,,,S_HOU,14 Mill Lane,Ely,,HB-5511\n"
    "HOU:2,Marek,Nowicki,1979-02-02,M,CB9 9ZZ,,,S_HOU,3 Station Rd,March,PN-77,\n"
)
POLICE = (
    "person_id,given_name,family_name,source_id,address_line1,town,police_id\n"
    "POL:9,Kerry,Evans,S_POL,14 Mill Ln,Ely,\n"
)


def _load(store: RefreshStore, folder: Path) -> RefreshPlan:
    plan = plan_folder(store, folder)
    apply_plan(store, plan)
    return plan


def _folder(tmp_path: Path, name: str, people: str) -> Path:
    """The small county's sources and agencies with one people file."""
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(SMALL / "agencies.csv", folder)
    shutil.copy(SMALL / "sources.csv", folder)
    (folder / "people.csv").write_text(people)
    return folder


@pytest.fixture
def rstore(store: GraphStore) -> RefreshStore:
    """Each store holding the small county."""
    target = refresh_store(store)
    _load(target, SMALL)
    return target


def _person(store: GraphStore, person_id: str) -> dict[str, object]:
    people = store.county_table(CountyTable.PEOPLE)
    return dict(people[people.person_id == person_id].iloc[0])


def test_address_and_agency_ids_are_stored_on_people(rstore: RefreshStore, tmp_path: Path) -> None:
    _load(rstore, _folder(tmp_path, "housing", HOUSING))
    kerry, marek = _person(rstore, "HOU:1"), _person(rstore, "HOU:2")
    assert (kerry["address_line1"], kerry["town"], kerry["other_id"], kerry["police_id"]) == (
        "14 Mill Lane", "Ely", "HB-5511", None)
    assert (marek["address_line1"], marek["town"], marek["police_id"]) == ("3 Station Rd", "March", "PN-77")
    records = person_records(rstore).set_index("record_id")
    assert records.loc["HOU:1", "address_line1"] == "14 Mill Lane"
    assert records.loc["P1", "address_line1"] is None  # the county's own extract has no address


def test_linkage_through_the_store_compares_addresses(rstore: RefreshStore, tmp_path: Path) -> None:
    """Two records with only a name and an address in common: the address is what links them."""
    _load(rstore, _folder(tmp_path, "housing", HOUSING))
    _load(rstore, _folder(tmp_path, "police", POLICE))
    _, result = link_store(rstore)
    assert "address" in {c.name for c in result.model.comparisons()}
    links = links_frame(rstore).set_index(["record_id_l", "record_id_r"])
    assert ("HOU:1", "POL:9") in links.index
    assert "address same first line" in links.loc[("HOU:1", "POL:9"), "reason"]


def test_a_refresh_without_address_columns_keeps_stored_addresses_and_says_so(rstore: RefreshStore,
                                                                             tmp_path: Path) -> None:
    _load(rstore, _folder(tmp_path, "housing", HOUSING))
    again = HOUSING.replace(",address_line1,town,police_id,other_id", "").replace(",14 Mill Lane,Ely,,HB-5511", "")
    again = again.replace(",3 Station Rd,March,PN-77,", "")
    plan = _load(rstore, _folder(tmp_path, "housing2", again))
    assert _person(rstore, "HOU:1")["address_line1"] == "14 Mill Lane"
    assert _person(rstore, "HOU:2")["police_id"] == "PN-77"
    assert any("address_line1" in note and "stored values kept" in note for note in plan.notes)


def test_a_people_file_without_addresses_is_not_noted_when_none_are_stored(rstore: RefreshStore) -> None:
    plan = _load(rstore, SMALL)  # the small county again: no address columns, none stored
    assert not any("address_line1" in note for note in plan.notes)


def test_a_changed_address_is_a_change_and_rollback_restores_it(rstore: RefreshStore, tmp_path: Path) -> None:
    _load(rstore, _folder(tmp_path, "housing", HOUSING))
    moved = _folder(tmp_path, "moved", HOUSING.replace("14 Mill Lane,Ely", "2 New Street,Soham"))
    frame = pd.read_csv(moved / "sources.csv", dtype=str, keep_default_na=False)
    frame.loc[frame.source_id == "S_HOU", "extracted_at"] = "2026-05-30"
    frame.to_csv(moved / "sources.csv", index=False)
    plan = _load(rstore, moved)
    assert (_person(rstore, "HOU:1")["address_line1"], _person(rstore, "HOU:1")["town"]) == ("2 New Street", "Soham")
    assert next(r for r in plan.summary_rows() if r["source"] == "S_HOU")["changed"] == 1
    rollback_source(rstore, "S_HOU")
    assert (_person(rstore, "HOU:1")["address_line1"], _person(rstore, "HOU:1")["town"]) == ("14 Mill Lane", "Ely")


def test_an_embedded_store_made_before_addresses_gains_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    EmbeddedStore(path).close()
    with sqlite3.connect(path) as conn:  # the Person table as an earlier version made it
        for column in ("address_line1", "town", "police_id", "other_id"):
            conn.execute(f"ALTER TABLE node_person DROP COLUMN {column}")
    store = EmbeddedStore(path)
    try:
        _load(refresh_store(store), _folder(tmp_path, "housing", HOUSING))
        assert _person(store, "HOU:1")["address_line1"] == "14 Mill Lane"
    finally:
        store.close()


def test_a_record_without_a_given_name_loads_with_a_note_and_still_links(rstore: RefreshStore,
                                                                        tmp_path: Path) -> None:
    """'Baby Evans' or a partial referral: no given name is a data-quality note, never a rejection."""
    unborn = ("person_id,given_name,family_name,date_of_birth,sex,postcode,source_id\n"
              "HV:1,,Evans,2019-05-05,M,CB2 2BB,S_HV\n")
    plan = _load(rstore, _folder(tmp_path, "hv", unborn))
    assert plan.quality_counts() == {"missing name": 1}
    assert _person(rstore, "HV:1")["given_name"] is None
    summary, _ = link_store(rstore)
    assert summary.records == 11
    links = links_frame(rstore).set_index(["record_id_l", "record_id_r"])
    assert "given name" in links.loc[("HV:1", "P6"), "reason"]  # Jack Evans: same birthday, surname, postcode
