"""The ecomap's deterministic layout: no label box over another, no edge through a node that is not one of its
ends, the same drawing every time, and still quick with sixty professionals."""

from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import pytest

from graphmodel.records import (
    AgencyRecord,
    FamilyRecord,
    FamilySnapshot,
    InvolvementRecord,
    MemberRecord,
    ProfessionalRecord,
    SourceRecord,
)
from graphmodel.stores.embedded import EmbeddedStore
from pages.ui.ecomap import build_ecomap
from pages.ui.ecomap_layout import Box, edges_through_nodes, label_overlaps, layout
from pages.ui.family_view import FamilyView, family_view
from queries.common import snapshot_tables
from queries.duplicates import find_duplicates
from queries.suggest import suggest_from_snapshot
from queries.team import team_from_snapshot
from tests.conftest import SMALL_AS_OF


def _positions(graph: nx.MultiGraph) -> dict[str, tuple[float, float]]:
    return {n: (d["vis"]["x"], d["vis"]["y"]) for n, d in graph.nodes(data=True)}


def _crowded_view(professionals: int, agencies: int, members: int) -> FamilyView:
    """A family with many professionals from many agencies, each working with one member or the family."""
    as_of = "2026-06-01"
    family = FamilyRecord("F", "Crowded family", "CB1 1AA", "North", "S")
    people = tuple(MemberRecord(f"P{i}", f"Member{i}", "Crowded", f"{1980 + 5 * i}-01-01", "F",
                                "parent" if i < 2 else "child", i != 1, "S") for i in range(members))
    orgs = tuple(AgencyRecord(f"A{i:02d}", f"Agency number {i:02d} services", ("school", "police", "gp",
                              "housing")[i % 4], "targeted", "North") for i in range(agencies))
    staff = tuple(ProfessionalRecord(f"T{i:02d}", f"Worker {i:02d}", "Practitioner", None, None, None, 0,
                                     f"A{i % agencies:02d}", "S") for i in range(professionals))
    # each agency works with one member (a school with a child, a GP with a parent); agency 0 with the family
    work = tuple(InvolvementRecord(f"I{i:02d}", f"T{i:02d}", None if i % agencies == 0 else
                                   f"P{i % agencies % members}", i % agencies == 0,
                                   (("send", "housing", "mental_health", "domestic_abuse")[i % 4],), "Support",
                                   "2025-09-01", None, "S") for i in range(professionals))
    snap = FamilySnapshot(family, people, (), (), work, staff, orgs, (), (),
                          (SourceRecord("S", "A00", "2026-05-01", None, None, None, "Agency"),))
    return FamilyView(snap, team_from_snapshot(snap, as_of), tuple(find_duplicates(snapshot_tables(snap), as_of)),
                      None, suggest_from_snapshot(snap, {}, as_of))


@pytest.mark.parametrize("family_id", ["F1", "F2", "F3", "F4"])
def test_small_county_families_have_no_overlap_and_no_edge_through_a_node(small_db: Path, family_id: str) -> None:
    store = EmbeddedStore(small_db)
    try:
        view = family_view(store, family_id, SMALL_AS_OF)
    finally:
        store.close()
    assert view is not None
    graph, _ = build_ecomap(view)
    pos = _positions(graph)
    assert label_overlaps(graph, pos) == []
    assert edges_through_nodes(graph, pos) == []
    again, _ = build_ecomap(view)
    assert _positions(again) == pos, "the same family is drawn the same way every time"
    for node, data in graph.nodes(data=True):
        assert data["vis"]["physics"] is False and data["vis"]["fixed"] == {"x": True, "y": True}, node


def test_sixty_professionals_are_laid_out_cleanly_and_quickly() -> None:
    view = _crowded_view(60, 12, 5)
    started = time.perf_counter()
    graph, summary = build_ecomap(view, per_agency=50)
    took = time.perf_counter() - started
    assert summary.professionals_shown == 60
    pos = _positions(graph)
    assert label_overlaps(graph, pos) == []
    assert edges_through_nodes(graph, pos) == []
    assert took < 5.0, f"laying out 60 professionals took {took:.2f} s"


def test_need_labels_are_spelled_out_and_duplicates_named(small_db: Path) -> None:
    store = EmbeddedStore(small_db)
    try:
        view = family_view(store, "F1", SMALL_AS_OF)
    finally:
        store.close()
    assert view is not None
    graph, _ = build_ecomap(view)
    text = {n: " ".join(d["label_lines"]) for n, d in graph.nodes(data=True)}
    assert "Poor mental health" in text["p:PR4"]
    assert "DUPLICATED: Domestic violence and abuse" in text["p:PR7"]
    assert all(len(line) <= 30 for d in graph.nodes.values() for line in d["label_lines"])


def test_the_checks_catch_overlap_and_an_edge_through_a_node() -> None:
    """The checks themselves fail on a bad drawing (a node in the middle of an edge; two labels on each other)."""
    graph = nx.MultiGraph()
    for name in ("a", "b", "c"):
        graph.add_node(name, kind="professional", label_lines=[f"Worker {name}"])
    graph.add_edge("a", "b")
    bad = {"a": (0.0, 0.0), "b": (400.0, 0.0), "c": (200.0, 0.0)}
    assert edges_through_nodes(graph, bad) == [("a", "b", "c")]
    assert label_overlaps(graph, {"a": (0.0, 0.0), "b": (10.0, 5.0), "c": (900.0, 0.0)}) == [("a", "b")]
    assert Box(0, 0, 10, 10).overlaps(Box(5, 5, 20, 20)) and not Box(0, 0, 10, 10).overlaps(Box(11, 0, 20, 10))
    assert layout(graph)  # a graph without a family still gets coordinates
