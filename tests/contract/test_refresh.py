"""Source refreshes, rollback, erasure, --clear and partial files: the same behaviour on both stores."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

import loaders.extract_undo
from graphmodel.changes import RefreshStore, dump, refresh_store
from graphmodel.contract import GraphStore
from graphmodel.schema import Label
from loaders.erase import erase_person, subject_hash
from loaders.history import rollback_source, source_history
from loaders.problems import LoadRejected
from loaders.refresh import RefreshPlan, apply_plan, plan_folder
from tests.conftest import SMALL, another_connection


def _load(store: RefreshStore, folder: Path, *, delta: bool = False, accept_identity_changes: bool = False,
          clear: bool = False) -> RefreshPlan:
    plan = plan_folder(store, folder, delta=delta, accept_identity_changes=accept_identity_changes, clear=clear)
    apply_plan(store, plan)
    return plan


@pytest.fixture
def rstore(store: GraphStore) -> RefreshStore:
    """An empty store of each kind, holding the small county loaded as the first extract of every source."""
    target = refresh_store(store)
    _load(target, SMALL)
    return target


@pytest.fixture(params=["whole", "in parts"])
def undo_storage(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Extract undo stored whole, or (as a county-wide source's first extract is) in parts of 60 characters."""
    if request.param == "in parts":
        monkeypatch.setattr(loaders.extract_undo, "UNDO_PART_CHARS", 60)
    return str(request.param)


def _copy(tmp_path: Path, name: str = "second") -> Path:
    folder = tmp_path / name
    shutil.copytree(SMALL, folder)
    return folder


def _edit(folder: Path, stem: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    frame = pd.read_csv(folder / f"{stem}.csv", dtype=str, keep_default_na=False)
    change(frame).to_csv(folder / f"{stem}.csv", index=False)


def _set_date(folder: Path, source: str, date: str) -> None:
    def change(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[f.source_id == source, ["extracted_at", "coverage_to"]] = date
        return f
    _edit(folder, "sources", change)


def test_the_first_load_records_extract_one_of_every_source(rstore: RefreshStore) -> None:
    history = {h.source_id: h for h in source_history(rstore)}
    assert len(history) == 8
    eh = history["S_EH"].extracts
    assert [(e.seq, e.extracted_at, e.mode, e.status) for e in eh] == [(1, "2026-05-20", "full", "loaded")]
    people_families_needs = 10 + 4 + 12 + 10 + 15 + 6 + 5 + 3  # people, families, memberships, ...
    assert eh[0].added >= people_families_needs


def test_reloading_the_same_extract_changes_nothing_and_records_nothing(rstore: RefreshStore) -> None:
    before = dump(rstore, history=True)
    plan = _load(rstore, SMALL)
    assert plan.changes.size() == 0
    assert all(not any(s.counts().values()) for s in plan.summaries.values())
    assert dump(rstore, history=True) == before


def test_a_full_extract_closes_absent_work_and_removes_absent_memberships(rstore: RefreshStore,
                                                                         tmp_path: Path) -> None:
    second = _copy(tmp_path)
    _set_date(second, "S_EH", "2026-06-15")
    _edit(second, "involvements", lambda f: f[f.involvement_id != "I13"])          # open EH work, gone
    _edit(second, "memberships", lambda f: f[~((f.person_id == "P3") & (f.family_id == "F2"))])
    _edit(second, "needs", lambda f: f[~((f.person_id == "P8") & (f.need_code == "crime_asb"))])
    _edit(second, "leads", lambda f: f[~((f.professional_id == "PR1") & (f.family_id == "F4"))])
    plan = _load(rstore, second)
    eh = plan.summaries["S_EH"]
    assert (eh.extract, eh.closed, eh.removed, eh.added) == (2, 3, 1, 0)
    assert eh.changed == 0  # the source's own new date is the extract's, not a changed fact
    assert {s for s, v in plan.summaries.items() if any(v.counts().values())} == {"S_EH"}
    work = {r["id"]: r for r in rstore.node_rows(Label.INVOLVEMENT)}
    assert work["I13"]["end_date"] == "2026-06-15"
    assert work["I15"]["end_date"] is None
    assert ("P3", "F2") not in {(r["src"], r["dst"]) for r in rstore.rel_rows("member_of")}
    need = next(r for r in rstore.rel_rows("has_need", src_ids=["P8"]) if r["dst"] == "crime_asb")
    assert (need["until"], need["status"]) == ("2026-06-15", "closed")
    lead = next(r for r in rstore.rel_rows("leads", src_ids=["PR1"]) if r["dst"] == "F4")
    assert lead["until"] == "2026-06-15"


def test_a_delta_extract_never_closes_or_removes(rstore: RefreshStore, tmp_path: Path) -> None:
    second = _copy(tmp_path)
    _edit(second, "involvements", lambda f: f[f.involvement_id != "I13"])
    _edit(second, "memberships", lambda f: f[~((f.person_id == "P3") & (f.family_id == "F2"))])
    plan = _load(rstore, second, delta=True)
    assert sum(s.closed + s.removed for s in plan.summaries.values()) == 0
    assert next(r for r in rstore.node_rows(Label.INVOLVEMENT, ids=["I13"]))["end_date"] is None
    assert ("P3", "F2") in {(r["src"], r["dst"]) for r in rstore.rel_rows("member_of")}


def test_a_reassigned_involvement_and_a_moved_professional_keep_one_each(rstore: RefreshStore,
                                                                         tmp_path: Path) -> None:
    second = _copy(tmp_path)
    _set_date(second, "S_SCH", "2026-06-20")

    def reassign(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[f.involvement_id == "I8", "professional_id"] = "PR9"
        return f

    def move(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[f.professional_id == "PR2", "agency_id"] = "A_EH"
        return f

    _edit(second, "involvements", reassign)
    _edit(second, "professionals", move)
    with pytest.raises(LoadRejected) as rejected:
        _load(rstore, second)
    assert [(p.file, p.row, p.column) for p in rejected.value.problems] == [("involvements.csv", 9,
                                                                             "professional_id")]
    assert "'PR2'" in rejected.value.problems[0].reason and "'PR9'" in rejected.value.problems[0].reason
    plan = _load(rstore, second, accept_identity_changes=True)
    assert len(plan.identity_changes) == 1
    assert [r["src"] for r in rstore.rel_rows("delivers", dst_ids=["I8"])] == ["PR9"]
    assert [r["dst"] for r in rstore.rel_rows("works_for", src_ids=["PR2"])] == ["A_EH"]


def test_identity_changes_are_rejected_and_leave_the_store_as_it_was(rstore: RefreshStore,
                                                                     tmp_path: Path) -> None:
    other = _copy(tmp_path, "other-county")

    def new_people(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[f.person_id == "P1", ["given_name", "family_name"]] = ["Olive", "Brien"]
        f.loc[f.person_id == "P3", "date_of_birth"] = "1979-01-01"
        f.loc[f.person_id == "P4", "given_name"] = "Eleanor"  # one name corrected: not an identity change
        return f

    def new_family(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[f.family_id == "F2", ["name", "postcode"]] = ["O'Brien family", "ZZ9 9ZZ"]
        f.loc[f.family_id == "F3", "name"] = "Renamed family"  # same postcode: not an identity change
        return f

    def new_role(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[(f.person_id == "P3") & (f.family_id == "F1"), "role"] = "parent"
        return f

    _edit(other, "people", new_people)
    _edit(other, "families", new_family)
    _edit(other, "memberships", new_role)
    before = dump(rstore, history=True)
    with pytest.raises(LoadRejected) as rejected:
        _load(rstore, other)
    assert sorted((p.file, p.row, p.column) for p in rejected.value.problems) == [
        ("families.csv", 3, "name, postcode"), ("memberships.csv", 4, "role"),
        ("people.csv", 2, "given_name, family_name"), ("people.csv", 4, "date_of_birth")]
    dob = next(p for p in rejected.value.problems if p.column == "date_of_birth")
    assert "03/09/2014" in dob.reason and "01/01/1979" in dob.reason
    assert dump(rstore, history=True) == before


def test_rollback_restores_the_previous_extract_exactly(undo_storage: str, rstore: RefreshStore,
                                                        tmp_path: Path) -> None:
    first = dump(rstore)
    second = _copy(tmp_path)
    _set_date(second, "S_EH", "2026-06-15")
    _edit(second, "involvements", lambda f: f[f.involvement_id != "I13"])
    _edit(second, "memberships", lambda f: f[~((f.person_id == "P3") & (f.family_id == "F2"))])

    def change(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[f.family_id == "F1", "district"] = "Elsewhere"
        return pd.concat([f, pd.DataFrame([{"family_id": "F9", "name": "New family", "postcode": "",
                                            "district": "", "source_id": "S_EH"}])])

    _edit(second, "families", change)
    _load(rstore, second)
    assert dump(rstore) != first
    undone = rollback_source(rstore, "S_EH")
    assert (undone.seq, undone.status) == (2, "rolled back")
    assert dump(rstore) == first
    statuses = [(e.seq, e.status) for e in next(h for h in source_history(rstore) if h.source_id == "S_EH").extracts]
    assert statuses == [(1, "loaded"), (2, "rolled back")]
    _load(rstore, second)  # the same extract again: number 3
    assert [e.seq for e in next(h for h in source_history(rstore) if h.source_id == "S_EH").extracts] == [1, 2, 3]


def test_rolling_back_the_only_extract_removes_what_it_added(undo_storage: str, rstore: RefreshStore) -> None:
    parts = rstore.node_rows(Label.EXTRACT_PART, sources=["S_POL"])
    assert (len(parts) > 1 and max(len(p["undo"]) for p in parts) <= 60) == (undo_storage == "in parts")
    rollback_source(rstore, "S_POL")
    assert rstore.node_rows(Label.EXTRACT_PART, sources=["S_POL"]) == []  # the spent undo goes with it
    assert rstore.node_rows(Label.INVOLVEMENT, ids=["I7", "I12"]) == []
    assert rstore.node_rows(Label.SOURCE, ids=["S_POL"]) == []
    with pytest.raises(Exception, match="no loaded extract"):
        rollback_source(rstore, "S_POL")


def test_erasure_leaves_no_trace_but_the_audit_entry(undo_storage: str, rstore: RefreshStore, tmp_path: Path) -> None:
    second = _copy(tmp_path)
    _set_date(second, "S_DAS", "2026-06-15")
    _edit(second, "involvements", lambda f: f[f.involvement_id != "I14"])  # P9's drug work closed: in the undo
    _load(rstore, second)
    report = erase_person(rstore, "P9", reason="Article 17 request 2026/031", who="dpo")
    everything = repr(dump(rstore, history=True))
    for trace in ("P9", "I14", "Drug recovery"):
        assert f"'{trace}'" not in everything and f'"{trace}"' not in everything, trace
    assert "P10" in everything  # the child stays: they carry their own facts
    erasure = rstore.node_rows(Label.ERASURE)
    assert [(e["who"], e["reason"], e["subject"]) for e in erasure] == [
        ("dpo", "Article 17 request 2026/031", subject_hash("P9"))]
    assert report.removed["Person"] == 1 and report.removed["Involvement"] == 1
    rollback_source(rstore, "S_DAS")  # rolling back cannot bring the erased work back
    assert rstore.node_rows(Label.INVOLVEMENT, ids=["I14"]) == []
    with pytest.raises(LoadRejected) as again:  # nor can reloading an extract that still holds them
        _load(rstore, SMALL)
    assert [(p.file, p.row, p.column) for p in again.value.problems] == [("people.csv", 10, "person_id")]
    assert "erased on request" in again.value.problems[0].reason


def test_erasing_the_last_member_removes_the_family_and_its_work(rstore: RefreshStore) -> None:
    erase_person(rstore, "P9", reason="request", who="dpo")
    erase_person(rstore, "P10", reason="request", who="dpo")
    assert rstore.node_rows(Label.FAMILY, ids=["F4"]) == []
    assert rstore.node_rows(Label.INVOLVEMENT, ids=["I15"]) == []
    assert rstore.rel_rows("leads", dst_ids=["F4"]) == []
    assert sorted(e["seq"] for e in rstore.node_rows(Label.ERASURE)) == [1, 2]


def test_erasures_at_the_same_moment_never_share_a_number(rstore: RefreshStore) -> None:
    """Four DPO staff erasing four people at once, each through their own connection: numbers 1..4, four records."""
    people = ["P1", "P2", "P5", "P7"]
    others = [another_connection(rstore) for _ in people]
    start = threading.Barrier(len(people))

    def erase(index: int) -> int:
        start.wait()
        return erase_person(refresh_store(others[index]), people[index], reason="request", who=f"dpo {index}").seq

    try:
        with ThreadPoolExecutor(len(people)) as pool:
            given = list(pool.map(erase, range(len(people))))
    finally:
        for other in others:
            other.close()
    assert sorted(given) == [1, 2, 3, 4]
    stored = rstore.node_rows(Label.ERASURE)
    assert sorted((e["seq"], e["who"]) for e in stored) == sorted((seq, f"dpo {i}") for i, seq in enumerate(given))


def test_clear_checks_first_and_replaces_in_one_transaction(rstore: RefreshStore, tmp_path: Path) -> None:
    before = dump(rstore, history=True)
    broken = _copy(tmp_path, "broken")
    # a structural problem (a duplicate id); an impossible date is only a data-quality note since issue 9
    _edit(broken, "people", lambda f: f.assign(person_id=f.person_id.where(f.person_id != "P2", "P1")))
    with pytest.raises(LoadRejected):
        _load(rstore, broken, clear=True)
    assert dump(rstore, history=True) == before
    police = tmp_path / "police"
    police.mkdir()
    for stem in ("agencies", "sources", "professionals"):
        shutil.copy(SMALL / f"{stem}.csv", police / f"{stem}.csv")
    _load(rstore, police, clear=True)
    assert rstore.node_rows(Label.PERSON) == [] and len(rstore.node_rows(Label.PROFESSIONAL)) == 9
    assert all(e.seq == 1 for h in source_history(rstore) for e in h.extracts)


def test_a_partial_file_updates_its_columns_and_never_blanks_the_others(rstore: RefreshStore,
                                                                         tmp_path: Path) -> None:
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "professionals.csv").write_text("professional_id,name,agency_id,role\nPR1,Jo Carter,A_EH,Senior "
                                              "Family Worker\n")
    plan = _load(rstore, upload)
    pr1 = rstore.node_rows(Label.PROFESSIONAL, ids=["PR1"])[0]
    assert (pr1["role"], pr1["email"], pr1["phone"], pr1["lead_capacity"], pr1["source_id"]) == (
        "Senior Family Worker", "jo.carter@eh.example.org", "01632 960001", 12, "S_EH")
    assert plan.summaries["S_EH"].changed == 1 and plan.summaries["S_EH"].mode == "delta"
    assert any("stored values kept" in note for note in plan.notes)


def test_a_change_set_that_fails_midway_changes_nothing(rstore: RefreshStore) -> None:
    from graphmodel.changes import ChangeSet
    from graphmodel.contract import StoreError

    before = dump(rstore, history=True)
    bad = ChangeSet(rel_deletes={"member_of": [{"src": "P1", "dst": "F1"}]},
                    node_deletes={Label.FAMILY: ["F3"]},
                    node_upserts={Label.PERSON: [{"id": "P99", "given_name": {"not": "a value"}}]})
    with pytest.raises(StoreError):
        rstore.apply_changes(bad)
    assert dump(rstore, history=True) == before


def test_an_older_full_extract_is_refused(rstore: RefreshStore, tmp_path: Path) -> None:
    older = _copy(tmp_path, "older")
    _set_date(older, "S_POL", "2026-02-01")
    with pytest.raises(LoadRejected) as rejected:
        _load(rstore, older)
    assert [(p.file, p.row, p.column) for p in rejected.value.problems] == [("sources.csv", 4, "extracted_at")]
    assert "01/02/2026" in rejected.value.problems[0].reason
    assert _load(rstore, older, delta=True).summaries["S_POL"].extract == 2
