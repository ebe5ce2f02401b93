"""Validation of one import file against its spec: every problem collected, cells normalised."""

from __future__ import annotations

import datetime as dt
import functools
import re

import pandas as pd

from loaders.problems import Problem
from loaders.reading import RawTable
from loaders.spec import ColumnSpec, ColumnType, FileSpec

__all__ = ["FORMULA_PATTERN", "validate_file"]

FORMULA_PATTERN = r"^(?:=|@|\t|\r|[+\-](?![\d\s().]*$))"
"""Cells that a spreadsheet would run as a formula (a phone number like +44 1632 is allowed)."""

_FORMULA_STARTS = ("=", "@", "\t", "\r", "+", "-")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_EARLIEST = "1900-01-01"
_DATE_ORDER = (("coverage_from", "coverage_to"), ("since", "until"), ("start", "end"), ("opened", "closed"),
               ("opened", "assessment_date"), ("assessment_date", "plan_date"))


def validate_file(spec: FileSpec, raw: RawTable, today: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a file's cells against the spec; return the normalised frame and every problem found."""
    today = today or dt.date.today().isoformat()
    problems: list[Problem] = []
    frame = raw.frame
    missing = [c.name for c in spec.columns if c.required and c.name not in frame.columns]
    problems += [Problem(raw.name, 1, name, "required column is missing") for name in missing]
    out = pd.DataFrame(index=frame.index)
    for column in spec.columns:
        cells = frame[column.name] if column.name in frame.columns else pd.Series(None, index=frame.index,
                                                                                   dtype=object)
        out[column.name], found = _check_column(raw.name, column, cells, today)
        problems += found
    problems += _check_unique(raw.name, spec, out)
    problems += _check_date_order(raw.name, out)
    return out, problems


def _problems(file: str, column: str, mask: pd.Series, values: pd.Series, reason: str) -> list[Problem]:
    """One problem per row where mask holds; `reason` may use {value}."""
    return [Problem(file, int(row), column, reason.format(value=value))
            for row, value in values[mask].items()]


def _check_column(file: str, column: ColumnSpec, cells: pd.Series, today: str) -> tuple[pd.Series, list[Problem]]:
    """Validate and normalise one column."""
    problems: list[Problem] = []
    text = cells if isinstance(cells.dtype, pd.StringDtype) else cells.astype("string")
    given = text.dropna()
    suspects = given[given.str.startswith(_FORMULA_STARTS)]
    if len(suspects):
        formula = suspects.astype(object).str.contains(FORMULA_PATTERN, regex=True)
        problems += _problems(file, column.name, formula, suspects,
                              "cell looks like a spreadsheet formula ({value!r}); remove the leading character")
    values = given.str.strip()
    values = values[values.str.len() > 0]
    stripped = pd.Series(None, index=text.index, dtype=object)
    stripped[values.index] = values.to_numpy(dtype=object)
    if column.required and len(values) < len(text):
        missing = ~text.index.isin(values.index)
        problems += _problems(file, column.name, pd.Series(missing, index=text.index), stripped,
                              "required value is missing")
    if column.type is ColumnType.DATE:
        return _check_dates(file, column, stripped, values, today, problems)
    if column.type is ColumnType.INT:
        bad = ~values.str.fullmatch(r"\d+")
        problems += _problems(file, column.name, bad, values, "not a whole number: {value!r}")
        result = pd.Series(None, index=stripped.index, dtype=object)
        result[values[~bad].index] = [int(v) for v in values[~bad]]
        return result, problems
    if column.type is ColumnType.BOOL:
        lowered = values.str.lower()
        bad = ~lowered.isin(_TRUE | _FALSE)
        problems += _problems(file, column.name, bad, values, "expected true or false, got {value!r}")
        result = pd.Series(None, index=stripped.index, dtype=object)
        result[lowered[~bad].index] = lowered[~bad].isin(_TRUE).to_numpy(dtype=object)
        return result, problems
    if column.type is ColumnType.ENUM:
        canonical = {c.lower(): c for c in column.choices}
        lowered = values.str.lower()
        mapped = lowered.astype(object).map({v: canonical.get(v) for v in lowered.unique()})
        bad = mapped.isna()
        allowed = ", ".join(column.choices) if len(column.choices) <= 12 else "see docs/data-format.md"
        problems += _problems(file, column.name, bad, values, f"{{value!r}} is not one of: {allowed}")
        result = stripped.copy()
        result[mapped.index] = mapped.to_numpy(dtype=object)
        return result.where(result.notna(), None), problems
    if column.type is ColumnType.CODES:
        allowed_codes = set(column.choices)
        parts = values.astype(object).str.lower().str.split(r"\s*;\s*", regex=True)
        bad_codes = parts.map(lambda codes: [c for c in codes if c not in allowed_codes])
        bad = bad_codes.map(bool)
        problems += [Problem(file, int(row), column.name, f"unknown code(s) {', '.join(map(repr, codes))}")
                     for row, codes in bad_codes[bad].items()]
        result = pd.Series(None, index=stripped.index, dtype=object)
        result[parts.index] = parts.map(lambda codes: tuple(dict.fromkeys(c for c in codes if c)))
        return result, problems
    return stripped, problems


def _check_dates(file: str, column: ColumnSpec, stripped: pd.Series, values: pd.Series, today: str,
                 problems: list[Problem]) -> tuple[pd.Series, list[Problem]]:
    """Parse ISO or UK dates; report malformed, impossible, implausibly old or future dates of birth."""
    iso = values.str.match(_ISO)
    uk = values.str.match(_UK)
    lookup = {v: _parse_date_cached(v) for v in values[iso | uk].unique()}
    parsed = values.astype(object).map(lookup)
    malformed = ~(iso | uk)
    problems += _problems(file, column.name, malformed, values,
                          "not a date: {value!r} (use YYYY-MM-DD or DD/MM/YYYY)")
    impossible = ~malformed & parsed.isna()
    problems += _problems(file, column.name, impossible, values, "impossible date: {value!r}")
    result = pd.Series(None, index=stripped.index, dtype=object)
    good = parsed.notna()
    result[parsed[good].index] = parsed[good].to_numpy(dtype=object)
    iso_values = result[good.index[good]]
    problems += _problems(file, column.name, iso_values < _EARLIEST, iso_values, "date before 1900: {value}")
    if column.name == "date_of_birth":
        problems += _problems(file, column.name, iso_values > today, iso_values,
                              "date of birth in the future: {value}")
    return result, problems


@functools.lru_cache(maxsize=200_000)
def _parse_date_cached(text: str) -> str | None:
    """ISO text of a YYYY-MM-DD or DD/MM/YYYY date, or None if no such day exists."""
    try:
        if "/" in text:
            day, month, year = (int(x) for x in text.split("/"))
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _check_unique(file: str, spec: FileSpec, out: pd.DataFrame) -> list[Problem]:
    """Report rows whose key repeats an earlier row's key."""
    keys = list(spec.unique)
    if not keys or any(out[k].isna().all() for k in keys):
        return []
    dup = out.duplicated(subset=keys, keep="first") & out[keys].notna().all(axis=1)
    if not dup.any():
        return []
    first_row = out[keys].astype(str).agg("|".join, axis=1).reset_index().drop_duplicates(0).set_index(0)["index"]
    label = " + ".join(keys)
    problems = []
    for row in out.index[dup]:
        key_value = "|".join(str(out.at[row, k]) for k in keys)
        problems.append(Problem(file, int(row), keys[0],
                                f"duplicate {label} {key_value!r} (first on row {int(first_row[key_value])})"))
    return problems


def _check_date_order(file: str, out: pd.DataFrame) -> list[Problem]:
    """Report end dates before their start dates (e.g. end before start, closed before opened)."""
    problems: list[Problem] = []
    for first, second in _DATE_ORDER:
        if first in out.columns and second in out.columns:
            both = out[first].notna() & out[second].notna()
            bad = both & (out[second].astype(str) < out[first].astype(str))
            problems += [Problem(file, int(row), second, f"{second} {out.at[row, second]} is before {first} "
                                 f"{out.at[row, first]}") for row in out.index[bad]]
    return problems
