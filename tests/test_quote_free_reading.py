"""A streamed CSV reads the same cells, row numbers and problems whether pyarrow parses its quote-free stretches or
the csv module reads it all: checked against read_table on files that mix the usual with every awkward case."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders import quote_free, reading
from loaders.limits import Limits
from loaders.problems import LoadRejected
from loaders.reading import read_table, read_table_chunks

HEADER = "person_id,given_name,family_name,date_of_birth\n"
PLAIN = "".join(f"P{i:04d},Ann{i},Lee,2001-02-{i % 28 + 1:02d}\n" for i in range(1, 13))

FILES: dict[str, bytes] = {
    "plain": (HEADER + PLAIN).encode(),
    "crlf": (HEADER + PLAIN).replace("\n", "\r\n").encode(),
    "byte order mark": b"\xef\xbb\xbf" + (HEADER + PLAIN).encode(),
    "no newline at the end": (HEADER + PLAIN).rstrip("\n").encode(),
    "blank lines and a row of commas": (HEADER + PLAIN[:60] + "\n,,,\n\n" + PLAIN[60:]).encode(),
    "a row of commas": (HEADER + PLAIN + ",,,\n" + PLAIN).encode(),
    "spaces and unicode kept": (HEADER + " P1 ,  Zoë ,Ó Briain, \n" + PLAIN).encode(),
    "a quoted cell half way": (HEADER + PLAIN + 'P0100,"Lee, Ann",X,2001-01-01\n' + PLAIN).encode(),
    "a quoted line break": (HEADER + PLAIN + 'P0100,"Ann\nMarie",X,2001-01-01\n' + PLAIN).encode(),
    "a short row": (HEADER + PLAIN + "P0100,Ann\n" + PLAIN).encode(),
    "extra blank cells": (HEADER + PLAIN + "P0100,Ann,Lee,2001-01-01,,\n" + PLAIN).encode(),
    "extra cells with text": (HEADER + PLAIN + "P0100,Ann,Lee,2001-01-01,oops\n" + PLAIN).encode(),
    "a bare carriage return": (HEADER + PLAIN + "P0100,Ann\rLee,X,2001-01-01\n" + PLAIN).encode(),
    "a blank header column at the end": (HEADER.rstrip("\n") + ",\n" + PLAIN.replace("\n", ",\n")).encode(),
    "a blank header column inside": ("person_id,,family_name,date_of_birth\n" + PLAIN).encode(),
    "a badly quoted cell": (HEADER + PLAIN + 'P0100,"Ann"x,Lee,2001-01-01\n').encode(),
    "a cell over the limit": (HEADER + PLAIN + "P0100," + "A" * 41 + ",Lee,2001-01-01\n" + PLAIN).encode(),
    "header only": HEADER.encode(),
    "a quoted header": ('"person_id","given_name"\n' + "P1,Ann\n").encode(),
    "one column with blank lines": (b"person_id\nP1\n\nP2\n\n"),
    "a column named twice": (b"person_id,Person_ID\nP1,P2\n"),
}
LIMITS = Limits(cell_chars=40, rows=30)


def _cells(frame: pd.DataFrame) -> list[tuple[int, list[str | None]]]:
    """Each row's number and cells, empty as None, whatever the frame's dtypes."""
    values = frame.astype(object).where(frame.notna(), None)
    return [(int(number), list(row)) for number, row in zip(values.index, values.itertuples(index=False),
                                                             strict=True)]


def _read(path: Path, rows: int) -> tuple[list[str], list[tuple[int, list[str | None]]]] | list[str]:
    """The columns and numbered rows of a file read in chunks, or its problems as lines."""
    try:
        chunks = list(read_table_chunks(path, LIMITS, rows))
    except LoadRejected as rejected:
        return [str(problem) for problem in rejected.problems]
    assert all(list(c.frame.columns) == list(chunks[0].frame.columns) for c in chunks)
    return list(chunks[0].frame.columns), [cell for chunk in chunks for cell in _cells(chunk.frame)]


def _whole(path: Path) -> tuple[list[str], list[tuple[int, list[str | None]]]] | list[str]:
    """The same read whole by read_table (the csv module)."""
    try:
        frame = read_table(path, LIMITS).frame
    except LoadRejected as rejected:
        return [str(problem) for problem in rejected.problems]
    return list(frame.columns), _cells(frame)


@pytest.mark.parametrize("rows", [1, 5, 1000])
@pytest.mark.parametrize("case", list(FILES))
def test_a_streamed_csv_reads_as_the_whole_file_does(tmp_path: Path, case: str, rows: int) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(FILES[case])
    assert _read(path, rows) == _whole(path)


def test_the_plain_stretches_are_parsed_by_pyarrow_and_the_rest_by_the_csv_module(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(FILES["a quoted cell half way"])
    parsed: list[int] = []
    real = quote_free._parsed

    def counting(piece: bytes, columns: list[str], cell_chars: int) -> pd.DataFrame | None:
        frame = real(piece, columns, cell_chars)
        parsed.append(-1 if frame is None else len(frame))
        return frame

    monkeypatch.setattr(quote_free, "_parsed", counting)
    chunks = list(read_table_chunks(path, LIMITS, 5))
    assert parsed == [5, 5, -1]  # two plain stretches, then the one with the quote goes to the csv module
    assert [len(c.frame) for c in chunks] == [5, 5, 5, 5, 5]  # 25 rows: 10 by pyarrow, 15 by the csv module
    assert [c.frame.index[0] for c in chunks] == [2, 7, 12, 17, 22]
    assert chunks[-1].frame.index[-1] == 26
    assert isinstance(chunks[0].frame["given_name"].dtype, pd.StringDtype)


def test_too_many_rows_is_rejected_by_either_reader(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + PLAIN * 3).encode())  # 36 rows, over the limit of 30
    expected = ["people.csv: more than 30 rows (FAMILYGRAPH_MAX_ROWS)"]
    assert _read(path, 5) == expected
    assert _read(path, 1000) == expected
    assert _whole(path) == expected


def test_a_big_plain_file_is_cut_into_chunks_of_exact_size_across_read_blocks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quote_free, "BLOCK_BYTES", 64)  # blocks far smaller than a chunk and cut mid-line
    monkeypatch.setattr(reading, "CHUNK_ROWS", 4)
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + PLAIN).encode())
    chunks = list(read_table_chunks(path, Limits()))
    assert [len(c.frame) for c in chunks] == [4, 4, 4]
    assert _cells(pd.concat([c.frame for c in chunks])) == _cells(read_table(path).frame)
