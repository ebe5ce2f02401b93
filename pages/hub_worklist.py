"""Hub worklist: duplicated involvement across the county, most severe first, each row opening the family."""

from __future__ import annotations

import streamlit as st

from pages.ui import cached
from pages.ui.auth import page_for
from pages.ui.entry import through_app
from pages.ui.labels import FINDING_KINDS
from pages.ui.nav import open_family
from pages.ui.sidebar import as_of
from pages.ui.store import get_store
from pages.ui.tables import worklist_frame
from pages.ui.text import md
from pages.ui.worklist import SORTS, filter_worklist
from queries.roles import Role

through_app()

st.title("Hub worklist")
st.caption("Families where work is duplicated or uncoordinated: one person's need worked on by several "
           "professionals, two leads, two early help episodes, many professionals and no lead, repeated transfers, "
           "and (lowest) parallel work on one need for different members, to coordinate. Shared care (a GP beside "
           "a specialist service) is not listed. The rules: docs/questions.md.")
store = get_store()
page_for(store, {Role.HUB}, "The Hub worklist")
filters = st.columns([2, 3, 2, 2, 2])
district = filters[0].selectbox("District", ["All districts", *cached.districts(store)], key="wl_district")
kinds = filters[1].multiselect("Findings", list(FINDING_KINDS.values()), default=list(FINDING_KINDS.values()),
                               key="wl_kinds")
min_severity = filters[2].slider("Minimum severity", 1, 12, 1, key="wl_min_severity")
text = filters[3].text_input("Contains", key="wl_text", placeholder="family id, need or name")
sort = filters[4].selectbox("Sort by", list(SORTS), key="wl_sort")
findings = cached.worklist(store, as_of(), None if district == "All districts" else district)
frame = filter_worklist(worklist_frame(findings, cached.family_districts(store)), kinds, min_severity, text, sort)
st.caption(f"{len(frame)} of {len(findings)} findings shown.")
st.dataframe(frame, hide_index=True, key="worklist_table", height=460, column_config={
    "Open": st.column_config.LinkColumn("Open", display_text="Open ›", help="Open the family", width="small"),
    "Reason": st.column_config.TextColumn("Reason", width="large"),
})
families = list(dict.fromkeys(frame["Family"]))
if families:
    pick, go = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick.selectbox("Family to open", families, key="wl_family")
    if go.button("Open family", key="wl_open", icon=":material/arrow_forward:"):
        open_family(str(chosen))
    for finding in (f for f in findings if f.family_id == chosen):
        st.markdown(f"**{md(FINDING_KINDS.get(finding.kind, finding.kind))}** · severity {finding.severity}: "
                    f"{md(finding.reason)}")
