"""Linkage scores against known truth: pairwise precision/recall/F1, B-cubed, and household merges."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import pandas as pd

__all__ = ["group_scores", "pairs_within", "scores"]


def pairs_within(groups: pd.Series) -> set[tuple[str, str]]:
    """Every pair of records (a < b) that share a group; groups is record_id -> group id."""
    out: set[tuple[str, str]] = set()
    frame = pd.DataFrame({"record": groups.index.astype(str), "group": groups.to_numpy()})
    sizes = frame.groupby("group")["record"].transform("size")
    for _, members in frame[sizes > 1].groupby("group")["record"]:
        out.update(itertools.combinations(sorted(members), 2))
    return out


def scores(predicted: set[tuple[str, str]], true: set[tuple[str, str]]) -> dict[str, float | None]:
    """Pairwise precision (None when nothing was linked), recall and F1."""
    both = len(predicted & true)
    precision = both / len(predicted) if predicted else None
    recall = both / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision and precision + recall else 0.0
    return {"precision": None if precision is None else round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4)}


def group_scores(predicted: pd.Series, entity: pd.Series, negatives: Iterable[tuple[str, str, str]] = (),
                 ) -> dict[str, float | int]:
    """B-cubed precision and recall, groups holding two or more people, and negatives merged by kind.

    predicted and entity map every record id to its group and to its true person.
    """
    frame = pd.DataFrame({"group": predicted, "entity": entity.reindex(predicted.index)})
    both = frame.groupby(["group", "entity"]).size().rename("n").reset_index()
    group_size = frame.groupby("group").size()
    entity_size = frame.groupby("entity").size()
    both["g"] = both["group"].map(group_size)
    both["e"] = both["entity"].map(entity_size)
    total = len(frame)
    b3_precision = float((both["n"] ** 2 / both["g"]).sum() / total)
    b3_recall = float((both["n"] ** 2 / both["e"]).sum() / total)
    mixed = both.groupby("group")["entity"].nunique()
    out: dict[str, float | int] = {"b3_precision": round(b3_precision, 5), "b3_recall": round(b3_recall, 5),
                                   "groups_with_two_people": int((mixed > 1).sum())}
    merged: dict[str, int] = {}
    for a, b, kind in negatives:
        if a in predicted.index and b in predicted.index:
            merged.setdefault(kind, 0)
            if predicted[a] == predicted[b]:
                merged[kind] += 1
    for kind, count in sorted(merged.items()):
        out[f"{kind}_merged"] = count
    return out
