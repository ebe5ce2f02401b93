"""Identifiers compared exactly: a named, generic set; those with a check digit are validated (python-stdnum)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum.exceptions import ValidationError
from stdnum.gb import nhs, upn

__all__ = ["IDENTIFIERS", "Identifier", "clean_identifier"]


def _upn_valid(value: str) -> bool:
    """A UPN's format and check letter (any LA number: new and test LAs are not in stdnum's list)."""
    if len(value) != 13 or not value[1:12].isdigit() or not value[0].isalpha():
        return False
    try:
        return bool(upn.calc_check_digit(value[1:]) == value[0])
    except (ValueError, ValidationError):
        return False


@dataclass(frozen=True, slots=True)
class Identifier:
    """A person identifier column: its title, how to normalise it and, where it has one, its check."""

    column: str
    title: str
    normalise: Callable[[str], str]
    check: Callable[[str], bool] | None = None  # None: no check digit, compared as given

    @property
    def checked(self) -> bool:
        """True when a wrong value is caught by a check digit (so a difference is near-certain)."""
        return self.check is not None


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _alnum(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


IDENTIFIERS: tuple[Identifier, ...] = (
    Identifier("nhs_number", "NHS number", _digits, nhs.is_valid),
    Identifier("upn", "UPN", _alnum, _upn_valid),
    Identifier("police_id", "police id", _alnum),
    Identifier("other_id", "other agency id", _alnum),
)
"""Identifier columns a PersonRecord may carry (nhs_number and upn always; the others when present)."""


def clean_identifier(identifier: Identifier, value: str | None) -> tuple[str | None, bool]:
    """(normalised value or None, True when a present value failed its check and was dropped)."""
    if value is None:
        return None, False
    cleaned = identifier.normalise(value)
    if not cleaned:
        return None, False
    if identifier.check is not None and not identifier.check(cleaned):
        return None, True
    return cleaned, False
