"""Planted cases spread evenly: a rate met closely even in a small county, at jittered intervals."""

from __future__ import annotations

from seed.dice import Dice

__all__ = ["Quota"]


class Quota:
    """Accumulates a rate per candidate; a case is due once a whole one has built up."""

    __slots__ = ("_dice", "_owed", "rate")

    def __init__(self, dice: Dice, rate: float) -> None:
        self._dice = dice
        self.rate = rate
        self._owed = dice.random()

    def tick(self) -> None:
        """One more candidate seen (jittered, so cases do not fall at fixed intervals)."""
        self._owed += self.rate * (0.5 + self._dice.random())

    @property
    def due(self) -> bool:
        """True when a case is owed."""
        return self._owed >= 1

    def take(self) -> None:
        """A case was planted."""
        self._owed -= 1

    def draw(self) -> bool:
        """Tick, and take a case if one is due."""
        self.tick()
        if self.due:
            self.take()
            return True
        return False
