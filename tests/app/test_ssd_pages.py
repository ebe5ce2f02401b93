"""An SSD extract shaped like the object model (no names, work with no recorded need) shows on every page."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.records import GraphBatch
from graphmodel.schema import Label
from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_ssd_folder
from tests.app.conftest import PAGES, open_page, page_text, use_embedded

EXTRACT = Path(__file__).resolve().parents[1] / "fixtures" / "ssd" / "object_model"


@pytest.fixture
def ssd_db(tmp_path: Path) -> Path:
    db = tmp_path / "ssd.sqlite"
    store = EmbeddedStore(db)
    store.write(GraphBatch(nodes={Label.AGENCY: [{"id": "A_CSC", "name": "Children's Services",
                                                  "sector": "childrens_social_care", "tier": "specialist",
                                                  "district": None}]}))
    load_ssd_folder(store, EXTRACT, source_id="csc", agency_id="A_CSC", extracted_at="2025-01-31")
    store.close()
    return db


def test_people_without_names_and_work_without_a_need_show_as_such(clean_env: pytest.MonkeyPatch,
                                                                    ssd_db: Path, tmp_path: Path) -> None:
    use_embedded(clean_env, ssd_db)
    clean_env.setenv("FAMILYGRAPH_HOME", str(tmp_path))
    at = open_page("pages/family.py", as_of="2024-03-01", family_id="csc:FAM1")
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    assert "(name not recorded)" in text and "Need not recorded" in text
    assert "None " not in text
    for page in PAGES:
        at = open_page(page, as_of="2024-03-01")
        assert not at.exception, (page, [e.value for e in at.exception])
