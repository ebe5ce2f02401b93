"""Moving between pages with a family: the id travels in session state and in the URL (?family=...)."""

from __future__ import annotations

import streamlit as st

__all__ = ["FAMILY_PAGE", "current_family_id", "open_family", "remember_family"]

FAMILY_PAGE = "pages/family.py"
FAMILY_KEY = "family_id"
FAMILY_PARAM = "family"


def open_family(family_id: str) -> None:
    """Go to the family page for this family (stops the current script)."""
    st.session_state[FAMILY_KEY] = family_id
    st.switch_page(FAMILY_PAGE, query_params={FAMILY_PARAM: family_id})


def current_family_id() -> str | None:
    """The family asked for in the URL, else the last one opened in this session."""
    from_url = st.query_params.get(FAMILY_PARAM)
    if from_url:
        return str(from_url).strip()
    value = st.session_state.get(FAMILY_KEY)
    return str(value) if value else None


def remember_family(family_id: str) -> None:
    """Keep the family in session state and in the URL, so a reload or a shared link opens it again."""
    st.session_state[FAMILY_KEY] = family_id
    if st.query_params.get(FAMILY_PARAM) != family_id:
        st.query_params[FAMILY_PARAM] = family_id
