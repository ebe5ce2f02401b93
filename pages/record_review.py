"""Record review: Hub staff confirm or reject uncertain record links; every decision kept, any undone."""

from __future__ import annotations

import streamlit as st

from loaders.linkage.graph import review_queue
from pages.ui.auth import page_for
from pages.ui.entry import through_app
from pages.ui.review_view import render_different, render_groups, render_history, render_pair
from pages.ui.store import get_store
from queries.roles import Role

through_app()

store = get_store()
reviewer = page_for(store, {Role.REVIEWER}, "Record review")
st.title("Record review")
st.caption("OFFICIAL-SENSITIVE · Records from different agencies that may be the same person. Nothing is merged: "
           "each source keeps its "
           "record, and a link can be undone. Run `familygraph link` after a load to refresh the candidates.")
who = reviewer.id
st.caption(f"Decisions are recorded as {reviewer.name} ({reviewer.id}), from your sign-in.")
queue = review_queue(store)
st.metric("Waiting for review", len(queue))
for index, (_, row) in enumerate(queue.head(20).iterrows()):
    render_pair(store, row, index, who)
render_groups(store, who)
render_different(store)
render_history(store, who)
