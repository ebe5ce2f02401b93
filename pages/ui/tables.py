"""Display tables built from query records: team, needs, suggestion, findings, worklist and sources."""

from __future__ import annotations

import pandas as pd

from graphmodel.records import SourceRecord
from pages.ui.labels import FINDING_KINDS, need_name, role_name
from queries.common import days_between
from queries.duplicates import DuplicateFinding
from queries.interrelated import FamilyNeeds
from queries.suggest import LeadSuggestion
from queries.team import STALE_AFTER_DAYS, TeamView

__all__ = ["family_url", "findings_frame", "needs_frame", "sources_frame", "suggestion_frame", "team_frame",
           "worklist_frame"]


def family_url(family_id: str) -> str:
    """The app path that opens a family (relative, so it works on any host)."""
    return f"./family?family={family_id}"


def _freshness(age: int | None) -> str:
    if age is None:
        return "unknown"
    return f"{age} days old" + (" (stale)" if age > STALE_AFTER_DAYS else "")


def team_frame(team: TeamView) -> pd.DataFrame:
    """One row per open piece of work: who, contact, with whom, about what, since when, source and freshness."""
    rows = [{
        "Professional": t.name, "Lead": "★ lead" if t.is_lead else "", "Role": t.role or "",
        "Agency": t.agency, "Sector": t.sector_name, "Email": t.email or "", "Phone": t.phone or "",
        "With": t.with_whom, "Addresses": ", ".join(t.addresses), "Service": t.service or "",
        "Since": t.since or "", "Source": t.source_id or "", "Data as of": t.source_extracted_at or "",
        "Freshness": _freshness(t.source_age_days),
    } for t in team.team]
    columns = ["Professional", "Lead", "Role", "Agency", "Sector", "Email", "Phone", "With", "Addresses",
               "Service", "Since", "Source", "Data as of", "Freshness"]
    return pd.DataFrame(rows, columns=columns)


def needs_frame(needs: FamilyNeeds | None, team: TeamView) -> pd.DataFrame:
    """Open needs per member."""
    names = {m.person_id: m.name for m in team.members}
    rows = [(names.get(pid, pid), role_name(role), need_name(code)) for pid, role, code in
            (needs.needs if needs else ())]
    return pd.DataFrame(rows, columns=["Member", "Role", "Need"])


def suggestion_frame(suggestion: LeadSuggestion) -> pd.DataFrame:
    """Candidates ranked, with each part of the score explained."""
    rows = [{
        "Rank": i, "Professional": c.name, "Agency": c.agency, "Score": round(c.score, 3),
        "Current lead": "yes" if c.is_current_lead else "", "At capacity": "yes" if c.at_capacity else "",
        "Why": "; ".join(f"{p.name} {p.points:.2f}: {p.explanation}" for p in c.parts),
    } for i, c in enumerate(suggestion.candidates, start=1)]
    return pd.DataFrame(rows, columns=["Rank", "Professional", "Agency", "Score", "Current lead", "At capacity",
                                       "Why"])


def findings_frame(findings: tuple[DuplicateFinding, ...] | list[DuplicateFinding]) -> pd.DataFrame:
    """A family's duplicated involvement and related warnings, most severe first."""
    rows = [(f.severity, FINDING_KINDS.get(f.kind, f.kind), need_name(f.need_code) if f.need_code else "",
             f.reason) for f in findings]
    return pd.DataFrame(rows, columns=["Severity", "Finding", "Need", "Reason"])


def worklist_frame(findings: list[DuplicateFinding], districts: dict[str, str | None]) -> pd.DataFrame:
    """The Hub worklist: one row per finding, with a link that opens the family."""
    rows = [{
        "Open": family_url(f.family_id), "Family": f.family_id, "District": districts.get(f.family_id) or "",
        "Severity": f.severity, "Finding": FINDING_KINDS.get(f.kind, f.kind),
        "Need": need_name(f.need_code) if f.need_code else "", "Agencies": len(f.agency_ids) or None,
        "Professionals": len(f.professional_ids) or None, "Reason": f.reason,
    } for f in findings]
    return pd.DataFrame(rows, columns=["Open", "Family", "District", "Severity", "Finding", "Need", "Agencies",
                                       "Professionals", "Reason"])


def sources_frame(sources: list[SourceRecord], as_of: str) -> pd.DataFrame:
    """Every source with its coverage and how old it is on a date."""
    rows = []
    for s in sources:
        age = days_between(s.extracted_at, as_of)
        rows.append({"Source": s.id, "Agency": s.agency_name or s.agency_id or "", "Extracted": s.extracted_at,
                     "Covers from": s.coverage_from or "", "Covers to": s.coverage_to or "",
                     "Age (days)": age, "Stale": "stale" if age > STALE_AFTER_DAYS else "",
                     "Description": s.description or ""})
    return pd.DataFrame(rows, columns=["Source", "Agency", "Extracted", "Covers from", "Covers to", "Age (days)",
                                       "Stale", "Description"])
