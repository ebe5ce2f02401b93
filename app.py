"""FamilyGraph: the app's only entry point (`streamlit run app.py`, or `familygraph serve`)."""

from __future__ import annotations

import streamlit as st

from pages.ui.a11y import apply_styles, render_navigation
from pages.ui.sidebar import render_sidebar
from pages.ui.store import get_store, store_errors

# Emoji icons only: the browser draws them from a data: URL, while a :material/...: page icon would make the
# favicon load from fonts.gstatic.com, and no request may leave the server.
st.set_page_config(page_title="FamilyGraph", page_icon="👪", layout="wide")

PAGES = {
    "Hub and practitioners": [
        st.Page("pages/front_door.py", title="Front door", default=True),
        st.Page("pages/family.py", title="Family"),
        st.Page("pages/hub_worklist.py", title="Hub worklist"),
        st.Page("pages/record_review.py", title="Record review"),
    ],
    "Strategic leads": [
        st.Page("pages/strategic.py", title="Strategic"),
    ],
    "Data team": [
        st.Page("pages/data.py", title="Data"),
    ],
}

page = st.navigation(PAGES, position="hidden")  # drawn by render_navigation: a list that reads as one
apply_styles()
render_navigation(PAGES)
with store_errors():
    render_sidebar(get_store())
    page.run()
