"""The record review page's parts: a pending pair side by side, linked groups explained and split, pairs kept
apart as different people with the reason, and the decision history with undo."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphmodel.audit import AuditAction
from graphmodel.contract import GraphStore
from graphmodel.names import person_name
from loaders.linkage.graph import (
    GraphLedgerStore,
    apply_decision,
    explain_stored_group,
    links_frame,
    person_records,
    split_group,
    stored_groups,
)
from loaders.linkage.review import NothingToUndo, ReviewLedger
from pages.ui.auth import current_user
from pages.ui.text import md
from queries.access import record

__all__ = ["EVIDENCE_FIELDS", "display_date", "evidence_frame", "render_different", "render_groups", "render_history",
           "render_pair"]


def display_date(iso: str) -> str:
    """An ISO date shown DD/MM/YYYY."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) >= 10 else iso

EVIDENCE_FIELDS = ("given_name", "family_name", "dob", "sex", "postcode", "address_line1", "town", "nhs_number", "upn",
                   "police_id", "other_id", "source_id")
_FIELD_LABELS = {"address_line1": "address", "other_id": "other agency id"}


def evidence_frame(row: pd.Series) -> pd.DataFrame:
    """The two records' fields side by side, with a column saying whether they agree."""
    def shown(value: object) -> str:
        return "" if value is None or (isinstance(value, float) and value != value) else str(value)

    rows = []
    for field in EVIDENCE_FIELDS:
        left, right = shown(row.get(f"{field}_l")), shown(row.get(f"{field}_r"))
        agree = "yes" if left and left == right else "missing" if not (left and right) else ""
        rows.append({"field": _FIELD_LABELS.get(field, field.replace("_", " ")), "record A": left, "record B": right,
                     "agree": agree})
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
        if reject.button("Different people", key=f"reject_{index}", help="Kept apart in every later link run"):
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


def render_groups(store: GraphStore, who: str) -> None:
    """Linked groups: each explains itself (the link holding every record in, the weakest link) and can be split."""
    groups = stored_groups(store)
    st.subheader("Linked groups")
    if groups.empty:
        st.info("No linked groups yet. Run `familygraph link` after a load.")
        return
    ids = sorted(groups["resolved_id"].unique())
    labels = {g: f"{g} · {', '.join(sorted(groups.loc[groups.resolved_id == g, 'record_id']))}" for g in ids}
    choice = st.selectbox("Group", ids, format_func=labels.__getitem__, key="group_choice")
    explanation = explain_stored_group(store, str(choice)) if choice else None
    if explanation is None:
        return
    people = person_records(store).set_index("record_id")
    rows = []
    for holding in explanation.records:
        person = people.loc[holding.record_id] if holding.record_id in people.index else None
        rows.append({"record": holding.record_id,
                     "name": "" if person is None else person_name(person.given_name, person.family_name),
                     "born": "" if person is None or not person.dob else display_date(str(person.dob)),
                     "source": "" if person is None else str(person.source_id or ""),
                     "held in by": holding.held_by or "(first record)",
                     "match weight": None if holding.match_weight is None else round(holding.match_weight, 1),
                     "link": (holding.status or "").replace("_", " "), "why": holding.reason or ""})
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="group_table")
    if explanation.weakest is not None:
        weak = explanation.weakest
        st.caption(md(f"Weakest link: {weak.record_id} / {weak.held_by}, match weight {weak.match_weight:+.1f}. "
                      "Check it first."))
    if not who.strip():
        return
    take_out = st.multiselect("Split off these records (they become different people from the rest)",
                              [h.record_id for h in explanation.records], key="split_records")
    why = st.text_input("Why split (required)", key="split_why", placeholder="e.g. twins: school confirmed")
    if st.button("Split the group", key="split_button") and take_out:
        try:
            split_group(store, str(choice), list(take_out), who=who, why=why)
        except ValueError as error:
            st.error(md(str(error)))
            return
        st.cache_data.clear()
        st.rerun()


def render_different(store: GraphStore) -> None:
    """Pairs kept apart as different people (twins, namesakes, a different NHS number), with the reason."""
    links = links_frame(store)
    apart = links[links["status"] == "different_people"]
    st.subheader("Kept apart: different people")
    if apart.empty:
        st.info("No look-alike pairs kept apart.")
        return
    people = person_records(store).set_index("record_id")

    def name(record: str) -> str:
        if record not in people.index:
            return record
        person = people.loc[record]
        born = display_date(str(person.dob)) if person.dob else "date of birth unknown"
        return f"{person_name(person.given_name, person.family_name)} ({record}, born {born})"

    st.dataframe(pd.DataFrame([{"record A": name(r.record_id_l), "record B": name(r.record_id_r),
                                "why they are different people": _why_apart(str(r.reason or ""))}
                               for r in apart.itertuples()]), hide_index=True, key="apart_table")


def _why_apart(reason: str) -> str:
    """The household rule's reason, then the score's evidence."""
    return reason
