"""The sidebar every page shares: which store is in use, the 'as of' date and a refresh button."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from graphmodel.contract import GraphStore
from graphmodel.dates import format_uk
from pages.ui import cached
from pages.ui.store import current_config
from pages.ui.text import md

__all__ = ["AS_OF_KEY", "as_of", "render_sidebar"]

AS_OF_KEY = "as_of"


def render_sidebar(store: GraphStore) -> None:
    """Show the store in use and the shared controls."""
    if AS_OF_KEY not in st.session_state:
        st.session_state[AS_OF_KEY] = cached.default_as_of(store)
    with st.sidebar:
        st.date_input("As of", key=AS_OF_KEY, format="DD/MM/YYYY",
                      help="Every page answers for this date: open work, leads, needs and episodes on that day. "
                           "It starts at the date of the newest data extract, the same default as the command "
                           "line.")
        if st.button("Refresh data", key="refresh", icon=":material/refresh:",
                     help="Read the store again (answers are otherwise kept for 10 minutes)."):
            st.cache_data.clear()
        st.caption(f"Data: {md(current_config().describe())}")
        st.caption(md(f"Newest extract: {format_uk(cached.default_as_of(store))} (the default as-of date)"))


def as_of() -> str:
    """The chosen 'as of' date as ISO text."""
    value = st.session_state.get(AS_OF_KEY)
    return value.isoformat() if isinstance(value, dt.date) else dt.date.today().isoformat()
