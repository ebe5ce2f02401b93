"""The need taxonomy as node rows, written by every store when it applies the schema."""

from __future__ import annotations

from typing import Any

from graphmodel.taxonomy import NEEDS

__all__ = ["need_rows"]


def need_rows() -> list[dict[str, Any]]:
    """One Need node row per need code."""
    return [{"id": n.code, "name": n.name, "category_2021": n.category_2021, "outcome_2022": n.outcome_2022,
             "risk_factor": n.risk_factor} for n in NEEDS.values()]
