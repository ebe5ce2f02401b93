"""FamilyGraph: the app's only entry point (`familygraph serve`, or `streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from pages.ui.a11y import apply_styles, render_navigation
from pages.ui.auth import render_user, signed_in_user
from pages.ui.incident import run_guarded
from pages.ui.sidebar import render_sidebar
from pages.ui.store import get_store, store_errors
from queries.roles import Role

# Emoji icons only: the browser draws them from a data: URL, while a :material/...: page icon would make the
# favicon load from fonts.gstatic.com, and no request may leave the server.
st.set_page_config(page_title="FamilyGraph", page_icon="👪", layout="wide")

# (section, page file, title, roles that see it in the menu). Every page also checks the role itself.
PAGES = (
    ("Hub and practitioners", "pages/front_door.py", "Front door", {Role.HUB, Role.PRACTITIONER, Role.PANEL}),
    ("Hub and practitioners", "pages/family.py", "Family", {Role.HUB, Role.PRACTITIONER, Role.PANEL}),
    ("Hub and practitioners", "pages/hub_worklist.py", "Hub worklist", {Role.HUB}),
    ("Hub and practitioners", "pages/record_review.py", "Record review", {Role.REVIEWER}),
    ("Strategic leads", "pages/strategic.py", "Strategic", {Role.STRATEGIC, Role.HUB}),
    ("Data team", "pages/data.py", "Data", {Role.DATA}),
    ("Audit", "pages/audit.py", "Audit", {Role.AUDITOR}),
)

apply_styles()
with store_errors():
    store = get_store()
    user = signed_in_user(store)
    # Pages outside the user's roles stay reachable by URL but out of the menu: each one refuses (and audits)
    # by itself, so access never depends on what the menu shows.
    menu: dict[str, list[st.Page]] = {}
    shown: dict[str, list[st.Page]] = {}
    first = next((path for _, path, _, roles in PAGES if user.has(*roles)), None)
    for section, path, title, roles in PAGES:
        entry = st.Page(path, title=title, default=path == first)
        menu.setdefault(section, []).append(entry)
        if user.has(*roles):
            shown.setdefault(section, []).append(entry)
    if first is None:
        st.error(f"You are signed in as {user.name}, but your account has no FamilyGraph role. Ask your "
                 "administrator to add you to one of the FamilyGraph groups.")
        st.stop()
    page = st.navigation(menu, position="hidden")  # drawn by render_navigation: a list that reads as one
    render_navigation(shown)
    render_sidebar(store)
    render_user(user)
    run_guarded(page.run)
