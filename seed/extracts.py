"""A planted next extract of one source: its open work removed and some rows changed, with the truth."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["PlantedRefresh", "next_extract"]


@dataclass(frozen=True, slots=True)
class PlantedRefresh:
    """What the planted extract does: the source, its new date, the open work dropped and the rows changed."""

    source_id: str
    extracted_at: str
    dropped_open_work: tuple[str, ...]
    changed_work: tuple[str, ...]
    unchanged_closed_work: tuple[str, ...]


def _read(folder: Path, stem: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{stem}.csv", dtype=str, keep_default_na=False)


def busiest_source(folder: Path) -> str:
    """The source with the most involvements that has both open and closed work (at least 5 closed)."""
    work = _read(folder, "involvements")
    by_source = work.groupby("source_id")
    fit = [(len(g), s) for s, g in by_source if (g.end == "").any() and (g.end != "").sum() >= 5]
    if not fit:
        raise ValueError(f"no source in {folder} has open work and five closed pieces of work")
    return max(fit)[1]


def next_extract(folder: Path, out: Path, extracted_at: str, source_id: str | None = None,
                 changed: int = 5) -> PlantedRefresh:
    """Copy an import folder to `out` as the next full extract of one source: its open involvements are
    gone, `changed` of its closed involvements have a revised service, and its extract date is new."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(folder, out, ignore=shutil.ignore_patterns("truth"))
    source = source_id or busiest_source(folder)
    work = _read(out, "involvements")
    mine = work.source_id == source
    open_work = mine & (work.end == "")
    closed = work[mine & (work.end != "")].sort_values("involvement_id")
    revised = closed.involvement_id.head(changed).tolist()
    work.loc[work.involvement_id.isin(revised), "service"] = work.loc[
        work.involvement_id.isin(revised), "service"] + " (revised)"
    dropped = sorted(work.loc[open_work, "involvement_id"])
    work[~open_work].to_csv(out / "involvements.csv", index=False)
    sources = _read(out, "sources")
    sources.loc[sources.source_id == source, ["extracted_at", "coverage_to"]] = extracted_at
    sources.to_csv(out / "sources.csv", index=False)
    untouched = sorted(set(closed.involvement_id) - set(revised))
    return PlantedRefresh(source, extracted_at, tuple(dropped), tuple(sorted(revised)), tuple(untouched))
