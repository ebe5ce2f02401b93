"""Identifiers of people and places, checked once: NHS number, unique pupil number, postcode, sex code, record ids."""

from __future__ import annotations

import re
import unicodedata

from stdnum.gb import nhs as _nhs
from stdnum.gb import upn as _upn

__all__ = ["SEXES", "id_key", "nhs_number", "postcode", "sex_code", "strip_invisible", "upn"]

SEXES: tuple[str, ...] = ("F", "M", "X", "U")
"""Sex codes of the import format: female, male, indeterminate, unknown."""

_SEX = {"F": "F", "FEMALE": "F", "M": "M", "MALE": "M", "U": "U", "UNKNOWN": "U", "X": "X", "I": "X",
        "INDETERMINATE": "X", "01": "M", "1": "M", "02": "F", "2": "F", "00": "U", "0": "U", "09": "X", "9": "X"}
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_UPN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}


def strip_invisible(text: str) -> str:
    """Text without zero-width, format and control characters (keeps ordinary spaces)."""
    if text.isascii() and text.isprintable():  # the usual case, and nothing to remove
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)


def id_key(text: str) -> str:
    """The comparison key of a record id: NFKC-normalised, invisible characters removed, case folded, trimmed."""
    if text.isascii() and text.isprintable():  # ASCII is already NFKC and has nothing invisible
        return text.lower().strip()
    return strip_invisible(unicodedata.normalize("NFKC", text)).casefold().strip()


def nhs_number(text: str) -> str | None:
    """A 10-digit NHS number whose modulus-11 check digit is right (spaces and dashes removed), else None."""
    digits = re.sub(r"[\s-]", "", text)
    ok = len(digits) == 10 and digits.isascii() and digits.isdigit() and _nhs.checksum(digits) == 0
    return digits if ok else None  # stdnum's check digit, without its validate() cleaning the digits again


def upn(text: str) -> str | None:
    """A 13-character unique pupil number with the right check letter (upper-cased), else None."""
    value = re.sub(r"\s", "", text).upper()
    if not _UPN.match(value):
        return None
    return value if _upn.calc_check_digit(value[1:]) == value[0] else None


def postcode(text: str) -> str | None:
    """A UK postcode in standard form ('fx124qt' -> 'FX12 4QT'), else None."""
    match = _POSTCODE.match(re.sub(r"\s+", "", text).upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def sex_code(text: str) -> str | None:
    """F, M, X or U from a letter, a word or an NHS/SSD gender code (01 male, 02 female, 00, 09), else None."""
    return _SEX.get(text.strip().upper())
