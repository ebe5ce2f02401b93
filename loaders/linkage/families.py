"""Families link through their members: two family records sharing a resolved person are connected."""

from __future__ import annotations

import pandas as pd

__all__ = ["family_links"]


def family_links(memberships: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """Pairs of families (family_id_l < family_id_r) with the resolved persons they share.

    memberships has person_id and family_id (the import format); clusters is LinkageResult.clusters,
    whose record_id is the person_id.
    """
    members = memberships[["person_id", "family_id"]].merge(
        clusters[["record_id", "resolved_id"]], left_on="person_id", right_on="record_id")
    both = members.merge(members, on="resolved_id", suffixes=("_l", "_r"))
    both = both[both["family_id_l"] < both["family_id_r"]]
    grouped = both.groupby(["family_id_l", "family_id_r"])["resolved_id"]
    out = grouped.agg(lambda ids: ";".join(sorted(set(ids)))).rename("shared_resolved_ids").reset_index()
    out["shared_people"] = grouped.nunique().to_numpy()
    return out
