"""Fast draws from one seeded random.Random (no global randomness)."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, TypeVar

__all__ = ["Dice", "Weighted"]

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items drawn with fixed relative weights."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self._items = [item for item, _ in pairs]
        self._cum = list(accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1]

    def draw(self, dice: Dice) -> T:
        """One item, drawn by weight."""
        return self._items[bisect_right(self._cum, dice.random() * self._total)]


class Dice:
    """A seeded random source with the few draws the generator needs."""

    __slots__ = ("random", "rng")

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random

    def chance(self, p: float) -> bool:
        """True with probability p."""
        return self.random() < p

    def below(self, n: int) -> int:
        """A whole number in [0, n)."""
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """A whole number in [low, high]."""
        return low + int(self.random() * (high - low + 1))

    def pick(self, items: Sequence[T]) -> T:
        """One item, uniformly."""
        return items[int(self.random() * len(items))]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """k distinct items (fewer when there are fewer)."""
        return self.rng.sample(list(items), min(k, len(items)))
