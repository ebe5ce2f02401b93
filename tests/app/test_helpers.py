"""Small helpers of the app: safe exports, the one search box, suppression and the worklist filter."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from pages.ui.export import safe_cell, to_csv_bytes, to_xlsx_bytes
from pages.ui.search_box import parse_search
from pages.ui.suppress import heat_value, suppress_counts
from pages.ui.text import md
from pages.ui.worklist import filter_worklist

HOSTILE_CELLS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1)", "\tx", "\rx", "plain", "0161 555"]


@pytest.mark.parametrize("value", HOSTILE_CELLS)
def test_no_cell_can_start_a_formula(value: str) -> None:
    assert not safe_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe_cell(value).lstrip("'") == value


def test_csv_export_prefixes_formulas() -> None:
    frame = pd.DataFrame({"Professional": HOSTILE_CELLS, "=Header": range(len(HOSTILE_CELLS))})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines()[0] == "Professional,'=Header"
    assert "\n\"'=HYPERLINK" in text and "\n'+1+2" in text and "\n'@SUM" in text
    assert "\nplain," in text


def test_xlsx_export_holds_only_strings() -> None:
    frame = pd.DataFrame({"Professional": HOSTILE_CELLS, "Count": range(len(HOSTILE_CELLS))})
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells), {cell.data_type for cell in cells}
    values = [cell.value for cell in cells]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in values and "plain" in values
    assert not any(str(v).startswith("=") for v in values)


@pytest.mark.parametrize(("text", "name", "dob", "postcode"), [
    ("Sara Tailor", "Sara Tailor", None, None),
    ("Liam Taylor 03/09/2014", "Liam Taylor", "2014-09-03", None),
    ("sarah 1990-04-12, cb1 1aa", "sarah", "1990-04-12", "CB1 1AA"),
    ("CB11AA", "", None, "CB1 1AA"),
    ("   ", "", None, None),
])
def test_one_search_box_finds_name_date_and_postcode(text: str, name: str, dob: str | None,
                                                     postcode: str | None) -> None:
    terms = parse_search(text)
    assert (terms.name, terms.dob, terms.postcode) == (name, dob, postcode)


def test_search_box_reports_a_date_that_is_not_one() -> None:
    terms = parse_search("Amy 31/02/2015")
    assert terms.dob is None and terms.problem == "'31/02/2015' is not a date" and terms.name == "Amy"


def test_suppression_of_counts_and_heat() -> None:
    frame = suppress_counts(pd.DataFrame({"n": [0, 1, 5, 6, 1234]}), ["n"])
    assert list(frame["n"]) == ["0", "c", "c", "6", "1,234"]
    assert [heat_value(n) for n in (0, 3, 6)] == [0.0, None, 6.0]


def test_markdown_escape_keeps_text_as_text() -> None:
    assert md("[x](javascript:alert(1)) :red[y] <b>") == \
        r"\[x\]\(javascript\:alert\(1\)\) \:red\[y\] \<b\>"


def test_worklist_filter_and_sort() -> None:
    frame = pd.DataFrame({
        "Family": ["F2", "F1", "F3"], "District": ["S", "N", "N"], "Severity": [4, 9, 6],
        "Finding": ["No lead", "Two leads", "No lead"], "Need": ["", "", "Housing"],
        "Agencies": [1, 2, 3], "Reason": ["a", "b", "housing c"],
    })
    assert list(filter_worklist(frame, ["No lead", "Two leads"], 1, "", "Most severe first")["Family"]) == \
        ["F1", "F3", "F2"]
    assert list(filter_worklist(frame, ["No lead"], 5, "", "Family")["Family"]) == ["F3"]
    assert list(filter_worklist(frame, ["No lead", "Two leads"], 1, "HOUSING", "Family")["Family"]) == ["F3"]
