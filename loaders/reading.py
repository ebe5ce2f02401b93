"""Reading CSV and Excel files into string DataFrames, with encoding detection."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.problems import LoadRejected, Problem

__all__ = ["RawTable", "read_table"]

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class RawTable:
    """A file read as text cells (None for empty), with a note on how it was decoded."""

    name: str
    frame: pd.DataFrame
    note: str | None = None


def read_table(path: Path) -> RawTable:
    """Read a .csv (UTF-8 with or without BOM, or Windows-1252) or .xlsx file into text cells."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    return _read_csv(path)


def _read_csv(path: Path) -> RawTable:
    data = path.read_bytes()
    if data.startswith(_UTF16_BOMS) or (len(data) > 1 and data[1:2] == b"\x00"):
        raise LoadRejected([Problem(path.name, 1, "-", "file is UTF-16 encoded; save it as 'CSV UTF-8'")])
    note = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
            note = "decoded as Windows-1252 (Excel 'CSV' format); save as 'CSV UTF-8' to avoid this"
        except UnicodeDecodeError:
            row, column = _locate(data, utf8_error.start)
            raise LoadRejected([Problem(path.name, row, column,
                                        f"bytes at offset {utf8_error.start} are neither UTF-8 nor "
                                        "Windows-1252; save the file as 'CSV UTF-8'")]) from None
    if "\x00" in text:
        raise LoadRejected([Problem(path.name, 1, "-", "file contains NUL characters; is it really a CSV?")])
    frame = pd.read_csv(io.StringIO(text), dtype="string", keep_default_na=False, na_values=[""],
                        quoting=csv.QUOTE_MINIMAL, skip_blank_lines=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(path.name, _numbered(frame), note)


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Index rows by spreadsheet row number (header = 1) and drop rows with no value at all."""
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame[frame.notna().any(axis=1)] if len(frame.columns) else frame


def _locate(data: bytes, offset: int) -> tuple[int, str]:
    """Row (1-based, header = 1) and column number of a byte offset in a CSV."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    row = data.count(b"\n", 0, offset) + 1
    column = data.count(b",", line_start, offset) + 1
    header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
    return row, header[column - 1] if column <= len(header) else f"#{column}"


def _cell_text(value: object) -> str | None:
    """Turn an Excel cell value into text (dates as ISO, whole floats without .0)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if text.strip() else None


def _read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises several unrelated types for a bad file
        raise LoadRejected([Problem(path.name, 1, "-", f"not a readable .xlsx workbook ({error})")]) from None
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        return RawTable(path.name, pd.DataFrame())
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    body = [[_cell_text(v) for v in row[: len(header)]] + [None] * (len(header) - len(row)) for row in rows[1:]]
    return RawTable(path.name, _numbered(pd.DataFrame(body, columns=header, dtype=object)))
