"""Loading an import folder into a store: validate everything first, then write all or nothing."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from graphmodel.contract import GraphStore, ProgressFn
from graphmodel.records import GraphBatch
from loaders.folder import (
    KnownIds,
    LazyTables,
    ValidatedFolder,
    decoding_notes,
    iter_validated,
    lazy_folder,
    validate_folder,
    validate_tables,
)
from loaders.prefetch import prefetch
from loaders.problems import LoadRejected, Problem, quality_counts
from loaders.reading import RawTable
from loaders.spec import FILES
from loaders.ssd import read_ssd
from loaders.to_graph import frames_to_batch

__all__ = ["LoadReport", "check_folder", "check_ssd_folder", "load_folder", "load_ssd_folder", "load_tables",
           "load_validated"]

CONVERT_ROWS = 100_000
"""A file's rows are turned into graph rows this many at a time, so a big file never exists twice over."""

_LABEL_OF_FILE = {stem: spec.node.label for stem, spec in FILES.items() if spec.node is not None}


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load read and wrote."""

    files: dict[str, int]
    rows: int
    writes: int
    notes: tuple[str, ...]
    seconds: float
    quality: tuple[Problem, ...] = ()
    """Value problems: records loaded without the bad value (data-quality notes, per source)."""
    sources: tuple[str, ...] = ()
    """Ids of the sources (extracts) the load carried in sources.csv."""

    def quality_counts(self) -> dict[str, int]:
        """Data-quality notes counted by kind."""
        return quality_counts(self.quality)


def _known_in(store: GraphStore) -> KnownIds:
    """The ids of a referenced file that the store already holds."""
    def known(stem: str, ids: set[str]) -> set[str]:
        return store.existing_ids(_LABEL_OF_FILE[stem], ids)

    return known


def check_folder(store: GraphStore | None, folder: Path) -> ValidatedFolder:
    """Validate a folder (references may point at what the store already holds); write nothing.

    Problems that stop the reading itself (no such folder, a bad limit setting) come back as problems too.
    """
    try:
        return validate_folder(folder, _known_in(store) if store is not None else None)
    except LoadRejected as rejected:
        return ValidatedFolder(problems=rejected.problems, quality=rejected.quality)


def check_ssd_folder(store: GraphStore | None, folder: Path, *, source_id: str, agency_id: str,
                     extracted_at: str | None = None) -> ValidatedFolder:
    """Map an SSD extract and validate it like an import folder (references may point into the store)."""
    try:
        ssd = read_ssd(folder, source_id=source_id, agency_id=agency_id, extracted_at=extracted_at)
    except LoadRejected as rejected:
        return ValidatedFolder(problems=rejected.problems, quality=rejected.quality)
    result = validate_tables(ssd.tables, _known_in(store) if store is not None else None)
    result.quality = ssd.quality + [p for p in result.quality if not (ssd.nameless and p.kind == "missing name")]
    if ssd.nameless:
        result.notes.insert(0, f"{folder.name}: the extract has no name columns (as in the SSD object model); "
                            "people are loaded without names")
    return result


def load_validated(store: GraphStore, validated: ValidatedFolder, progress: ProgressFn | None = None,
                   started: float | None = None) -> LoadReport:
    """Write an already validated folder in one transaction; raise LoadRejected if it had problems."""
    started = started if started is not None else time.perf_counter()
    if validated.problems:
        raise LoadRejected(validated.problems, validated.quality)
    batch = frames_to_batch(validated.frames)
    store.write(batch, progress)
    return LoadReport({stem: len(f) for stem, f in validated.frames.items()}, validated.rows(), batch.size(),
                      tuple(validated.notes), time.perf_counter() - started, tuple(sorted(validated.quality)),
                      _source_ids(validated.frames.get("sources")))


def load_folder(store: GraphStore, folder: Path, progress: ProgressFn | None = None) -> LoadReport:
    """Validate a folder against the spec and the store and write it, all or nothing.

    Files are validated one by one in dependency order and each is written into the open transaction
    while the next is validated (in a worker thread where the store allows reads during a write). Every
    problem in the folder is still collected; if there is any, the transaction is rolled back and
    LoadRejected lists them all. Value problems do not reject: their records load without the bad value
    and the report keeps them as data-quality notes.
    """
    started = time.perf_counter()
    tables, unreadable, problems, notes, expected = lazy_folder(folder)
    return load_tables(store, tables, progress, unreadable=unreadable, problems=problems, notes=notes,
                       started=started, expected=expected)


def load_ssd_folder(store: GraphStore, folder: Path, progress: ProgressFn | None = None, *, source_id: str,
                    agency_id: str, extracted_at: str | None = None) -> LoadReport:
    """Map a Standard Safeguarding Dataset extract to the import files and load it like a folder (same report).

    The agency given must be loaded already; professionals whose department names an organisation of its
    own are filed under it (see loaders/ssd_mapper.py).
    """
    started = time.perf_counter()
    ssd = read_ssd(folder, source_id=source_id, agency_id=agency_id, extracted_at=extracted_at)
    return load_tables(store, ssd.tables, progress, quality=ssd.quality, started=started,
                       notes=[f"{folder.name}: the extract has no name columns (as in the SSD object model); "
                              "people are loaded without names"] if ssd.nameless else [],
                       drop_kinds=("missing name",) if ssd.nameless else ())


def load_tables(store: GraphStore, tables: dict[str, RawTable], progress: ProgressFn | None = None, *,
                unreadable: set[str] | None = None, problems: list[Problem] | None = None,
                notes: list[str] | None = None, quality: list[Problem] | None = None,
                started: float | None = None, drop_kinds: tuple[str, ...] = (), expected: int | None = None
                ) -> LoadReport:
    """Validate raw tables (keyed by file stem) and write them in one transaction, streaming file by file.

    The tables may be LazyTables (read as they are validated); `expected` is then the rows for progress.
    """
    started = started if started is not None else time.perf_counter()
    problems = problems if problems is not None else []
    notes = list(notes or [])
    quality = list(quality or [])
    rows = expected if expected is not None else sum(len(raw.frame) for raw in tables.values())
    written: dict[str, int] = {}
    counter = {"writes": 0}
    sources: list[str] = []

    def batches() -> Iterator[GraphBatch]:
        for stem, frame in iter_validated(tables, problems, _known_in(store), None, unreadable, quality,
                                          release=True):
            written[stem] = written.get(stem, 0) + len(frame)
            if stem == "sources":
                sources.extend(_source_ids(frame))
            for start in range(0, len(frame), CONVERT_ROWS):
                if problems:  # keep validating to report everything, but stop writing
                    break
                batch = frames_to_batch({stem: frame.iloc[start:start + CONVERT_ROWS]})
                counter["writes"] += batch.size()
                yield batch
        if problems:
            raise LoadRejected(problems, quality)

    stream = prefetch(batches()) if store.reads_while_writing else batches()
    with fewer_collections():
        store.write_stream(stream, progress, expected=rows)
    notes += decoding_notes(tables)
    kept = [p for p in quality if p.kind not in drop_kinds]
    rows = tables.rows_read if isinstance(tables, LazyTables) else rows
    return LoadReport(written, rows, counter["writes"], tuple(notes), time.perf_counter() - started,
                      tuple(sorted(kept)), tuple(sources))


@contextmanager
def fewer_collections(first_generation: int = 50_000) -> Iterator[None]:
    """Run Python's cycle collector less often while a load makes millions of rows (cells, dicts, tuples): with
    the default thresholds it walks every live row again and again (a fifth of a 100,000-family load's client
    time). It still runs, so memory stays bounded; the thresholds are put back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(first_generation, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _source_ids(frame: pd.DataFrame | None) -> tuple[str, ...]:
    """The ids of a validated sources frame."""
    return () if frame is None else tuple(str(s) for s in frame["source_id"].dropna())
