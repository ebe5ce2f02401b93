"""One front door result: the person, how well they match, and each of their families at a glance."""

from __future__ import annotations

import streamlit as st

from pages.ui.nav import open_family
from pages.ui.text import md
from queries.frontdoor import FamilySummary, FrontDoorHit

__all__ = ["render_hit"]


def _lead_text(family: FamilySummary) -> str:
    if not family.leads:
        return "No lead professional"
    return "; ".join(f"Lead: {lead.name} ({lead.agency}), phone {lead.phone or 'not recorded'}, "
                     f"email {lead.email or 'not recorded'}" for lead in family.leads)


def render_hit(hit: FrontDoorHit) -> None:
    """A bordered card for the person, with an 'Open family' button per family."""
    with st.container(border=True):
        st.markdown(f"**{md(hit.name)}** · born {md(hit.dob or 'unknown')} · {md(hit.postcode or 'no postcode')}"
                    f" · match {hit.score:.0%}")
        st.caption(md("; ".join(hit.why)))
        if not hit.families:
            st.info("Not a member of any family on record.")
        for family in hit.families:
            known = ":green[**Already known**]" if family.known else ":gray[Not currently known]"
            left, right = st.columns([4, 1])
            left.markdown(f"{known} — {md(family.family_name)} ({md(family.family_id)}) · "
                          f"{family.open_episodes} open episode(s) · {family.professionals} professional(s)  \n"
                          f"{md(_lead_text(family))}"
                          + (f"  \n{md(family.previously_known)}" if family.previously_known else "")
                          + "".join(f"  \n{md('Re-referral: ' + again)}" for again in family.re_referrals))
            if right.button("Open family", key=f"open_{hit.person_id}_{family.family_id}",
                            icon=":material/arrow_forward:"):
                open_family(family.family_id)
