"""Quote-free stretches of a UTF-8 CSV parsed by pyarrow's C++ reader: the cells the csv module would give, as string
columns, without a Python object per cell (the usual big export holds no quotes at all)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = ["quote_free_frames", "quote_free_header"]

BLOCK_BYTES = 1 << 22
"""Bytes read at a time while cutting a file into stretches of whole lines."""
_UTF8_BOM = b"\xef\xbb\xbf"
_STRING = pa.large_string()  # what pandas' "string" dtype holds, so a frame reads as astype("string") gives


def quote_free_header(path: Path) -> tuple[list[str], int] | None:
    """The header's cells and the byte offset of the first row, if the first line holds no quote and ends in a
    newline (else None: the csv module reads the file)."""
    with path.open("rb") as handle:
        line = handle.readline(1 << 20)
    if not line.endswith(b"\n") or b'"' in line or b"\r" in line[:-2]:
        return None
    start = len(_UTF8_BOM) if line.startswith(_UTF8_BOM) else 0
    return line[start:].rstrip(b"\r\n").decode("utf-8").split(","), len(line)


def quote_free_frames(path: Path, offset: int, columns: list[str], rows: int,
                      cell_chars: int) -> Iterator[tuple[pd.DataFrame, int]]:
    """Frames of `rows` lines each from `offset` (cells as strings, null where empty, indexed by line from 0), each
    with the offset after it. Stops before the first stretch that holds a quote, a bare carriage return, a blank
    line, a row with another number of cells or a cell over `cell_chars`: the caller reads on from the last offset
    given with the csv module, whose checks name the row."""
    with path.open("rb") as handle:
        handle.seek(offset)
        for piece, lines in _stretches(handle, rows):
            frame = _parsed(piece, columns, cell_chars)
            if frame is None or len(frame) != lines:
                return
            offset += len(piece)
            yield frame, offset


def _stretches(handle: BinaryIO, rows: int) -> Iterator[tuple[bytes, int]]:
    """The rest of a file as stretches of `rows` whole lines (the last may be shorter), each with its line count."""
    pending: list[bytes] = []
    count = 0
    for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
        pending.append(block)
        count += block.count(b"\n")
        if count < rows:
            continue
        data = b"".join(pending)
        ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)  # every line end, found once
        start = 0
        for last in range(rows - 1, len(ends), rows):
            cut = int(ends[last]) + 1
            yield data[start:cut], rows
            start = cut
        pending, count = [data[start:]], len(ends) % rows
    tail = b"".join(pending)
    if tail:
        yield tail, count + (not tail.endswith(b"\n"))


def _parsed(piece: bytes, columns: list[str], cell_chars: int) -> pd.DataFrame | None:
    """A stretch of quote-free lines as string columns; None if the csv module must read it."""
    if b'"' in piece or piece.count(b"\r") != piece.count(b"\r\n") or piece.startswith((b"\n", b"\r\n")) \
            or b"\n\n" in piece or b"\n\r\n" in piece:
        return None
    try:
        table = pacsv.read_csv(
            pa.py_buffer(piece),
            read_options=pacsv.ReadOptions(column_names=columns, use_threads=False),
            parse_options=pacsv.ParseOptions(quote_char=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(columns, _STRING), null_values=[""],
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True))
    except pa.ArrowInvalid:  # another number of cells on some row
        return None
    longest = max((pc.max(pc.utf8_length(column)).as_py() or 0 for column in table.columns), default=0)
    if longest > cell_chars:
        return None
    return pd.DataFrame({name: pd.arrays.ArrowStringArray(column) for name, column in zip(columns, table.columns,
                                                                                         strict=True)})
