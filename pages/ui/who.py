"""Who is working: the name written with every Hub action and printed on every pack.

Until sign-in exists (the governance work adds it), the person types their name once in the sidebar; it is
kept for the session.
"""

from __future__ import annotations

import os

import streamlit as st

__all__ = ["WHO_KEY", "current_name", "render_who"]

WHO_KEY = "hub_user"


def render_who() -> None:
    """The 'Your name' box in the sidebar (prefilled from FAMILYGRAPH_USER)."""
    if WHO_KEY not in st.session_state:
        st.session_state[WHO_KEY] = os.environ.get("FAMILYGRAPH_USER", "")
    st.sidebar.text_input("Your name", key=WHO_KEY, help="Recorded with every assignment, note and resolution, "
                          "and printed on packs.")


def current_name() -> str:
    """The signed-in user's name when sign-in is configured, else the name typed; empty when none."""
    if signed_in_name := _signed_in_name():
        return signed_in_name
    return " ".join(str(st.session_state.get(WHO_KEY, "")).split())


def _signed_in_name() -> str:
    """The name from the identity provider, or empty in the local demo mode (no [auth] configured)."""
    try:
        user = st.user
        if getattr(user, "is_logged_in", False):
            return " ".join(str(user.get("name") or user.get("email") or "").split())
    except Exception:  # no sign-in configured or no script run context
        return ""
    return ""
