"""Make every page run through app.py, even when Streamlit starts a page on its own.

While a process has not yet seen app.py call st.navigation, Streamlit runs in its legacy "pages/
directory" mode: a fresh server's first request for /family (and every AppTest run) executes
pages/family.py by itself, skipping app.py's page config, sidebar, store check and navigation. A page
that finds that mode on switches it off, runs app.py in its place (app.py then opens this same page,
whose url path is the file name) and stops. Nothing is rerun, so a button click is not lost.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

__all__ = ["APP", "through_app"]

APP = Path(__file__).resolve().parents[2] / "app.py"


def through_app() -> None:
    """Run app.py instead of this page when the legacy pages/ directory mode started the page directly."""
    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    runpy.run_path(str(APP), run_name="__main__")
    st.stop()
