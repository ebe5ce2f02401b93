"""Record review in the app: pending pairs side by side, confirm and reject with a reason, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.records import CountyTable
from graphmodel.stores.embedded import EmbeddedStore
from loaders.linkage.decide import Thresholds
from loaders.linkage.graph import link_store
from loaders.load import load_folder
from tests.app.conftest import open_page, page_text, table, use_embedded
from tests.conftest import SMALL

POLICE = (
    "person_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number,upn,source_id\n"
    "POL:77,Liam,Tayler,2014-03-09,M,CB1 1AA,,H801200001001,S_POL\n"
)


@pytest.fixture
def review_db(tmp_path: Path) -> Path:
    """The small county, a police record of Liam under another spelling, linked with a wide review band."""
    police = tmp_path / "police"
    police.mkdir()
    (police / "people.csv").write_text(POLICE)
    db = tmp_path / "store.sqlite"
    store = EmbeddedStore(db)
    load_folder(store, SMALL)
    load_folder(store, police)
    link_store(store, thresholds=Thresholds(accept=1.0, reject=0.1))  # every likely link waits for a reviewer
    store.close()
    return db


def link_status(db: Path) -> dict[tuple[str, str], str]:
    store = EmbeddedStore(db)
    frame = store.county_table(CountyTable.LINKS)
    store.close()
    return {(r.person_id, r.other_person_id): r.status for r in frame.itertuples()}


def test_confirm_then_undo_from_the_review_page(clean_env: pytest.MonkeyPatch, review_db: Path) -> None:
    use_embedded(clean_env, review_db)
    at = open_page("pages/record_review.py")
    assert not at.exception
    assert "recorded as Local demo user (demo), from your sign-in" in page_text(at)
    evidence = table(at, "field", "record A", "record B")
    assert {"Liam", "Tayler", "Taylor"} <= set(evidence["record A"]) | set(evidence["record B"])
    at.button(key="confirm_0").click().run()
    assert "who made it and why" in page_text(at)
    assert link_status(review_db)[("P3", "POL:77")] == "review"
    at.text_input(key="why_0").input("same UPN; date of birth typed day first").run()
    at.button(key="confirm_0").click().run()
    assert not at.exception
    assert link_status(review_db)[("P3", "POL:77")] == "confirmed"
    decisions = table(at, "decision", "who", "why")
    assert list(decisions["decision"]) == ["confirm"] and list(decisions["who"]) == ["demo"]
    at.text_input(key="undo_why").input("confirmed too quickly").run()
    at.button(key="undo_button").click().run()
    assert link_status(review_db)[("P3", "POL:77")] == "review"
    assert list(table(at, "decision", "who", "why")["decision"]) == ["undo", "confirm"]


def test_family_page_shows_the_combined_records(clean_env: pytest.MonkeyPatch, review_db: Path) -> None:
    use_embedded(clean_env, review_db)
    at = open_page("pages/family.py", family_id="F1")
    assert not at.exception
    combined = table(at, "member", "other record", "status")
    assert list(combined["other record"]) == ["POL:77"] and list(combined["name there"]) == ["Liam Tayler"]


def test_a_group_explains_itself_and_a_reviewer_splits_it(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    police = tmp_path / "police"
    police.mkdir()
    (police / "people.csv").write_text(POLICE)
    db = tmp_path / "store.sqlite"
    store = EmbeddedStore(db)
    load_folder(store, SMALL)
    load_folder(store, police)
    link_store(store)
    store.close()
    use_embedded(clean_env, db)
    at = open_page("pages/record_review.py")
    assert not at.exception
    group = table(at, "record", "held in by", "match weight", "why")
    assert set(group["record"]) == {"P3", "POL:77"}
    assert "Weakest link" in page_text(at)
    at.multiselect(key="split_records").select("POL:77").run()
    at.text_input(key="split_why").input("the school says a different Liam").run()
    at.button(key="split_button").click().run()
    assert not at.exception
    assert link_status(db)[("P3", "POL:77")] == "rejected"
    assert "No linked groups yet" in page_text(at)
