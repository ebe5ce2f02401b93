"""Reading and validating a whole import folder: per-file checks, then references across files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from graphmodel.identifiers import id_key
from loaders.limits import Limits
from loaders.problems import LoadRejected, Problem
from loaders.reading import RawTable, read_table, read_table_chunks
from loaders.spec import FILE_ORDER, FILES
from loaders.validate import Seen, validate_file

__all__ = ["DEFAULTS", "KnownIds", "ValidatedFolder", "decoding_notes", "find_files", "iter_validated", "read_folder",
           "validate_folder", "validate_tables"]


KnownIds = Callable[[str, set[str]], set[str]]
"""Given a file stem and ids, return those already in the store (so a load can refer to earlier loads)."""


@dataclass(slots=True)
class ValidatedFolder:
    """Normalised frames per file stem, notes (e.g. encodings), the problems found and the data-quality notes.

    `problems` are structural (any rejects the load); `quality` are value problems: their records load
    without the bad value and the notes are kept per source.
    """

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    quality: list[Problem] = field(default_factory=list)

    def rows(self) -> int:
        """Number of data rows across all files."""
        return sum(len(f) for f in self.frames.values())


def find_files(folder: Path) -> tuple[dict[str, Path], list[Problem], list[str]]:
    """Map file stems to paths (.csv or .xlsx); report a stem given twice; note ignored files."""
    if not folder.is_dir():
        raise LoadRejected([Problem(str(folder), 0, "-", "no such folder" if not folder.exists() else
                                    "is not a folder; give the folder that holds the import files")])
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    notes: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")):
            continue
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if suffix not in (".csv", ".xlsx") or stem not in FILES:
            notes.append(f"ignored {path.name}: not one of the import files")
            continue
        if stem in found:
            problems.append(Problem(path.name, 0, "-", f"{stem} is given twice ({found[stem].name} too)"))
            continue
        found[stem] = path
    return found, problems, notes


def read_folder(folder: Path, limits: Limits | None = None,
                ) -> tuple[dict[str, RawTable], set[str], list[Problem], list[str]]:
    """Read every import file of a folder: tables by stem, unreadable stems, problems and notes.

    A file that is not a regular file (a folder or a pipe named like one), too large, or unreadable is a
    problem naming the file; limits default to Limits.from_env().
    """
    paths, problems, notes = find_files(folder)
    unreadable: set[str] = set()
    lazy = LazyTables(paths, limits or _env_limits(), problems, unreadable)
    tables = {stem: lazy[stem] for stem in paths}
    return {stem: raw for stem, raw in tables.items() if stem not in unreadable}, unreadable, problems, notes


def _env_limits() -> Limits:
    """The input limits from the environment; a bad setting is a problem, not a traceback."""
    try:
        return Limits.from_env()
    except ValueError as error:
        raise LoadRejected([Problem("environment", 0, "-", str(error))]) from None


class LazyTables(dict[str, RawTable]):
    """A folder's import files, each read when a load first asks for it (so one file's cells are in memory
    at a time); a file that cannot be read adds its problem, joins `unreadable` and reads as empty."""

    def __init__(self, paths: dict[str, Path], limits: Limits, problems: list[Problem], unreadable: set[str]):
        super().__init__({stem: RawTable(path.name, pd.DataFrame()) for stem, path in paths.items()})
        self._paths, self._limits, self._problems, self._unreadable = paths, limits, problems, unreadable
        self._read: set[str] = set()
        self.rows_read = 0

    def chunks(self, stem: str) -> Iterator[RawTable]:
        """A file in chunks of rows, read as they are asked for (see read_table_chunks); a file already read, or
        one that cannot be, is one chunk. A problem found part-way adds its problem and makes it unreadable;
        afterwards tables[stem] keeps its name, notes and columns with no rows."""
        if stem in self._read or stem in self._unreadable:
            yield self[stem]
            return
        self._read.add(stem)
        last = None
        try:
            for last in read_table_chunks(self._paths[stem], self._limits):
                self.rows_read += len(last.frame)
                yield last
        except LoadRejected as rejected:
            self._problems += rejected.problems
            self._unreadable.add(stem)
            return
        if last is not None:
            super().__setitem__(stem, replace(last, frame=last.frame.iloc[0:0]))

    def __getitem__(self, stem: str) -> RawTable:
        if stem in self._read or stem in self._unreadable:
            return super().__getitem__(stem)
        self._read.add(stem)
        try:
            raw = read_table(self._paths[stem], self._limits)
        except LoadRejected as rejected:
            self._problems += rejected.problems
            self._unreadable.add(stem)
            return super().__getitem__(stem)
        self.rows_read += len(raw.frame)
        super().__setitem__(stem, raw)
        return raw


def lazy_folder(folder: Path) -> tuple[LazyTables, set[str], list[Problem], list[str], int]:
    """A folder's files to be read one at a time: tables, unreadable stems, problems, notes, and about how
    many data rows they hold (counted from line ends, for progress)."""
    paths, problems, notes = find_files(folder)
    limits = _env_limits()
    unreadable: set[str] = set()
    expected = 0
    for path in paths.values():
        if path.suffix.lower() == ".csv" and path.is_file():
            with path.open("rb") as handle:
                expected += max(sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b"")) - 1, 0)
    return LazyTables(paths, limits, problems, unreadable), unreadable, problems, notes, expected


def validate_folder(folder: Path, known_ids: KnownIds | None = None, today: str | None = None) -> ValidatedFolder:
    """Read and validate every import file in a folder; collect every problem."""
    tables, unreadable, problems, notes = read_folder(folder)
    result = validate_tables(tables, known_ids, today, unreadable)
    result.problems = problems + result.problems
    result.notes = notes + result.notes
    return result


def validate_tables(tables: dict[str, RawTable], known_ids: KnownIds | None = None,
                    today: str | None = None, unreadable: set[str] | None = None) -> ValidatedFolder:
    """Validate raw tables keyed by file stem, then the references between them.

    References into an unreadable file are not checked (that file's own problem is reported instead).
    """
    result = ValidatedFolder()
    for stem, frame in iter_validated(tables, result.problems, known_ids, today, unreadable, result.quality):
        result.frames[stem] = frame
    result.notes += decoding_notes(tables)
    return result


def decoding_notes(tables: dict[str, RawTable]) -> list[str]:
    """One note per file that was read in a fallback encoding, and one per file with columns the import
    format does not have (they are not loaded)."""
    notes = [f"{raw.name}: {raw.note}" for raw in dict.values(tables) if raw.note]
    for stem, raw in dict.items(tables):
        known = {column.name for column in FILES[stem].columns} if stem in FILES else set()
        extra = [str(name) for name in raw.frame.columns if name not in known]
        if extra:
            notes.append(f"{raw.name}: {'column' if len(extra) == 1 else 'columns'} {', '.join(map(repr, extra))} "
                         "not in the import format, so not loaded (docs/data-format.md lists the columns)")
    return notes


def iter_validated(tables: dict[str, RawTable], problems: list[Problem], known_ids: KnownIds | None = None,
                   today: str | None = None, unreadable: set[str] | None = None,
                   quality: list[Problem] | None = None, release: bool = False) -> Iterator[tuple[str, pd.DataFrame]]:
    """Validate files one by one in FILE_ORDER, appending structural problems to `problems` and value
    problems to `quality` (with their source), yielding each normalised frame.

    Every reference points at a file earlier in FILE_ORDER (or at the store), so a file is fully checked
    when it is yielded and a load can start writing it while the next file is validated. With release,
    a file's cells are let go once it is validated and only its ids are kept for the files after it, so a
    load holds one file's frames at a time (tables[stem] keeps its name and notes, with an empty frame).
    """
    frames: dict[str, pd.DataFrame] = {}
    id_sets: dict[str, set[str]] = {}
    quality = quality if quality is not None else []
    for stem in (s for s in FILE_ORDER if s in tables):
        if unreadable and stem in unreadable:  # read lazily, and it could not be read: its problem is given
            continue
        kept: list[pd.DataFrame] = []
        seen: Seen | None = {} if release and isinstance(tables, LazyTables) else None
        chunks = tables.chunks(stem) if seen is not None and isinstance(tables, LazyTables) else iter([tables[stem]])
        for number, raw in enumerate(chunks):
            frame, found = validate_file(FILES[stem], raw, today, seen, header=number == 0)
            frames[stem] = frame
            found += _check_references(stem, frames, raw.name, known_ids, unreadable or set(), id_sets)
            found += _check_rules(stem, frame, raw.name)
            _fill_defaults(stem, frame)
            problems += [p for p in found if p.structural]
            quality += _with_sources([*(raw.notes if number == 0 else ()), *(p for p in found if not p.structural)],
                                     frame)
            if release and seen is None:
                tables[stem] = replace(raw, frame=raw.frame.iloc[0:0])
            yield stem, frame
            id_column = FILES[stem].id_column
            kept.append((frame[[id_column]] if id_column else frame.iloc[0:0]) if release else frame)
        if kept:
            frames[stem] = kept[0] if len(kept) == 1 else pd.concat(kept)


def _with_sources(notes: list[Problem], frame: pd.DataFrame) -> list[Problem]:
    """Value problems with the source_id of their row (where the file has one)."""
    if "source_id" not in frame.columns:
        return notes
    sources = frame["source_id"]
    return [replace(p, source_id=_text_or_none(sources.get(p.row))) if p.row in sources.index else p for p in notes]


def _text_or_none(value: object) -> str | None:
    """A row's source id, or None where the row names none (an empty cell reads as a missing value)."""
    return value if isinstance(value, str) and value else None


def _check_references(stem: str, frames: dict[str, pd.DataFrame], name: str, known_ids: KnownIds | None,
                      unreadable: set[str], id_sets: dict[str, set[str]] | None = None) -> list[Problem]:
    """Every reference must name an id in the referenced file or already in the store.

    Ids are compared ignoring case and invisible characters: a reference spelt differently from the
    referenced row's id is taken as that id and noted as a look-alike (a value problem), never split.
    id_sets keeps each referenced file's ids as a set, for the chunks of a file after the first.
    """
    id_sets = {} if id_sets is None else id_sets
    problems: list[Problem] = []
    frame = frames[stem]
    for column in FILES[stem].columns:
        if not column.references or column.references in unreadable:
            continue
        target_id = FILES[column.references].id_column or ""
        local = frames[column.references][target_id] if column.references in frames else pd.Series(dtype=object)
        values = frame[column.name].dropna()
        if column.references not in id_sets:
            id_sets[column.references] = set(local.dropna())
        unknown_values = set(values) - id_sets[column.references]
        if unknown_values and known_ids is not None:
            unknown_values -= known_ids(column.references, unknown_values)
        by_key = {id_key(v): v for v in local.dropna()[::-1]} if unknown_values else {}  # first spelling wins
        look_alike = {v: by_key[id_key(v)] for v in unknown_values if id_key(v) in by_key}
        what = FILES[column.references].singular
        for row, value in values[values.isin(set(look_alike))].items():
            problems.append(Problem(name, int(row), column.name, f"{value!r} taken as {what} id "
                                    f"{look_alike[value]!r} (they differ only in case or invisible characters)",
                                    kind="look-alike id"))
        if look_alike:
            frame[column.name] = frame[column.name].replace(look_alike)
        unknown_values -= set(look_alike)
        if not unknown_values:
            continue
        bad = values[values.isin(unknown_values)]
        problems += [Problem(name, int(row), column.name, f"unknown {FILES[column.references].singular} id {value!r} "
                             f"(not in {column.references} nor already loaded)") for row, value in bad.items()]
    return problems


def _check_rules(stem: str, frame: pd.DataFrame, name: str) -> list[Problem]:
    """Rules across columns, as the spec declares them: exactly one of some columns; no self-references."""
    spec = FILES[stem]
    problems: list[Problem] = []
    if spec.one_of:
        given = frame[list(spec.one_of)].notna().sum(axis=1)
        first, *rest = spec.one_of
        choices = " or ".join(spec.one_of)
        problems += [Problem(name, int(r), first, f"give {choices}") for r in frame.index[given == 0]]
        problems += [Problem(name, int(r), rest[-1] if rest else first, f"give {choices}, not both")
                     for r in frame.index[given > 1]]
    if spec.distinct:
        first, second = spec.distinct
        same = frame[first].notna() & (frame[first] == frame[second])
        problems += [Problem(name, int(r), second, f"{second} is the same as {first}: a {spec.singular} needs "
                             "two different ones") for r in frame.index[same]]
    return problems


def _sector_tier(frame: pd.DataFrame) -> pd.Series:
    from graphmodel.taxonomy import SECTORS

    return frame["sector"].map(lambda s: SECTORS[s].default_tier.value if s in SECTORS else None)


def _status_from_until(frame: pd.DataFrame) -> pd.Series:
    return frame["until"].map(lambda u: "open" if u is None or u != u else "closed")


DEFAULTS: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "sector_tier": _sector_tier,
    "status_from_until": _status_from_until,
}
"""How an empty cell is filled after validation, by the name a ColumnSpec gives (documented in its doc)."""


def _fill_defaults(stem: str, frame: pd.DataFrame) -> None:
    """Fill optional columns that have a documented default (tier from sector, need status from until)."""
    for column in FILES[stem].columns:
        if column.default:
            frame[column.name] = frame[column.name].where(frame[column.name].notna(), DEFAULTS[column.default](frame))
