"""The formula-prefix rule, once: which cells a spreadsheet would run as a formula, and how to neutralise them."""

from __future__ import annotations

import re

__all__ = ["FORMULA_PATTERN", "FORMULA_STARTS", "LEADING_BLANKS", "looks_like_formula", "neutralise"]

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""

LEADING_BLANKS = " \n\u00a0\u200b\ufeff"
"""What a spreadsheet skips before such a character: spaces, newlines, no-break and zero-width spaces."""

FORMULA_PATTERN = r"^[\s\u00a0\u200b\ufeff]*(?:=|@|\t|\r|[+\-](?![\d\s().]*$))"
"""A cell a spreadsheet would run as a formula, also behind leading spaces, tabs or newlines.

`=`, `@`, a tab or a carriage return start a formula; so do `+` and `-` unless only a number follows
(a phone number such as `+44 1632 960001` is not a formula).
"""

_FORMULA = re.compile(FORMULA_PATTERN)


def looks_like_formula(text: str) -> bool:
    """True if a spreadsheet could run this cell as a formula (leading whitespace and newlines looked past)."""
    return text.lstrip(LEADING_BLANKS).startswith(FORMULA_STARTS) and _FORMULA.match(text) is not None


def neutralise(text: str) -> str:
    """The cell prefixed with an apostrophe when it starts (after spaces or newlines) with = + - @ tab or CR."""
    return "'" + text if text.lstrip(LEADING_BLANKS).startswith(FORMULA_STARTS) else text
