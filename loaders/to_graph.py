"""Turning validated import frames into graph nodes and relationships, as the mapping in loaders/spec.py says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from graphmodel.names import family_key, given_key, phonetic, postcode_key
from graphmodel.records import GraphBatch
from graphmodel.schema import node_spec, rel_spec
from loaders.spec import FILES, NodeMap, RelMap

__all__ = ["DERIVED", "frames_to_batch"]

Row = dict[str, Any]


def _dicts(frame: pd.DataFrame, names: list[str]) -> list[Row]:
    """Rows as dicts of the given names (one per column, in order), missing values as None."""
    sub = frame.astype(object)
    columns = [sub[c].where(sub[c].notna(), None).tolist() for c in sub.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _postcode_key(frame: pd.DataFrame, rows: list[Row]) -> None:
    """Postcodes stored as keys without spaces ('CB1 1AA' -> 'CB11AA')."""
    postcodes = {code: postcode_key(code) or None for code in set(frame["postcode"].dropna())}
    for row in rows:
        row["postcode"] = postcodes.get(row["postcode"])


def _person_keys(frame: pd.DataFrame, rows: list[Row]) -> None:
    """The search keys the front door and linkage use (computed once per distinct name)."""
    _postcode_key(frame, rows)
    given = {name: given_key(name) for name in set(frame["given_name"].dropna())}
    family = {name: (family_key(name), phonetic(name)) for name in set(frame["family_name"].dropna())}
    for row in rows:
        row["given_key"] = given.get(row["given_name"], "")
        row["family_key"], row["family_phonetic"] = family.get(row["family_name"], ("", ""))


DERIVED: dict[str, Callable[[pd.DataFrame, list[Row]], None]] = {
    "postcode_key": _postcode_key,
    "person_keys": _person_keys,
}
"""Properties computed from a file's rows, by the name a NodeMap gives."""


def node_rows(frame: pd.DataFrame, node: NodeMap) -> list[Row]:
    """One node row per file row: the mapped columns that the schema stores, then any derived properties."""
    stored = set(node_spec(node.label).properties)
    columns = {column: prop for column, prop in node.properties.items() if prop in stored}
    rows = _dicts(frame[list(columns)], list(columns.values()))
    if node.derive:
        DERIVED[node.derive](frame, rows)
    return rows


def rel_rows(frame: pd.DataFrame, rel: RelMap) -> list[Row]:
    """Relationship rows {src, dst, <properties>} of one mapping."""
    rel_spec(rel.name)  # an allow-listed relationship, or ValueError
    if rel.when:
        frame = frame[frame[rel.when].notna()]
    if rel.each_code:
        return [{"src": src, "dst": code} for src, codes in zip(frame[rel.src], frame[rel.dst], strict=True)
                for code in (codes or ())]
    return _dicts(frame[[rel.src, rel.dst, *rel.properties]], ["src", "dst", *rel.properties])


def frames_to_batch(frames: dict[str, pd.DataFrame]) -> GraphBatch:
    """Map validated frames (keyed by file stem) to one batch of graph writes."""
    batch = GraphBatch()
    for stem in (s for s in FILES if s in frames):
        spec, frame = FILES[stem], frames[stem]
        if spec.node is not None:
            batch.nodes[spec.node.label] = node_rows(frame, spec.node)
        for rel in spec.rels:
            batch.rels[rel.name] = rel_rows(frame, rel)
    return batch
