"""Loading an import folder into a store: validate everything first, then write all or nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graphmodel.contract import GraphStore, ProgressFn
from graphmodel.records import GraphBatch
from graphmodel.schema import Label
from loaders.folder import KnownIds, ValidatedFolder, decoding_notes, iter_validated, read_folder, validate_folder
from loaders.prefetch import prefetch
from loaders.problems import LoadRejected, Problem, quality_counts
from loaders.to_graph import frames_to_batch

__all__ = ["LoadReport", "check_folder", "load_folder", "load_validated"]

_LABEL_OF_FILE = {"people": Label.PERSON, "families": Label.FAMILY, "agencies": Label.AGENCY,
                  "sources": Label.SOURCE, "professionals": Label.PROFESSIONAL}


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

    def quality_counts(self) -> dict[str, int]:
        """Data-quality notes counted by kind."""
        return quality_counts(self.quality)


def _known_in(store: GraphStore) -> KnownIds:
    """The ids of a referenced file that the store already holds."""
    def known(stem: str, ids: set[str]) -> set[str]:
        return store.existing_ids(_LABEL_OF_FILE[stem], ids)

    return known


def check_folder(store: GraphStore | None, folder: Path) -> ValidatedFolder:
    """Validate a folder (references may point at what the store already holds); write nothing."""
    return validate_folder(folder, _known_in(store) if store is not None else None)


def load_validated(store: GraphStore, validated: ValidatedFolder, progress: ProgressFn | None = None,
                   started: float | None = None) -> LoadReport:
    """Write an already validated folder in one transaction; raise LoadRejected if it had problems."""
    started = started if started is not None else time.perf_counter()
    if validated.problems:
        raise LoadRejected(validated.problems)
    batch = frames_to_batch(validated.frames)
    store.write(batch, progress)
    return LoadReport({stem: len(f) for stem, f in validated.frames.items()}, validated.rows(), batch.size(),
                      tuple(validated.notes), time.perf_counter() - started, tuple(sorted(validated.quality)))


def load_folder(store: GraphStore, folder: Path, progress: ProgressFn | None = None) -> LoadReport:
    """Validate a folder against the spec and the store and write it, all or nothing.

    Files are validated one by one in dependency order and each is written into the open transaction
    while the next is validated (in a worker thread where the store allows reads during a write). Every
    problem in the folder is still collected; if there is any, the transaction is rolled back and
    LoadRejected lists them all.
    """
    started = time.perf_counter()
    tables, unreadable, problems, notes = read_folder(folder)
    rows = sum(len(raw.frame) for raw in tables.values())
    written: dict[str, int] = {}
    counter = {"writes": 0}
    quality: list[Problem] = []

    def batches() -> Iterator[GraphBatch]:
        for stem, frame in iter_validated(tables, problems, _known_in(store), None, unreadable, quality):
            written[stem] = len(frame)
            if not problems:  # keep validating to report everything, but stop writing
                batch = frames_to_batch({stem: frame})
                counter["writes"] += batch.size()
                yield batch
        if problems:
            raise LoadRejected(problems)

    stream = prefetch(batches()) if store.reads_while_writing else batches()
    store.write_stream(stream, progress, expected=rows)
    notes += decoding_notes(tables)
    return LoadReport(written, rows, counter["writes"], tuple(notes), time.perf_counter() - started,
                      tuple(sorted(quality)))
