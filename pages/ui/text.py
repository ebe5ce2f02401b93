"""Data shown through Markdown (titles, captions, button labels) is escaped so it always reads as text.

Escaping alone does not stop the browser-side linkifier: `https://...`, `www....` and e-mail addresses in data
would still become clickable links. So '@' becomes its character reference (an address is then not
recognised), and a word joiner (U+2060, invisible) is put after 'scheme:' and 'www' (a web address is then not
recognised). The text reads the same.
"""

from __future__ import annotations

import re

__all__ = ["md"]

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_SCHEME = re.compile(r"(?i)([a-z][a-z0-9+.-]*):(?=//)")
_WWW = re.compile(r"(?i)\b(www)(?=\.)")
_JOINER = "\u2060"


def md(text: object) -> str:
    """Backslash-escape every ASCII punctuation character, so no Markdown, HTML, directive or link can form."""
    plain = _WWW.sub(rf"\1{_JOINER}", _SCHEME.sub(rf"\1:{_JOINER}", str(text)))
    return _PUNCTUATION.sub(r"\\\1", plain).replace("\\@", "&#64;")
