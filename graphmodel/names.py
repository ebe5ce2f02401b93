"""Name normalisation shared by the loader, the front-door search and record linkage."""

from __future__ import annotations

import re
import unicodedata

import jellyfish

__all__ = [
    "family_key",
    "given_key",
    "name_key",
    "person_name",
    "phonetic",
    "postcode_display",
    "postcode_key",
]

_NON_ALPHA = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_POSTCODE_SPACE = re.compile(r"\s+")


def name_key(text: str | None) -> str:
    """Lower-case ASCII letters and single spaces: 'O'Brien-Smith ' -> 'obrien smith'."""
    if not text:
        return ""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = ascii_text.replace("-", " ")
    return _SPACES.sub(" ", _NON_ALPHA.sub("", ascii_text)).strip()


def given_key(text: str | None) -> str:
    """A given name's first word as a key ('Mary-Jane ' -> 'mary'); nicknames are matched by graphmodel.nicknames."""
    return name_key(text).split(" ")[0] if text else ""


def family_key(text: str | None) -> str:
    """A family name without spaces or punctuation ('O'Brien' -> 'obrien')."""
    return name_key(text).replace(" ", "")


def phonetic(text: str | None) -> str:
    """A phonetic key (Metaphone) of a family name, tolerant of common misspellings."""
    key = family_key(text)
    return jellyfish.metaphone(key) if key else ""


def postcode_display(key: str | None) -> str | None:
    """A postcode key shown the usual way ('CB12AB' -> 'CB1 2AB')."""
    if not key:
        return None
    return f"{key[:-3]} {key[-3:]}" if len(key) > 4 else key


def postcode_key(text: str | None) -> str:
    """An upper-case postcode without spaces ('cb1 2ab' -> 'CB12AB')."""
    return _POSTCODE_SPACE.sub("", text or "").upper()


def person_name(given: str | None, family: str | None) -> str:
    """A person's name to show; a record loaded without names (a data-quality note) says so."""
    return " ".join(part for part in (given, family) if part) or "(name not recorded)"
