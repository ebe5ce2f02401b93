"""Reading CSV and Excel files into text cells: one encoding per file, limits checked before anything is expanded."""

from __future__ import annotations

import codecs
import csv
import io
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, compress
from pathlib import Path

import pandas as pd

from graphmodel.identifiers import strip_invisible
from loaders.limits import DEFAULT_LIMITS, Limits
from loaders.problems import LoadRejected, Problem
from loaders.quote_free import quote_free_frames, quote_free_header
from loaders.xlsx import read_xlsx_rows

__all__ = ["CHUNK_ROWS", "RawTable", "read_table", "read_table_chunks"]

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"
_SHOWN_ROWS = 10
CHUNK_ROWS = 25_000
"""Rows per chunk when a file is streamed (a load validates and writes a chunk while the next is read)."""


@dataclass(frozen=True, slots=True)
class RawTable:
    """A file read as text cells (None for empty), with a note on how it was decoded and per-row notes."""

    name: str
    frame: pd.DataFrame
    note: str | None = None
    notes: tuple[Problem, ...] = field(default=())
    """Value problems found while reading (e.g. rows that read differently in the other encoding)."""


def read_table(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawTable:
    """Read a .csv (UTF-8 with or without BOM, or Windows-1252 as a whole) or .xlsx file into text cells.

    Raises LoadRejected with one problem naming the file (and row and column where there is one) for
    anything that is not a readable regular file within the limits.
    """
    size = _regular_file_size(path)
    if size > limits.file_bytes:
        _reject(path.name, 0, "-", f"file is {size / 1024 / 1024:,.1f} MB, over the limit of {limits.file_mb:,} MB "
                "(FAMILYGRAPH_MAX_FILE_MB)")
    if path.suffix.lower() == ".xlsx":
        header, rows = read_xlsx_rows(path, limits)
        return _table(path.name, header, rows, limits, None, ())
    return _read_csv(path, limits)


def _reject(name: str, row: int, column: str, reason: str) -> None:
    raise LoadRejected([Problem(name, row, column, reason)])


def _regular_file_size(path: Path) -> int:
    """The size of a regular file; anything else (missing, a folder, a pipe, a device) is a problem."""
    try:
        info = path.stat()
    except OSError as error:
        _reject(path.name, 0, "-", f"cannot read the file ({error.strerror or error})")
        raise
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a named pipe" if stat.S_ISFIFO(info.st_mode) \
            else "not a regular file"
        _reject(path.name, 0, "-", f"is {kind}, not a file; give a CSV or .xlsx file")
    return info.st_size


def _decode(name: str, data: bytes) -> tuple[str, str | None, list[int]]:
    """The text of a CSV as UTF-8, or else as Windows-1252 as a whole; lines that would read differently."""
    if data.startswith(_UTF16_BOMS) or (len(data) > 1 and data[1:2] == b"\x00"):
        _reject(name, 0, "-", "file is UTF-16 encoded; save it as 'CSV UTF-8'")
    try:
        return data.decode("utf-8"), None, []
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            row, column = _locate(data, utf8_error.start)
            _reject(name, row, column, f"bytes at offset {utf8_error.start} are neither UTF-8 nor Windows-1252; "
                    "save the file as 'CSV UTF-8'")
            raise
    differ = [n for n, line in enumerate(data.split(b"\n"), 1) if not line.isascii() and _is_utf8(line)]
    note = "decoded as Windows-1252 as a whole (Excel 'CSV' format); save as 'CSV UTF-8' to avoid this"
    return text, note, differ


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_csv(path: Path, limits: Limits) -> RawTable:
    try:
        data = path.read_bytes()
    except OSError as error:
        _reject(path.name, 0, "-", f"cannot read the file ({error.strerror or error})")
        raise
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    if not data.strip():
        _reject(path.name, 1, "-", "file is empty: the first row must name the columns")
    text, note, differ = _decode(path.name, data)
    if "\x00" in text:
        _reject(path.name, 0, "-", "file contains NUL characters; is it really a CSV?")
    header, rows, last_line = _parse_csv(path.name, text, limits)
    notes = _mixed_encoding_notes(path.name, differ, last_line, header, rows)
    return _table(path.name, header, rows, limits, note, notes)


def _parse_csv(name: str, text: str, limits: Limits) -> tuple[list[str], list[list[str | None]], list[int]]:
    """Header and rows of a CSV, and the last physical line of each record; quoting errors name the row."""
    header: list[str] = []
    rows: list[list[str | None]] = []
    last_line: list[int] = []
    for record, line in _records(name, io.StringIO(text, newline=""), limits):
        if not last_line:
            header = [cell or "" for cell in record]
        else:
            rows.append(record)
        last_line.append(line)
    return header, rows, last_line


def _records(name: str, lines: Iterable[str], limits: Limits,
             count: int = 0) -> Iterator[tuple[list[str | None], int]]:
    """The header, then each row (empty cells as None), with its last physical line; quoting errors, an over-long
    cell or too many rows name the row (`count` records came before `lines`)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(limits.cell_chars + 1)
    reader = csv.reader(lines, strict=True)
    try:
        for record in reader:
            if count > limits.rows:
                _reject(name, 0, "-", limits.too_many_rows)
            yield [cell or None for cell in record], reader.line_num
            count += 1
    except csv.Error as error:
        row = count + 1
        if "field limit" in str(error):
            _reject(name, row, "-", f"a cell is longer than {limits.cell_chars:,} characters "
                    "(FAMILYGRAPH_MAX_CELL_CHARS)")
        _reject(name, row, "-", 'badly quoted cell: a " is not closed, or is followed by more text before the '
                "next comma; quote the whole cell and double any \" inside it")
    finally:
        csv.field_size_limit(previous)


def read_table_chunks(path: Path, limits: Limits = DEFAULT_LIMITS, rows: int | None = None) -> Iterator[RawTable]:
    """A file as tables of at most `rows` (CHUNK_ROWS) rows each, numbered as in the whole file, read when asked.

    A UTF-8 CSV is streamed, so only one chunk's cells are in memory: pyarrow parses its quote-free stretches
    (loaders/quote_free.py) and the csv module the rest, from the first stretch that needs it. Anything else
    (Excel, Windows-1252, a file read_table rejects before its rows) is read whole, as one chunk. Checks and
    messages are read_table's: a problem found in a later chunk raises LoadRejected once the earlier chunks
    were given.
    """
    size = _regular_file_size(path)
    if size > limits.file_bytes or path.suffix.lower() != ".csv" or not _plain_utf8(path):
        yield read_table(path, limits)
        return
    rows = rows or CHUNK_ROWS
    first, offset, header = 2, 0, None
    quick = quote_free_header(path)
    if quick is not None:
        header, offset = quick
        columns = _checked_header(path.name, header, limits)[1]
        plain = len(columns) == len(header)  # else blank header cells at the end: rows may run on past them
        for frame, after in quote_free_frames(path, offset, columns, rows, limits.cell_chars) if plain else ():
            if first - 2 + len(frame) > limits.rows:
                _reject(path.name, 0, "-", limits.too_many_rows)
            yield RawTable(path.name, _numbered(frame, first))
            first, offset = first + len(frame), after
    yield from _read_on(path, limits, rows, offset, first, header)


def _numbered(frame: pd.DataFrame, first: int) -> pd.DataFrame:
    """A frame indexed by spreadsheet row from `first`, without its blank rows (which keep their numbers)."""
    frame.index = pd.Index(range(first, first + len(frame)), dtype="int64")
    blank = frame.isna().all(axis=1)
    return frame[~blank] if blank.any() else frame


def _read_on(path: Path, limits: Limits, rows: int, offset: int, first: int,
             header: list[str] | None) -> Iterator[RawTable]:
    """The rest of a CSV from byte `offset` (row `first`) read by the csv module in tables of `rows` rows; the
    header is the first record read unless given."""
    with path.open("rb") as binary:
        binary.seek(offset)
        handle = io.TextIOWrapper(binary, encoding="utf-8-sig" if offset == 0 else "utf-8", newline="")
        records = _records(path.name, handle, limits, count=first - 1)
        if header is None:
            header = [cell or "" for cell in next(records)[0]]
        chunk: list[list[str | None]] = []
        for record, _line in records:
            chunk.append(record)
            if len(chunk) >= rows:
                yield _table(path.name, header, chunk, limits, None, (), first)
                first += len(chunk)
                chunk = []
        if chunk or first == 2:
            yield _table(path.name, header, chunk, limits, None, (), first)


def _plain_utf8(path: Path) -> bool:
    """Whether a file is non-blank UTF-8 without NUL characters (checked in blocks, without holding it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    blank = True
    with path.open("rb") as handle:
        start = handle.read(2)
        if start in _UTF16_BOMS or start[1:2] == b"\x00":
            return False
        handle.seek(0)
        for block in iter(lambda: handle.read(1 << 22), b""):
            if b"\x00" in block:
                return False
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return False
            blank = blank and not block.strip(b" \t\r\n" + _UTF8_BOM)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return not blank


def _mixed_encoding_notes(name: str, differ: list[int], last_line: list[int], header: list[str],
                          rows: list[list[str | None]]) -> tuple[Problem, ...]:
    """A value problem per row that is valid UTF-8 in a file decoded as Windows-1252 (it mixes encodings)."""
    notes = []
    record = 0
    for line in differ:
        while record < len(last_line) - 1 and last_line[record] < line:
            record += 1
        if record == 0:
            continue
        cells = rows[record - 1]
        column = next((header[i] for i, c in enumerate(cells) if c and not c.isascii() and i < len(header)), "-")
        value = next((c for c in cells if c and not c.isascii()), "")
        fixed = value.encode("cp1252", "replace").decode("utf-8", "replace")
        notes.append(Problem(name, record + 1, column, f"this row is UTF-8 but the file is not, so it was read as "
                             f"Windows-1252: {value!r} may be meant as {fixed!r}; save the file as 'CSV UTF-8'",
                             kind="mixed encoding"))
    return tuple(notes)


def _clean_header(cell: object) -> str:
    """A header cell as text: NFKC, invisible characters removed, trimmed."""
    return strip_invisible(unicodedata.normalize("NFKC", str(cell) if cell is not None else "")).strip()


def _checked_header(name: str, raw_header: list[str], limits: Limits) -> tuple[list[str], list[str]]:
    """The header cleaned (trailing blanks dropped) and the frame's column names ('#3' for a blank); a header that
    is empty, too wide or names a column twice is a problem."""
    header = [_clean_header(c) for c in raw_header]
    while header and not header[-1]:
        header.pop()
    if not header:
        _reject(name, 1, "-", "file is empty: the first row must name the columns")
    if len(header) > limits.columns:
        _reject(name, 1, "-", f"{len(header):,} columns, over the limit of {limits.columns:,} "
                "(FAMILYGRAPH_MAX_COLUMNS)")
    seen: dict[str, int] = {}
    for position, column in enumerate(header, 1):
        if column and column.casefold() in seen:
            _reject(name, 1, column, f"column name given twice (columns {seen[column.casefold()]} and {position}); "
                    "rename or remove one")
        seen.setdefault(column.casefold(), position)
    return header, [c or f"#{i}" for i, c in enumerate(header, 1)]


def _table(name: str, raw_header: list[str], rows: list[list[str | None]], limits: Limits, note: str | None,
           notes: tuple[Problem, ...], first: int = 2) -> RawTable:
    """Check the header and row widths and cell lengths; build the frame indexed by spreadsheet row (the first
    of `rows` being row `first`)."""
    header, columns = _checked_header(name, raw_header, limits)
    width = len(header)
    if _all_fit(rows, width, limits.cell_chars):  # the usual case, checked in C: keep the rows that hold anything
        keep = list(map(any, rows))
        return RawTable(name, pd.DataFrame(list(compress(rows, keep)), columns=columns, dtype=object,
                                           index=pd.Index(list(compress(range(first, len(rows) + first), keep)),
                                                          dtype="int64")), note, notes)
    problems: list[Problem] = []
    body: list[list[str | None]] = []
    index: list[int] = []
    for number, row in enumerate(rows, first):
        if not any(c is not None for c in row):
            continue  # a blank row keeps its number but is not read
        extra = [c for c in row[width:] if c is not None and c.strip()]
        if extra:
            problems.append(Problem(name, number, f"#{width + 1}", f"row has {len(row)} cells but the header names "
                                    f"{width}; quote any value that contains a comma"))
        long = next((i for i, c in enumerate(row[:width]) if c is not None and len(c) > limits.cell_chars), None)
        if long is not None:
            problems.append(Problem(name, number, header[long] or f"#{long + 1}", f"cell is longer than "
                                    f"{limits.cell_chars:,} characters (FAMILYGRAPH_MAX_CELL_CHARS)"))
        if len(problems) >= 50:
            break
        cells = row[:width] + [None] * (width - len(row))
        if any(c is not None for c in cells):
            body.append(cells)
            index.append(number)
    if problems:
        raise LoadRejected(problems)
    frame = pd.DataFrame(body, columns=columns, dtype=object, index=pd.Index(index, dtype="int64"))
    return RawTable(name, frame, note, notes)


def _all_fit(rows: list[list[str | None]], width: int, cell_chars: int) -> bool:
    """Whether every row has exactly `width` cells and none is longer than the limit."""
    if set(map(len, rows)) - {width}:
        return False
    return max(map(len, filter(None, chain.from_iterable(rows))), default=0) <= cell_chars


def _locate(data: bytes, offset: int) -> tuple[int, str]:
    """Row (1-based, header = 1) and column number of a byte offset in a CSV."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    row = data.count(b"\n", 0, offset) + 1
    column = data.count(b",", line_start, offset) + 1
    header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
    return row, header[column - 1] if column <= len(header) else f"#{column}"
