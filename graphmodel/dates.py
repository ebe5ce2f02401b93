"""Dates at the edge: parsed once from what people type (ISO or DD/MM/YYYY), stored ISO, shown DD/MM/YYYY."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from graphmodel.errors import UserInputError

__all__ = ["ACCEPTED_DATE_FORMS", "day_month_swapped", "default_as_of", "format_uk", "parse_user_date",
           "parse_user_date_or_none"]

ACCEPTED_DATE_FORMS = "YYYY-MM-DD or DD/MM/YYYY"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_user_date(text: str, what: str = "date") -> str:
    """The ISO form of a date typed as YYYY-MM-DD or DD/MM/YYYY; UserInputError naming `what` otherwise."""
    value = str(text).strip()
    iso, uk = _ISO.fullmatch(value), _UK.fullmatch(value)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif uk:
        day, month, year = (int(part) for part in uk.groups())
    else:
        raise UserInputError(f"{what} {text!r} is not a date: use {ACCEPTED_DATE_FORMS}")
    try:
        return date(year, month, day).isoformat()
    except ValueError as error:
        raise UserInputError(f"{what} {text!r} is not a real date ({error})") from None


def parse_user_date_or_none(text: str | None, what: str = "date") -> str | None:
    """parse_user_date, passing None and blank through as None."""
    if text is None or not str(text).strip():
        return None
    return parse_user_date(text, what)


def day_month_swapped(iso: str | None) -> str | None:
    """A stored ISO date with its day and month swapped (a common slip in a date of birth); None unless a full
    YYYY-MM-DD."""
    return f"{iso[:4]}-{iso[8:10]}-{iso[5:7]}" if iso and len(iso) == 10 else None


def format_uk(iso: str | date | None) -> str:
    """DD/MM/YYYY for a stored ISO date (or date); empty for none; other text unchanged."""
    if iso is None or iso == "":
        return ""
    if isinstance(iso, date):
        return iso.strftime("%d/%m/%Y")
    match = _ISO.match(str(iso))
    return f"{match.group(3)}/{match.group(2)}/{match.group(1)}" if match else str(iso)


def default_as_of(extract_dates: Iterable[str | None]) -> str:
    """The shared default 'as of': the newest source extract's date, or today when nothing is loaded."""
    known = [d[:10] for d in extract_dates if d]
    return max(known) if known else date.today().isoformat()
