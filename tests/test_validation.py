"""Bad input is reported with file, row, column and reason, every problem at once; good input loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from graphmodel.stores.embedded import EmbeddedStore
from loaders.folder import validate_folder
from loaders.load import load_folder
from loaders.problems import LoadRejected, Problem
from tests.conftest import SMALL

PEOPLE_HEADER = "person_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number,upn,source_id\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the small county."""
    target = tmp_path / "county"
    shutil.copytree(SMALL, target)
    return target


def problems_of(folder: Path) -> list[tuple[str, int, str]]:
    return [(p.file, p.row, p.column) for p in validate_folder(folder).problems]


def reasons_of(folder: Path) -> list[str]:
    return [p.reason for p in validate_folder(folder).problems]


def test_the_small_county_is_valid(folder: Path) -> None:
    result = validate_folder(folder)
    assert result.problems == []
    assert result.rows() == 102


def test_unknown_references_name_file_row_and_column(folder: Path) -> None:
    path = folder / "memberships.csv"
    path.write_text(path.read_text() + "P404,F1,child,true,S_EH\nP1,F404,parent,true,S_EH\n")
    assert problems_of(folder) == [("memberships.csv", 14, "person_id"), ("memberships.csv", 15, "family_id")]
    assert "unknown person id 'P404'" in reasons_of(folder)[0]


def test_duplicate_ids_point_at_the_first_row(folder: Path) -> None:
    path = folder / "families.csv"
    path.write_text(path.read_text() + "F2,Another Evans family,,,S_EH\n")
    problems = validate_folder(folder).problems
    assert [(p.file, p.row, p.column) for p in problems] == [("families.csv", 6, "family_id")]
    assert "first on row 3" in problems[0].reason


def test_duplicate_composite_keys_are_reported(folder: Path) -> None:
    path = folder / "memberships.csv"
    path.write_text(path.read_text() + "P1,F1,parent,false,S_EH\n")
    assert problems_of(folder) == [("memberships.csv", 14, "person_id")]


@pytest.mark.parametrize(("dob", "reason"), [
    ("2023-02-30", "impossible date"),
    ("31/02/2020", "impossible date"),
    ("12th May 2020", "not a date"),
    ("2999-01-01", "in the future"),
    ("1850-01-01", "before 1900"),
])
def test_bad_dates_are_reported(folder: Path, dob: str, reason: str) -> None:
    (folder / "people.csv").write_text(PEOPLE_HEADER + f"P1,Sarah,Taylor,{dob},F,,,,S_EH\n")
    only_people = folder.parent / "people_only"
    only_people.mkdir()
    shutil.move(folder / "people.csv", only_people / "people.csv")
    shutil.copy(folder / "sources.csv", only_people / "sources.csv")
    shutil.copy(folder / "agencies.csv", only_people / "agencies.csv")
    result = validate_folder(only_people)
    assert result.problems == []  # a value problem: the person loads without a date of birth
    assert [(p.file, p.row, p.column) for p in result.quality] == [("people.csv", 2, "date_of_birth")]
    assert reason in result.quality[0].reason and result.quality[0].source_id == "S_EH"
    assert pd.isna(result.frames["people"].loc[2, "date_of_birth"])


def test_uk_dates_are_read_day_first(folder: Path) -> None:
    (folder / "people.csv").write_text((folder / "people.csv").read_text().replace("1990-04-12", "12/04/1990"))
    result = validate_folder(folder)
    assert result.problems == []
    assert result.frames["people"].loc[2, "date_of_birth"] == "1990-04-12"


def test_end_before_start_is_reported(folder: Path) -> None:
    path = folder / "involvements.csv"
    path.write_text(path.read_text().replace("I7,PR3,P2,,domestic_abuse,DA incident follow-up,2025-09-02,2025-12-01",
                                             "I7,PR3,P2,,domestic_abuse,DA incident follow-up,2025-09-02,2025-08-01"))
    assert problems_of(folder) == [("involvements.csv", 8, "end")]


def test_missing_required_column_is_reported_on_the_header_row(folder: Path) -> None:
    path = folder / "agencies.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(",".join(line.split(",")[:2] + line.split(",")[3:]) for line in lines) + "\n")
    problems = validate_folder(folder).problems
    assert ("agencies.csv", 1, "sector") in [(p.file, p.row, p.column) for p in problems]


def test_every_problem_is_collected_at_once(folder: Path) -> None:
    (folder / "families.csv").write_text((folder / "families.csv").read_text() + "F1,Dup,,,S_EH\n")
    (folder / "needs.csv").write_text((folder / "needs.csv").read_text() + "P1,flying,2025-01-01,,,S_EH\n")
    (folder / "agencies.csv").write_text((folder / "agencies.csv").read_text() + "A_X,Odd,bakery,,\n")
    files = {p[0] for p in problems_of(folder)}
    assert files == {"families.csv", "needs.csv", "agencies.csv"}


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+cmd|' /C calc'!A0", "-1+2*A3",
                                  "\t=1+1"])
def test_formula_looking_cells_are_rejected(folder: Path, cell: str) -> None:
    path = folder / "families.csv"
    quoted = '"' + cell.replace('"', '""') + '"'
    path.write_text(path.read_text() + f"F9,{quoted},,,S_EH\n")
    problems = validate_folder(folder).problems
    assert [(p.file, p.row, p.column) for p in problems] == [("families.csv", 6, "name")]
    assert "formula" in problems[0].reason


def test_phone_numbers_with_a_plus_are_not_formulas(folder: Path) -> None:
    path = folder / "professionals.csv"
    path.write_text(path.read_text().replace("01632 960001", "+44 1632 960001"))
    assert validate_folder(folder).problems == []


def test_utf8_with_bom_and_windows_1252_both_load(folder: Path) -> None:
    (folder / "families.csv").write_bytes(b"\xef\xbb\xbf" + (folder / "families.csv").read_bytes())
    people = (folder / "people.csv").read_text().replace("Sarah,Taylor", "Zoë,Taylor")
    (folder / "people.csv").write_bytes(people.encode("cp1252"))
    result = validate_folder(folder)
    assert result.problems == []
    assert result.frames["people"].loc[2, "given_name"] == "Zoë"
    assert any("Windows-1252" in note for note in result.notes)


def test_utf16_is_rejected_with_advice(folder: Path) -> None:
    (folder / "families.csv").write_bytes((folder / "families.csv").read_text().encode("utf-16"))
    problems = validate_folder(folder).problems
    assert problems[0].file == "families.csv" and "UTF-16" in problems[0].reason


def test_undecodable_bytes_name_the_row_and_column(folder: Path) -> None:
    data = (folder / "families.csv").read_bytes().replace(b"Nowak family", b"Now\x81\x8dk family")
    (folder / "families.csv").write_bytes(data)
    problems = validate_folder(folder).problems
    assert [(p.file, p.row, p.column) for p in problems] == [("families.csv", 4, "name")]


def test_excel_files_load_like_csv(folder: Path, tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    csv_path = folder / "people.csv"
    rows = [line.split(",") for line in csv_path.read_text().splitlines()]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([dt.date.fromisoformat(v) if i == 3 and v else (v or None) for i, v in enumerate(row)])
    csv_path.unlink()
    book.save(folder / "people.xlsx")
    result = validate_folder(folder)
    assert result.problems == []
    assert result.frames["people"].loc[2, "date_of_birth"] == "1990-04-12"
    store = EmbeddedStore(tmp_path / "x.sqlite")
    load_folder(store, folder)
    assert store.counts()["Person"] == 10


def test_excel_formula_cells_are_rejected(folder: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["family_id", "name", "postcode", "district", "source_id"])
    sheet.append(["F1", "Taylor family", None, None, "S_EH"])
    sheet.append(["F9", "=1+2", None, None, "S_EH"])
    (folder / "families.csv").unlink()
    book.save(folder / "families.xlsx")
    problems = [p for p in validate_folder(folder).problems if p.file == "families.xlsx"]
    assert [(p.row, p.column) for p in problems] == [(3, "name")]


def test_load_rejected_message_names_the_first_problem() -> None:
    error = LoadRejected([Problem("b.csv", 3, "x", "bad"), Problem("a.csv", 9, "y", "worse")])
    assert "a.csv, row 9, column y: worse" in str(error)
    assert "nothing was loaded" in str(error)


def test_columns_outside_the_format_are_noted_and_not_loaded(folder: Path, tmp_path: Path) -> None:
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    people["favourite_colour"] = "blue"
    people["Notes "] = "x"
    people.to_csv(folder / "people.csv", index=False)
    store = EmbeddedStore(tmp_path / "store.sqlite")
    report = load_folder(store, folder)
    note = next(n for n in report.notes if n.startswith("people.csv:"))
    assert "'favourite_colour'" in note and "not in the import format" in note
    assert not any("sex" in n or "given_name" in n for n in report.notes), "known columns are not noted"
    assert store.family_snapshot("F1") is not None
    store.close()
