"""Data shown through Markdown (titles, captions, button labels) is escaped so it always reads as text."""

from __future__ import annotations

import re

__all__ = ["md"]

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def md(text: object) -> str:
    """Backslash-escape every ASCII punctuation character, so no Markdown, HTML or directive can form."""
    return _PUNCTUATION.sub(r"\\\1", str(text))
