"""Filtering and sorting the Hub worklist table."""

from __future__ import annotations

import pandas as pd

__all__ = ["SORTS", "filter_worklist"]

SORTS: dict[str, tuple[list[str], list[bool]]] = {
    "Most severe first": (["Severity", "Family"], [False, True]),
    "Family": (["Family", "Severity"], [True, False]),
    "District": (["District", "Severity", "Family"], [True, False, True]),
    "Finding": (["Finding", "Severity", "Family"], [True, False, True]),
    "Most agencies first": (["Agencies", "Severity", "Family"], [False, False, True]),
}


def filter_worklist(frame: pd.DataFrame, kinds: list[str], min_severity: int, text: str,
                    sort: str) -> pd.DataFrame:
    """Rows of the chosen kinds, at least as severe as asked, containing the text; sorted."""
    keep = frame["Finding"].isin(kinds) & (frame["Severity"] >= min_severity)
    if text.strip():
        needle = text.strip().lower()
        haystack = frame["Family"].str.lower() + " " + frame["Reason"].str.lower() + " " + frame["Need"].str.lower()
        if "Family id" in frame.columns:
            haystack = haystack + " " + frame["Family id"].str.lower()
        keep &= haystack.str.contains(needle, regex=False)
    columns, ascending = SORTS.get(sort, SORTS["Most severe first"])
    return frame[keep].sort_values(columns, ascending=ascending, kind="stable").reset_index(drop=True)
