"""Front door results grouped by family: each family once, with the people matched, who leads, and whether it
was known before ("previously known") when nothing is open now."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from graphmodel.contract import GraphStore
from graphmodel.dates import format_uk
from pages.ui.hits import _lead_text
from pages.ui.nav import open_family
from pages.ui.text import md
from queries.frontdoor import FamilySummary, FrontDoorHit
from queries.timeline import family_timeline, last_known

__all__ = ["FamilyGroup", "group_by_family", "render_groups"]


@dataclass(frozen=True, slots=True)
class FamilyGroup:
    """One family among the results, with the people who matched, best first."""

    family: FamilySummary
    people: tuple[FrontDoorHit, ...]

    @property
    def best(self) -> float:
        """The best match score among its people."""
        return max(h.score for h in self.people)


def group_by_family(hits: list[FrontDoorHit]) -> tuple[list[FamilyGroup], list[FrontDoorHit]]:
    """Families in the order of their best match, and the people who belong to no family."""
    families: dict[str, FamilySummary] = {}
    people: dict[str, list[FrontDoorHit]] = {}
    alone = []
    for hit in hits:
        if not hit.families:
            alone.append(hit)
        for family in hit.families:
            families.setdefault(family.family_id, family)
            people.setdefault(family.family_id, []).append(hit)
    groups = [FamilyGroup(families[f], tuple(sorted(p, key=lambda h: -h.score))) for f, p in people.items()]
    return sorted(groups, key=lambda g: -g.best), alone  # stable: ties keep the order the search gave


def _previously(store: GraphStore, family: FamilySummary, as_of: str) -> str | None:
    """The family's 'previously known' sentence (the query layer's when it gives one, else from its timeline)."""
    if family.previously_known:  # the query layer's rule (queries.rereferral), also for a family known again now
        return family.previously_known
    if family.known:
        return None
    snap = store.family_snapshot(family.family_id)
    return last_known(family_timeline(snap, as_of), as_of) if snap else None


def render_groups(store: GraphStore, hits: list[FrontDoorHit], as_of: str) -> None:
    """A card per family, then any person on record who belongs to no family."""
    groups, alone = group_by_family(hits)
    for group in groups:
        family = group.family
        with st.container(border=True):
            previously = _previously(store, family, as_of)
            status = (":green[**Already known**]" if family.known else
                      ":orange[**Previously known**]" if previously else ":gray[Not currently known]")
            left, right = st.columns([4, 1])
            left.markdown(f"{status} — **{md(family.family_name)}** ({md(family.family_id)}) · "
                          f"{family.open_episodes} open episode(s) · {family.professionals} professional(s)  \n"
                          f"{md(_lead_text(family))}"
                          + (f"  \n{md(previously)}" if previously else "")
                          + "".join(f"  \n{md('Re-referral: ' + again)}" for again in family.re_referrals))
            for hit in group.people:
                left.caption(md(f"{hit.name} · born {format_uk(hit.dob) or 'unknown'} · "
                                f"{hit.postcode or 'no postcode'} · match {hit.score:.0%} · {'; '.join(hit.why)}"))
            if right.button("Open family", key=f"open_{group.people[0].person_id}_{family.family_id}",
                            icon=":material/arrow_forward:"):
                open_family(family.family_id)
    for hit in alone:
        with st.container(border=True):
            st.markdown(f"**{md(hit.name)}** · born {md(format_uk(hit.dob) or 'unknown')} · match {hit.score:.0%}")
            st.info("Not a member of any family on record.")
