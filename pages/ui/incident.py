"""An unexpected error becomes a short message with an incident id; the traceback goes to the server log only."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import streamlit as st

__all__ = ["run_guarded"]

_log = logging.getLogger("familygraph.app")


def run_guarded(run: Callable[[], None]) -> None:
    """Run a page; on an unexpected error show an incident id (st.stop and st.rerun pass through)."""
    try:
        run()
    except Exception:
        incident = secrets.token_hex(4).upper()
        _log.exception("incident %s", incident)
        st.error(f"Something went wrong (incident {incident}). The details are in the server log for your "
                 "administrator; quote the incident id.", icon=":material/report:")
