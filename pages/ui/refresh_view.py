"""The Data page's load preview: plan an upload against the store, show the per-source summary, then write."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from graphmodel.changes import refresh_store
from graphmodel.contract import GraphStore
from graphmodel.dates import format_uk
from loaders.problems import LoadRejected, Problem
from loaders.refresh import RefreshPlan, apply_plan, plan_folder, plan_ssd_folder
from pages.ui.upload import ProgressBar, Upload

__all__ = ["apply_upload_plan", "identity_frame", "plan_uploads", "summary_frame"]


def plan_uploads(store: GraphStore, uploads: Iterable[Upload], ssd: dict[str, str | None] | None = None, *,
                 delta: bool, accept_identity_changes: bool) -> RefreshPlan | list[Problem]:
    """What loading the uploads would do (nothing is written), or the problems that stop it.

    With `ssd` (source_id, agency_id, extracted_at) the files are an SSD extract, mapped first.
    """
    with tempfile.TemporaryDirectory(prefix="familygraph-plan-") as folder:
        for upload in uploads:
            name = Path(upload.name).name  # never a path from the browser
            if name and not name.startswith("."):
                (Path(folder) / name).write_bytes(upload.getvalue())
        try:
            if ssd is not None:
                return plan_ssd_folder(refresh_store(store), Path(folder), source_id=str(ssd["source_id"]),
                                       agency_id=str(ssd["agency_id"]), extracted_at=ssd.get("extracted_at"),
                                       delta=delta, accept_identity_changes=accept_identity_changes)
            return plan_folder(refresh_store(store), Path(folder), delta=delta,
                               accept_identity_changes=accept_identity_changes)
        except LoadRejected as rejected:
            return rejected.problems


def summary_frame(plan: RefreshPlan) -> pd.DataFrame:
    """One row per source with something to do: extract number and date, mode and the four counts."""
    rows = [{"Source": r["source"], "Extract": f"#{r['extract']}", "Extracted": format_uk(r["extracted_at"]),
             "Mode": r["mode"], "Added": r["added"], "Changed": r["changed"], "Closed": r["closed"],
             "Removed": r["removed"]}
            for r in plan.summary_rows() if any(r[k] for k in ("added", "changed", "closed", "removed"))]
    return pd.DataFrame(rows, columns=["Source", "Extract", "Extracted", "Mode", "Added", "Changed", "Closed",
                                       "Removed"])


def identity_frame(problems: list[Problem]) -> pd.DataFrame:
    """Identity changes: file, row, column and both values (in the reason)."""
    return pd.DataFrame([(p.file, p.row, p.column, p.reason) for p in sorted(problems)],
                        columns=["File", "Row", "Column", "Change"])


def apply_upload_plan(store: GraphStore, plan: RefreshPlan, progress_bar: ProgressBar) -> None:
    """Write a confirmed plan in one transaction, moving the progress bar."""
    def update(done: int, total: int) -> None:
        progress_bar.progress(done / total if total else 1.0, text=f"{done:,} of {total:,} rows written")

    apply_plan(refresh_store(store), plan, update)
