"""The family page's door: open for a relationship, a reason box for Hub staff (break-glass), refused otherwise."""

from __future__ import annotations

import streamlit as st

from graphmodel.contract import GraphStore
from pages.ui.auth import current_user
from queries.access import MIN_REASON, AccessDenied, check_family, open_family

__all__ = ["family_gate"]

_OPENED = "_fg_opened_families"


def family_gate(store: GraphStore, family_id: str, as_of: str) -> bool:
    """True when the family may be shown now (the view is audited once per family and session)."""
    user = current_user()
    opened: set[str] = st.session_state.setdefault(_OPENED, set())
    if family_id in opened:
        return True
    snap, access = check_family(store, user, family_id, as_of)
    if snap is None:
        return True  # nothing to protect: the page says there is no such family
    reason = None
    if access.allowed and access.needs_reason:
        st.title("Family")
        st.warning(f"{access.why}.", icon=":material/lock:")
        with st.form("break_glass"):
            reason = st.text_area("Why do you need to open this family?", key="break_glass_reason",
                                  help=f"At least {MIN_REASON} characters. Recorded with your name, for audit.")
            if not st.form_submit_button("Open with this reason", type="primary"):
                return False
    try:
        open_family(store, user, family_id, as_of, reason)
    except AccessDenied as refused:
        st.title("Family")
        st.error(f"You cannot open this family: {refused}.", icon=":material/block:")
        return False
    opened.add(family_id)
    if reason is not None:
        st.rerun()  # draw the family without the reason form above it
    return True
