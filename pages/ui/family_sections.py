"""The family page's parts: header, ecomap, team table with export, needs, suggestion, duplicates, sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphmodel.dates import format_uk
from pages.ui.ecomap import EcomapSummary
from pages.ui.export import to_csv_bytes, to_xlsx_bytes
from pages.ui.family_view import FamilyView
from pages.ui.labels import FINDING_KINDS, need_name
from pages.ui.tables import needs_frame, suggestion_frame, team_frame
from pages.ui.text import md

__all__ = ["render_duplicates", "render_ecomap", "render_header", "render_linked_records", "render_needs",
           "render_sources", "render_suggestion", "render_supporting_families", "render_team"]


def render_linked_records(view: FamilyView) -> None:
    """Records from other sources combined with the members' (record linkage), with score and status."""
    links = [link for link in view.snapshot.links if link.status != "rejected"]
    if not links:
        return
    names = {m.person_id: f"{m.given_name} {m.family_name}" for m in view.snapshot.members}
    st.subheader("Records combined")
    st.caption("Other agencies' records judged to be the same person as a member. Nothing is merged; "
               "uncertain links wait in Record review.")
    st.dataframe(pd.DataFrame([{
        "member": names.get(link.person_id, link.person_id), "other record": link.other_person_id,
        "name there": link.other_name, "born": link.other_dob or "", "source": link.other_source_id or "",
        "match": round(link.match_probability, 3), "status": link.status.replace("_", " "),
        "why": link.reason or ""} for link in links]), hide_index=True, key="linked_records")


def render_header(view: FamilyView) -> None:
    """Family name, where, the headline numbers, two leads named, and whether the family was known before."""
    team = view.team
    st.title(md(team.family_name))
    st.caption(md(f"Family {team.family_id} · postcode {team.postcode or 'unknown'} · district "
                  f"{team.district or 'unknown'} · as of {format_uk(team.as_of)}"))
    cols = st.columns(5)
    cols[0].metric("Members", len(team.members))
    cols[1].metric("Professionals", team.professional_count)
    cols[2].metric("Open episodes", len(team.open_episodes))
    cols[3].metric("Lead professional", "none" if not team.lead_ids else
                   "yes" if len(team.lead_ids) == 1 else f"{len(team.lead_ids)}: conflict")
    cols[4].metric("Duplicated work", sum(f.kind == "duplicated_work" for f in view.duplicates))
    for finding in view.duplicates:
        if finding.kind == "two_leads":
            st.warning(md("Two leads: " + finding.reason), icon=":material/warning:")
    history = view.history
    if history is not None and history.previously_known:
        st.info(md(history.previously_known), icon=":material/history:")
        for again in history.re_referrals:
            st.warning(md("Re-referral: " + again.sentence), icon=":material/replay:")


def render_ecomap(html_page: str, summary: EcomapSummary, height: int) -> None:
    """The ecomap in an iframe (the page is self-contained: nothing is fetched from outside)."""
    st.iframe(html_page, height=height + 60, alt="Ecomap of the family and the professionals around it")
    if summary.professionals_hidden:
        st.caption(md(f"{summary.professionals_hidden} more professionals from {', '.join(summary.agencies_capped)} "
                      "are summarised as '+N more' boxes; raise the limit to draw them. All are in the team table."))


def render_team(view: FamilyView) -> None:
    """The team table with contact details, source and freshness, and its safe exports."""
    frame = team_frame(view.team)
    st.subheader("Team around the family")
    if frame.empty:
        st.info("Nobody has open work with this family on this date.")
        return
    st.dataframe(frame, hide_index=True, key="team_table")
    name = f"team-{view.team.family_id}-{view.team.as_of}"
    left, right = st.columns(2)
    left.download_button("Download CSV", to_csv_bytes(frame), f"{name}.csv", "text/csv", key="export_csv",
                         icon=":material/download:")
    right.download_button("Download Excel", to_xlsx_bytes(frame), f"{name}.xlsx", key="export_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:")


def render_needs(view: FamilyView) -> None:
    """Open needs per member and the known links between them."""
    st.subheader("Needs and how they link")
    frame = needs_frame(view.needs, view.team)
    if frame.empty:
        st.info("No open needs recorded on this date.")
    else:
        st.dataframe(frame, hide_index=True, key="needs_table")
    for link in view.needs.links if view.needs else ():
        status = "complete" if link.complete else "partly present (missing: " + ", ".join(
            need_name(m) for m in link.missing) + ")"
        box = st.warning if link.complete else st.info
        box(md(f"{link.name}: {status}. {link.why}"), icon=":material/link:")


def render_suggestion(view: FamilyView) -> None:
    """Who could lead, ranked, with every part of the score explained."""
    st.subheader("Lead professional suggestion")
    suggestion = view.suggestion
    st.markdown(md(suggestion.message))
    if suggestion.candidates:
        st.dataframe(suggestion_frame(suggestion), hide_index=True, key="suggestion_table")
        best = suggestion.candidates[0]
        with st.expander(md(f"Why {best.name} ranks first"), expanded=False):
            for part in best.parts:
                st.markdown(md(f"{part.name}: {part.points:.2f} of {part.weight:.2f} — {part.explanation}"))


def render_duplicates(view: FamilyView) -> None:
    """This family's duplicated work and related findings, each reason shown whole."""
    st.subheader("Duplicated work and other findings")
    if not view.duplicates:
        st.success("No duplicated work found on this date.")
        return
    for f in view.duplicates:
        label = FINDING_KINDS.get(f.kind, f.kind)
        st.markdown(f"**{md(label)}** · severity {f.severity}: {md(f.reason)}")


def render_supporting_families(view: FamilyView) -> None:
    """Supporting Families: categories and outcomes met with the needs behind them, eligibility, claim-readiness."""
    sf = view.sf
    st.subheader("Supporting Families")
    if sf is None:
        return
    st.markdown(md(sf.summary))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**2021 categories met: {len(sf.categories)} of 6** (eligible with 2)")
        for c in sf.categories or ():
            st.markdown(md("- " + c.sentence))
    with right:
        st.markdown(f"**2022-25 outcomes met: {len(sf.outcomes)} of 10** (eligible with 3)")
        for c in sf.outcomes or ():
            st.markdown(md("- " + c.sentence))
    s = sf.standing
    st.caption(md("For a claim: " + "; ".join(f"{what} {'in place' if ok else 'MISSING'}" for what, ok in (
        ("lead professional", s.has_lead), ("whole-family assessment", s.has_assessment),
        ("family plan", s.has_plan)))))


def render_sources(view: FamilyView) -> None:
    """How fresh each agency's data is ('no data' is not 'no involvement')."""
    st.subheader("Sources and freshness")
    for source in view.team.sources:
        icon = ":material/warning:" if source.stale and not source.involved else ":material/database:"
        st.markdown(f"{icon} {md(source.note)}")
