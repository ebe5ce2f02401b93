"""How a second agency's record of a person differs: nickname, typo, swapped day and month, hyphenation."""

from __future__ import annotations

from datetime import date

from seed.dice import Dice
from seed.names_data import NICKNAMES

__all__ = ["hyphenation", "nickname", "swap_day_month", "typo"]

_SHORT_FORMS: dict[str, list[str]] = {}
for _short, _full in sorted(NICKNAMES.items()):
    if _short != _full:
        _SHORT_FORMS.setdefault(_full, []).append(_short)
_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def nickname(dice: Dice, given: str) -> str | None:
    """A short form of the given name ('Robert' -> 'Bob'), or None when it has none."""
    key = given.lower()
    forms = _SHORT_FORMS.get(NICKNAMES.get(key, key))
    if not forms:
        return None
    form = dice.pick(forms).capitalize()
    return form if form.lower() != given.lower() else None


def typo(dice: Dice, name: str) -> str:
    """One slip of the keyboard: a letter replaced, two neighbours swapped, or a letter dropped."""
    positions = [i for i, ch in enumerate(name) if ch.isascii() and ch.isalpha()]
    for _ in range(10):
        kind = dice.below(3)
        i = dice.pick(positions[1:] or positions)
        chars = list(name)
        if kind == 0:
            new = dice.pick(_KEYBOARD)
            chars[i] = new.upper() if chars[i].isupper() else new
        elif kind == 1 and i + 1 < len(chars) and chars[i + 1].isalpha() and chars[i] != chars[i + 1]:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif kind == 2 and len(positions) >= 4:
            del chars[i]
        else:
            continue
        result = "".join(chars)
        if result != name:
            return result
    return name + "e" if not name.endswith("e") else name[:-1]


def swap_day_month(day: int, latest: int) -> int | None:
    """The date with day and month swapped, where that is a different real date not after latest."""
    d = date.fromordinal(day)
    if d.day > 12 or d.day == d.month:
        return None
    swapped = date(d.year, d.day, d.month).toordinal()
    return swapped if swapped <= latest else None


def hyphenation(dice: Dice, family_name: str, other: str) -> str | None:
    """A double-barrelled name with one part dropped, or a second name added."""
    if "-" in family_name:
        first, _, second = family_name.partition("-")
        return first if dice.chance(0.7) else second
    if other and other != family_name and "-" not in other:
        return f"{family_name}-{other}"
    return None
