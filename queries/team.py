"""Team around the family: members and their needs, the professionals involved, the lead, and how
fresh each source is ("no data from police since March" is not "no police involvement")."""

from __future__ import annotations

from dataclasses import dataclass

from graphmodel.contract import GraphStore
from graphmodel.names import postcode_display
from graphmodel.records import FamilySnapshot, is_open
from graphmodel.taxonomy import NEEDS, SECTORS
from queries.common import as_of_or_default, days_between, display_date

__all__ = ["MemberView", "SourceFreshness", "TeamMember", "TeamView", "team_around_family", "team_from_snapshot"]

STALE_AFTER_DAYS = 60


@dataclass(frozen=True, slots=True)
class MemberView:
    """A family member as of a date, with open needs."""

    person_id: str
    name: str
    role: str
    resident: bool
    age: int | None
    open_needs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TeamMember:
    """One open piece of work: who, from where, with whom, about what, since when, and from which source."""

    professional_id: str
    name: str
    role: str | None
    agency_id: str
    agency: str
    sector: str
    sector_name: str
    tier: str
    email: str | None
    phone: str | None
    involvement_id: str
    with_whom: str
    person_id: str | None
    addresses: tuple[str, ...]
    since: str | None
    until: str | None
    service: str | None
    is_lead: bool
    source_id: str | None
    source_extracted_at: str | None
    source_age_days: int | None


@dataclass(frozen=True, slots=True)
class SourceFreshness:
    """How recent one agency's data is, and whether it shows work with this family."""

    source_id: str
    agency_id: str | None
    agency: str | None
    extracted_at: str
    age_days: int
    stale: bool
    involved: bool
    note: str


@dataclass(frozen=True, slots=True)
class TeamView:
    """The team around one family on a date."""

    family_id: str
    family_name: str
    postcode: str | None
    district: str | None
    as_of: str
    members: tuple[MemberView, ...]
    team: tuple[TeamMember, ...]
    lead_ids: tuple[str, ...]
    open_episodes: tuple[str, ...]
    sources: tuple[SourceFreshness, ...]

    @property
    def professional_count(self) -> int:
        """Distinct professionals with open work."""
        return len({t.professional_id for t in self.team})


def _age(dob: str | None, as_of: str) -> int | None:
    if not dob:
        return None
    years = int(as_of[:4]) - int(dob[:4])
    return years - (1 if as_of[5:] < dob[5:] else 0)


def team_from_snapshot(snap: FamilySnapshot, as_of: str) -> TeamView:
    """Build the team view from a family snapshot."""
    agencies = {a.id: a for a in snap.agencies}
    profs = {p.id: p for p in snap.professionals}
    sources = {s.id: s for s in snap.sources}
    members = {m.person_id: m for m in snap.members}
    leads = tuple(sorted({lead.professional_id for lead in snap.leads if is_open(lead.since, lead.until, as_of)}))
    open_needs: dict[str, list[str]] = {}
    for need in snap.person_needs:
        if is_open(need.since, need.until, as_of):
            open_needs.setdefault(need.person_id, []).append(need.need_code)
    member_views = tuple(MemberView(m.person_id, f"{m.given_name} {m.family_name}", m.role, m.resident,
                                    _age(m.dob, as_of), tuple(sorted(set(open_needs.get(m.person_id, [])))))
                         for m in snap.members)
    team = []
    for inv in snap.involvements:
        if not is_open(inv.start, inv.end, as_of):
            continue
        prof = profs[inv.professional_id]
        agency = agencies[prof.agency_id]
        source = sources.get(inv.source_id or "")
        member = members.get(inv.person_id or "")
        team.append(TeamMember(
            prof.id, prof.name, prof.role, agency.id, agency.name, agency.sector,
            SECTORS[agency.sector].name if agency.sector in SECTORS else agency.sector, agency.tier,
            prof.email, prof.phone, inv.id,
            f"{member.given_name} {member.family_name}" if member else "whole family", inv.person_id,
            tuple(NEEDS[c].name if c in NEEDS else c for c in inv.need_codes), inv.start, inv.end, inv.service,
            prof.id in leads, inv.source_id, source.extracted_at if source else None,
            days_between(source.extracted_at, as_of) if source else None))
    involved_sources = {t.source_id for t in team}
    names = {**{s.agency_id: s.agency_name for s in snap.sources if s.agency_id and s.agency_name},
             **{a.id: a.name for a in snap.agencies}}
    freshness = []
    for source in snap.sources:
        age = days_between(source.extracted_at, as_of)
        stale = age > STALE_AFTER_DAYS
        involved = source.id in involved_sources
        who = names.get(source.agency_id or "", source.agency_id or source.id)
        if involved:
            note = f"{who}: involved; data as of {display_date(source.extracted_at)}"
        elif stale:
            note = (f"no data from {who} since {display_date(source.extracted_at)}: no involvement shown, but it may "
                    "be missing")
        else:
            note = f"{who}: no involvement recorded (data up to {display_date(source.extracted_at)})"
        freshness.append(SourceFreshness(source.id, source.agency_id, names.get(source.agency_id or ""),
                                         source.extracted_at, age, stale, involved, note))
    return TeamView(
        snap.family.id, snap.family.name, postcode_display(snap.family.postcode), snap.family.district, as_of,
        member_views,
        tuple(sorted(team, key=lambda t: (not t.is_lead, t.agency, t.name, t.involvement_id))), leads,
        tuple(e.id for e in snap.episodes if is_open(e.opened, e.closed, as_of)),
        tuple(sorted(freshness, key=lambda f: (not f.involved, not f.stale, f.source_id))))


def team_around_family(store: GraphStore, family_id: str, as_of: str | None = None) -> TeamView | None:
    """The team around a family on a date (default today); None if the family is unknown."""
    snap = store.family_snapshot(family_id)
    return team_from_snapshot(snap, as_of_or_default(store, as_of)) if snap else None
