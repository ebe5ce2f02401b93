"""Validation of one import file against its spec: every problem collected, cells normalised.

A problem in a column the spec lets go (FileSpec.droppable) is a value problem: the cell becomes empty
and the problem is kept as a data-quality note. Anything else is structural and rejects the load.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable

import pandas as pd

from graphmodel import identifiers
from graphmodel.dates import parse_user_date
from graphmodel.errors import UserInputError
from graphmodel.formula import FORMULA_PATTERN, FORMULA_STARTS, LEADING_BLANKS
from loaders.problems import Problem
from loaders.reading import RawTable
from loaders.spec import ColumnSpec, ColumnType, FileSpec

__all__ = ["FORMULA_PATTERN", "INT_MAX", "clean_id", "validate_file"]

INT_MAX = 1_000_000
"""The largest whole number a cell may hold (larger is a value problem; no store overflows)."""

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_EARLIEST = "1900-01-01"
_NAME_COLUMNS = {"given_name", "family_name", "name"}
_IDENTIFIERS: dict[ColumnType, tuple[Callable[[str], str | None], str]] = {
    ColumnType.NHS_NUMBER: (identifiers.nhs_number, "not a valid NHS number (10 digits, check digit)"),
    ColumnType.UPN: (identifiers.upn, "not a valid unique pupil number (check letter and 12 characters)"),
    ColumnType.POSTCODE: (identifiers.postcode, "not a UK postcode"),
}


def clean_id(text: str) -> str:
    """An id as stored: NFKC-normalised, invisible characters removed, trimmed (case kept)."""
    if text.isascii() and text.isprintable():
        return text.strip()
    return identifiers.strip_invisible(unicodedata.normalize("NFKC", text)).strip()


class _Column:
    """Problems of one column, structural or value according to the spec."""

    def __init__(self, file: str, spec: FileSpec, column: ColumnSpec) -> None:
        self.file, self.column = file, column
        self.droppable = spec.droppable(column)
        self.problems: list[Problem] = []

    def report(self, mask: pd.Series, values: pd.Series, reason: str, kind: str,
               structural: bool = False, note: bool = False) -> None:
        """One problem per row where mask holds; `reason` may use {value}; `note` makes it a value problem."""
        use_kind = kind if note else "" if structural or not self.droppable else kind
        self.problems += [Problem(self.file, int(row), self.column.name, reason.format(value=value), use_kind)
                          for row, value in values[mask].items()]


Seen = dict[str, tuple[int, str]]
"""Keys met in a file's earlier chunks: the compared key (its values joined), its first row and how that row spelt
it."""


def validate_file(spec: FileSpec, raw: RawTable, today: str | None = None,
                  seen: Seen | None = None, header: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a file's cells against the spec; return the normalised frame and every problem found.

    For a file read in chunks, pass the same `seen` for each chunk: a key is then a duplicate of a row in any
    earlier chunk; and header=False for every chunk after the first (the header's problems are reported once)."""
    today = today or dt.date.today().isoformat()
    problems: list[Problem] = []
    frame = raw.frame
    if header:
        missing = [c.name for c in spec.columns if c.required and c.name not in frame.columns]
        problems += [Problem(raw.name, 1, name, "required column is missing") for name in missing]
    out = pd.DataFrame(index=frame.index)
    for column in spec.columns:
        cells = frame[column.name] if column.name in frame.columns else pd.Series(None, index=frame.index,
                                                                                   dtype=object)
        check = _Column(raw.name, spec, column)
        out[column.name] = _check_column(check, cells, today)
        problems += check.problems
    problems += _check_unique(raw.name, spec, out, {} if seen is None else seen)
    problems += _check_date_order(raw.name, spec, out)
    return out, problems


def _check_column(check: _Column, cells: pd.Series, today: str) -> pd.Series:
    """Validate and normalise one column."""
    column = check.column
    text = cells if isinstance(cells.dtype, pd.StringDtype) else cells.astype("string")
    given = text.dropna()
    suspects = given[given.str.lstrip(LEADING_BLANKS).str.startswith(FORMULA_STARTS)]
    if len(suspects):
        formula = suspects.astype(object).str.contains(FORMULA_PATTERN, regex=True)
        check.report(formula, suspects, "cell looks like a spreadsheet formula ({value!r}); remove the leading "
                     "character", "formula", structural=True)
    values = given.str.strip()
    if column.type is ColumnType.ID or column.references:
        cleaned = _cleaned_ids(values)
        check.report(cleaned != values, values, "invisible characters removed from the id {value!r}",
                     "look-alike id", note=True)
        values = cleaned
    values = values[values.str.len() > 0]
    stripped = pd.Series(None, index=text.index, dtype=object)
    stripped[values.index] = values.to_numpy(dtype=object)
    if column.required and len(values) < len(text):
        missing = pd.Series(~text.index.isin(values.index), index=text.index)
        kind = "missing name" if column.name in _NAME_COLUMNS else "missing value"
        check.report(missing, stripped, "required value is missing", kind)
    if column.type is ColumnType.DATE:
        return _check_dates(check, stripped, values, today)
    if column.type is ColumnType.INT:
        bad = ~values.str.fullmatch(r"\d+")
        check.report(bad, values, "not a whole number: {value!r}", "not a number")
        good = values[~bad]
        large = good.map(lambda v: len(v.lstrip("0")) > len(str(INT_MAX)) or int(v) > INT_MAX).astype(bool)
        check.report(large, good, f"{{value}} is too large (at most {INT_MAX:,})", "number too large")
        result = pd.Series(None, index=stripped.index, dtype=object)
        result[good[~large].index] = [int(v) for v in good[~large]]
        return result
    if column.type is ColumnType.BOOL:
        lowered = values.str.lower()
        bad = ~lowered.isin(_TRUE | _FALSE)
        check.report(bad, values, "expected true or false, got {value!r}", "not true or false")
        result = pd.Series(None, index=stripped.index, dtype=object)
        result[lowered[~bad].index] = lowered[~bad].isin(_TRUE).to_numpy(dtype=object)
        return result
    if column.type is ColumnType.ENUM:
        canonical = {c.lower(): c for c in column.choices}
        lowered = values.str.lower()
        mapped = lowered.astype(object).map({v: canonical.get(v) for v in lowered.unique()})
        bad = mapped.isna()
        allowed = ", ".join(column.choices) if len(column.choices) <= 12 else "see docs/data-format.md"
        check.report(bad, values, f"{{value!r}} is not one of: {allowed}", "unknown code")
        result = stripped.copy()
        result[mapped.index] = mapped.to_numpy(dtype=object)
        return result.where(result.notna(), None)
    if column.type is ColumnType.CODES:
        return _check_codes(check, stripped, values)
    if column.type in _IDENTIFIERS:
        parse, what = _IDENTIFIERS[column.type]
        lookup = {v: parse(v) for v in values.unique()}
        parsed = values.astype(object).map(lookup)
        check.report(parsed.isna(), values, f"{{value!r}} is {what}", "invalid identifier")
        result = pd.Series(None, index=stripped.index, dtype=object)
        result[parsed.index] = parsed.to_numpy(dtype=object)
        return result.where(result.notna(), None)
    return stripped


def _check_codes(check: _Column, stripped: pd.Series, values: pd.Series) -> pd.Series:
    """One or more codes separated by ';' (unknown codes dropped, as a value problem where the column allows)."""
    allowed_codes = set(check.column.choices)
    parts = values.astype(object).str.lower().str.split(r"\s*;\s*", regex=True)
    bad_codes = parts.map(lambda codes: [c for c in codes if c and c not in allowed_codes])
    bad = bad_codes.map(bool)
    shown = bad_codes.map(lambda codes: ", ".join(map(repr, codes)))
    check.report(bad, shown, "unknown code(s) {value}", "unknown code")
    result = pd.Series(None, index=stripped.index, dtype=object)
    result[parts.index] = parts.map(lambda codes: tuple(dict.fromkeys(c for c in codes if c in allowed_codes)))
    return result


def _check_dates(check: _Column, stripped: pd.Series, values: pd.Series, today: str) -> pd.Series:
    """Parse ISO or UK dates; report malformed, impossible, implausibly old or future dates."""
    iso = values.str.match(_ISO)
    uk = values.str.match(_UK)
    lookup = {v: _parse_date_cached(v) for v in values[iso | uk].unique()}
    parsed = values.astype(object).map(lookup)
    malformed = ~(iso | uk)
    check.report(malformed, values, "not a date: {value!r} (use YYYY-MM-DD or DD/MM/YYYY)", "not a date")
    impossible = ~malformed & parsed.isna()
    check.report(impossible, values, "impossible date: {value!r}", "impossible date")
    good = parsed[parsed.notna()].astype(object)
    old = good < _EARLIEST
    check.report(old, good, "date before 1900: {value}", "implausible date")
    in_a_year = (dt.date.fromisoformat(today) + dt.timedelta(days=366)).isoformat()
    if check.column.name == "date_of_birth":
        future = good > today
        check.report(future, good, "date of birth in the future: {value}", "implausible date")
    else:
        future = good > in_a_year
        check.report(future, good, "more than a year in the future: {value}", "implausible date")
    keep = good[~old & ~future] if check.droppable else good
    result = pd.Series(None, index=stripped.index, dtype=object)
    result[keep.index] = keep.to_numpy(dtype=object)
    return result


@functools.lru_cache(maxsize=200_000)
def _parse_date_cached(text: str) -> str | None:
    """ISO text of a YYYY-MM-DD or DD/MM/YYYY date (graphmodel.dates), or None if no such day exists."""
    try:
        return parse_user_date(text)
    except UserInputError:
        return None


def _compared_keys(spec: FileSpec, out: pd.DataFrame) -> pd.DataFrame:
    """A file's unique key columns as compared: ids ignoring case and invisible characters."""
    compared = out[list(spec.unique)].copy()
    for key in spec.unique:
        column = spec.column(key)
        if column.type is ColumnType.ID or column.references:
            compared[key] = _id_keys(compared[key])
    return compared


_PLAIN = r"[ -~]*"
"""Printable ASCII: already NFKC, nothing invisible (clean_id and id_key only trim and lower-case it)."""


def _cleaned_ids(values: pd.Series) -> pd.Series:
    """clean_id of each (trimmed) value: vectorised for printable ASCII, one call per other distinct value."""
    odd = values[~values.str.fullmatch(_PLAIN)]
    if not len(odd):
        return values
    cleaned = values.copy()
    cleaned[odd.index] = odd.astype(object).map({v: clean_id(v) for v in odd.unique()}).to_numpy(dtype=object)
    return cleaned


def _id_keys(values: pd.Series) -> pd.Series:
    """identifiers.id_key of each value (None stays None): vectorised for printable ASCII."""
    text = values.astype("string")
    plain = text.str.fullmatch(_PLAIN).fillna(False).astype(bool)
    keys = pd.Series(None, index=values.index, dtype=object)
    keys[plain] = text[plain].str.lower().str.strip().to_numpy(dtype=object)
    odd = text[~plain].dropna()
    if len(odd):
        lookup = {v: identifiers.id_key(v) for v in odd.unique()}
        keys[odd.index] = odd.astype(object).map(lookup).to_numpy(dtype=object)
    return keys


def _check_unique(file: str, spec: FileSpec, out: pd.DataFrame, seen: Seen) -> list[Problem]:
    """Report rows whose key repeats an earlier row's key, in this chunk or (recorded in `seen`) an earlier one;
    ids are compared ignoring case and invisible characters."""
    keys = list(spec.unique)
    if not keys or any(out[k].isna().all() for k in keys):
        return []
    compared = _compared_keys(spec, out)
    complete = compared.notna().all(axis=1)
    found = _joined(compared.loc[complete, keys], "\x1f").tolist()
    spelt = _joined(out.loc[complete, keys], "|").tolist()
    rows = out.index[complete].tolist()
    if len(set(found)) == len(found) and seen.keys().isdisjoint(found):  # no duplicate (the usual case): in C
        seen.update(zip(found, zip(rows, spelt, strict=True), strict=True))
        return []
    label = " + ".join(keys)
    problems = []
    for row, key, key_value in zip(rows, found, spelt, strict=True):
        first, first_value = seen.setdefault(key, (row, key_value))
        if first == row:
            continue
        same = f" (first on row {first})" if first_value == key_value else \
            f" (the same as {first_value!r} on row {first}: ids are compared ignoring case and invisible characters)"
        problems.append(Problem(file, int(row), keys[0], f"duplicate {label} {key_value!r}{same}"))
    return problems


def _joined(columns: pd.DataFrame, separator: str) -> pd.Series:
    """Each row's values as text joined by `separator` (vectorised)."""
    first, *rest = (columns[name].astype(str) for name in columns.columns)
    return first.str.cat(rest, sep=separator) if rest else first


def _check_date_order(file: str, spec: FileSpec, out: pd.DataFrame) -> list[Problem]:
    """Report end dates before their start dates (e.g. end before start, closed before opened)."""
    problems: list[Problem] = []
    for first, second in spec.date_order:
        if first in out.columns and second in out.columns:
            both = out[first].notna() & out[second].notna()
            bad = both & (out[second].astype(str) < out[first].astype(str))
            problems += [Problem(file, int(row), second, f"{second} {out.at[row, second]} is before {first} "
                                 f"{out.at[row, first]}") for row in out.index[bad]]
    return problems
