"""Identifiers: record ids, NHS numbers, unique pupil numbers, phones and e-mail slugs."""

from __future__ import annotations

import random
import re

__all__ = ["IdCounter", "email_slug", "nhs_number", "phone_number", "upn"]

_WIDTHS: dict[str, int] = {"AG": 4, "PR": 6, "F": 7, "P": 8, "IN": 8, "EP": 7}
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_NON_SLUG = re.compile(r"[^a-z0-9]+")


class IdCounter:
    """Sequential ids per prefix, e.g. F0000001, P00000001."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        """The next id with this prefix."""
        n = self._next.get(prefix, 1)
        self._next[prefix] = n + 1
        return f"{prefix}{n:0{_WIDTHS[prefix]}d}"


def nhs_number(rng: random.Random) -> str:
    """A 10-digit NHS number with a valid modulus-11 check digit, in the 999 test range."""
    while True:
        body = "999" + f"{int(rng.random() * 1_000_000):06d}"
        total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return body + str(check)


def upn(rng: random.Random, la_code: int, year: int) -> str:
    """A 13-character unique pupil number: check letter, LA, school, year of allocation, serial."""
    body = f"{la_code:03d}{2000 + int(rng.random() * 5000):04d}{year % 100:02d}{int(rng.random() * 1000):03d}"
    total = sum(int(d) * w for d, w in zip(body, range(2, 14), strict=True))
    return _UPN_LETTERS[total % 23] + body


def phone_number(index: int, mobile: bool) -> str:
    """A number from Ofcom's drama ranges (01632 960xxx landline, 07700 900xxx mobile)."""
    return f"07700 900{index % 1000:03d}" if mobile else f"01632 960{index % 1000:03d}"


def email_slug(text: str) -> str:
    """Lower-case words joined by '-', for e-mail domains ('St Mary's School' -> 'st-mary-s-school')."""
    return _NON_SLUG.sub("-", text.lower().replace("'", "")).strip("-")
