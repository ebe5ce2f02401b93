"""The agency collaboration network: links under 6 shared families never reach an algorithm, communities and
brokers come from the graph, trends and districts are suppressed, the board report holds no formula."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from graphmodel.records import COUNTY_COLUMNS, CountyTable
from pages.ui.export import safe_cell
from pages.ui.network_view import board_report_xlsx, suppressed_districts, suppressed_trends
from queries.agency_network import MIN_EDGE, agency_network, district_comparison, monthly_trends

AS_OF = "2026-06-01"


def _tables(shared: dict[tuple[str, ...], int]) -> dict[CountyTable, pd.DataFrame]:
    """County tables where each group of agencies works together with the given number of families."""
    inv, families, n = [], [], 0
    for agencies, count in shared.items():
        for _ in range(count):
            n += 1
            fid = f"F{n:04d}"
            families.append((fid, f"Family {n}", "North" if n % 2 else "South"))
            for a in agencies:
                inv.append((f"I{n}{a}", fid, None, f"P{a}", a, "school", "universal", "housing", "2026-01-01", None))
    profs = [(f"P{a}", f"Worker {a}", None, a, f"Agency {a}", "school", 0) for a in "ABCDEFGH"]
    frame = {CountyTable.INVOLVEMENTS: inv, CountyTable.FAMILIES: families, CountyTable.PROFESSIONALS: profs,
             CountyTable.PERSON_NEEDS: [], CountyTable.LEADS: [], CountyTable.EPISODES: []}
    return {t: pd.DataFrame(rows, columns=list(COUNTY_COLUMNS[t]), dtype=object) for t, rows in frame.items()}


def test_small_links_are_dropped_and_the_graph_finds_communities_and_the_broker() -> None:
    tables = _tables({("A", "B"): 9, ("B", "C"): 8, ("A", "C"): 7,  # one tight group
                      ("E", "F"): 9, ("F", "G"): 8, ("E", "G"): 7,  # another
                      ("C", "D"): 6, ("D", "E"): 6,  # D links them
                      ("A", "H"): 3})  # too few to show
    network = agency_network(tables, AS_OF)
    pairs = {tuple(sorted((r.agency_a, r.agency_b))): r.shared_families for r in network.edges.itertuples()}
    assert ("Agency A", "Agency H") not in pairs and "H" not in network.graph, "a link of 3 families never shows"
    assert min(pairs.values()) >= MIN_EDGE and pairs[("Agency A", "Agency B")] == 9
    assert network.suppressed_edges == 1
    groups = [set(a.split(", ")) for a in network.communities.agencies]
    assert {"Agency A", "Agency B", "Agency C"} <= next(g for g in groups if "Agency A" in g)
    assert not {"Agency A", "Agency E"} <= next(g for g in groups if "Agency A" in g), "two communities"
    assert network.brokers.agency.iloc[0] == "Agency D", "the agency between the groups is the broker"


def test_trends_and_districts_are_suppressed() -> None:
    tables = _tables({("A", "B"): 9, ("C", "D"): 3})
    trends = suppressed_trends(monthly_trends(tables, AS_OF, months=3))
    assert list(trends["Open pieces of work"]) == ["24", "24", "24"]
    assert set(trends["Families with open work and no lead"]) == {"12"}
    few = suppressed_trends(monthly_trends(_tables({("C", "D"): 3}), AS_OF, months=2))
    assert list(few["Families with open work and no lead"]) == ["c", "c"], "3 families is a small number"
    assert list(few["Open pieces of work"]) == ["6", "6"]
    districts = suppressed_districts(district_comparison(tables, AS_OF, "2025-06-01"))
    assert set(districts["With open work"]) == {"6"}, "12 families split 6/6 between the districts"
    everything = " ".join(districts.astype(str).to_numpy().ravel())
    assert not any(f" {n} " in f" {everything} " for n in "12345")


def test_board_report_cells_are_text_never_formulas() -> None:
    frame = pd.DataFrame({"Agency": ['=HYPERLINK("x")', "  +1", "Safe"], "Families": ["6", "c", "0"]})
    book = load_workbook(io.BytesIO(board_report_xlsx({"Duplicating pairs": frame}, AS_OF)))
    sheet = book["Duplicating pairs"]
    assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
    values = [c.value for row in sheet.iter_rows(min_row=3) for c in row]
    assert values[:2] == ["'=HYPERLINK(\"x\")", "6"] and values[2] == "'  +1"
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value is not None)
    assert safe_cell(" @SUM(1)") == "' @SUM(1)" and safe_cell("plain - text") == "plain - text"
