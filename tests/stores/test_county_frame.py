"""The fast county-table normaliser gives exactly what pandas' own de-duplicate-then-sort-by-text gives."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from graphmodel.records import COUNTY_COLUMNS, CountyTable
from graphmodel.stores.assemble import county_frame


def _reference(table: CountyTable, frame: pd.DataFrame) -> pd.DataFrame:
    """The plain pandas way: missing cells None, duplicates dropped (first kept), rows sorted by each cell's text
    column by column (missing last, ties in the order given)."""
    columns = list(COUNTY_COLUMNS[table])
    frame = frame[columns].astype(object)
    frame = frame.where(frame.notna(), None)
    if "lead_capacity" in columns:
        frame["lead_capacity"] = frame["lead_capacity"].map(lambda v: None if v is None else int(v))
    frame = frame.drop_duplicates()
    return frame.loc[frame.astype(str).sort_values(columns).index].reset_index(drop=True)


def _cells(rng: random.Random, n: int, pool: list[object]) -> list[object]:
    return [rng.choice(pool) for _ in range(n)]


def _same(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    """Equal cells of equal types (None is not NaN, 5 is not '5') in the same order."""
    return (list(left.columns) == list(right.columns) and len(left) == len(right)
            and all(list(map(repr, left[c])) == list(map(repr, right[c])) for c in left.columns))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("table", [CountyTable.INVOLVEMENTS, CountyTable.LEADS, CountyTable.PROFESSIONALS,
                                   CountyTable.MEMBERSHIPS])
def test_county_frame_matches_pandas_sort_of_texts(table: CountyTable, seed: int) -> None:
    """Duplicated rows, missing cells (None and NaN), ties, non-ASCII text and numbers give the reference order."""
    rng = random.Random(seed)
    n = rng.choice([0, 1, 7, 300, 5000])  # big enough that the id columns take the distinct-values path
    text: list[object] = ["a", "b", "B", "None", "é", "z", "ß", "\U0001f600", "", None, float("nan"), pd.NA]
    data = {}
    for column in COUNTY_COLUMNS[table]:
        if column == "lead_capacity":
            data[column] = _cells(rng, n, [None, 0, 5, 10, 15.0])
        elif column == "resident":
            data[column] = _cells(rng, n, [True, False, None, pd.NA])
        elif column.endswith("_id"):
            data[column] = [f"X{rng.randrange(max(1, n // 3 if seed % 2 else n * 5))}" for _ in range(n)]
        else:
            data[column] = _cells(rng, n, text)
    frame = pd.DataFrame(data, dtype=object)
    frame = pd.concat([frame, frame.head(n // 4)], ignore_index=True)  # exact duplicates, kept once
    assert _same(county_frame(table, frame.copy()), _reference(table, frame.copy()))


def test_county_frame_mixed_kinds_in_one_column() -> None:
    """A column holding 5 beside '5' (equal text, different values) keeps both rows, in the reference order."""
    frame = pd.DataFrame({c: ["x", "x", "x"] for c in COUNTY_COLUMNS[CountyTable.LEADS]}, dtype=object)
    frame["since"] = pd.Series([5, "5", 5], dtype=object)
    result = county_frame(CountyTable.LEADS, frame)
    assert _same(result, _reference(CountyTable.LEADS, frame)) and list(map(repr, result.since)) == ["5", "'5'"]
