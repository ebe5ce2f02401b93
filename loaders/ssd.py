"""Standard Safeguarding Dataset (SSD) extracts, as Liquidlogic or Mosaic export them, in the import format.

Column names are those of data-to-insight/ssd-data-model (data/objects/*.yml and the deployment scripts);
docs/linkage.md has the mapping table. The frames come back keyed by import file stem, as text, ready for
loaders.folder.validate_tables (ssd_tables wraps them), so the usual validation and all-or-nothing rules
hold. Structural problems in the extract raise SsdError; value problems (a bad date of birth, sex code or
identifier) leave the cell empty and come back as data-quality notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.limits import Limits
from loaders.problems import Problem
from loaders.reading import RawTable
from loaders.ssd_codes import CIN_NEED_CODES, EH_REASON_KEYWORDS, reason_needs
from loaders.ssd_extract import (
    SSD_TABLES,
    Extract,
    SsdError,
    parse_date,
    parse_nhs,
    parse_postcode,
    parse_sex,
    parse_upn,
)
from loaders.ssd_mapper import Mapper

__all__ = [
    "CIN_NEED_CODES",
    "EH_REASON_KEYWORDS",
    "SSD_TABLES",
    "SsdError",
    "SsdTables",
    "parse_date",
    "parse_nhs",
    "parse_postcode",
    "parse_sex",
    "parse_upn",
    "read_ssd",
    "reason_needs",
    "ssd_tables",
    "ssd_to_import_frames",
]


@dataclass(slots=True)
class SsdTables:
    """An SSD extract as import tables, with the value problems found while mapping it."""

    tables: dict[str, RawTable]
    quality: list[Problem] = field(default_factory=list)
    nameless: bool = False
    """True when ssd_person has no name columns at all (as in the SSD object model)."""


def _map(folder: Path, source_id: str, agency_id: str, extracted_at: str | None, id_prefix: str | None,
         limits: Limits | None) -> tuple[dict[str, pd.DataFrame], Extract, Mapper]:
    ex = Extract(Path(folder), limits)
    extracted = extracted_at or dt.date.today().isoformat()
    prefix = f"{source_id}:" if id_prefix is None else id_prefix
    if not prefix.strip():
        raise ValueError("id_prefix must not be empty: the agency's own ids would share the council-wide id space")
    mapper = Mapper(ex, source_id, agency_id, extracted, prefix)
    frames = mapper.frames()
    if ex.problems:
        raise SsdError(ex.problems, ex.quality)
    return frames, ex, mapper


def ssd_to_import_frames(folder: Path, *, source_id: str, agency_id: str, extracted_at: str | None = None,
                         id_prefix: str | None = None, limits: Limits | None = None) -> dict[str, pd.DataFrame]:
    """Convert an SSD extract folder to import frames (sources, people, families, memberships, ...).

    Ids are prefixed with `id_prefix` (default '<source_id>:') so agencies' own ids never collide.
    Raises SsdError listing every structural (file, row, column, reason); see read_ssd for the notes.
    """
    return _map(folder, source_id, agency_id, extracted_at, id_prefix, limits)[0]


def read_ssd(folder: Path, *, source_id: str, agency_id: str, extracted_at: str | None = None,
             id_prefix: str | None = None, limits: Limits | None = None) -> SsdTables:
    """An SSD extract as RawTables for loaders.folder.validate_tables, with its data-quality notes."""
    frames, ex, mapper = _map(folder, source_id, agency_id, extracted_at, id_prefix, limits)
    name = Path(folder).name
    tables = {stem: RawTable(f"{stem} (from SSD extract {name})", frame) for stem, frame in frames.items()}
    return SsdTables(tables, ex.quality, mapper.nameless)


def ssd_tables(folder: Path, **options: str | None) -> dict[str, RawTable]:
    """read_ssd's tables only."""
    return read_ssd(folder, **options).tables  # type: ignore[arg-type]
