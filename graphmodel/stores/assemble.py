"""Building typed, sorted records from the plain rows either store returns, so both answer alike."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

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
    """A county table with its fixed columns, object dtype, de-duplicated and sorted."""
    columns = list(COUNTY_COLUMNS[table])
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows), columns=columns)
    frame = frame[columns].astype(object)
    frame = frame.where(frame.notna(), None)
    if "lead_capacity" in frame.columns:
        frame["lead_capacity"] = frame["lead_capacity"].map(_opt_int)
    frame = frame.drop_duplicates()
    key = frame.astype(str)
    return frame.loc[key.sort_values(columns).index].reset_index(drop=True)
