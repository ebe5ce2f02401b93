"""The tables of one SSD extract folder, the problems found while mapping them, and the cell parsers."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from graphmodel import identifiers
from graphmodel.dates import parse_user_date
from graphmodel.errors import UserInputError
from loaders.limits import Limits
from loaders.problems import LoadRejected, Problem
from loaders.reading import RawTable, read_table

__all__ = ["SSD_TABLES", "Extract", "SsdError", "mode", "none", "numbered", "parse_date", "parse_nhs",
           "parse_postcode", "parse_sex", "parse_upn"]

SSD_TABLES: tuple[str, ...] = ("ssd_person", "ssd_family", "ssd_mother", "ssd_address", "ssd_linked_identifiers",
                               "ssd_department", "ssd_professionals", "ssd_involvements", "ssd_early_help_episodes",
                               "ssd_cin_episodes")
"""SSD tables read when present; only ssd_person is required."""

_PLACEHOLDERS = ("SSD_PH", "PLACEHOLDER_DATA")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")


class SsdError(LoadRejected):
    """The SSD extract cannot be mapped; `problems` name the SSD file, row, column and reason."""


def parse_date(text: str) -> str | None:
    """An SSD datetime ('2024-03-01', '2024-03-01 00:00:00.000', '01/03/2024') as an ISO date, or None."""
    iso, uk = _ISO.match(text), _UK.match(text)
    if iso is None and uk is None:
        return None
    day = f"{iso.group(1)}-{int(iso.group(2)):02d}-{int(iso.group(3)):02d}" if iso else \
        f"{uk.group(1)}/{uk.group(2)}/{uk.group(3)}" if uk else ""
    try:
        return parse_user_date(day)
    except UserInputError:
        return None


parse_sex = identifiers.sex_code
parse_nhs = identifiers.nhs_number
parse_upn = identifiers.upn
parse_postcode = identifiers.postcode


def _clean(value: object) -> object:
    """Strip text; SSD placeholders ('SSD_PH', 'PLACEHOLDER_DATA') and blanks become None."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    text = str(value).strip()
    return None if not text or text.upper().startswith(_PLACEHOLDERS) else text


def mode(values: pd.Series) -> str | None:
    """The most common value (alphabetically first among ties), or None."""
    counts = values.dropna().value_counts()
    return None if counts.empty else str(sorted(counts[counts == counts.max()].index)[0])


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells with None for empty, rows numbered from 2 (as a spreadsheet under its header)."""
    out = frame.reset_index(drop=True).astype(object)
    out.index = pd.RangeIndex(2, 2 + len(out))
    return out.where(out.notna(), None)


def none(index: pd.Index) -> pd.Series:
    """A column of None."""
    return pd.Series(None, index=index, dtype=object)


class Extract:
    """The SSD tables of one folder; structural problems and value problems (data-quality notes) found."""

    def __init__(self, folder: Path, limits: Limits | None = None) -> None:
        self.problems: list[Problem] = []
        self.quality: list[Problem] = []
        self.tables: dict[str, RawTable] = {}
        if not folder.is_dir():
            raise SsdError([Problem(str(folder), 0, "-", "no such folder" if not folder.exists() else
                                    "is not a folder; give the folder that holds the SSD tables")])
        files = {p.stem.lower(): p for p in sorted(folder.iterdir())
                 if p.suffix.lower() in (".csv", ".xlsx") and not p.name.startswith((".", "~$"))}
        try:
            limits = limits or Limits.from_env()
        except ValueError as error:
            raise SsdError([Problem("environment", 0, "-", str(error))]) from None
        for name in SSD_TABLES:
            if name in files:
                try:
                    raw = read_table(files[name], limits)
                except LoadRejected as rejected:
                    self.problems += rejected.problems
                    continue
                frame = raw.frame.rename(columns=lambda c: str(c).strip().lower())
                cleaned = frame.astype(object).map(_clean).astype(object)
                self.tables[name] = RawTable(raw.name, cleaned.where(cleaned.notna(), None), raw.note, raw.notes)
                self.quality += raw.notes
        if self.problems:
            raise SsdError(self.problems)
        if "ssd_person" not in self.tables:
            raise SsdError([Problem(str(folder / "ssd_person.csv"), 0, "-", "ssd_person is required")])

    def has(self, table: str, column: str) -> bool:
        """True if the extract has the table and the column."""
        return table in self.tables and column in self.tables[table].frame.columns

    def frame(self, name: str, required: tuple[str, ...] = ()) -> pd.DataFrame:
        """A table (empty if absent), after checking its required columns are there."""
        if name not in self.tables:
            return pd.DataFrame(columns=list(required))
        raw = self.tables[name]
        for column in required:
            if column not in raw.frame.columns:
                self.problem(name, 1, column, "required column is missing")
        return raw.frame.reindex(columns=sorted(set(raw.frame.columns) | set(required)))

    def problem(self, table: str, row: int, column: str, reason: str, kind: str = "") -> None:
        """Note a problem against the SSD file: structural, or a value problem when `kind` is given."""
        name = self.tables[table].name if table in self.tables else f"{table}.csv"
        (self.quality if kind else self.problems).append(Problem(name, int(row), column, reason, kind))

    def cells(self, table: str, frame: pd.DataFrame, column: str, parse: Callable[[str], str | None],
              what: str, kind: str = "") -> pd.Series:
        """Parse a column; a cell parse rejects (returns None for) is a problem naming what was expected.

        With `kind` the problem is a value problem: the cell is left empty and the record still loads.
        """
        out = pd.Series(None, index=frame.index, dtype=object)
        for row, value in frame[column].dropna().items():
            parsed = parse(str(value))
            if parsed is None:
                self.problem(table, int(row), column, f"{value!r} is not {what}", kind)
            out[row] = parsed
        return out

    def ids(self, table: str, frame: pd.DataFrame, column: str) -> None:
        """Report empty and repeated ids."""
        for row in frame.index[frame[column].isna()]:
            self.problem(table, int(row), column, "id is empty")
        repeated = frame[column].duplicated(keep="first") & frame[column].notna()
        for row, value in frame[column][repeated].items():
            self.problem(table, int(row), column, f"id {value!r} is repeated")

    def known(self, table: str, frame: pd.DataFrame, column: str, ids: set[str], target: str) -> None:
        """Report references to ids the target table does not hold."""
        for row, value in frame[column].dropna().items():
            if value not in ids:
                self.problem(table, int(row), column, f"{value!r} is not a {target} in this extract")
