"""Family membership roles: who counts as an adult in a family."""

from __future__ import annotations

__all__ = ["ADULT_ROLES", "MEMBER_ROLES"]

MEMBER_ROLES: tuple[str, ...] = ("parent", "step_parent", "grandparent", "carer", "other_adult", "child")
ADULT_ROLES: frozenset[str] = frozenset(MEMBER_ROLES) - {"child"}
