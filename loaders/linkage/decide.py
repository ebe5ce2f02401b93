"""From scores to decisions: thresholds, reviewer decisions, and clustering links into resolved persons."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphmodel.errors import UserInputError
from loaders.linkage.household import ALL_RULES, Person, Rules, different_people, look_alike_registered, vetoes

__all__ = [
    "APART_NOTE",
    "AUTO_ACCEPTED",
    "AUTO_REJECTED",
    "CANNOT_LINK_NOTE",
    "CONFIRMED",
    "DIFFERENT",
    "LINKED",
    "REJECTED",
    "REVIEW",
    "Thresholds",
    "cluster",
    "decide",
    "resolved_id",
]

AUTO_ACCEPTED, REVIEW, AUTO_REJECTED = "auto_accepted", "review", "auto_rejected"
DIFFERENT = "different_people"  # a household rule says the two records are two people (household.py)
CONFIRMED, REJECTED = "confirmed", "rejected"  # by a reviewer
LINKED: frozenset[str] = frozenset({AUTO_ACCEPTED, CONFIRMED})
APART_NOTE = "would join records a reviewer said are different"
CANNOT_LINK_NOTE = "would join records that are different people"
SAME_SOURCE_NOTE = "two records from one extract need stronger evidence"
Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Match probability >= `accept` links automatically (never when accept is 1); below `reject` does not;
    between: review.

    Two records from the same extract need `accept_same_source` (an agency's own system has usually
    merged its duplicates already, so a same-source pair is more often two people).
    """

    accept: float = 0.7
    reject: float = 0.2
    accept_same_source: float = 0.95
    link_within_source: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.reject <= self.accept <= 1.0:
            raise UserInputError(f"thresholds need 0 <= reject <= accept <= 1, got reject {self.reject}, accept "
                                 f"{self.accept}")
        if not 0.0 <= self.accept_same_source <= 1.0:
            raise UserInputError(f"need 0 <= accept_same_source <= 1, got {self.accept_same_source}")


def decide(pairs: pd.DataFrame, reviewed: Mapping[Pair, str], thresholds: Thresholds,
           record_ids: Iterable[str], sources: Mapping[str, str | None] | None = None,
           people: Mapping[str, Person] | None = None, rules: Rules = ALL_RULES) -> pd.DataFrame:
    """Status per pair: the reviewer's decision where there is one, else household rules and thresholds.

    Reviewed pairs whose records are both still present are kept even when this run did not score them,
    so a confirmed link stays and a rejected pair still keeps its records apart.
    """
    out = pairs.copy()
    p = out["match_probability"].to_numpy()
    auto = (p >= thresholds.accept) & (thresholds.accept < 1.0)  # accept = 1: a reviewer sees every link
    out["status"] = np.where(auto, AUTO_ACCEPTED, np.where(p < thresholds.reject,
                                                                             AUTO_REJECTED, REVIEW))
    out["note"] = ""
    if sources is not None and len(out):
        same = (out["record_id_l"].map(sources) == out["record_id_r"].map(sources)).to_numpy()
        weak = same & (out["status"] == AUTO_ACCEPTED).to_numpy() & (p < thresholds.accept_same_source)
        out.loc[weak, ["status", "note"]] = [REVIEW, SAME_SOURCE_NOTE]
        if not thresholds.link_within_source:
            out.loc[same, ["status", "note"]] = [AUTO_REJECTED, "linking within one extract is off"]
    if people is not None and len(out):
        why = vetoes(zip(out["record_id_l"], out["record_id_r"], strict=True), people, rules)
        vetoed = np.array([w is not None for w in why], dtype=bool)
        out.loc[vetoed, "status"] = DIFFERENT
        out.loc[vetoed, "note"] = [w for w in why if w is not None]
        auto = out.index[out["status"] == AUTO_ACCEPTED]
        doubt = [look_alike_registered(people[a], people[b], rules)
                 for a, b in zip(out.loc[auto, "record_id_l"], out.loc[auto, "record_id_r"], strict=True)]
        flagged = [index for index, d in zip(auto, doubt, strict=True) if d]
        out.loc[flagged, "status"] = REVIEW
        out.loc[flagged, "note"] = [d for d in doubt if d]
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


def cluster(record_ids: pd.Series, pairs: pd.DataFrame, people: Mapping[str, Person] | None = None,
            rules: Rules = ALL_RULES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolved persons from linked pairs: greedy agglomeration with cannot-link constraints.

    Confirmed links are joined first, then automatic links strongest first. Two groups are joined only
    if no pair across them is a cannot-link: a reviewer's rejection, or two records a household rule
    says are different people (checked across every pair of the two groups, scored or not). A link
    that would break one goes to review with a note naming the pair. Returns (clusters, pairs) where
    clusters has record_id, resolved_id, cluster_size and pairs carries the updated statuses.
    """
    pairs = pairs.copy()
    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    apart: dict[str, set[str]] = {}  # record -> records a reviewer (or a rule) keeps it apart from

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def conflict(a: str, b: str) -> str | None:
        """Why groups a and b must stay apart, or None."""
        small, big = sorted((members.get(a, [a]), members.get(b, [b])), key=len)
        other = set(big)
        for x in small:
            if apart.get(x, set()) & other:
                return APART_NOTE
        if people is not None:
            for x in small:
                for y in big:
                    if x not in people or y not in people:
                        continue
                    why = (different_people(people[x], people[y], rules)
                           or look_alike_registered(people[x], people[y], rules))
                    if why:
                        return f"{CANNOT_LINK_NOTE} ({x} / {y}: {why})"
        return None

    cannot = pairs.loc[pairs["status"].isin((REJECTED, DIFFERENT)), ["record_id_l", "record_id_r"]]
    for left, right in cannot.itertuples(index=False):
        apart.setdefault(left, set()).add(right)
        apart.setdefault(right, set()).add(left)
    linked = pairs[pairs["status"].isin(LINKED)].copy()
    linked["_order"] = np.where(linked["status"] == CONFIRMED, 2.0, linked["match_probability"].fillna(0.0))
    linked["_weight"] = linked["match_weight"].fillna(0.0) if "match_weight" in linked else 0.0
    ordered = linked.sort_values(["_order", "_weight"], ascending=False, kind="stable")
    for index, left, right, status in ordered[["record_id_l", "record_id_r", "status"]].itertuples():
        a, b = find(left), find(right)
        if a == b:
            continue
        if status != CONFIRMED and (why := conflict(a, b)):
            pairs.loc[index, ["status", "note"]] = [REVIEW, why]
            continue
        big, small = (a, b) if len(members.get(a, [a])) >= len(members.get(b, [b])) else (b, a)
        parent[small] = big
        members[big] = members.pop(big, [big]) + members.pop(small, [small])
    ids = record_ids.astype(str)
    roots = ids.map(lambda x: find(x) if x in parent else x)
    frame = pd.DataFrame({"record_id": ids.to_numpy(), "root": roots.to_numpy()})
    first = frame.groupby("root")["record_id"].transform("min")
    frame["resolved_id"] = first.map(resolved_id)
    frame["cluster_size"] = frame.groupby("root")["record_id"].transform("size")
    return frame[["record_id", "resolved_id", "cluster_size"]], pairs


def resolved_id(first_record_id: str) -> str:
    """A resolved person's id: stable while its smallest record id stays in it."""
    return "RP-" + hashlib.sha1(first_record_id.encode("utf-8")).hexdigest()[:12].upper()
