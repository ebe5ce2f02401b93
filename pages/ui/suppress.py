"""Small-number suppression for tables: counts from 1 to 5 become 'c' (queries.suppression.shown)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from graphmodel.suppression import SUPPRESS_UP_TO, is_small
from queries.suppression import SUPPRESSED, shown

__all__ = ["LEGEND", "SUPPRESSED", "heat_value", "is_suppressed", "suppress_counts"]

LEGEND = (f"{SUPPRESSED} = 1 to {SUPPRESS_UP_TO}, not shown, or a figure that would let one be worked out (from "
          "the county and its districts, a total, a rate or a lift).")


def is_suppressed(count: int) -> bool:
    """True for a count that must not be shown (1 to 5)."""
    return is_small(count)


def heat_value(count: int) -> float | None:
    """A count for a colour scale, or None when it is suppressed (so the number never reaches the page)."""
    return None if is_suppressed(count) else float(count)


def suppress_counts(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of the frame with each count column as text: 0, 6 or more, or 'c'."""
    result = frame.copy()
    for column in columns:
        result[column] = [shown(int(v)) for v in frame[column]]
    return result
