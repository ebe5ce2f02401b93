"""Every page renders without an exception on both stores, and on an empty store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pages.ui.text import md
from tests.app.conftest import (
    HOSTILE_FAMILY,
    HOSTILE_PERSON,
    PAGES,
    ecomap_html,
    new_app,
    open_page,
    table,
    use_embedded,
)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(small_app: str, page: str) -> None:
    at = open_page(page, family_id="F1")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"
    expected = "embedded store" if small_app == "embedded" else "Neo4j at"
    assert expected in at.sidebar.caption[0].value, "the sidebar says which store is in use"


def test_front_door_is_the_default_page(small_app: str) -> None:
    at = new_app().run()
    assert not at.exception
    assert at.title[0].value == "Front door"
    assert at.text_input(key="search").value == ""


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_store(clean_env: pytest.MonkeyPatch, tmp_path: Path, page: str) -> None:
    use_embedded(clean_env, tmp_path / "empty.sqlite")
    at = open_page(page, family_id="F1")
    assert not at.exception, [e.value for e in at.exception]


def test_family_page_without_a_family_says_where_to_find_one(small_app: str) -> None:
    at = open_page("pages/family.py")
    assert not at.exception
    assert any("Front door" in c.value for c in at.caption)
    assert at.selectbox(key="fam_pick").options, "a family picker, not a dead end"


def test_family_page_with_an_unknown_id_warns(small_app: str) -> None:
    at = open_page("pages/family.py", family_id="NOPE")
    assert not at.exception
    assert "no family with id NOPE" in at.warning[0].value


def test_family_page_shows_team_lead_needs_suggestion_and_duplicates(small_app: str) -> None:
    at = open_page("pages/family.py", family_id="F1")
    assert at.title[0].value == "Taylor family"
    team = table(at, "Professional", "Lead", "Freshness")
    assert set(team["Professional"]) == {"Jo Carter", "Sam Patel", "Ana Silva", "Mo Khan", "Chris Bell",
                                         "Ruth Adams"}
    assert team.loc[team["Professional"] == "Jo Carter", "Lead"].item() == "★ lead"
    assert {"Email", "Phone", "Since", "Source", "Data as of", "Freshness"} <= set(team.columns)
    findings = [m.value.replace("\\", "") for m in at.markdown if "severity" in m.value]
    assert [f.split(" ·")[0] for f in findings] == ["**Duplicated work**"] * 2
    assert "Sarah Taylor (parent) has 2 open pieces of work on domestic violence and abuse" in findings[0]
    assert "Refuge Outreach" in findings[0] and findings[0].endswith("overlapped since 15/10/2025.")
    suggestion = table(at, "Rank", "Why")
    assert suggestion["Professional"].iloc[0] == "Jo Carter"
    assert "Toxic trio" in " ".join(w.value for w in at.warning)
    assert any("no data from County Police since 01/03/2026" in m.value.replace("\\", "") for m in at.markdown)
    assert "<canvas" not in ecomap_html(at) and "vis.Network" in ecomap_html(at)


def test_as_of_date_changes_the_answer(small_app: str) -> None:
    at = open_page("pages/family.py", family_id="F1")
    assert "Lee Morgan" not in set(table(at, "Professional", "Lead", "Freshness")["Professional"])
    at.date_input(key="as_of").set_value(dt.date(2025, 11, 1)).run()
    assert not at.exception
    assert "Lee Morgan" in set(table(at, "Professional", "Lead", "Freshness")["Professional"])


@pytest.mark.parametrize("page", PAGES)
def test_hostile_county_pages_render_names_as_text(clean_env: pytest.MonkeyPatch, hostile_db: Path,
                                                   page: str) -> None:
    use_embedded(clean_env, hostile_db)
    at = open_page(page, family_id="F1")
    assert not at.exception, [e.value for e in at.exception]
    if page == "pages/family.py":
        assert at.title[0].value == md(HOSTILE_FAMILY), "markdown-escaped, so it shows exactly as typed"


def test_front_door_shows_a_hostile_name_escaped(clean_env: pytest.MonkeyPatch, hostile_db: Path) -> None:
    use_embedded(clean_env, hostile_db)
    at = new_app().run()
    at.text_input(key="search").input("Taylor 12/04/1990").run()
    assert not at.exception
    assert any(md(HOSTILE_PERSON) in c.value for c in at.caption), "the matched person is listed, escaped"
