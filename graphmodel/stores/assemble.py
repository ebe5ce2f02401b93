"""Building typed, sorted records from the plain rows either store returns, so both answer alike."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.records import (
    COUNTY_COLUMNS,
    AgencyRecord,
    CountyTable,
    EpisodeRecord,
    FamilyRecord,
    FamilySnapshot,
    InvolvementRecord,
    LeadRecord,
    LinkRecord,
    MemberRecord,
    PersonHitRecord,
    PersonNeedRecord,
    ProfessionalRecord,
    RelationshipRecord,
    SourceRecord,
)

__all__ = ["county_frame", "member_records", "person_hits", "snapshot", "source_records"]

Row = dict[str, Any]


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def source_records(rows: Iterable[Row]) -> list[SourceRecord]:
    """Sources sorted by id."""
    return sorted((SourceRecord(r["id"], r.get("agency_id"), r["extracted_at"], r.get("coverage_from"),
                                r.get("coverage_to"), r.get("description"), r.get("agency_name"))
                   for r in rows), key=lambda s: s.id)


def member_records(rows: Iterable[Row]) -> tuple[MemberRecord, ...]:
    """A family's members, one per person, sorted by person id."""
    return tuple(sorted({r["person_id"]: MemberRecord(
        r["person_id"], r["given_name"], r["family_name"], r.get("dob"), r.get("sex"), r["role"],
        bool(r["resident"]), r.get("source_id")) for r in rows}.values(), key=lambda m: m.person_id))


def snapshot(family: Row, members: list[Row], relationships: list[Row], needs: list[Row],
             involvements: list[Row], addresses: list[Row], professionals: list[Row], leads: list[Row],
             episodes: list[Row], sources: list[Row], links: list[Row] | None = None) -> FamilySnapshot:
    """Assemble one family's snapshot from plain rows (columns named as in the records)."""
    codes: dict[str, list[str]] = defaultdict(list)
    for row in addresses:
        codes[row["involvement_id"]].append(row["need_code"])
    agencies = {r["agency_id"]: AgencyRecord(r["agency_id"], r["agency_name"], r["sector"], r["tier"],
                                             r.get("agency_district")) for r in professionals}
    return FamilySnapshot(
        family=FamilyRecord(family["id"], family["name"], family.get("postcode"), family.get("district"),
                            family.get("source_id")),
        members=member_records(members),
        relationships=tuple(sorted({RelationshipRecord(r["person_id"], r["related_person_id"], r["kind"])
                                    for r in relationships}, key=lambda r: (r.person_id, r.related_person_id,
                                                                            r.kind))),
        person_needs=tuple(sorted({PersonNeedRecord(r["person_id"], r["need_code"], r["since"], r.get("until"),
                                                    r["status"], r.get("source_id")) for r in needs},
                                  key=lambda n: (n.person_id, n.need_code, n.since))),
        involvements=tuple(sorted({r["id"]: InvolvementRecord(
            r["id"], r["professional_id"], r.get("person_id"), r.get("person_id") is None,
            tuple(sorted(set(codes[r["id"]]))), r.get("service"), r.get("start"), r.get("end"),
            r.get("source_id")) for r in involvements}.values(), key=lambda i: i.id)),
        professionals=tuple(sorted({r["id"]: ProfessionalRecord(
            r["id"], r["name"], r.get("role"), r.get("team"), r.get("email"), r.get("phone"),
            _opt_int(r.get("lead_capacity")), r["agency_id"], r.get("source_id"))
            for r in professionals}.values(), key=lambda p: p.id)),
        agencies=tuple(sorted(agencies.values(), key=lambda a: a.id)),
        leads=tuple(sorted({LeadRecord(r["professional_id"], r["family_id"], r["since"], r.get("until"),
                                       r.get("source_id")) for r in leads},
                           key=lambda lead: (lead.since, lead.professional_id))),
        episodes=tuple(sorted({r["id"]: EpisodeRecord(
            r["id"], r["kind"], r["opened"], r.get("closed"), r.get("end_reason"), r.get("assessment_date"),
            r.get("plan_date"), r.get("source_id")) for r in episodes}.values(),
            key=lambda e: (e.opened, e.id))),
        sources=tuple(source_records(sources)),
        links=tuple(sorted({(r["person_id"], r["other_person_id"]): LinkRecord(
            r["person_id"], r["other_person_id"], r["other_name"], r.get("other_dob"), r.get("other_source_id"),
            float(r["match_probability"]), r["status"], r.get("reason")) for r in links or []}.values(),
            key=lambda link: (link.person_id, link.other_person_id))),
    )


def person_hits(rows: Iterable[Row]) -> list[PersonHitRecord]:
    """Front-door candidates grouped by person (family ids merged), sorted by person id."""
    by_person: dict[str, Row] = {}
    families: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_person.setdefault(row["person_id"], row)
        if row.get("family_id"):
            families[row["person_id"]].add(row["family_id"])
    return [PersonHitRecord(pid, r["given_name"], r["family_name"], r.get("dob"), r.get("postcode"),
                            r.get("given_key"), r.get("family_key"), tuple(sorted(families[pid])))
            for pid, r in sorted(by_person.items())]


def county_frame(table: CountyTable, rows: Iterable[Row] | pd.DataFrame) -> pd.DataFrame:
    """A county table with its fixed columns, object dtype, missing cells None, de-duplicated and sorted by each
    cell's text (column by column, missing cells last; ties keep the store's order)."""
    columns = list(COUNTY_COLUMNS[table])
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows), columns=columns)
    cells = [frame[c].to_numpy(dtype=object) for c in columns]
    ranked = [] if "lead_capacity" in columns else [_text_rank(values) for values in cells]
    found = [r for r in ranked if r is not None]
    if len(found) < len(columns):  # a number column, or one mixing kinds of value (5 beside "5")
        return _county_frame_general(columns, [values.copy() for values in cells])
    keys = _combined([rank for rank, _ in found])
    order = np.lexsort(keys[::-1])
    ordered = np.stack(keys, axis=1)[order]
    first = np.ones(len(order), dtype=bool)  # equal texts in every column = the same row (one kind per column)
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    keep = order[first]
    result = {}
    for name, values, (_, empty) in zip(columns, cells, found, strict=True):
        result[name] = values[keep]  # a copy
        if empty is not None:
            result[name][empty[keep]] = None  # NaN (or any other missing mark) becomes None
    return pd.DataFrame(result, columns=columns, dtype=object)


def _combined(ranks: list[np.ndarray]) -> list[np.ndarray]:
    """Neighbouring columns' ranks folded into as few 63-bit keys as hold them (same order, same equalities)."""
    keys: list[np.ndarray] = []
    key, room = None, 1
    for rank in ranks:
        size = int(rank.max()) + 1 if len(rank) else 1
        if key is None or room * size >= 2**62:
            if key is not None:
                keys.append(key)
            key, room = rank.astype(np.int64), size
        else:
            key, room = key * size + rank, room * size
    return [*keys, key] if key is not None else keys


_ONE_TEXT_PER_VALUE = frozenset({"string", "empty", "integer", "boolean"})
"""Kinds of column (pandas' infer_dtype) where two cells are equal exactly when their texts are."""


def _text_rank(values: np.ndarray) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Each cell's dense rank by its text (missing last) and where cells are missing (None if none are), or None
    when the column mixes kinds of value."""
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind not in _ONE_TEXT_PER_VALUE:
        return None
    texts = values if kind in ("string", "empty") else np.array([None if pd.isna(v) else str(v) for v in values],
                                                                 dtype=object)
    array = pa.array(texts, type=pa.string(), from_pandas=True)  # None, NaN and pd.NA become nulls, as pd.isna
    empty = array.is_null().to_numpy(zero_copy_only=False) if array.null_count else None
    sample = array.slice(0, _SAMPLE)
    if len(sample) and len(pc.unique(sample)) * 2 > len(sample):  # mostly distinct (ids): rank the cells
        ranked = pc.rank(array, sort_keys="ascending", tiebreaker="dense")
        return np.asarray(ranked.to_numpy(zero_copy_only=False), dtype=np.int64), empty
    encoded = pc.dictionary_encode(array)  # few distinct values (codes, dates): rank those, then each cell
    ranks = np.asarray(pc.rank(encoded.dictionary, sort_keys="ascending", tiebreaker="dense"), dtype=np.int64)
    ranks = np.append(ranks, len(ranks) + 1)  # missing cells last
    indices = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(zero_copy_only=False)
    return ranks[indices.astype(np.int64)], empty


_SAMPLE = 2000
"""Cells looked at to judge whether a column is mostly distinct values."""


def _county_frame_general(columns: list[str], cells: list[np.ndarray]) -> pd.DataFrame:
    """county_frame the general way, for a table with a number column or one mixing kinds of value: pandas'
    sort of each cell's text (lead capacity read as whole numbers)."""
    frame = pd.DataFrame(dict(zip(columns, cells, strict=True)), columns=columns, dtype=object)
    frame = frame.where(frame.notna(), None)
    if "lead_capacity" in frame.columns:
        frame["lead_capacity"] = frame["lead_capacity"].map(_opt_int)
    frame = frame.drop_duplicates()
    key = frame.astype(str)
    return frame.loc[key.sort_values(columns).index].reset_index(drop=True)
