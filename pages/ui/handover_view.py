"""Assign or hand over the lead professional from the family page, with who, when and why kept in the store."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from graphmodel.contract import GraphStore
from graphmodel.dates import format_uk
from graphmodel.errors import FamilyGraphError
from pages.ui.family_view import FamilyView
from pages.ui.store import store_key
from pages.ui.text import md
from pages.ui.who import current_name
from queries.workflow import HubEvent, LeadHandover, assign_lead, hub_events

__all__ = ["cached_events", "render_handover"]

DONE_KEY = "handover_done"


@st.cache_data(ttl=dt.timedelta(minutes=10), show_spinner=False)
def _events(_store: GraphStore, key: str) -> list[HubEvent]:
    return hub_events(_store)


def cached_events(store: GraphStore) -> list[HubEvent]:
    """The Hub's log (cached; every action in the app clears the cache, the sidebar's Refresh reads it again)."""
    return _events(store, store_key())


def _options(view: FamilyView) -> dict[str, str]:
    """Professional id -> 'name (agency)': the suggestion's ranking first, then everyone in the team."""
    options = {c.professional_id: f"{c.name} ({c.agency})" for c in view.suggestion.candidates}
    for t in view.team.team:
        options.setdefault(t.professional_id, f"{t.name} ({t.agency})")
    return options


def _tell(handover: LeadHandover) -> None:
    st.success(md(f"{handover.lead.name} is now the lead professional for {handover.family_name} from "
                  f"{format_uk(handover.event.effective)} (recorded by {handover.event.who})."),
               icon=":material/check_circle:")
    if handover.tell:
        st.markdown("**Tell the team around the family:**")
        for prof in handover.tell:
            st.markdown(md(f"- {prof.name}: {prof.email or 'no email'} · {prof.phone or 'no phone'}"))
    st.caption("Keep the Early Help Hub informed when the lead professional role is handed on.")


def render_handover(store: GraphStore, view: FamilyView) -> None:
    """The handover form and the family's lead history from the Hub's log."""
    family_id = view.team.family_id
    done = st.session_state.get(DONE_KEY)
    if isinstance(done, LeadHandover) and done.family_id == family_id:
        _tell(done)
    options = _options(view)
    title = "Hand over the lead professional" if view.team.lead_ids else "Assign a lead professional"
    with st.expander(title, expanded=not view.team.lead_ids):
        if not options:
            st.info("Nobody works with this family on this date, so there is nobody to make lead.")
            return
        chosen = st.selectbox("New lead professional", list(options), format_func=lambda p: options[p],
                              key="handover_to")
        reason = st.text_area("Why", key="handover_reason", placeholder="e.g. agreed at TAF: school leads")
        name = current_name()
        st.caption(f"Starts on {format_uk(view.team.as_of)} (the page's date); any other lead's assignment ends "
                   "the day before.")
        if st.button("Assign lead", key="handover_go", icon=":material/how_to_reg:",
                     disabled=not (name and reason.strip())):
            try:
                handover = assign_lead(store, family_id, str(chosen), who=name, why=reason, on=view.team.as_of)
            except FamilyGraphError as error:
                st.error(md(str(error)))
                return
            st.session_state[DONE_KEY] = handover
            st.cache_data.clear()
            st.rerun()
        if not name:
            st.caption("Give your name in the sidebar first.")
        history = [e for e in cached_events(store) if e.family_id == family_id and e.kind == "lead_assign"]
        for event in reversed(history):
            st.caption(md(f"{event.at[:16].replace('T', ' ')} UTC: {event.who} made {event.assignee} lead from "
                          f"{format_uk(event.effective)}: {event.why}"))
