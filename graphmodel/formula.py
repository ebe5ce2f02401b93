"""The formula-prefix rule: which cells a spreadsheet would run as a formula, and how to neutralise them."""

from __future__ import annotations

import re

__all__ = ["FORMULA_PATTERN", "looks_like_formula", "neutralise"]

FORMULA_PATTERN = r"^[\s\u00a0\u200b\ufeff]*(?:=|@|\t|\r|[+\-](?![\d\s().]*$))"
"""A cell a spreadsheet would run as a formula, also behind leading spaces, tabs or newlines.

`=`, `@`, a tab or a carriage return start a formula; so do `+` and `-` unless only a number follows
(a phone number such as `+44 1632 960001` is not a formula).
"""

_FORMULA = re.compile(FORMULA_PATTERN)
_LEADING = ("=", "@", "\t", "\r", "\n", "+", "-", " ", "\u00a0", "\u200b", "\ufeff")


def looks_like_formula(text: str) -> bool:
    """True if a spreadsheet could run this cell as a formula (leading whitespace and newlines looked past)."""
    return text.startswith(_LEADING) and _FORMULA.match(text) is not None


def neutralise(text: str) -> str:
    """The cell prefixed with an apostrophe when it starts (after spaces or newlines) with = + - @ tab or CR."""
    stripped = text.lstrip(" \n\u00a0\u200b\ufeff")
    return "'" + text if stripped.startswith(("=", "+", "-", "@", "\t", "\r")) else text
