"""Small-number suppression for aggregate views: counts from 1 to 5 are never shown (DfE style)."""

from __future__ import annotations

from graphmodel.suppression import is_small

__all__ = ["SUPPRESSED", "shown", "shown_rate"]

SUPPRESSED = "c"
"""What a suppressed count shows; the legend says 'c = 1 to 5, not shown'."""


def shown(count: int) -> str:
    """A count as it may be shown: 0, 6 or more, or the suppression mark."""
    return SUPPRESSED if is_small(count) else f"{count:,}"


def shown_rate(numerator: int, denominator: int) -> str:
    """A percentage, suppressed when either count is 1 to 5 (a rate would reveal it)."""
    if denominator == 0:
        return "-"
    if is_small(numerator) or is_small(denominator):
        return SUPPRESSED
    return f"{100 * numerator / denominator:.1f}%"
