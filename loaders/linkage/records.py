"""The PersonRecord frame: what record linkage takes in, one row per source record of a person."""

from __future__ import annotations

import pandas as pd

from graphmodel.errors import FamilyGraphError

__all__ = ["PERSON_RECORD_COLUMNS", "RecordsInvalid", "check_records", "records_from_people"]

PERSON_RECORD_COLUMNS: tuple[str, ...] = (
    "record_id",  # unique across all sources, e.g. the graph's person_id ("<source_id>:<local id>")
    "source_id",  # the extract the record came from
    "given_name",
    "family_name",
    "dob",  # ISO date YYYY-MM-DD or empty
    "sex",  # F, M, X, U or empty
    "postcode",
    "nhs_number",
    "upn",
)
"""Columns of a PersonRecord frame, all text; empty cells are None."""


class RecordsInvalid(FamilyGraphError, ValueError):
    """The PersonRecord frame breaks its contract (missing columns, empty or repeated record ids)."""


def check_records(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the PersonRecord columns as text (None for empty), or raise RecordsInvalid."""
    missing = [c for c in PERSON_RECORD_COLUMNS if c not in frame.columns]
    if missing:
        raise RecordsInvalid(f"PersonRecord frame lacks column(s): {', '.join(missing)}")
    out = pd.DataFrame({c: _text(frame[c]) for c in PERSON_RECORD_COLUMNS})
    if out["record_id"].isna().any():
        raise RecordsInvalid(f"{int(out['record_id'].isna().sum())} record(s) have no record_id")
    repeated = out["record_id"][out["record_id"].duplicated()]
    if len(repeated):
        raise RecordsInvalid(f"record_id must be unique; repeated: {', '.join(repeated.unique()[:5])}")
    return out.reset_index(drop=True)


def records_from_people(people: pd.DataFrame) -> pd.DataFrame:
    """PersonRecords from frames in the import format (people.csv columns); record_id is person_id."""
    renamed = people.rename(columns={"person_id": "record_id", "date_of_birth": "dob"})
    for column in PERSON_RECORD_COLUMNS:
        if column not in renamed.columns:
            renamed[column] = None
    return check_records(renamed)


def _text(values: pd.Series) -> pd.Series:
    """Stripped text with None for missing or blank cells."""
    stripped = values.astype("string").str.strip()
    stripped = stripped.mask(stripped == "")
    return stripped.astype(object).where(stripped.notna(), None)
