"""The panel and Hub flows through the app's widgets: lead handover, worklist resolve and reappear when the facts
change, and the TAF pack download (OFFICIAL-SENSITIVE on every page)."""

from __future__ import annotations

import base64
import re
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graphmodel.contract import GraphStore
from graphmodel.stores.embedded import EmbeddedStore
from queries.team import team_around_family
from tests.app.conftest import new_app, page_text, table, use_embedded, use_neo4j_small
from tests.conftest import SMALL_AS_OF, neo4j_store_or_skip
from tests.contract.test_workflow import add_work

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.DOTALL)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def writable(request: pytest.FixtureRequest, clean_env: pytest.MonkeyPatch, small_db: Path,
             tmp_path: Path) -> Iterator[GraphStore]:
    """The app pointed at a fresh small county it may write to (a private embedded copy, or the test Neo4j
    reloaded), and a store to read back what the app wrote."""
    if request.param == "neo4j":
        use_neo4j_small(clean_env)
        yield neo4j_store_or_skip()
        return
    db = tmp_path / "store.sqlite"
    shutil.copy(small_db, db)
    use_embedded(clean_env, db)
    store = EmbeddedStore(db)
    yield store
    store.close()


def _family(family_id: str) -> AppTest:
    at = new_app(hub_user="Ann Hub")
    at.query_params["family"] = family_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("pages/family.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_handover_from_the_family_page_ends_the_old_lead_and_says_whom_to_tell(writable: GraphStore) -> None:
    at = _family("F1")
    assert at.title[0].value == "Taylor family"
    at.selectbox(key="handover_to").set_value("PR7").run()
    at.text_area(key="handover_reason").input("agreed at TAF: IDVA leads").run()
    at.button(key="handover_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at).replace("\\", "")
    assert "is now the lead professional for Taylor family" in text and "Tell the team around the family" in text
    assert "jo.carter@eh.example.org" in text, "the old lead is among those to tell, with a contact"
    assert "Ann Hub made PR7 lead from 01/06/2026: agreed at TAF: IDVA leads" in text
    view = team_around_family(writable, "F1", SMALL_AS_OF)
    assert view is not None and view.lead_ids == ("PR7",)


def test_worklist_resolve_then_reappear_when_the_facts_change(writable: GraphStore) -> None:
    at = new_app(hub_user="Sam Hub").run()
    at.switch_page("pages/hub_worklist.py").run()
    assert not at.exception, [e.value for e in at.exception]
    frame = table(at, "Status", "Family", "Reason")
    assert "Taylor family" in set(frame["Family"]) and "None" not in frame.astype(str).to_numpy()
    at.selectbox(key="wl_finding").set_value("F1:duplicated_work:domestic_abuse:P1").run()
    reason = "agreed: the IDVA leads the domestic abuse work"
    at.text_area(key="wl_reason").input(reason).run()
    at.button(key="wl_resolve").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = table(at, "Status", "Family", "Finding", "Need")
    assert not ((shown["Family"] == "Taylor family") & (shown["Need"] == "Domestic violence and abuse")).any(), \
        "a resolved finding leaves the default view"
    at.multiselect(key="wl_status").set_value(["resolved"]).run()
    resolved = table(at, "Status", "Family", "Resolution")
    assert list(resolved["Resolution"]) == [reason]
    add_work(writable, "I_NEW", "PR4", "P1", "domestic_abuse")
    at.button(key="refresh").click().run()
    at.multiselect(key="wl_status").set_value(["changed since resolved"]).run()
    changed = table(at, "Status", "Family", "Need")
    assert list(zip(changed["Status"], changed["Family"], changed["Need"], strict=True)) == [
        ("changed since resolved", "Taylor family", "Domestic violence and abuse")]
    at.selectbox(key="wl_finding").set_value("F1:duplicated_work:domestic_abuse:P1").run()
    assert any("Changed since resolved" in w.value for w in at.warning)


def _page_streams(pdf: bytes) -> list[bytes]:
    """The decompressed content streams of the PDF (page text lives there)."""
    out = []
    for raw in _STREAM.findall(pdf):
        for decode in (lambda b: zlib.decompress(base64.a85decode(b.strip().removesuffix(b"~>"))),
                       zlib.decompress, lambda b: b):
            try:
                out.append(decode(raw))
                break
            except (ValueError, zlib.error):
                continue
    return out


def test_print_pack_gives_a_marked_pdf(writable: GraphStore) -> None:
    at = _family("F1")
    at.button(key="pack_prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    key, pdf = at.session_state["taf_pack"]
    assert key == f"F1|{SMALL_AS_OF}" and pdf.startswith(b"%PDF")
    pages = int(re.findall(rb"/Count (\d+)", pdf)[0])
    assert pages >= 3
    marked = [s for s in _page_streams(pdf) if b"OFFICIAL-SENSITIVE" in s and b"page " in s]
    assert len(marked) == pages, "OFFICIAL-SENSITIVE, producer and page number on every page"
    assert all(b"Ann Hub" in s for s in marked)
    text = b"".join(_page_streams(pdf))
    for expected in (b"Team Around the Family pack: Taylor family", b"Members", b"jo.carter@eh.example.org",
                     b"Duplicated work", b"Supporting Families", b"Timeline", b"Family plan: actions"):
        assert expected in text, expected
    assert at.get("download_button"), "the download is offered"


def test_family_page_without_a_family_offers_a_picker(writable: GraphStore) -> None:
    at = new_app().run()
    at.switch_page("pages/family.py").run()
    assert not at.exception
    at.text_input(key="fam_pick_text").input("nowak").run()
    at.selectbox(key="fam_pick").set_value("F3").run()
    at.button(key="fam_pick_open").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Nowak family"


def test_pack_prints_hostile_names_as_text(hostile_db: Path) -> None:
    """Names that look like markup are printed as typed (reportlab's paragraph markup never sees them)."""
    from pages.ui.family_view import family_view
    from pages.ui.pack import build_pack

    store = EmbeddedStore(hostile_db)
    try:
        view = family_view(store, "F1", SMALL_AS_OF)
    finally:
        store.close()
    assert view is not None
    text = b"".join(_page_streams(build_pack(view, 'Ann <b>Hub</b>')))
    assert b"Taylor <svg onload=alert\\(4\\)> family" in text or b"Taylor <svg onload=alert(4)> family" in text
    assert b"Ann <b>Hub</b>" in text
