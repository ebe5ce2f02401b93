"""Reading and validating a whole import folder: per-file checks, then references across files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.problems import LoadRejected, Problem
from loaders.reading import RawTable, read_table
from loaders.spec import FILES, FileSpec
from loaders.validate import validate_file

__all__ = ["ValidatedFolder", "find_files", "validate_folder", "validate_tables"]

_SINGULAR = {"people": "person", "families": "family", "agencies": "agency", "sources": "source",
             "professionals": "professional"}

KnownIds = Callable[[str, set[str]], set[str]]
"""Given a file stem and ids, return those already in the store (so a load can refer to earlier loads)."""


@dataclass(slots=True)
class ValidatedFolder:
    """Normalised frames per file stem, notes (e.g. encodings) and the problems found."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def rows(self) -> int:
        """Number of data rows across all files."""
        return sum(len(f) for f in self.frames.values())


def find_files(folder: Path) -> tuple[dict[str, Path], list[Problem], list[str]]:
    """Map file stems to paths (.csv or .xlsx); report a stem given twice; note ignored files."""
    if not folder.is_dir():
        raise LoadRejected([Problem(str(folder), 0, "-", "no such folder")])
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    notes: list[str] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith((".", "~$")):
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


def validate_folder(folder: Path, known_ids: KnownIds | None = None, today: str | None = None) -> ValidatedFolder:
    """Read and validate every import file in a folder; collect every problem."""
    paths, problems, notes = find_files(folder)
    tables: dict[str, RawTable] = {}
    unreadable: set[str] = set()
    for stem, path in paths.items():
        try:
            tables[stem] = read_table(path)
        except LoadRejected as rejected:
            problems += rejected.problems
            unreadable.add(stem)
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
    for stem, raw in tables.items():
        frame, problems = validate_file(FILES[stem], raw, today)
        result.frames[stem] = frame
        result.problems += problems
        if raw.note:
            result.notes.append(f"{raw.name}: {raw.note}")
    names = {stem: raw.name for stem, raw in tables.items()}
    result.problems += _check_references(result.frames, names, known_ids, unreadable or set())
    result.problems += _check_rules(result.frames, names)
    _fill_defaults(result.frames)
    return result


def _check_references(frames: dict[str, pd.DataFrame], names: dict[str, str],
                      known_ids: KnownIds | None, unreadable: set[str]) -> list[Problem]:
    """Every reference must name an id in the referenced file or already in the store."""
    problems: list[Problem] = []
    for stem, frame in frames.items():
        spec: FileSpec = FILES[stem]
        for column in spec.columns:
            if not column.references or column.references in unreadable:
                continue
            target = FILES[column.references]
            target_id = target.id_column or ""
            local = set(frames[column.references][target_id].dropna()) if column.references in frames else set()
            values = frame[column.name].dropna()
            unknown_values = set(values) - local
            if unknown_values and known_ids is not None:
                unknown_values -= known_ids(column.references, unknown_values)
            if not unknown_values:
                continue
            bad = values[values.isin(unknown_values)]
            problems += [Problem(names[stem], int(row), column.name,
                                 f"unknown {_SINGULAR[column.references]} id {value!r} "
                                 f"(not in {column.references} nor already loaded)")
                         for row, value in bad.items()]
    return problems


def _check_rules(frames: dict[str, pd.DataFrame], names: dict[str, str]) -> list[Problem]:
    """Rules across columns: an involvement is with a person or a family; no self-relationships."""
    problems: list[Problem] = []
    if "involvements" in frames:
        inv = frames["involvements"]
        neither = inv["person_id"].isna() & inv["family_id"].isna()
        both = inv["person_id"].notna() & inv["family_id"].notna()
        problems += [Problem(names["involvements"], int(r), "person_id",
                             "give person_id (work with one person) or family_id (whole-family work)")
                     for r in inv.index[neither]]
        problems += [Problem(names["involvements"], int(r), "family_id",
                             "give person_id or family_id, not both") for r in inv.index[both]]
    if "relationships" in frames:
        rel = frames["relationships"]
        same = rel["person_id"].notna() & (rel["person_id"] == rel["related_person_id"])
        problems += [Problem(names["relationships"], int(r), "related_person_id",
                             "a person cannot be related to themselves") for r in rel.index[same]]
    return problems


def _fill_defaults(frames: dict[str, pd.DataFrame]) -> None:
    """Fill optional columns that have a documented default (tier from sector, need status)."""
    from graphmodel.taxonomy import SECTORS

    if "agencies" in frames:
        agencies = frames["agencies"]
        default_tier = agencies["sector"].map(lambda s: SECTORS[s].default_tier.value if s in SECTORS else None)
        agencies["tier"] = agencies["tier"].where(agencies["tier"].notna(), default_tier)
    if "needs" in frames:
        needs = frames["needs"]
        derived = needs["until"].map(lambda u: "open" if u is None else "closed")
        needs["status"] = needs["status"].where(needs["status"].notna(), derived)
