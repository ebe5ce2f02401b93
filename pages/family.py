"""Family: the ecomap, the team around the family, needs, the lead suggestion and duplicated work."""

from __future__ import annotations

import streamlit as st

from pages.ui import cached
from pages.ui.ecomap import DEFAULT_PER_AGENCY
from pages.ui.ecomap_text import render_ecomap_text
from pages.ui.entry import through_app
from pages.ui.family_gate import family_gate
from pages.ui.family_sections import (
    render_duplicates,
    render_ecomap,
    render_header,
    render_linked_records,
    render_needs,
    render_sources,
    render_suggestion,
    render_supporting_families,
    render_team,
)
from pages.ui.nav import current_family_id, remember_family
from pages.ui.sidebar import as_of
from pages.ui.store import get_store
from pages.ui.text import md

through_app()

store, day = get_store(), as_of()
family_id = current_family_id()
if not family_id:
    st.title("Family")
    st.info("Find a family through the Front door or the Hub worklist, or open a link ending in ?family=<id>.")
    st.stop()
if not family_gate(store, family_id, day):
    st.stop()
view = cached.family(store, family_id, day)
if view is None:
    st.title("Family")
    st.warning(md(f"There is no family with id {family_id}."))
    st.stop()
remember_family(family_id)
render_header(view)
per_agency = st.sidebar.number_input("Professionals drawn per agency", min_value=1, max_value=50,
                                     value=DEFAULT_PER_AGENCY, key="per_agency",
                                     help="Keeps a big school or GP practice from flooding the ecomap.")
drawing = cached.ecomap(store, family_id, day, int(per_agency))
graph_col, table_col = st.columns([5, 3])
with graph_col:
    picture_tab, text_tab = st.tabs(["Ecomap picture", "Ecomap as text"])  # the text is the picture's alternative
    with picture_tab:
        if drawing:
            render_ecomap(*drawing, cached.ECOMAP_HEIGHT)
    with text_tab:
        render_ecomap_text(view)
with table_col:
    render_team(view)
    render_suggestion(view)
render_duplicates(view)
render_supporting_families(view)
needs_col, sources_col = st.columns(2)
with needs_col:
    render_needs(view)
with sources_col:
    render_sources(view)
render_linked_records(view)
