"""The ecomap in words: the picture's text alternative, for screen-reader, magnifier and keyboard users.

The same network as the drawing, as headings and lists: for each member (then work with the whole family), each
open piece of work -> the professional -> their agency and sector, with the needs it addresses, and the flags
the picture shows by colour and line: lead, duplicated, parallel. Unlike the drawing it leaves nobody out (no
per-agency cap), and it names each member's open needs that no work addresses.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from graphmodel.dates import format_uk
from graphmodel.taxonomy import SECTORS
from pages.ui.ecomap import DUPLICATED_KINDS, PARALLEL_KINDS
from pages.ui.family_view import FamilyView
from pages.ui.labels import GROUP_NAMES, need_name, role_name
from pages.ui.text import md
from queries.team import TeamMember

__all__ = ["WHOLE_FAMILY", "MemberOutline", "WorkLine", "ecomap_outline", "lead_sentence", "picture_names",
           "render_ecomap_text"]

WHOLE_FAMILY = "Work with the whole family"


@dataclass(frozen=True, slots=True)
class WorkLine:
    """One open piece of work, in words: what, who, from where, since when, and its flags."""

    needs: str
    service: str
    professional: str
    role: str
    agency: str
    sector_group: str
    since: str
    lead: bool
    duplicated_with: tuple[str, ...]
    parallel_with: tuple[str, ...]

    def sentence(self) -> str:
        """'Domestic violence and abuse (IDVA service): Mo Khan, IDVA, Refuge Outreach (Voluntary ...) ...'."""
        who = ", ".join(p for p in (self.professional, self.role, f"{self.agency} ({self.sector_group})") if p)
        flags = []
        if self.lead:
            flags.append("LEAD PROFESSIONAL for the family")
        if self.duplicated_with:
            flags.append("DUPLICATED: the same need is also worked on by " + "; ".join(self.duplicated_with))
        if self.parallel_with:
            flags.append("PARALLEL work, to coordinate with " + "; ".join(self.parallel_with))
        service = f" ({self.service})" if self.service else ""
        return f"{self.needs}{service}: {who}; {self.since}" + "".join(f". {flag}" for flag in flags)


@dataclass(frozen=True, slots=True)
class MemberOutline:
    """A member (or the whole family) with their open needs, the needs nobody works on, and the work."""

    heading: str
    needs: tuple[str, ...]
    unaddressed: tuple[str, ...]
    work: tuple[WorkLine, ...]


def _uk_date(iso: str | None) -> str:
    return format_uk(iso) if iso else "start date not recorded"


def _group(sector: str) -> str:
    group = SECTORS[sector].group if sector in SECTORS else ""
    return GROUP_NAMES.get(group, "sector not recorded")


def _flagged(view: FamilyView, kinds: frozenset[str]) -> dict[str, set[str]]:
    """Involvement id -> the other involvements in the same finding, for findings of these kinds."""
    together: dict[str, set[str]] = {}
    for finding in view.duplicates:
        if finding.kind in kinds:
            for inv in finding.involvement_ids:
                together.setdefault(inv, set()).update(set(finding.involvement_ids) - {inv})
    return together


def _line(t: TeamMember, who: dict[str, str], dup: dict[str, set[str]], par: dict[str, set[str]]) -> WorkLine:
    def names(others: set[str]) -> tuple[str, ...]:
        return tuple(sorted({who[o] for o in others if o in who and who[o] != who[t.involvement_id]}))

    return WorkLine(needs=", ".join(t.addresses) or "need not recorded", service=t.service or "",
                    professional=t.name, role=t.role or "", agency=t.agency, sector_group=_group(t.sector),
                    since=f"since {_uk_date(t.since)}", lead=t.is_lead,
                    duplicated_with=names(dup.get(t.involvement_id, set())),
                    parallel_with=names(par.get(t.involvement_id, set())))


def ecomap_outline(view: FamilyView) -> list[MemberOutline]:
    """The family network as an outline: members in the ecomap's order, then work with the whole family."""
    team = view.team
    who = {t.involvement_id: f"{t.name} ({t.agency})" for t in team.team}
    dup, par = _flagged(view, DUPLICATED_KINDS), _flagged(view, PARALLEL_KINDS)
    outline = []
    for m in team.members:
        work = sorted((t for t in team.team if t.person_id == m.person_id), key=lambda t: (t.addresses, t.name))
        addressed = {need for t in work for need in t.addresses}
        needs = tuple(need_name(code) for code in m.open_needs)
        age = f", {m.age}" if m.age is not None else ""
        home = "lives in the household" if m.resident else "does not live in the household"
        outline.append(MemberOutline(f"{m.name}: {role_name(m.role)}{age}, {home}", needs,
                                     tuple(n for n in needs if n not in addressed),
                                     tuple(_line(t, who, dup, par) for t in work)))
    family_work = sorted((t for t in team.team if t.person_id is None), key=lambda t: (t.addresses, t.name))
    if family_work:
        outline.append(MemberOutline(WHOLE_FAMILY, (), (), tuple(_line(t, who, dup, par) for t in family_work)))
    return outline


def picture_names(view: FamilyView) -> tuple[str, str]:
    """The ecomap document's title, and the picture's name for screen readers (pointing to the text view)."""
    team = view.team
    title = f"Ecomap of {team.family_name} ({team.family_id}) on {_uk_date(team.as_of)}"
    alt = (f"{title}: {len(team.members)} members and {team.professional_count} professionals. The same network "
           "is written out in the 'Ecomap as text' tab beside the picture.")
    return title, alt


def lead_sentence(view: FamilyView) -> str:
    leads = sorted({f"{t.name} ({t.agency})" for t in view.team.team if t.is_lead})
    named = {p.id: p.name for p in view.snapshot.professionals}
    for pid in view.team.lead_ids:  # a lead with no open work is still the lead
        if not any(t.professional_id == pid for t in view.team.team):
            leads.append(f"{named.get(pid, pid)} (no open piece of work recorded)")
    if not leads:
        return "Lead professional: none recorded."
    if len(leads) > 1:
        return f"Lead professionals: {len(leads)} at once, a conflict to resolve: " + "; ".join(leads) + "."
    return f"Lead professional: {leads[0]}."


def render_ecomap_text(view: FamilyView) -> None:
    """The outline as headings and nested lists (all data escaped), with the lead first."""
    st.subheader("Ecomap as text")
    st.markdown("The same network as the picture: each member, the work with them, who does it and for which "
                "agency. Lead, duplicated and parallel work are written as words.")
    st.markdown(md(lead_sentence(view)))
    for block in ecomap_outline(view):
        parts = [f"#### {md(block.heading)}"]
        if block.needs:
            parts.append(f"Open needs: {md(', '.join(block.needs))}.")
        if block.unaddressed:
            parts.append(f"No open work addresses: {md(', '.join(block.unaddressed))}.")
        parts.append("\n".join(f"- {md(work.sentence())}" for work in block.work) if block.work
                     else "No open work with this member.")
        st.markdown("\n\n".join(parts))
