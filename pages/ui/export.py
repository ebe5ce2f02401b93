"""Export a table to CSV or Excel so that no cell can run as a formula when the file is opened."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from graphmodel.formula import FORMULA_STARTS, neutralise

__all__ = ["FORMULA_STARTS", "safe_cell", "safe_frame", "to_csv_bytes", "to_xlsx_bytes"]



def safe_cell(value: object) -> str:
    """The cell as text, with a leading single quote when it would otherwise start a formula (also after
    leading spaces, which spreadsheets skip)."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return neutralise(text)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell and header of the frame as safe text."""
    return pd.DataFrame([[safe_cell(v) for v in row] for row in frame.itertuples(index=False)],
                        columns=[safe_cell(c) for c in frame.columns], dtype=object)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a BOM so Excel reads the accents) of the safe frame."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Team") -> bytes:
    """An .xlsx workbook whose cells are all strings (never formulas)."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    safe = safe_frame(frame)
    for r, row in enumerate([list(safe.columns), *safe.itertuples(index=False)], start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = str(value)
            cell.data_type = "s"  # text, whatever the value looks like
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
