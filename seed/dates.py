"""Dates as day ordinals while generating, ISO text when written."""

from __future__ import annotations

from datetime import date
from functools import cache

__all__ = ["DAYS_PER_YEAR", "iso", "iso_or_empty", "ordinal"]

DAYS_PER_YEAR = 365.25


@cache
def iso(day: int) -> str:
    """The ISO text (YYYY-MM-DD) of a day ordinal."""
    return date.fromordinal(day).isoformat()


def iso_or_empty(day: int | None) -> str:
    """The ISO text of a day ordinal, or '' when missing."""
    return "" if day is None else iso(day)


def ordinal(text: str) -> int:
    """The day ordinal of an ISO date."""
    return date.fromisoformat(text).toordinal()
