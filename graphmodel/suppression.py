"""Small-number suppression, the rule once: counts from 1 to SUPPRESS_UP_TO are never shown (DfE style)."""

from __future__ import annotations

__all__ = ["SUPPRESS_UP_TO", "is_small"]

SUPPRESS_UP_TO = 5
"""The largest count that is suppressed (1 to 5); 0 is shown."""


def is_small(count: int) -> bool:
    """True for a count that must not be shown (1 to SUPPRESS_UP_TO)."""
    return 1 <= count <= SUPPRESS_UP_TO
