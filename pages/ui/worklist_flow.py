"""The Hub worklist as a workflow: each finding's state, the whole reason, and assign / note / resolve."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphmodel.contract import GraphStore
from graphmodel.errors import FamilyGraphError
from pages.ui.labels import FINDING_KINDS, need_name
from pages.ui.tables import family_url
from pages.ui.text import md
from pages.ui.who import current_name
from queries import workflow
from queries.workflow import WorklistItem

__all__ = ["STATUSES", "render_actions", "workflow_frame"]

STATUSES = (workflow.STATUS_OPEN, workflow.STATUS_CHANGED, workflow.STATUS_ASSIGNED, workflow.STATUS_RESOLVED)
FLASH_KEY = "wl_flash"


def workflow_frame(items: list[WorklistItem], names: dict[str, str], districts: dict[str, str | None]) -> pd.DataFrame:
    """One row per finding: state, family name and id, district, severity, kind, need, counts, assignee, reason."""
    rows = [{
        "Open": family_url(i.finding.family_id), "Status": i.status, "Family": names.get(i.finding.family_id, ""),
        "Family id": i.finding.family_id, "District": districts.get(i.finding.family_id) or "",
        "Severity": i.finding.severity, "Finding": FINDING_KINDS.get(i.finding.kind, i.finding.kind),
        "Need": need_name(i.finding.need_code) if i.finding.need_code else "",
        "Agencies": len(i.finding.agency_ids), "Professionals": len(i.finding.professional_ids),
        "Assigned to": i.assignee or "", "Reason": i.finding.reason,
        "Resolution": i.resolution.why if i.resolution else "", "Finding id": i.id,
    } for i in items]
    return pd.DataFrame(rows, columns=["Open", "Status", "Family", "Severity", "Finding", "Reason", "Need",
                                       "Assigned to", "District", "Family id", "Agencies", "Professionals",
                                       "Resolution", "Finding id"])


def _done(message: str) -> None:
    st.session_state[FLASH_KEY] = message
    st.cache_data.clear()
    st.rerun()


def render_actions(store: GraphStore, items: list[WorklistItem], names: dict[str, str]) -> None:
    """Pick a finding, read its whole reason and history, then assign, note or resolve it."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(md(flash), icon=":material/check_circle:")
    if not items:
        return
    by_id = {i.id: i for i in items}
    st.subheader("Work on a finding")
    chosen = st.selectbox("Finding", list(by_id), key="wl_finding", format_func=lambda f: (
        f"{names.get(by_id[f].finding.family_id, '')} ({by_id[f].finding.family_id}) · "
        f"{FINDING_KINDS.get(by_id[f].finding.kind, by_id[f].finding.kind)}"
        + (f" · {need_name(by_id[f].finding.need_code or '')}" if by_id[f].finding.need_code else "")
        + f" · {by_id[f].status}"))
    item = by_id[str(chosen)]
    with st.container(border=True):
        st.markdown(f"**{md(item.status.capitalize())}** · severity {item.finding.severity} · "
                    f"finding id {md(item.id)}")
        st.markdown(md(item.finding.reason))
        if item.status == workflow.STATUS_CHANGED and item.resolution:
            st.warning(md(f"Changed since resolved: {item.resolution.who} resolved it on "
                          f"{item.resolution.at[:10]} ({item.resolution.why}), and the work behind it has "
                          "changed since."), icon=":material/update:")
        elif item.resolution:
            st.info(md(f"Resolved by {item.resolution.who} on {item.resolution.at[:10]}: {item.resolution.why}"))
        for earlier in item.notes:
            st.caption(md(f"Note by {earlier.who}, {earlier.at[:16].replace('T', ' ')} UTC: {earlier.why}"))
    who = current_name()
    if not who:
        st.caption("Give your name in the sidebar to assign, note or resolve.")
    assign_col, note_col, resolve_col = st.columns(3)
    with assign_col:
        worker = st.text_input("Assign to (Hub worker)", key="wl_assignee")
        if st.button("Assign", key="wl_assign", disabled=not (who and worker.strip())):
            _act(lambda: workflow.assign_finding(store, item.finding, worker, who=who), f"Assigned to {worker}.")
    with note_col:
        note = st.text_area("Note", key="wl_note", height=80)
        if st.button("Add note", key="wl_add_note", disabled=not (who and note.strip())):
            _act(lambda: workflow.note_finding(store, item.finding, note, who=who), "Note added.")
    with resolve_col:
        reason = st.text_area("Resolve: why", key="wl_reason", height=80,
                              placeholder="e.g. agreed: school leads attendance work")
        if st.button("Resolve", key="wl_resolve", type="primary", disabled=not (who and reason.strip())):
            _act(lambda: workflow.resolve_finding(store, item.finding, who=who, why=reason),
                 f"Resolved: {reason.strip()}. It stays resolved until the work behind it changes.")


def _act(action: object, message: str) -> None:
    try:
        action()  # type: ignore[operator]
    except FamilyGraphError as error:
        st.error(md(str(error)))
        return
    _done(message)
