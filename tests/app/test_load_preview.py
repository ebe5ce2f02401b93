"""The Data page shows what an upload will do per source (and any identity change) and writes only on confirm."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graphmodel.schema import Label
from graphmodel.stores.embedded import EmbeddedStore
from loaders.refresh import apply_plan, plan_folder
from tests.app.conftest import open_page, table, use_embedded
from tests.conftest import SMALL


def _upload(at: AppTest, folder: Path) -> None:
    names = sorted(p.name for p in folder.iterdir())
    at.file_uploader(key="upload").set_value([(n, (folder / n).read_bytes(), "text/csv") for n in names])
    at.run()


@pytest.fixture
def loaded_db(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An embedded store holding the small county, with the app pointed at it."""
    db = tmp_path / "store.sqlite"
    store = EmbeddedStore(db)
    apply_plan(store, plan_folder(store, SMALL))
    store.close()
    use_embedded(clean_env, db)
    return db


def test_the_summary_per_source_comes_before_anything_is_written(loaded_db: Path, tmp_path: Path) -> None:
    second = tmp_path / "second"
    shutil.copytree(SMALL, second)
    work = [line for line in (second / "involvements.csv").read_text().splitlines() if not line.startswith("I13,")]
    (second / "involvements.csv").write_text("\n".join(work) + "\n")
    at = open_page("pages/data.py")
    _upload(at, second)
    assert not at.exception, [e.value for e in at.exception]
    summary = table(at, "Source", "Extract", "Added", "Changed", "Closed", "Removed")
    assert summary.to_dict("records") == [{"Source": "S_EH", "Extract": "#2", "Extracted": "20/05/2026",
                                           "Mode": "full", "Added": 0, "Changed": 0, "Closed": 1, "Removed": 0}]
    store = EmbeddedStore(loaded_db)
    assert store.node_rows(Label.INVOLVEMENT, ids=["I13"])[0]["end_date"] is None  # not yet written
    store.close()
    at.button(key="load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Loaded" in at.success[-1].value
    store = EmbeddedStore(loaded_db)
    assert store.node_rows(Label.INVOLVEMENT, ids=["I13"])[0]["end_date"] == "2026-05-20"
    store.close()


def test_identity_changes_are_listed_and_must_be_accepted(loaded_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "people.csv").write_text("person_id,given_name,family_name,date_of_birth\n"
                                      "P1,Olive,Brien,1961-07-08\n")
    at = open_page("pages/data.py")
    _upload(at, other)
    changes = table(at, "File", "Row", "Column", "Change")
    assert set(changes.Column) == {"date_of_birth", "given_name, family_name"}
    assert any("12/04/1990" in c and "08/07/1961" in c for c in changes.Change)
    assert not [b for b in at.button if b.key == "load"], "no Load button until the changes are accepted"
    at.checkbox(key="accept_identity").check().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "identity change(s) accepted" in at.warning[0].value
    at.button(key="load").click().run()
    store = EmbeddedStore(loaded_db)
    person = store.node_rows(Label.PERSON, ids=["P1"])[0]
    store.close()
    assert (person["given_name"], person["dob"], person["postcode"]) == ("Olive", "1961-07-08", "CB11AA")


def test_a_one_row_partial_file_keeps_the_columns_it_leaves_out(loaded_db: Path, tmp_path: Path) -> None:
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "professionals.csv").write_text("professional_id,name,agency_id,team\nPR1,Jo Carter,A_EH,East\n")
    at = open_page("pages/data.py")
    _upload(at, upload)
    assert table(at, "Source", "Changed").to_dict("records")[0]["Changed"] == 1
    at.button(key="load").click().run()
    store = EmbeddedStore(loaded_db)
    pr1 = store.node_rows(Label.PROFESSIONAL, ids=["PR1"])[0]
    store.close()
    assert (pr1["team"], pr1["phone"], pr1["email"]) == ("East", "01632 960001", "jo.carter@eh.example.org")
