"""The ecomap: structure (centre, members, professionals, agencies), lead and duplicates marked, expansion
limits, and HTML that fetches nothing from outside and never lets a name become markup."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from graphmodel.records import (
    AgencyRecord,
    FamilyRecord,
    FamilySnapshot,
    InvolvementRecord,
    LeadRecord,
    MemberRecord,
    ProfessionalRecord,
    SourceRecord,
)
from graphmodel.stores.embedded import EmbeddedStore
from pages.ui.ecomap import DUPLICATE_RED, LEAD_GOLD, build_ecomap, legend
from pages.ui.family_view import FamilyView, family_view
from pages.ui.pyvis_html import EXTERNAL_RESOURCE, canvas_text, render_network, tooltip_html
from queries.common import snapshot_tables
from queries.duplicates import find_duplicates
from queries.suggest import suggest_from_snapshot
from queries.team import team_from_snapshot
from tests.app.conftest import HOSTILE_AGENCY, HOSTILE_FAMILY, HOSTILE_NAMES, HOSTILE_PERSON, HOSTILE_PROFESSIONAL
from tests.conftest import SMALL_AS_OF

RESOURCE_URL = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
                          re.IGNORECASE)


def _view(db: Path, family_id: str = "F1") -> FamilyView:
    store = EmbeddedStore(db)
    try:
        view = family_view(store, family_id, SMALL_AS_OF)
    finally:
        store.close()
    assert view is not None
    return view


def _data_set(page: str, name: str) -> list[dict]:
    match = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", page, re.DOTALL)
    assert match, name
    return json.loads(match.group(1))


def test_rings_lead_and_duplicates(small_db: Path) -> None:
    graph, summary = build_ecomap(_view(small_db))
    kinds = {n: d["kind"] for n, d in graph.nodes(data=True)}
    assert sorted(kinds.values()).count("member") == 4
    assert sorted(kinds.values()).count("professional") == 6 and summary.professionals_hidden == 0
    assert all(kinds[m] == "family" for m in graph.neighbors("m0")) or "family" in graph.neighbors("m0")
    lead = graph.nodes["p:PR1"]
    assert lead["vis"]["color"]["border"] == LEAD_GOLD
    assert "Lead professional" in lead["label_lines"] and lead["label_lines"][0].startswith("★"), \
        "the lead is named in words, not by colour alone"
    assert lead["vis"]["borderWidth"] > max(d["vis"]["borderWidth"] for n, d in graph.nodes(data=True)
                                            if d["kind"] == "professional" and n != "p:PR1")
    red = [d for _, _, d in graph.edges(data=True) if d["vis"].get("color") == DUPLICATE_RED]
    assert len(red) == 3  # I1 (attendance and domestic abuse), I2 (attendance), I4 (domestic abuse)
    assert all(d["vis"]["dashes"] for d in red)
    assert "DUPLICATED: Domestic violence and abuse" in " ".join(lead["label_lines"])
    for node, data in graph.nodes(data=True):
        if data["kind"] == "professional":
            assert any(kinds[n] == "agency" for n in graph.neighbors(node)), "every professional shows its agency"
    labels = " ".join(line for _, d in graph.nodes(data=True) for line in d["label_lines"])
    assert "Poor mental health" in labels and "Early years development" in labels, "needs spelled out"


def _big_school_view(professionals: int) -> FamilyView:
    as_of = "2026-06-01"
    family = FamilyRecord("F", "Big family", "CB1 1AA", "North", "S")
    member = MemberRecord("P", "Amy", "Big", "2012-01-01", "F", "child", True, "S")
    school = AgencyRecord("A", "Huge Academy", "school", "universal", "North")
    staff = tuple(ProfessionalRecord(f"T{i:02d}", f"Teacher {i:02d}", "Teacher", None, None, None, 0, "A", "S")
                  for i in range(professionals))
    work = tuple(InvolvementRecord(f"I{i:02d}", f"T{i:02d}", "P", False, ("send",), "Support", "2025-09-01", None,
                                   "S") for i in range(professionals))
    lead = (LeadRecord("T07", "F", "2025-09-01", None, "S"),)
    snap = FamilySnapshot(family, (member,), (), (), work, staff, (school,), lead, (),
                          (SourceRecord("S", "A", "2026-05-01", None, None, None, "Huge Academy"),))
    return FamilyView(snap, team_from_snapshot(snap, as_of), tuple(find_duplicates(snapshot_tables(snap), as_of)),
                      None, suggest_from_snapshot(snap, {}, as_of))


def test_a_big_school_is_summarised_not_drawn_in_full() -> None:
    graph, summary = build_ecomap(_big_school_view(40), per_agency=6)
    professionals = [n for n, d in graph.nodes(data=True) if d["kind"] == "professional"]
    assert len(professionals) == 6 and "p:T07" in professionals, "the lead is always drawn"
    assert summary.professionals_hidden == 34 and summary.agencies_capped == ("Huge Academy",)
    more = [d for _, d in graph.nodes(data=True) if d["kind"] == "more"]
    assert " ".join(more[0]["label_lines"]) == "+34 more from Huge Academy"
    assert graph.number_of_nodes() < 15
    everyone, _ = build_ecomap(_big_school_view(40), per_agency=50)
    assert sum(d["kind"] == "professional" for _, d in everyone.nodes(data=True)) == 40


def test_html_is_offline_and_freezes_physics_once_stable(small_db: Path) -> None:
    graph, _ = build_ecomap(_view(small_db))
    page = render_network(graph, legend())
    assert RESOURCE_URL.search(page) is None, "nothing may be fetched from another host"
    assert EXTERNAL_RESOURCE.search(page) is None
    assert "cdn.jsdelivr.net" not in page and "cdnjs.cloudflare.com" not in page
    assert 'network.once("stabilizationIterationsDone"' in page and "setOptions({physics: false})" in page
    assert '"iterations": 250' in page
    assert "vis.Network" in page and "Legend:" in page


def test_hostile_names_never_become_markup(hostile_db: Path) -> None:
    graph, _ = build_ecomap(_view(hostile_db))
    page = render_network(graph, legend(), title=f"Ecomap of {HOSTILE_FAMILY}", alt=HOSTILE_FAMILY)
    for name in (n for n in HOSTILE_NAMES if "<" in n):
        assert name not in page, f"raw {name!r} in the page"
    # the only <svg> are the legend's own shape marks (constant markup, no data in them)
    assert "<script>alert" not in page and not re.search(r'<(?:img|iframe)\b|<svg\b(?! class="fg-shape")', page)
    assert f"<title>Ecomap of {html.escape(HOSTILE_FAMILY)}</title>" in page
    assert "popup.innerHTML" not in page, "pyvis's href-triggered innerHTML popup stays off"
    nodes = _data_set(page, "nodes")
    titles = " ".join(n["title"] for n in nodes)
    labels = " ".join(" ".join(n["label"].split()) for n in nodes)  # wrapped lines joined again
    assert html.escape(f"{HOSTILE_PERSON} Taylor") in titles
    assert html.escape(HOSTILE_AGENCY) in titles and html.escape(HOSTILE_PROFESSIONAL) in titles
    assert HOSTILE_FAMILY in labels, "labels are canvas text, drawn as typed"
    assert "<img" not in titles and "<a " not in titles and "<script" not in titles


@pytest.mark.parametrize(("lines", "expected"), [
    (["a <b>", "", "c & d"], "a &lt;b&gt;<br>c &amp; d"),
    (['"x" href=\'y\''], "&quot;x&quot; href=&#x27;y&#x27;"),
])
def test_tooltips_are_escaped_text_joined_by_line_breaks(lines: list[str], expected: str) -> None:
    assert tooltip_html(lines) == expected


def test_canvas_labels_are_plain_single_lines() -> None:
    assert canvas_text("<b>x</b>\n & y ") == "<b>x</b> & y"
    assert '"multi"' not in render_network(build_ecomap(_big_school_view(10))[0], legend())


def test_panel_family_draws_only_true_duplication_red_and_two_leads_as_a_conflict(tmp_path: Path) -> None:
    """Parallel work (father's probation, son's YOT) and shared care are ordinary edges; the mother's two family
    support workers are red; the two leads are joined by a conflict line and named in the view's findings."""
    from loaders.load import load_folder
    from pages.ui.ecomap import CONFLICT
    from tests.conftest import FIXTURES

    store = EmbeddedStore(tmp_path / "panel.sqlite")
    try:
        load_folder(store, FIXTURES / "panel")
        view = family_view(store, "F10", "2026-06-01")
    finally:
        store.close()
    assert view is not None
    graph, _ = build_ecomap(view)
    red = {(a, b) for a, b, d in graph.edges(data=True) if d["vis"].get("color") == DUPLICATE_RED}
    red_profs = {a if a.startswith("p:") else b for a, b in red}
    assert red_profs == {"p:PR22", "p:PR23"}, "only the two parenting workers"
    for pid in ("PR20", "PR21", "PR24", "PR25", "PR27"):  # probation, YOT, GP, AMH, youth support
        assert all(d["vis"].get("color") != DUPLICATE_RED for _, _, d in graph.edges(f"p:{pid}", data=True))
    conflict = [(a, b, d) for a, b, d in graph.edges(data=True) if d["vis"].get("color") == CONFLICT]
    assert len(conflict) == 1 and {conflict[0][0], conflict[0][1]} == {"p:PR22", "p:PR23"}
    assert conflict[0][2]["label"] == "CONFLICT: two leads"
    assert ("dash", CONFLICT, "Two leads (conflict)") in legend()
    assert view.history is not None and view.history.previously_known is not None
    assert view.sf is not None and view.sf.standing.claim_ready
