"""Loading an import folder into a store: validate everything first, then write all or nothing."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from graphmodel.contract import GraphStore, ProgressFn
from graphmodel.schema import Label
from loaders.folder import ValidatedFolder, validate_folder
from loaders.problems import LoadRejected
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


def check_folder(store: GraphStore | None, folder: Path) -> ValidatedFolder:
    """Validate a folder (references may point at what the store already holds); write nothing."""
    def known(stem: str, ids: set[str]) -> set[str]:
        return store.existing_ids(_LABEL_OF_FILE[stem], ids) if store is not None else set()

    return validate_folder(folder, known)


def load_validated(store: GraphStore, validated: ValidatedFolder, progress: ProgressFn | None = None,
                   started: float | None = None) -> LoadReport:
    """Write an already validated folder in one transaction; raise LoadRejected if it had problems."""
    started = started if started is not None else time.perf_counter()
    if validated.problems:
        raise LoadRejected(validated.problems)
    batch = frames_to_batch(validated.frames)
    store.write(batch, progress)
    return LoadReport({stem: len(f) for stem, f in validated.frames.items()}, validated.rows(), batch.size(),
                      tuple(validated.notes), time.perf_counter() - started)


def load_folder(store: GraphStore, folder: Path, progress: ProgressFn | None = None) -> LoadReport:
    """Validate a folder against the spec and the store, then write it all or nothing."""
    started = time.perf_counter()
    return load_validated(store, check_folder(store, folder), progress, started)
