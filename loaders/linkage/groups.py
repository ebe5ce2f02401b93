"""Linked groups explain themselves: which link holds each record in, its weight, and the weakest link.

A group (resolved person) is a set of records joined by links a model or a reviewer made. Each record
but the first is held in by one link of the group's strongest spanning tree (the links the clustering
used, strongest first); the weakest of those is the link a reviewer should check first.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from loaders.linkage.decide import LINKED, resolved_id

__all__ = ["GroupExplanation", "Holding", "explain_group", "groups_from_links"]


@dataclass(frozen=True, slots=True)
class Holding:
    """One record of a group and the link that holds it in (None for the record the group grew from)."""

    record_id: str
    held_by: str | None  # the other record of the link
    match_probability: float | None
    match_weight: float | None
    status: str | None  # auto_accepted or confirmed
    reason: str | None


@dataclass(frozen=True, slots=True)
class GroupExplanation:
    """Why a group's records are one person."""

    resolved_id: str
    records: tuple[Holding, ...]
    weakest: Holding | None  # the holding link with the lowest match weight (confirmed links count as strongest)
    different: tuple[tuple[str, str, str], ...]  # (a, b, why) pairs inside the group someone said are two people


def groups_from_links(links: pd.DataFrame) -> pd.DataFrame:
    """record_id, resolved_id, cluster_size for every record in a group of two or more, from the links.

    links has record_id_l, record_id_r, status (as LinkageResult.pairs or the store's links table).
    """
    graph = nx.Graph()
    linked = links[links["status"].isin(LINKED)]
    graph.add_edges_from(zip(linked["record_id_l"], linked["record_id_r"], strict=True))
    rows = []
    for component in nx.connected_components(graph):
        rid = resolved_id(min(component))
        rows += [(record, rid, len(component)) for record in sorted(component)]
    return pd.DataFrame(rows, columns=["record_id", "resolved_id", "cluster_size"])


def explain_group(resolved: str, links: pd.DataFrame) -> GroupExplanation | None:
    """The explanation of one group, or None when no group has that id."""
    groups = groups_from_links(links)
    members = set(groups.loc[groups["resolved_id"] == resolved, "record_id"])
    if not members:
        return None
    inside = links[links["record_id_l"].isin(members) & links["record_id_r"].isin(members)]
    graph = nx.Graph()
    for row in inside[inside["status"].isin(LINKED)].itertuples(index=False):
        strength = 1e9 if row.status == "confirmed" else float(row.match_weight or 0.0)
        graph.add_edge(row.record_id_l, row.record_id_r, weight=strength, row=row)
    tree = nx.maximum_spanning_tree(graph, weight="weight")
    root = max(sorted(members), key=lambda r: (tree.degree(r, weight="weight"), r))
    holdings = [Holding(root, None, None, None, None, None)]
    for parent, child in nx.bfs_edges(tree, root):
        row = tree.edges[parent, child]["row"]
        holdings.append(Holding(child, parent, _num(row.match_probability), _num(row.match_weight), row.status,
                                row.reason))
    held = [h for h in holdings if h.held_by is not None]
    weakest = min(held, key=lambda h: 1e9 if h.status == "confirmed" else (h.match_weight or 0.0), default=None)
    apart = inside[~inside["status"].isin(LINKED) & inside["status"].isin(("rejected", "different_people"))]
    different = tuple((r.record_id_l, r.record_id_r, str(r.reason or r.status)) for r in apart.itertuples())
    return GroupExplanation(resolved, tuple(holdings), weakest, different)


def _num(value: object) -> float | None:
    return None if value is None or value != value else float(value)  # type: ignore[arg-type]
