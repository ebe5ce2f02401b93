"""Front door: is this person or family already known, who leads and how to reach them."""

from __future__ import annotations

import streamlit as st

from pages.ui import cached
from pages.ui.auth import page_for
from pages.ui.entry import through_app
from pages.ui.front_door_groups import render_groups
from pages.ui.search_box import parse_search
from pages.ui.sidebar import as_of
from pages.ui.store import get_store
from pages.ui.text import md
from queries.access import FAMILY_ROLES, record_search, visible_hits

through_app()

store = get_store()
user = page_for(store, FAMILY_ROLES, "The front door")
st.title("Front door")
st.caption("Is this person or family already known? Type a name, a date of birth (12/04/1990) and/or a "
           "postcode. Misspelt names, nicknames and swapped day and month are found too.")
terms = parse_search(st.text_input("Search", key="search", placeholder="e.g. Sarah Taylor 12/04/1990 CB1 1AA"))
if terms.problem:
    st.warning(md(terms.problem))
if terms.empty:
    st.stop()
hits = visible_hits(store, user, cached.search(store, terms.name, terms.dob, terms.postcode, as_of()), as_of())
searched = " ".join(p for p in (terms.name, terms.dob, terms.postcode) if p)
if st.session_state.get("_fg_last_search") != searched:  # once per search, not on every rerun of the page
    record_search(store, user, searched, len(hits))
    st.session_state["_fg_last_search"] = searched
st.caption(md(terms.describe()))
if not hits:
    st.info("Nobody on record matches: this person is not known to the services whose data is loaded.")
render_groups(get_store(), hits, as_of())
