"""Split what was typed in the front door's one search box into a name, a date of birth and a postcode."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["SearchTerms", "parse_search"]

_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_UK_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """The parts of a search, and anything that looked like a date but is not one."""

    name: str
    dob: str | None
    postcode: str | None
    problem: str | None = None

    @property
    def empty(self) -> bool:
        """True when there is nothing to search for."""
        return not (self.name or self.dob or self.postcode)

    def describe(self) -> str:
        """How the box was read, in words."""
        parts = [f"name '{self.name}'" if self.name else "", f"date of birth {self.dob}" if self.dob else "",
                 f"postcode {self.postcode}" if self.postcode else ""]
        return "Searching for " + ", ".join(p for p in parts if p) if not self.empty else "Nothing to search for"


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def parse_search(text: str) -> SearchTerms:
    """Find a UK postcode and a date (YYYY-MM-DD or DD/MM/YYYY) in the text; the rest is the name."""
    rest = text.strip()
    postcode = None
    match = _POSTCODE.search(rest)
    if match:
        postcode = f"{match.group(1)} {match.group(2)}".upper()
        rest = rest[:match.start()] + " " + rest[match.end():]
    dob, problem = None, None
    iso, uk = _ISO_DATE.search(rest), _UK_DATE.search(rest)
    if iso or uk:
        found = iso or uk
        assert found is not None
        year, month, day = (found.group(1), found.group(2), found.group(3)) if iso else (
            found.group(3), found.group(2), found.group(1))
        dob = _iso(year, month, day)
        if dob is None:
            problem = f"'{found.group(0)}' is not a date"
        rest = rest[:found.start()] + " " + rest[found.end():]
    name = " ".join(w for w in re.split(r"[\s,]+", rest) if w)
    return SearchTerms(name, dob, postcode, problem)
