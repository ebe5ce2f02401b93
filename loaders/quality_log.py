"""Data-quality notes kept per source between loads: one CSV per source under FAMILYGRAPH_HOME/quality.

A load replaces the notes of the sources it carried; the Data page lists them per source. File names are
a digest of the source id, never the id itself (no path is built from data).
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from graphmodel.config import DEFAULT_HOME
from loaders.problems import Problem, write_problems_csv

__all__ = ["quality_folder", "read_quality", "save_quality"]

_NO_SOURCE = ""


def quality_folder(env: dict[str, str] | None = None) -> Path:
    """Where the notes are kept: $FAMILYGRAPH_HOME/quality (default ~/.familygraph/quality)."""
    env = dict(os.environ) if env is None else env
    return Path(env.get("FAMILYGRAPH_HOME", str(DEFAULT_HOME))) / "quality"


def _file(folder: Path, source_id: str) -> Path:
    return folder / f"{hashlib.sha256(source_id.encode()).hexdigest()[:24]}.csv"


def save_quality(notes: Iterable[Problem], sources: Iterable[str], folder: Path | None = None) -> None:
    """Replace the notes of each of `sources` (the sources a load carried) with the load's notes."""
    folder = folder or quality_folder()
    by_source: dict[str, list[Problem]] = defaultdict(list)
    for note in notes:
        by_source[note.source_id or _NO_SOURCE].append(note)
    folder.mkdir(parents=True, exist_ok=True)
    for source in {*sources, *by_source}:
        path = _file(folder, source)
        if by_source.get(source):
            write_problems_csv(path, by_source[source])
        elif path.exists():
            path.unlink()


def read_quality(folder: Path | None = None) -> list[Problem]:
    """Every kept note, of every source."""
    folder = folder or quality_folder()
    notes: list[Problem] = []
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                notes.append(Problem(row["file"], int(row["row"]), row["column"], row["reason"], row["kind"],
                                     row["source_id"] or None))
    return notes
