"""The record review page's parts: one pending pair side by side, and the decision history with undo."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphmodel.audit import AuditAction
from graphmodel.contract import GraphStore
from loaders.linkage.graph import GraphLedgerStore, apply_decision
from loaders.linkage.review import NothingToUndo, ReviewLedger
from pages.ui.auth import current_user
from pages.ui.text import md
from queries.access import record

__all__ = ["EVIDENCE_FIELDS", "evidence_frame", "render_history", "render_pair"]

EVIDENCE_FIELDS = ("given_name", "family_name", "dob", "sex", "postcode", "nhs_number", "upn", "source_id")


def evidence_frame(row: pd.Series) -> pd.DataFrame:
    """The two records' fields side by side, with a column saying whether they agree."""
    def shown(value: object) -> str:
        return "" if value is None or (isinstance(value, float) and value != value) else str(value)

    rows = []
    for field in EVIDENCE_FIELDS:
        left, right = shown(row.get(f"{field}_l")), shown(row.get(f"{field}_r"))
        agree = "yes" if left and left == right else "missing" if not (left and right) else ""
        rows.append({"field": field.replace("_", " "), "record A": left, "record B": right, "agree": agree})
    return pd.DataFrame(rows)


def _decide(store: GraphStore, action: str, left: str, right: str, who: str, why: str) -> None:
    try:
        apply_decision(store, action, left, right, who=who, why=why)
    except (ValueError, NothingToUndo) as error:
        st.error(md(str(error)))
        return
    record(store, current_user(), AuditAction.LINK_DECISION, detail=f"{action} {left} / {right}", reason=why)
    st.cache_data.clear()
    st.rerun()


def render_pair(store: GraphStore, row: pd.Series, index: int, who: str) -> None:
    """One pair waiting for review: evidence, score and reason, a reason box and the two decisions."""
    left, right = str(row.record_id_l), str(row.record_id_r)
    with st.container(border=True):
        st.markdown(f"**{md(f'{row.given_name_l} {row.family_name_l}')}** ({md(left)}) and "
                    f"**{md(f'{row.given_name_r} {row.family_name_r}')}** ({md(right)}) · match probability "
                    f"{float(row.match_probability):.3f}")
        st.caption(md(str(row.reason or "")))
        st.dataframe(evidence_frame(row), hide_index=True, key=f"evidence_{index}")
        why = st.text_input("Why (required)", key=f"why_{index}", placeholder="e.g. same UPN; date of birth typo")
        confirm, reject = st.columns(2)
        if confirm.button("Same person", key=f"confirm_{index}", type="primary"):
            _decide(store, "confirm", left, right, who, why)
        if reject.button("Different people", key=f"reject_{index}"):
            _decide(store, "reject", left, right, who, why)


def render_history(store: GraphStore, who: str) -> None:
    """Every decision, newest first, and undo for the decisions in force."""
    ledger = ReviewLedger(GraphLedgerStore(store))
    history = ledger.history()
    st.subheader("Decisions")
    if not history:
        st.info("No decisions yet.")
        return
    frame = pd.DataFrame([{"#": d.seq, "record A": d.record_id_l, "record B": d.record_id_r, "decision": d.action,
                           "who": d.who, "when": d.when, "why": d.why} for d in reversed(history)])
    st.dataframe(frame, hide_index=True, key="decisions_table")
    in_force = sorted(ledger.state().items())
    if not in_force:
        return
    labels = [f"{a} / {b}: {state}" for (a, b), state in in_force]
    choice = st.selectbox("Undo the decision on", range(len(labels)), format_func=labels.__getitem__,
                          key="undo_pair")
    why = st.text_input("Why undo (required)", key="undo_why")
    if st.button("Undo", key="undo_button") and choice is not None:
        (left, right), _ = in_force[choice]
        _decide(store, "undo", left, right, who, why)
