"""The main flows, driven through widgets by key: search -> family -> suggestion, worklist -> family,
upload -> validation report -> load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphmodel.stores.embedded import EmbeddedStore
from tests.app.conftest import ecomap_html, new_app, open_page, table, use_embedded
from tests.conftest import SMALL


def test_search_then_family_then_suggestion(small_app: str) -> None:
    at = new_app().run()
    at.text_input(key="search").input("Sara Tailor").run()
    assert not at.exception
    card = next(m.value for m in at.markdown if "Taylor family" in m.value)
    assert "Already known" in card and "Jo Carter" in card.replace("\\", "")
    at.button(key="open_P1_F1").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params == {"family": "F1"}
    assert at.title[0].value == "Taylor family"
    assert "Jo Carter (Council Early Help) scores highest" in " ".join(m.value for m in at.markdown).replace("\\", "")
    assert table(at, "Rank", "Why")["Professional"].iloc[0] == "Jo Carter"
    assert "vis.Network" in ecomap_html(at)


def test_search_by_swapped_date_of_birth_and_postcode(small_app: str) -> None:
    at = new_app().run()
    at.text_input(key="search").input("09/03/2014").run()
    assert not at.exception
    assert any("Liam Taylor" in c.value and "swapped" in c.value for c in at.caption)
    assert [m.value.count("Already known") for m in at.markdown if "family" in m.value] == [1, 1], \
        "one card per family, Liam listed in each"
    assert [b.key for b in at.button if b.key and b.key.startswith("open_")] == ["open_P3_F1", "open_P3_F2"]


def test_search_says_when_a_family_was_known_before_and_came_back(small_app: str) -> None:
    at = new_app().run()
    at.text_input(key="search").input("Kerry Evans").run()
    assert not at.exception
    card = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Previously known: early help closed on 30/06/2024 (Needs met)." in card
    assert "Re-referral: Early help closed on 30/06/2024 (Needs met) and a new early help episode (E3) began 216 " \
           "days later, on 01/02/2025." in card


def test_search_for_a_stranger_says_not_known(small_app: str) -> None:
    at = new_app().run()
    at.text_input(key="search").input("Xavier Quist 01/01/1970").run()
    assert not at.exception
    assert "not known" in at.info[0].value


def test_worklist_filters_sorts_and_opens_a_family(small_app: str) -> None:
    at = open_page("pages/hub_worklist.py")
    frame = table(at, "Open", "Family", "Severity", "Reason")
    assert list(zip(frame["Family id"], frame["Family"], frame["Finding"], strict=True))[:2] == [
        ("F4", "Brown family", "Two lead professionals"), ("F4", "Brown family", "Two early help episodes")]
    assert ("F1", "Duplicated work") in set(zip(frame["Family id"], frame["Finding"], strict=True))
    assert frame["Open"].iloc[0] == "./family?family=F4"
    at.selectbox(key="wl_district").set_value("North").run()
    assert set(table(at, "Family", "Reason")["Family id"]) == {"F1", "F3"}
    at.multiselect(key="wl_kinds").set_value(["Duplicated work"]).run()
    at.selectbox(key="wl_sort").set_value("Family").run()
    frame = table(at, "Family", "Reason")
    assert list(frame["Family"]) == ["Nowak family", "Taylor family", "Taylor family"], "sorted by family name"
    at.text_input(key="wl_text").input("attendance").run()
    assert set(table(at, "Family", "Reason")["Family id"]) == {"F1", "F3"}
    at.selectbox(key="wl_family").set_value("F3").run()
    at.button(key="wl_open").click().run()
    assert not at.exception
    assert at.title[0].value == "Nowak family"
    assert at.query_params == {"family": "F3"}

def test_worklist_minimum_severity(small_app: str) -> None:
    at = open_page("pages/hub_worklist.py")
    at.slider(key="wl_min_severity").set_value(9).run()
    frame = table(at, "Family", "Severity")
    assert list(frame["Family id"]) == ["F4"] and (frame["Severity"] >= 9).all()


def _upload(at, folder: Path, names: list[str]) -> None:
    at.file_uploader(key="upload").set_value([(n, (folder / n).read_bytes(), "text/csv") for n in names])


def test_upload_shows_every_problem_and_writes_nothing(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    db = tmp_path / "fresh.sqlite"
    use_embedded(clean_env, db)
    clean_env.setenv("FAMILYGRAPH_HOME", str(tmp_path))
    bad = tmp_path / "bad"
    shutil.copytree(SMALL, bad)
    people = (bad / "people.csv").read_text().replace("1990-04-12", "1990-13-45")
    (bad / "people.csv").write_text(people)
    memberships = (bad / "memberships.csv").read_text() + "P404,F1,parent,true,S_EH\n"
    (bad / "memberships.csv").write_text(memberships)
    at = open_page("pages/data.py")
    _upload(at, bad, sorted(p.name for p in bad.iterdir()))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    report = table(at, "File", "Row", "Column", "Reason")
    assert set(zip(report.File, report.Row, report.Column, strict=True)) == {("memberships.csv", 14, "person_id")}
    assert any("P404" in r for r in report.Reason)
    quality = table(at, "Source", "File", "Row", "Column", "Kind", "Reason")
    assert list(zip(quality.File, quality.Row, quality.Column, quality.Kind, strict=True)) == [
        ("people.csv", 2, "date_of_birth", "impossible date")]  # a value problem, listed but not blocking
    assert "nothing will be written" in at.error[0].value
    assert not [b for b in at.button if b.key == "load"], "no Load button while there are problems"
    store = EmbeddedStore(db)
    try:
        assert store.counts()["Family"] == 0
    finally:
        store.close()


def test_upload_validate_then_load_with_progress(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_embedded(clean_env, tmp_path / "fresh.sqlite")
    clean_env.setenv("FAMILYGRAPH_HOME", str(tmp_path))
    at = open_page("pages/data.py")
    assert "No data loaded yet" in at.info[0].value
    _upload(at, SMALL, sorted(p.name for p in SMALL.iterdir()))
    at.run()
    assert not at.exception
    assert "passed" in at.success[0].value
    at.button(key="load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Loaded" in at.success[-1].value
    sources = table(at, "Source", "Extracted", "Age (days)")
    assert "S_POL" in set(sources["Source"])
    at.switch_page("pages/family.py")
    at.session_state["family_id"] = "F1"
    at.run()
    assert at.title[0].value == "Taylor family"


def test_upload_of_an_excel_file_is_validated(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pandas as pd

    use_embedded(clean_env, tmp_path / "fresh.sqlite")
    xlsx = tmp_path / "agencies.xlsx"
    pd.read_csv(SMALL / "agencies.csv", dtype=str).to_excel(xlsx, index=False)
    at = open_page("pages/data.py")
    at.file_uploader(key="upload").set_value([("agencies.xlsx", xlsx.read_bytes(),
                                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")])
    at.run()
    assert not at.exception
    assert "passed" in at.success[0].value and "8 rows" in at.success[0].value


def test_an_upload_is_validated_once_and_value_problems_are_kept_per_source(
        clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pages.ui.upload as upload

    use_embedded(clean_env, tmp_path / "fresh.sqlite")
    clean_env.setenv("FAMILYGRAPH_HOME", str(tmp_path))
    calls: list[Path] = []
    check = upload.check_folder

    def counted(store, folder):
        calls.append(folder)
        return check(store, folder)

    clean_env.setattr(upload, "check_folder", counted)
    folder = tmp_path / "county"
    shutil.copytree(SMALL, folder)
    people = folder / "people.csv"
    people.write_text(people.read_text().replace("P2,Mark,Evans,1988-01-05", "P2,,Evans,1988-02-30"))
    at = open_page("pages/data.py")
    _upload(at, folder, sorted(p.name for p in folder.iterdir()))
    at.run()
    at.run()  # a rerun (any widget) does not validate again
    assert not at.exception, [e.value for e in at.exception]
    assert len(calls) == 1
    assert "2 data-quality note(s)" in at.warning[0].value
    at.button(key="load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2 data-quality note(s)" in at.success[-1].value
    summary = table(at, "Source", "Kind", "Notes")
    assert set(zip(summary.Source, summary.Kind, summary.Notes, strict=True)) == {
        ("S_EH", "missing name", 1), ("S_EH", "impossible date", 1)}
    assert len(calls) == 1


def test_an_ssd_extract_is_uploaded_checked_and_loaded(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from graphmodel.records import GraphBatch
    from graphmodel.schema import Label

    db = tmp_path / "fresh.sqlite"
    store = EmbeddedStore(db)
    store.write(GraphBatch(nodes={Label.AGENCY: [{"id": "A_CSC", "name": "Children's Services",
                                                  "sector": "childrens_social_care", "tier": "specialist",
                                                  "district": None}]}))
    store.close()
    use_embedded(clean_env, db)
    clean_env.setenv("FAMILYGRAPH_HOME", str(tmp_path))
    extract = Path(__file__).resolve().parents[1] / "fixtures" / "ssd" / "object_model"
    at = open_page("pages/data.py")
    at.radio(key="upload_format").set_value("SSD extract").run()
    at.text_input(key="ssd_source").set_value("csc")
    at.text_input(key="ssd_agency").set_value("A_CSC").run()
    _upload(at, extract, sorted(p.name for p in extract.iterdir()))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "passed" in at.success[0].value
    assert any("no name columns" in i.value for i in at.info)
    at.button(key="load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = EmbeddedStore(db)
    try:
        assert store.counts()["Person"] == 5
    finally:
        store.close()
