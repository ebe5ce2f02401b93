"""From scores to decisions: thresholds, reviewer decisions, and clustering links into resolved persons."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphmodel.errors import UserInputError

__all__ = [
    "APART_NOTE",
    "AUTO_ACCEPTED",
    "AUTO_REJECTED",
    "CONFIRMED",
    "LINKED",
    "REJECTED",
    "REVIEW",
    "Thresholds",
    "cluster",
    "decide",
    "resolved_id",
]

AUTO_ACCEPTED, REVIEW, AUTO_REJECTED = "auto_accepted", "review", "auto_rejected"
CONFIRMED, REJECTED = "confirmed", "rejected"  # by a reviewer
LINKED: frozenset[str] = frozenset({AUTO_ACCEPTED, CONFIRMED})
APART_NOTE = "would join records a reviewer said are different"
Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Match probability >= `accept` links automatically; below `reject` does not; between: review."""

    accept: float = 0.7
    reject: float = 0.2

    def __post_init__(self) -> None:
        if not 0.0 <= self.reject <= self.accept <= 1.0:
            raise UserInputError(f"thresholds need 0 <= reject <= accept <= 1, got reject {self.reject}, accept "
                                 f"{self.accept}")


def decide(pairs: pd.DataFrame, reviewed: Mapping[Pair, str], thresholds: Thresholds,
           record_ids: Iterable[str]) -> pd.DataFrame:
    """Status per pair: the reviewer's decision where there is one, else the thresholds.

    Reviewed pairs whose records are both still present are kept even when this run did not score them,
    so a confirmed link stays and a rejected pair still keeps its records apart.
    """
    out = pairs.copy()
    p = out["match_probability"].to_numpy()
    out["status"] = np.where(p >= thresholds.accept, AUTO_ACCEPTED, np.where(p < thresholds.reject,
                                                                             AUTO_REJECTED, REVIEW))
    out["note"] = ""
    if reviewed:
        keys = pd.Series(list(zip(out["record_id_l"], out["record_id_r"], strict=True)), index=out.index,
                         dtype=object)
        decided = keys.map(lambda k: reviewed.get(k)).astype(object)
        out.loc[decided.notna(), "status"] = decided[decided.notna()]
        present, scored = set(record_ids), set(keys)
        unscored = [(a, b, s) for (a, b), s in reviewed.items()
                    if (a, b) not in scored and a in present and b in present]
        if unscored:
            extra = pd.DataFrame(unscored, columns=["record_id_l", "record_id_r", "status"])
            extra["note"] = "decided by a reviewer; not scored in this run"
            out = pd.concat([out, extra], ignore_index=True)
    return out


def cluster(record_ids: pd.Series, pairs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolved persons from linked pairs, never joining two records a reviewer said are different.

    Confirmed links are joined first, then automatic links strongest first; an automatic link that would
    put a rejected pair in one person is sent back to review instead. Returns (clusters, pairs) where
    clusters has record_id, resolved_id, cluster_size and pairs carries the updated statuses.
    """
    pairs = pairs.copy()
    parent: dict[str, str] = {}
    apart: dict[str, set[str]] = {}  # root -> records its members must not be joined with

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    rejected = pairs.loc[pairs["status"] == REJECTED, ["record_id_l", "record_id_r"]]
    for left, right in rejected.itertuples(index=False):
        apart.setdefault(left, set()).add(right)
        apart.setdefault(right, set()).add(left)
    linked = pairs[pairs["status"].isin(LINKED)].copy()
    linked["_order"] = np.where(linked["status"] == CONFIRMED, 2.0, linked["match_probability"].fillna(0.0))
    ordered = linked.sort_values("_order", ascending=False, kind="stable")
    for index, left, right, status in ordered[["record_id_l", "record_id_r", "status"]].itertuples():
        a, b = find(left), find(right)
        if a == b:
            continue
        if status != CONFIRMED and any(find(x) == b for x in apart.get(a, ())):
            pairs.loc[index, ["status", "note"]] = [REVIEW, APART_NOTE]
            continue
        big, small = (a, b) if len(apart.get(a, ())) >= len(apart.get(b, ())) else (b, a)
        parent[small] = big
        if small in apart:
            apart.setdefault(big, set()).update(apart.pop(small))
    ids = record_ids.astype(str)
    roots = ids.map(lambda x: find(x) if x in parent else x)
    members = pd.DataFrame({"record_id": ids.to_numpy(), "root": roots.to_numpy()})
    first = members.groupby("root")["record_id"].transform("min")
    members["resolved_id"] = first.map(resolved_id)
    members["cluster_size"] = members.groupby("root")["record_id"].transform("size")
    return members[["record_id", "resolved_id", "cluster_size"]], pairs


def resolved_id(first_record_id: str) -> str:
    """A resolved person's id: stable while its smallest record id stays in it."""
    return "RP-" + hashlib.sha1(first_record_id.encode("utf-8")).hexdigest()[:12].upper()
