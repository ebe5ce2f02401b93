"""Limits are checked before anything is expanded: the .xlsx bomb is rejected in under a second with bounded
memory; rows, columns and cell length are configurable and each over-limit file gets one line."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from bench.xlsx_bomb import hide_dimension, make_bomb, make_headed_bomb
from loaders.limits import Limits
from loaders.problems import LoadRejected
from loaders.reading import read_table


def _read(path: Path, limits: Limits | None = None) -> tuple[LoadRejected | None, float, float]:
    """Read a file; return the rejection (or None), wall seconds and peak traced memory in MiB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        read_table(path, limits or Limits())
        rejected = None
    except LoadRejected as error:
        rejected = error
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return rejected, seconds, peak


def test_the_xlsx_bomb_is_rejected_in_under_a_second_with_bounded_memory(tmp_path: Path) -> None:
    bomb = make_bomb(tmp_path / "families.xlsx")
    assert bomb.stat().st_size < 10_000
    rejected, seconds, peak_mb = _read(bomb)
    assert rejected is not None and "declares 16,384 columns" in str(rejected.problems[0])
    assert seconds < 1.0 and peak_mb < 50


def test_a_bomb_that_hides_its_size_is_still_bounded(tmp_path: Path) -> None:
    headed = hide_dimension(make_headed_bomb(tmp_path / "b.xlsx"), tmp_path / "families.xlsx")
    rejected, seconds, peak_mb = _read(headed, Limits(rows=1000))
    assert rejected is None  # the far cell is past the header and past the row limit: never expanded
    assert seconds < 1.0 and peak_mb < 60
    assert len(read_table(headed, Limits(rows=1000)).frame) == 1


def test_a_sheet_declaring_too_many_rows_is_rejected_before_reading(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["family_id", "name"])
    sheet["A5001"] = "F5000"
    book.save(tmp_path / "families.xlsx")
    rejected, _, _ = _read(tmp_path / "families.xlsx", Limits(rows=1000))
    assert rejected is not None and "declares 5,000 data rows" in str(rejected.problems[0])


def test_a_workbook_that_unpacks_too_large_is_rejected(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "families.xlsx", "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (3 * 1024 * 1024) + b"</sst>")
    assert (tmp_path / "families.xlsx").stat().st_size < 100_000
    rejected, _, _ = _read(tmp_path / "families.xlsx", Limits(xlsx_unpacked_mb=2))
    assert rejected is not None and "unpacks to 3 MB" in str(rejected.problems[0])


@pytest.mark.parametrize(("limits", "words"), [
    (Limits(rows=2), "more than 2 rows"),
    (Limits(columns=3), "5 columns, over the limit of 3"),
    (Limits(cell_chars=5), "longer than 5 characters"),
    (Limits(file_mb=0), "over the limit of 0 MB"),
])
def test_csv_limits_are_configurable(tmp_path: Path, limits: Limits, words: str) -> None:
    path = tmp_path / "families.csv"
    path.write_text("family_id,name,postcode,district,source_id\nF1,Taylor,,,\nF2,Evans,,,\nF3,Nowak,,,\n")
    rejected, _, _ = _read(path, limits)
    assert rejected is not None and words in str(rejected.problems[0])
    assert read_table(path).frame.shape == (3, 5)


def test_limits_come_from_the_environment() -> None:
    assert Limits.from_env({"FAMILYGRAPH_MAX_ROWS": "10_000", "FAMILYGRAPH_MAX_CELL_CHARS": "100"}) == Limits(
        rows=10_000, cell_chars=100)
    with pytest.raises(ValueError, match="FAMILYGRAPH_MAX_COLUMNS must be a positive whole number"):
        Limits.from_env({"FAMILYGRAPH_MAX_COLUMNS": "lots"})


def test_a_bad_limit_setting_is_one_problem_on_the_data_page_path(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from loaders.load import check_folder

    (tmp_path / "families.csv").write_text("family_id,name\nF1,Taylor\n")
    monkeypatch.setenv("FAMILYGRAPH_MAX_ROWS", "lots")
    problems = check_folder(None, tmp_path).problems
    assert [str(p) for p in problems] == ["environment: FAMILYGRAPH_MAX_ROWS must be a positive whole number, "
                                          "got 'lots'"]
