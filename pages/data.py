"""Data: upload import files or an SSD extract, see every problem before anything is written, load, and check
sources and their data-quality notes."""

from __future__ import annotations

import streamlit as st

from graphmodel.audit import AuditAction
from loaders.quality_log import read_quality
from pages.ui import cached
from pages.ui.auth import page_for
from pages.ui.entry import through_app
from pages.ui.export import to_csv_bytes
from pages.ui.load_preview import preview_and_load
from pages.ui.sidebar import as_of
from pages.ui.store import get_store
from pages.ui.tables import sources_frame
from pages.ui.text import md
from pages.ui.upload import problems_frame, quality_frame, quality_summary, upload_key, validate_uploads
from queries.access import record
from queries.roles import Role

through_app()

IMPORT, SSD = "Import files", "SSD extract"

st.title("Data")
store = get_store()
operator = page_for(store, {Role.DATA}, "The data page")
st.subheader("Import files")
st.caption("Upload the import files (people.csv, families.csv, ... as .csv or .xlsx; see docs/data-format.md), "
           "or the tables of a Standard Safeguarding Dataset extract (ssd_person.csv, ...). They are checked "
           "first; nothing is written if any file has a structural problem. A bad value in one cell (a missing "
           "name, an impossible date, a wrong check digit) does not stop the load: the record loads without it "
           "and the value is listed as a data-quality note.")
kind = st.radio("Format", [IMPORT, SSD], horizontal=True, key="upload_format")
ssd: dict[str, str | None] | None = None
if kind == SSD:
    left, middle, right = st.columns(3)
    source_id = left.text_input("Extract id (source)", key="ssd_source", placeholder="e.g. csc-2025-01")
    agency_id = middle.text_input("Agency id (already loaded)", key="ssd_agency", placeholder="e.g. A_CSC")
    extracted = right.date_input("Extracted on", value=None, key="ssd_extracted", format="DD/MM/YYYY")
    ssd = {"source_id": source_id.strip(), "agency_id": agency_id.strip(),
           "extracted_at": extracted.isoformat() if extracted else None}
uploads = st.file_uploader("Files", type=["csv", "xlsx"], accept_multiple_files=True, key="upload")
ready = bool(uploads) and (ssd is None or bool(ssd["source_id"] and ssd["agency_id"]))
if uploads and not ready:
    st.info("Give the extract's id and the agency it comes from to check an SSD extract.")
if ready:
    key = upload_key(uploads, ssd)
    checked = st.session_state.get("upload_checked")
    if checked is None or checked[0] != key:  # validate an upload once, not on every rerun
        with st.spinner("Checking the files ..."):
            checked = (key, validate_uploads(store, uploads, ssd))
        st.session_state["upload_checked"] = checked
    validated = checked[1]
    for note in validated.notes:
        st.info(md(note))
    if validated.problems:
        st.error(f"{len(validated.problems)} problem(s) found: nothing will be written. Fix the files and upload "
                 "them again.")
        st.dataframe(problems_frame(validated), hide_index=True, key="problems_table")
    else:
        st.success(f"All {len(validated.frames)} file(s) passed: {validated.rows():,} rows checked.")
    if validated.quality:
        st.warning(f"{len(validated.quality):,} data-quality note(s): these records load without the bad value.")
        st.dataframe(quality_summary(validated.quality), hide_index=True, key="upload_quality_summary")
        st.dataframe(quality_frame(validated.quality), hide_index=True, key="upload_quality_table")
    if not validated.problems:
        preview_and_load(store, uploads, ssd, on_loaded=lambda rows: record(
            store, operator, AuditAction.LOAD, detail=f"{rows} rows from {len(uploads)} uploaded file(s)"))
st.subheader("Sources and freshness")
sources = cached.sources(store)
if sources:
    st.dataframe(sources_frame(sources, as_of()), hide_index=True, key="sources_table")
else:
    st.info("No data loaded yet. Upload files above, or run `familygraph load --demo`.")
st.subheader("Data quality by source")
kept = read_quality()
if kept:
    st.caption("Values left out when each source was last loaded: fix them at the source and load it again.")
    st.dataframe(quality_summary(kept), hide_index=True, key="quality_summary")
    source_names = sorted({n.source_id or "" for n in kept})
    chosen = st.selectbox("Source", source_names, key="quality_source")
    of_source = [n for n in kept if (n.source_id or "") == chosen]
    st.dataframe(quality_frame(of_source), hide_index=True, key="quality_table")
    st.download_button("Download all notes (CSV)", to_csv_bytes(quality_frame(kept)), "data-quality-notes.csv",
                       "text/csv", key="quality_download", icon=":material/download:")
else:
    st.caption("No data-quality notes: every value of the loaded sources was usable.")
