"""The ecomap's text alternative and what the picture shows besides colour: every member and piece of work in
words with its flags (lead, duplicated, parallel), sectors by shape, and the family page offering the text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pages.ui.ecomap import DUPLICATE_RED, SECTOR_SHAPES, build_ecomap, legend
from pages.ui.ecomap_text import WHOLE_FAMILY, ecomap_outline, lead_sentence, picture_names
from pages.ui.pyvis_html import render_network
from queries.duplicates import DuplicateFinding
from tests.app.conftest import open_page
from tests.app.test_ecomap import _view


def _work(outline: list, heading_start: str) -> list:
    block = next(b for b in outline if b.heading.startswith(heading_start))
    return list(block.work)


def test_outline_names_every_member_and_every_piece_of_work(small_db: Path) -> None:
    view = _view(small_db)
    outline = ecomap_outline(view)
    headings = [b.heading for b in outline]
    assert [h.split(":")[0] for h in headings[:-1]] == [m.name for m in view.team.members]
    assert headings[-1] == WHOLE_FAMILY
    assert sum(len(b.work) for b in outline) == len(view.team.team), "no per-agency cap in the text"
    mark = next(b for b in outline if b.heading.startswith("Mark Evans"))
    assert "does not live in the household" in mark.heading and mark.work == ()


def test_flags_in_words_match_the_duplication_findings(small_db: Path) -> None:
    view = _view(small_db)
    outline = ecomap_outline(view)
    flagged = {inv for f in view.duplicates if f.kind == "duplicated_work" for inv in f.involvement_ids}
    by_prof = {t.name: t for t in view.team.team}
    for block in outline:
        for line in block.work:
            duplicated = any(t.involvement_id in flagged for t in view.team.team
                             if t.name == line.professional and ", ".join(t.addresses) == line.needs)
            assert bool(line.duplicated_with) == duplicated, line
            assert ("DUPLICATED" in line.sentence()) == duplicated
            assert line.lead == by_prof[line.professional].is_lead
    idva = _work(outline, "Sarah Taylor")[0]
    assert idva.professional == "Mo Khan" and idva.duplicated_with == ("Jo Carter (Council Early Help)",)
    assert "since 15/09/2025" in idva.sentence(), "dates read DD/MM/YYYY"
    mental_health = next(w for w in _work(outline, "Sarah Taylor") if w.professional == "Ana Silva")
    assert not mental_health.duplicated_with and "DUPLICATED" not in mental_health.sentence()
    jo = _work(outline, WHOLE_FAMILY)[0]
    assert jo.lead and "LEAD PROFESSIONAL" in jo.sentence()
    sarah = next(b for b in outline if b.heading.startswith("Sarah Taylor"))
    assert sarah.unaddressed == ("Poor housing or risk of homelessness",)


def test_parallel_work_is_said_in_words_and_never_drawn_as_duplication(small_db: Path) -> None:
    view = _view(small_db)
    sarah_idva, liam_school = (next(t for t in view.team.team if t.name == n) for n in ("Mo Khan", "Sam Patel"))
    parallel = DuplicateFinding(view.team.family_id, "parallel_work", 1, "parallel", None,
                                (sarah_idva.involvement_id, liam_school.involvement_id))
    view = dataclasses.replace(view, duplicates=(parallel,))
    lines = {w.professional: w for b in ecomap_outline(view) for w in b.work}
    assert lines["Mo Khan"].parallel_with == ("Sam Patel (Riverside Primary School)",)
    assert "PARALLEL work" in lines["Mo Khan"].sentence() and "DUPLICATED" not in lines["Mo Khan"].sentence()
    graph, _ = build_ecomap(view)
    assert not [d for _, _, d in graph.edges(data=True) if d["vis"].get("color") == DUPLICATE_RED]


def test_sectors_are_told_apart_by_shape_and_the_document_by_language_and_title(small_db: Path) -> None:
    view = _view(small_db)
    graph, _ = build_ecomap(view)
    shapes = {d["vis"]["shape"] for _, d in graph.nodes(data=True) if d["kind"] == "professional"}
    assert len(shapes) >= 4 and shapes <= set(SECTOR_SHAPES.values())
    assert len(set(SECTOR_SHAPES.values())) == len(SECTOR_SHAPES), "one shape per sector group"
    agencies = [d["label_lines"] for _, d in graph.nodes(data=True) if d["kind"] == "agency"]
    assert all(lines[-1].startswith("(") for lines in agencies), "each agency names its sector group"
    dashed_red = [(a, b, d) for a, b, d in graph.edges(data=True) if d["vis"].get("color") == DUPLICATE_RED]
    assert dashed_red and all(d["vis"]["dashes"] for _, _, d in dashed_red)
    for a, b, _ in dashed_red:  # the word is on the professional's label (edge labels would overlap nodes)
        worker = a if a.startswith("p:") else b
        assert any(line.startswith("DUPLICATED") for line in graph.nodes[worker]["label_lines"])
    title, alt = picture_names(view)
    page = render_network(graph, legend(), title=title, alt=alt)
    assert page.startswith('<html lang="en-GB">') and f"<title>{title}</title>" in page
    assert 'role="img" aria-label="Ecomap of Taylor family (F1) on 01/06/2026' in page
    assert "'Ecomap as text' tab" in alt


def test_family_page_offers_the_text_beside_the_picture(small_app: str) -> None:
    at = open_page("pages/family.py", family_id="F1")
    assert not at.exception, [e.value for e in at.exception]
    assert [t.label for t in at.tabs][:2] == ["Ecomap picture", "Ecomap as text"]
    assert "Ecomap as text" in [s.value for s in at.subheader]
    shown = [m.value.replace("\\", "") for m in at.markdown]  # data is shown backslash-escaped
    assert "Lead professional: Jo Carter (Council Early Help)." in shown
    assert any(v.startswith("#### Mark Evans: parent, 38, does not live in the household") for v in shown)


def test_two_leads_are_named_as_a_conflict(small_db: Path) -> None:
    view = _view(small_db, "F4")
    assert len(view.team.lead_ids) == 2
    assert lead_sentence(view).startswith("Lead professionals: 2 at once, a conflict to resolve: ")
