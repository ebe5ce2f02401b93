"""Reading the first sheet of an .xlsx workbook as text cells, with its size checked before it is expanded.

A workbook is a zip of XML parts, so a few kilobytes can declare a sheet of 17 billion cells or unpack to
gigabytes. Before any cell is read: the unpacked size of the parts and the sheet's declared dimensions
are checked against the limits; the reader then never reads past the limits even if the declaration lies.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from loaders.limits import Limits
from loaders.problems import LoadRejected, Problem

__all__ = ["read_xlsx_rows"]

Rows = list[list[str | None]]


def _reject(name: str, row: int, column: str, reason: str) -> LoadRejected:
    return LoadRejected([Problem(name, row, column, reason)])


def _check_package(path: Path, limits: Limits) -> None:
    """The file is a zip whose parts unpack to no more than the limit."""
    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _reject(path.name, 0, "-", f"not a readable .xlsx workbook ({error})") from None
    if unpacked > limits.xlsx_unpacked_bytes:
        raise _reject(path.name, 0, "-", f"workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB, over the limit of "
                      f"{limits.xlsx_unpacked_mb:,} MB (FAMILYGRAPH_MAX_XLSX_UNPACKED_MB)")


def _cell_text(value: object) -> str | None:
    """An Excel cell value as text (dates as ISO, whole floats without .0, booleans as true/false)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def read_xlsx_rows(path: Path, limits: Limits) -> tuple[list[str], Rows]:
    """The header and the data rows of the first sheet (cells as text, None for empty)."""
    from openpyxl import load_workbook

    _check_package(path, limits)
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises several unrelated types for a bad file
        raise _reject(path.name, 0, "-", f"not a readable .xlsx workbook ({error})") from None
    try:
        if not book.worksheets:
            raise _reject(path.name, 0, "-", "workbook has no sheet")
        sheet = book.worksheets[0]
        declared_rows, declared_columns = sheet.max_row, sheet.max_column
        if declared_columns is not None and declared_columns > limits.columns:
            raise _reject(path.name, 1, "-", f"sheet declares {declared_columns:,} columns, over the limit of "
                          f"{limits.columns:,} (FAMILYGRAPH_MAX_COLUMNS)")
        if declared_rows is not None and declared_rows - 1 > limits.rows:
            raise _reject(path.name, 0, "-", f"sheet declares {declared_rows - 1:,} data rows, over the limit of "
                          f"{limits.rows:,} (FAMILYGRAPH_MAX_ROWS)")
        first = sheet.iter_rows(min_row=1, max_row=1, max_col=limits.columns, values_only=True)
        header = [_cell_text(c) or "" for c in next(first, ())]
        while header and not header[-1]:
            header.pop()
        body: Rows = []
        if not header:
            return header, body
        rows = sheet.iter_rows(min_row=2, max_row=limits.rows + 2, max_col=len(header), values_only=True)
        blank: list[str | None] = []
        for count, row in enumerate(rows):
            if not any(c is not None for c in row):
                body.append(blank)  # one shared list: a sheet of empty rows costs a pointer a row
                continue
            if count >= limits.rows:
                raise _reject(path.name, 0, "-", limits.too_many_rows)
            body.append([_cell_text(c) for c in row])
    except LoadRejected:
        raise
    except Exception as error:  # a damaged sheet part
        raise _reject(path.name, 0, "-", f"not a readable .xlsx workbook ({error})") from None
    finally:
        book.close()
    return header, body
