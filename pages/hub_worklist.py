"""Hub worklist: duplicated or uncoordinated work across the county, to assign, annotate and resolve."""

from __future__ import annotations

import streamlit as st

from pages.ui import cached
from pages.ui.auth import page_for
from pages.ui.entry import through_app
from pages.ui.export import to_csv_bytes, to_xlsx_bytes
from pages.ui.family_panel import family_names
from pages.ui.labels import FINDING_KINDS
from pages.ui.nav import open_family
from pages.ui.sidebar import as_of
from pages.ui.store import get_store
from pages.ui.text import md
from pages.ui.who import render_who
from pages.ui.worklist import SORTS, filter_worklist
from pages.ui.worklist_flow import STATUSES, render_actions, workflow_frame
from queries.roles import Role
from queries.workflow import hub_events, worklist_items

through_app()

st.title("Hub worklist")
st.caption("Families where work is duplicated or uncoordinated: one person's need worked on by several "
           "professionals, two leads, two early help episodes, many professionals and no lead, repeated transfers, "
           "and (lowest) parallel work on one need for different members, to coordinate. Shared care (a GP beside "
           "a specialist service) is not listed. The rules: docs/questions.md. A resolved finding stays resolved "
           "until the work behind it changes.")
store = get_store()
page_for(store, {Role.HUB}, "The Hub worklist")
render_who()
filters = st.columns([2, 3, 2, 2, 2, 2])
district = filters[0].selectbox("District", ["All districts", *cached.districts(store)], key="wl_district")
kinds = filters[1].multiselect("Findings", list(FINDING_KINDS.values()), default=list(FINDING_KINDS.values()),
                               key="wl_kinds")
statuses = filters[2].multiselect("Status", list(STATUSES), default=list(STATUSES[:3]), key="wl_status")
min_severity = filters[3].slider("Minimum severity", 1, 12, 1, key="wl_min_severity")
text = filters[4].text_input("Contains", key="wl_text", placeholder="family, need or name")
sort = filters[5].selectbox("Sort by", list(SORTS), key="wl_sort")
findings = cached.worklist(store, as_of(), None if district == "All districts" else district)
names = family_names(store)
items = worklist_items(findings, hub_events(store))
frame = workflow_frame(items, names, cached.family_districts(store))
shown = filter_worklist(frame, kinds, min_severity, text, sort)
shown = shown[shown["Status"].isin(statuses)].reset_index(drop=True)
st.caption(f"{len(shown)} of {len(findings)} findings shown.")
st.dataframe(shown.drop(columns=["Finding id"]), hide_index=True, key="worklist_table",
             height=min(35 * (len(shown) + 1) + 3, 880), column_config={
    "Open": st.column_config.LinkColumn("Open", display_text="Open ›", help="Open the family", width="small"),
    "Reason": st.column_config.TextColumn("Reason", width=520, help="The whole reason is under 'Work on a "
                                          "finding' and in the downloads"),
})
name = f"hub-worklist-{as_of()}"
left, right, _ = st.columns([1, 1, 4])
export = shown.drop(columns=["Open"])
left.download_button("Download CSV", to_csv_bytes(export), f"{name}.csv", "text/csv", key="wl_csv",
                     icon=":material/download:")
right.download_button("Download Excel", to_xlsx_bytes(export, sheet="Worklist"), f"{name}.xlsx", key="wl_xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      icon=":material/download:")
visible = set(shown["Finding id"])
render_actions(store, [i for i in items if i.id in visible], names)
families = list(dict.fromkeys(shown["Family id"]))
if families:
    pick, go = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick.selectbox("Family to open", families, key="wl_family",
                            format_func=lambda f: f"{names.get(f, '')} ({f})")
    if go.button("Open family", key="wl_open", icon=":material/arrow_forward:"):
        open_family(str(chosen))
    for finding in (f for f in findings if f.family_id == chosen):
        st.markdown(f"**{md(FINDING_KINDS.get(finding.kind, finding.kind))}** · severity {finding.severity}: "
                    f"{md(finding.reason)}")
