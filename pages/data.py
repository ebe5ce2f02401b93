"""Data: upload import files, see every problem before anything is written, load, and check sources."""

from __future__ import annotations

import streamlit as st

from graphmodel.audit import AuditAction
from pages.ui import cached
from pages.ui.auth import page_for
from pages.ui.entry import through_app
from pages.ui.sidebar import as_of
from pages.ui.store import get_store
from pages.ui.tables import sources_frame
from pages.ui.text import md
from pages.ui.upload import load, problems_frame, validate_uploads
from queries.access import record
from queries.roles import Role

through_app()

st.title("Data")
store = get_store()
operator = page_for(store, {Role.DATA}, "The data page")
st.subheader("Import files")
st.caption("Upload the import files (people.csv, families.csv, ... as .csv or .xlsx; see docs/data-format.md). "
           "They are checked first; nothing is written unless every file passes. A load is all or nothing.")
uploads = st.file_uploader("Import files", type=["csv", "xlsx"], accept_multiple_files=True, key="upload")
if uploads:
    validated = validate_uploads(store, uploads)
    for note in validated.notes:
        st.info(md(note))
    if validated.problems:
        st.error(f"{len(validated.problems)} problem(s) found: nothing will be written. Fix the files and upload "
                 "them again.")
        st.dataframe(problems_frame(validated), hide_index=True, key="problems_table")
    else:
        st.success(f"All {len(validated.frames)} file(s) passed: {validated.rows():,} rows ready to load.")
        if st.button("Load into the store", key="load", type="primary", icon=":material/upload:"):
            bar = st.progress(0.0, text="Loading ...")
            report = load(store, validated, bar)
            record(store, operator, AuditAction.LOAD, detail=f"{report.rows} rows from {len(validated.frames)} file(s)")
            st.cache_data.clear()
            st.success(f"Loaded {report.rows:,} rows ({report.writes:,} writes) in {report.seconds:.1f} s.")
st.subheader("Sources and freshness")
sources = cached.sources(store)
if sources:
    st.dataframe(sources_frame(sources, as_of()), hide_index=True, key="sources_table")
else:
    st.info("No data loaded yet. Upload files above, or run `familygraph load --demo`.")
