"""Turning validated import frames into graph nodes and relationships."""

from __future__ import annotations

from typing import Any

import pandas as pd

from graphmodel.names import canonical_given, family_key, phonetic, postcode_key
from graphmodel.records import GraphBatch
from graphmodel.schema import Label

__all__ = ["frames_to_batch"]

Row = dict[str, Any]


def _dicts(frame: pd.DataFrame, names: list[str]) -> list[Row]:
    """Rows as dicts of the given names (one per column, in order), missing values as None."""
    sub = frame.astype(object)
    columns = [sub[c].where(sub[c].notna(), None).tolist() for c in sub.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _records(frame: pd.DataFrame, columns: dict[str, str]) -> list[Row]:
    """Rows of selected columns renamed (source name -> property name)."""
    return _dicts(frame[list(columns)], list(columns.values()))


def _rels(frame: pd.DataFrame, src: str, dst: str, key: tuple[str, ...] = (),
          props: tuple[str, ...] = ()) -> list[Row]:
    """Relationship rows {src, dst, <key and property columns>} from two id columns."""
    return _dicts(frame[[src, dst, *key, *props]], ["src", "dst", *key, *props])


def _people(frame: pd.DataFrame) -> list[Row]:
    """Person nodes with the search keys the front door and linkage use (computed once per distinct name)."""
    rows = _records(frame, {"person_id": "id", "given_name": "given_name", "family_name": "family_name",
                            "date_of_birth": "dob", "sex": "sex", "postcode": "postcode",
                            "nhs_number": "nhs_number", "upn": "upn", "source_id": "source_id"})
    given = {name: canonical_given(name) for name in set(frame["given_name"].dropna())}
    family = {name: (family_key(name), phonetic(name)) for name in set(frame["family_name"].dropna())}
    postcodes = {code: postcode_key(code) or None for code in set(frame["postcode"].dropna())}
    for row in rows:
        row["postcode"] = postcodes.get(row["postcode"])
        row["given_key"] = given.get(row["given_name"], "")
        row["family_key"], row["family_phonetic"] = family.get(row["family_name"], ("", ""))
    return rows


def frames_to_batch(frames: dict[str, pd.DataFrame]) -> GraphBatch:
    """Map validated frames (keyed by file stem) to one batch of graph writes."""
    batch = GraphBatch()
    nodes, rels = batch.nodes, batch.rels
    if (f := frames.get("agencies")) is not None:
        nodes[Label.AGENCY] = _records(f, {"agency_id": "id", "name": "name", "sector": "sector", "tier": "tier",
                                           "district": "district"})
    if (f := frames.get("sources")) is not None:
        nodes[Label.SOURCE] = _records(f, {"source_id": "id", "agency_id": "agency_id",
                                           "extracted_at": "extracted_at", "coverage_from": "coverage_from",
                                           "coverage_to": "coverage_to", "description": "description"})
    if (f := frames.get("professionals")) is not None:
        nodes[Label.PROFESSIONAL] = _records(f, {"professional_id": "id", "name": "name", "role": "role",
                                                 "team": "team", "email": "email", "phone": "phone",
                                                 "lead_capacity": "lead_capacity", "source_id": "source_id"})
        rels["works_for"] = _rels(f, "professional_id", "agency_id")
    if (f := frames.get("families")) is not None:
        fam = _records(f, {"family_id": "id", "name": "name", "postcode": "postcode", "district": "district",
                           "source_id": "source_id"})
        for row in fam:
            row["postcode"] = postcode_key(row["postcode"]) or None
        nodes[Label.FAMILY] = fam
    if (f := frames.get("people")) is not None:
        nodes[Label.PERSON] = _people(f)
    if (f := frames.get("memberships")) is not None:
        rels["member_of"] = _rels(f, "person_id", "family_id", (), ("role", "resident", "source_id"))
    if (f := frames.get("relationships")) is not None:
        rels["related_to"] = _rels(f, "person_id", "related_person_id", ("kind",), ("source_id",))
    if (f := frames.get("needs")) is not None:
        rels["has_need"] = _rels(f, "person_id", "need_code", ("since",), ("until", "status", "source_id"))
    if (f := frames.get("involvements")) is not None:
        _involvements(f, batch)
    if (f := frames.get("leads")) is not None:
        rels["leads"] = _rels(f, "professional_id", "family_id", ("since",), ("until", "source_id"))
    if (f := frames.get("episodes")) is not None:
        nodes[Label.EPISODE] = _records(f, {"episode_id": "id", "kind": "kind", "opened": "opened",
                                            "closed": "closed", "end_reason": "end_reason",
                                            "assessment_date": "assessment_date", "plan_date": "plan_date",
                                            "source_id": "source_id"})
        rels["had"] = _rels(f, "family_id", "episode_id")
    return batch


def _involvements(frame: pd.DataFrame, batch: GraphBatch) -> None:
    """Involvement nodes and their DELIVERS, WITH and ADDRESSES relationships."""
    batch.nodes[Label.INVOLVEMENT] = _records(frame, {"involvement_id": "id", "service": "service",
                                                      "start": "start_date", "end": "end_date",
                                                      "source_id": "source_id"})
    batch.rels["delivers"] = _rels(frame, "professional_id", "involvement_id")
    batch.rels["with_person"] = _rels(frame[frame["person_id"].notna()], "involvement_id", "person_id")
    batch.rels["with_family"] = _rels(frame[frame["family_id"].notna()], "involvement_id", "family_id")
    batch.rels["addresses"] = [
        {"src": inv, "dst": code}
        for inv, codes in zip(frame["involvement_id"], frame["need_codes"], strict=True)
        for code in (codes or ())
    ]
