"""Fixtures for the app tests: stores loaded with the small county (or a hostile copy), and AppTest runs."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder
from tests.conftest import SMALL, SMALL_AS_OF, neo4j_store_or_skip

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
PAGES = ("pages/front_door.py", "pages/family.py", "pages/hub_worklist.py", "pages/record_review.py",
         "pages/strategic.py", "pages/data.py")

HOSTILE_PERSON = "<img src=x onerror=alert(1)>"
HOSTILE_AGENCY = 'Refuge <a href="javascript:alert(2)">Outreach</a>'
HOSTILE_PROFESSIONAL = 'Mo "><script>alert(3)</script>'
HOSTILE_FAMILY = "Taylor <svg onload=alert(4)> family"
HOSTILE_SERVICE = "IDVA <iframe src=javascript:alert(5)></iframe>"
HOSTILE_ROLE = ":red[Lead] [click](javascript:alert(6))"
HOSTILE_NAMES = (HOSTILE_PERSON, HOSTILE_AGENCY, HOSTILE_PROFESSIONAL, HOSTILE_FAMILY, HOSTILE_SERVICE, HOSTILE_ROLE)

AppFactory = Callable[..., AppTest]


def _rewrite(path: Path, key: str, key_value: str, column: str, value: str) -> None:
    """Set one cell of a CSV (row found by its key column), keeping proper CSV quoting."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row[key] == key_value:
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def make_hostile_copy(target: Path) -> Path:
    """The small county with names and labels that would run script if anything rendered them as HTML."""
    shutil.copytree(SMALL, target)
    _rewrite(target / "people.csv", "person_id", "P1", "given_name", HOSTILE_PERSON)
    _rewrite(target / "agencies.csv", "agency_id", "A_DA", "name", HOSTILE_AGENCY)
    _rewrite(target / "professionals.csv", "professional_id", "PR7", "name", HOSTILE_PROFESSIONAL)
    _rewrite(target / "professionals.csv", "professional_id", "PR2", "role", HOSTILE_ROLE)
    _rewrite(target / "families.csv", "family_id", "F1", "name", HOSTILE_FAMILY)
    _rewrite(target / "involvements.csv", "involvement_id", "I4", "service", HOSTILE_SERVICE)
    return target


def load_embedded(folder: Path, db: Path) -> Path:
    """An embedded store file holding the folder's county."""
    store = EmbeddedStore(db)
    try:
        load_folder(store, folder)
    finally:
        store.close()
    return db


@pytest.fixture(scope="session")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store file with the small county (read-only for the tests that share it)."""
    return load_embedded(SMALL, tmp_path_factory.mktemp("small") / "store.sqlite")


@pytest.fixture(scope="session")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile copy of the small county as import files."""
    return make_hostile_copy(tmp_path_factory.mktemp("hostile") / "county")


@pytest.fixture(scope="session")
def hostile_db(hostile_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store file with the hostile county."""
    return load_embedded(hostile_folder, tmp_path_factory.mktemp("hostile-db") / "store.sqlite")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No store settings from the developer's shell, and no cached answers from an earlier test."""
    for name in ("FAMILYGRAPH_STORE", "FAMILYGRAPH_DB", "FAMILYGRAPH_HOME"):
        monkeypatch.delenv(name, raising=False)
    st.cache_data.clear()
    yield monkeypatch
    st.cache_data.clear()


def use_embedded(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """Point the app at an embedded store file."""
    monkeypatch.setenv("FAMILYGRAPH_STORE", "embedded")
    monkeypatch.setenv("FAMILYGRAPH_DB", str(db))


def use_neo4j_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Load the small county into the shared Neo4j (skip without a server, fail in CI) and point the app at it."""
    store = neo4j_store_or_skip()
    store.clear()
    load_folder(store, SMALL)
    monkeypatch.setenv("FAMILYGRAPH_STORE", "neo4j")


def new_app(as_of: str = SMALL_AS_OF, **state: object) -> AppTest:
    """An AppTest of app.py with the 'as of' date (and any other session state) set before the first run."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["as_of"] = dt.date.fromisoformat(as_of)
    for key, value in state.items():
        at.session_state[key] = value
    return at


def open_page(page: str, as_of: str = SMALL_AS_OF, **state: object) -> AppTest:
    """Run app.py, switch to a page and run it."""
    at = new_app(as_of, **state).run()
    assert not at.exception, [e.value for e in at.exception]
    return at.switch_page(page).run()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def small_app(request: pytest.FixtureRequest, clean_env: pytest.MonkeyPatch, small_db: Path) -> str:
    """The app pointed at the small county, once per store kind; returns the kind."""
    if request.param == "neo4j":
        use_neo4j_small(clean_env)
    else:
        use_embedded(clean_env, small_db)
    return str(request.param)


def page_text(at: AppTest) -> str:
    """Everything the run put on screen as text: element protos, and dataframes as CSV."""
    parts: list[str] = []

    def walk(node: object) -> None:
        if type(node).__name__ == "Dataframe":
            parts.append(node.value.to_csv())  # type: ignore[attr-defined]
        elif hasattr(node, "proto"):
            parts.append(str(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def in_ci() -> bool:
    """True when the CI variable is set (a missing browser or server is then a failure, not a skip)."""
    return bool(os.environ.get("CI"))


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first dataframe on screen having all these columns (dataframes carry no key in AppTest)."""
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no dataframe with columns {columns}; have {[list(f.value.columns) for f in at.dataframe]}")


def ecomap_html(at: AppTest) -> str:
    """The HTML page of the ecomap iframe on the family page."""
    def walk(node: object) -> str | None:
        if getattr(node, "type", None) == "iframe":
            return str(node.proto.srcdoc)  # type: ignore[attr-defined]
        for child in getattr(node, "children", {}).values():
            found = walk(child)
            if found is not None:
                return found
        return None

    found = walk(at._tree)
    assert found is not None, "no ecomap iframe on the page"
    return found
