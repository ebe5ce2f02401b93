"""The Data page's confirm step: the per-source summary of an upload (and any identity changes) before writing."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from graphmodel.contract import GraphStore
from loaders.quality_log import save_quality
from pages.ui.refresh_view import apply_upload_plan, identity_frame, plan_uploads, summary_frame
from pages.ui.upload import Upload

__all__ = ["preview_and_load"]


def preview_and_load(store: GraphStore, uploads: Sequence[Upload], ssd: dict[str, str | None] | None = None,
                     on_loaded: Callable[[int], None] | None = None) -> None:
    """Show what the upload would add, change, close and remove per source; write only when confirmed."""
    delta = st.checkbox("These files hold only changed rows (a delta): never close or remove anything",
                        key="delta")
    accept = st.session_state.get("accept_identity", False)
    planned = plan_uploads(store, uploads, ssd, delta=delta, accept_identity_changes=accept)
    if isinstance(planned, list):
        identity = all(p.reason.startswith("identity change") for p in planned)
        st.error(f"{len(planned)} identity change(s): these rows would change who a stored record is. Nothing "
                 "will be written unless you accept them." if identity else
                 f"{len(planned)} problem(s) found: nothing will be written.")
        st.dataframe(identity_frame(planned), hide_index=True, key="identity_table")
        if identity:
            st.checkbox("Accept these identity changes (they are corrections, not different people)",
                        key="accept_identity")
        return
    st.markdown("**What this load will do, per source** (a full extract closes the source's work, leads and "
                "needs that are missing from it at the extract date, and removes its missing memberships and "
                "relationships; columns a file leaves out keep their stored values)")
    summary = summary_frame(planned)
    if len(summary):
        st.dataframe(summary, hide_index=True, key="plan_table")
        if quiet := len(planned.summaries) - len(summary):
            st.caption(f"{quiet} other source(s) in the files: nothing changes.")
    else:
        st.info("Nothing would change: every source is as stored.")
    if planned.identity_changes:
        st.warning(f"{len(planned.identity_changes)} identity change(s) accepted.")
        st.dataframe(identity_frame(planned.identity_changes), hide_index=True, key="accepted_identity_table")
    for note in planned.notes:
        st.caption(note)
    if st.button("Confirm and load", key="load", type="primary", icon=":material/upload:"):
        bar = st.progress(0.0, text="Loading ...")
        apply_upload_plan(store, planned, bar)
        save_quality(tuple(planned.quality), planned.sources)
        if on_loaded is not None:
            on_loaded(planned.rows)
        st.session_state.pop("upload_checked", None)
        st.cache_data.clear()
        noted = f", {len(planned.quality):,} data-quality note(s)" if planned.quality else ""
        st.success(f"Loaded {planned.rows:,} rows ({planned.changes.size():,} writes){noted}.")
