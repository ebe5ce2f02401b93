"""Uploaded import files: validate them against the spec and the store before anything is written, then load."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import pandas as pd

from graphmodel.contract import GraphStore
from loaders.folder import ValidatedFolder
from loaders.load import LoadReport, check_folder, load_validated

__all__ = ["ProgressBar", "Upload", "load", "problems_frame", "validate_uploads"]


class ProgressBar(Protocol):
    """What st.progress hands back."""

    def progress(self, value: float, text: str | None = None) -> object:
        """Move the bar."""
        ...


class Upload(Protocol):
    """What st.file_uploader hands back for one file."""

    name: str

    def getvalue(self) -> bytes:
        """The file's bytes."""
        ...


def validate_uploads(store: GraphStore, uploads: Iterable[Upload]) -> ValidatedFolder:
    """Write the uploads to a private temporary folder and validate them there (ids may refer to the store)."""
    with tempfile.TemporaryDirectory(prefix="familygraph-upload-") as folder:
        for upload in uploads:
            name = Path(upload.name).name  # never a path from the browser
            if name and not name.startswith("."):
                (Path(folder) / name).write_bytes(upload.getvalue())
        return check_folder(store, Path(folder))


def problems_frame(validated: ValidatedFolder) -> pd.DataFrame:
    """The validation report: file, row, column and reason for every problem."""
    rows = [(p.file, p.row, p.column, p.reason) for p in sorted(validated.problems)]
    return pd.DataFrame(rows, columns=["File", "Row", "Column", "Reason"])


def load(store: GraphStore, validated: ValidatedFolder, progress_bar: ProgressBar) -> LoadReport:
    """Write a validated upload all or nothing, moving the progress bar (raises LoadRejected on problems)."""
    def update(done: int, total: int) -> None:
        progress_bar.progress(done / total if total else 1.0, text=f"{done:,} of {total:,} rows written")

    return load_validated(store, validated, update)
