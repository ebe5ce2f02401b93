"""Audit: who signed in, searched, opened which family and why, exported, loaded and decided links."""

from __future__ import annotations

import streamlit as st

from graphmodel.audit import AuditAction
from pages.ui.auth import page_for
from pages.ui.entry import through_app
from pages.ui.store import get_store
from queries.access import record
from queries.audit_report import UNUSUAL_VIEWS_PER_DAY, audit_report
from queries.roles import Role

through_app()

st.title("Audit")
store = get_store()
auditor = page_for(store, {Role.AUDITOR}, "The audit log")
st.caption("Every sign-in, search (the terms hashed), family view, break-glass reason, export, load and link "
           "decision. Entries can only be added: nothing in FamilyGraph edits or deletes them.")
filters = st.columns(5)
user = filters[0].text_input("User", key="au_user").strip() or None
family = filters[1].text_input("Family id", key="au_family").strip() or None
action = filters[2].selectbox("What", ["Everything", *[a.value for a in AuditAction]], key="au_action")
since = filters[3].date_input("From", value=None, key="au_since", format="DD/MM/YYYY")
until = filters[4].date_input("To", value=None, key="au_until", format="DD/MM/YYYY")
term = st.text_input("Was this name searched? (checked against the hashed terms)", key="au_term").strip() or None
report = audit_report(store, user, family, since.isoformat() if since else None,
                      until.isoformat() if until else None, term, None if action == "Everything" else action)
read = f"filters user={user or '-'} family={family or '-'} action={action} from={since} to={until} term={bool(term)}"
if st.session_state.get("_fg_last_audit_read") != read:  # once per set of filters, not on every rerun
    record(store, auditor, AuditAction.AUDIT_READ, detail=read)
    st.session_state["_fg_last_audit_read"] = read
if report.chain_problems:
    st.error("The audit log was changed outside FamilyGraph: " + "; ".join(report.chain_problems[:5]))
else:
    st.success("The audit log's hash chain is intact: no entry was changed or removed.",
               icon=":material/verified:")
if report.unusual:
    st.subheader("Unusual volumes")
    st.caption(f"More than {UNUSUAL_VIEWS_PER_DAY} family views, or several break-glass openings, by one user "
               "in one day.")
    st.dataframe([{"Who": u.actor, "Day": u.day, "Family views": u.family_views, "Break-glass": u.break_glass}
                  for u in report.unusual], hide_index=True, key="audit_unusual")
st.subheader(f"{len(report.entries)} entr{'y' if len(report.entries) == 1 else 'ies'}")
st.dataframe(report.frame(), hide_index=True, key="audit_table", height=480)
