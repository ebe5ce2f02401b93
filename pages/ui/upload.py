"""Uploaded import files: validate them against the spec and the store before anything is written, then load."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import pandas as pd

from graphmodel.contract import GraphStore
from loaders.folder import ValidatedFolder
from loaders.load import LoadReport, check_folder, check_ssd_folder, load_validated
from loaders.problems import Problem

__all__ = ["ProgressBar", "Upload", "load", "problems_frame", "quality_frame", "quality_summary", "upload_key",
           "validate_uploads"]


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


def upload_key(uploads: Iterable[Upload], ssd: dict[str, str | None] | None = None) -> str:
    """A digest of the uploaded files and the options: the same upload is validated once, not on every rerun."""
    digest = hashlib.sha256(repr(sorted((ssd or {}).items())).encode())
    for upload in sorted(uploads, key=lambda u: u.name):
        digest.update(upload.name.encode() + b"\0" + hashlib.sha256(upload.getvalue()).digest())
    return digest.hexdigest()


def validate_uploads(store: GraphStore, uploads: Iterable[Upload],
                     ssd: dict[str, str | None] | None = None) -> ValidatedFolder:
    """Write the uploads to a private temporary folder and validate them there (ids may refer to the store).

    With `ssd` (source_id, agency_id, extracted_at) the files are an SSD extract, mapped first.
    """
    with tempfile.TemporaryDirectory(prefix="familygraph-upload-") as folder:
        for upload in uploads:
            name = Path(upload.name).name  # never a path from the browser
            if name and not name.startswith("."):
                (Path(folder) / name).write_bytes(upload.getvalue())
        if ssd is not None:
            return check_ssd_folder(store, Path(folder), source_id=str(ssd["source_id"]),
                                    agency_id=str(ssd["agency_id"]), extracted_at=ssd.get("extracted_at"))
        return check_folder(store, Path(folder))


def problems_frame(validated: ValidatedFolder) -> pd.DataFrame:
    """The validation report: file, row, column and reason for every problem."""
    rows = [(p.file, p.row, p.column, p.reason) for p in sorted(validated.problems)]
    return pd.DataFrame(rows, columns=["File", "Row", "Column", "Reason"])


def quality_frame(notes: Iterable[Problem]) -> pd.DataFrame:
    """Data-quality notes: source, file, row, column, kind and reason."""
    rows = [(p.source_id or "", p.file, p.row, p.column, p.kind, p.reason)
            for p in sorted(notes, key=lambda n: (n.source_id or "", n))]
    return pd.DataFrame(rows, columns=["Source", "File", "Row", "Column", "Kind", "Reason"])


def quality_summary(notes: Iterable[Problem]) -> pd.DataFrame:
    """Data-quality notes counted per source and kind (the data-quality checklist)."""
    frame = quality_frame(notes)
    if frame.empty:
        return pd.DataFrame(columns=["Source", "Kind", "Notes"])
    return frame.groupby(["Source", "Kind"]).size().rename("Notes").reset_index().sort_values(
        ["Source", "Notes"], ascending=[True, False], kind="stable")


def load(store: GraphStore, validated: ValidatedFolder, progress_bar: ProgressBar) -> LoadReport:
    """Write a validated upload all or nothing, moving the progress bar (raises LoadRejected on problems)."""
    def update(done: int, total: int) -> None:
        progress_bar.progress(done / total if total else 1.0, text=f"{done:,} of {total:,} rows written")

    return load_validated(store, validated, update)
