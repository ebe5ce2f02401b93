"""Family: members, the team at a glance, the ecomap, the timeline, lead handover and the TAF pack."""

from __future__ import annotations

import streamlit as st

from pages.ui import cached
from pages.ui.ecomap import DEFAULT_PER_AGENCY
from pages.ui.ecomap_text import render_ecomap_text
from pages.ui.entry import through_app
from pages.ui.family_gate import family_gate
from pages.ui.family_panel import render_freshness, render_members, render_pack, render_picker, render_team_glance
from pages.ui.family_sections import (
    render_duplicates,
    render_ecomap,
    render_header,
    render_linked_records,
    render_needs,
    render_suggestion,
    render_supporting_families,
)
from pages.ui.handover_view import render_handover
from pages.ui.nav import current_family_id, remember_family
from pages.ui.sidebar import as_of
from pages.ui.store import get_store
from pages.ui.tables import team_frame
from pages.ui.text import md
from pages.ui.timeline_view import render_timeline
from pages.ui.who import render_who
from queries.timeline import family_timeline

through_app()

store, day = get_store(), as_of()
render_who()
family_id = current_family_id()
if not family_id:
    render_picker(store)
    st.stop()
if not family_gate(store, family_id, day):
    st.stop()
view = cached.family(store, family_id, day)
if view is None:
    st.title("Family")
    st.warning(md(f"There is no family with id {family_id}."))
    render_picker(store)
    st.stop()
remember_family(family_id)
render_header(view)
per_agency = st.sidebar.number_input("Professionals drawn per agency", min_value=1, max_value=50,
                                     value=DEFAULT_PER_AGENCY, key="per_agency",
                                     help="Keeps a big school or GP practice from flooding the ecomap.")
render_team_glance(view, team_frame(view.team))
drawing = cached.ecomap(store, family_id, day, int(per_agency))
picture_tab, text_tab = st.tabs(["Ecomap picture", "Ecomap as text"])  # the text is the picture's alternative
with picture_tab:
    if drawing:
        render_ecomap(*drawing, cached.ECOMAP_HEIGHT)
with text_tab:
    render_ecomap_text(view)
members_col, suggestion_col, action_col = st.columns([4, 4, 2])
with members_col:
    render_members(view)
with suggestion_col:
    render_suggestion(view)
with action_col:
    render_handover(store, view)
    render_pack(view)
render_duplicates(view)
render_supporting_families(view)
render_timeline(family_timeline(view.snapshot, day), day)
needs_col, sources_col = st.columns(2)
with needs_col:
    render_needs(view)
with sources_col:
    render_freshness(view)
render_linked_records(view)
