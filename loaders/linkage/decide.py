"""From scores to decisions: thresholds, reviewer decisions, and clustering links into resolved persons."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
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
Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Match probability at or above `accept` links automatically; below `reject` does not; between: review."""

    accept: float = 0.99
    reject: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.reject <= self.accept <= 1.0:
            raise ValueError(f"need 0 <= reject <= accept <= 1, got reject={self.reject}, accept={self.accept}")


def decide(pairs: pd.DataFrame, reviewed: Mapping[Pair, str], thresholds: Thresholds,
           record_ids: Iterable[str]) -> pd.DataFrame:
    """Status per pair: the reviewer's decision where there is one, else the thresholds.

    Confirmed pairs whose records are both still present are kept even when this run did not score them.
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
        unscored = [(l, r) for (l, r), s in reviewed.items()
                    if s == CONFIRMED and (l, r) not in scored and l in present and r in present]
        if unscored:
            extra = pd.DataFrame(unscored, columns=["record_id_l", "record_id_r"])
            extra["status"], extra["note"] = CONFIRMED, "confirmed by a reviewer; not scored in this run"
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

    for l, r in pairs.loc[pairs["status"] == REJECTED, ["record_id_l", "record_id_r"]].itertuples(index=False):
        apart.setdefault(l, set()).add(r)
        apart.setdefault(r, set()).add(l)
    linked = pairs[pairs["status"].isin(LINKED)].copy()
    linked["_order"] = np.where(linked["status"] == CONFIRMED, 2.0, linked["match_probability"].fillna(0.0))
    for index, l, r, status in linked.sort_values("_order", ascending=False, kind="stable")[
            ["record_id_l", "record_id_r", "status"]].itertuples():
        a, b = find(l), find(r)
        if a == b:
            continue
        if status != CONFIRMED and any(find(x) == b for x in apart.get(a, ())):
            pairs.loc[index, ["status", "note"]] = [REVIEW, "would join records a reviewer said are different"]
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
