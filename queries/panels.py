"""Panel lists: the families a multi-agency panel discusses at a meeting (a CSV named by FAMILYGRAPH_PANELS:
panel,meeting_date,family_id). Panel members may open a family on a list from PANEL_BEFORE_DAYS before its
meeting to PANEL_AFTER_DAYS after it."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from graphmodel.dates import parse_user_date
from graphmodel.errors import UserInputError
from queries.common import add_days

__all__ = ["PANEL_AFTER_DAYS", "PANEL_BEFORE_DAYS", "PanelEntry", "panel_entries", "panel_families"]

PANEL_BEFORE_DAYS = 14
PANEL_AFTER_DAYS = 7


@dataclass(frozen=True, slots=True)
class PanelEntry:
    """One family on one panel's list for one meeting."""

    panel: str
    meeting_date: str
    family_id: str


def panel_entries(path: Path | None = None) -> list[PanelEntry]:
    """The lists in the file (none when FAMILYGRAPH_PANELS is not set); a bad row is named by file, row, column."""
    if path is None:
        configured = os.environ.get("FAMILYGRAPH_PANELS")
        if not configured:
            return []
        path = Path(configured)
    entries = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            for column in ("panel", "meeting_date", "family_id"):
                if not (row.get(column) or "").strip():
                    raise UserInputError(f"{path.name}, row {row_number}, column {column}: missing")
            try:
                day = parse_user_date(row["meeting_date"], "meeting_date")
            except UserInputError as error:
                raise UserInputError(f"{path.name}, row {row_number}, column meeting_date: {error}") from None
            entries.append(PanelEntry(row["panel"].strip(), str(day), row["family_id"].strip()))
    return entries


def panel_families(as_of: str, entries: list[PanelEntry] | None = None) -> dict[str, str]:
    """Family id -> 'panel on date' for the lists open on a date."""
    found = {}
    for entry in panel_entries() if entries is None else entries:
        if add_days(entry.meeting_date, -PANEL_BEFORE_DAYS) <= as_of <= add_days(entry.meeting_date, PANEL_AFTER_DAYS):
            found[entry.family_id] = f"on the {entry.panel} list for {entry.meeting_date}"
    return found
