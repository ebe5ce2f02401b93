"""Strategic: coverage, unmet needs, co-occurrence, lead load, re-referral and Supporting Families counts.

Aggregates only: no person or professional is named, and counts from 1 to 5 show as 'c'.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pages.ui import cached
from pages.ui.auth import audit_export, page_for
from pages.ui.charts import heatmap, heatmap_table
from pages.ui.entry import through_app
from pages.ui.export import to_csv_bytes
from pages.ui.network_view import render_network_section
from pages.ui.sidebar import as_of
from pages.ui.store import get_store
from pages.ui.strategic_view import aggregates_frame, districts_to_report
from pages.ui.suppress import LEGEND
from pages.ui.text import md
from queries.rereferral import DEFINITION as RE_REFERRAL_DEFINITION
from queries.roles import Role

through_app()

st.title("Strategic view")
st.caption("Aggregates only. " + LEGEND)
store, day = get_store(), as_of()
page_for(store, {Role.STRATEGIC, Role.HUB}, "The strategic view")
filters = st.columns(3)
district = filters[0].selectbox("District", ["Whole county", *districts_to_report(store)], key="st_district",
                                help="Districts too small to report on their own are counted in the county only.")
period_from = filters[1].date_input("Period from", dt.date.fromisoformat(day) - dt.timedelta(days=365),
                                    key="st_from", format="DD/MM/YYYY")
period_to = filters[2].date_input("Period to", dt.date.fromisoformat(day), key="st_to", format="DD/MM/YYYY")
view = cached.strategic(store, day, None if district == "Whole county" else district, str(period_from),
                        str(period_to))
st.caption("; ".join(view.notes) + ". Dates are whole months so that moving a date by a day reveals nothing.")
metrics = st.columns(len(view.headlines) // 3 + (len(view.headlines) % 3 > 0))
for i, headline in enumerate(view.headlines):
    metrics[i % len(metrics)].metric(headline.label, headline.value, help=headline.help)
st.caption(md(RE_REFERRAL_DEFINITION + " The rate is a share of the early help episodes closed in the period "
              "(shown beside it)."))
st.subheader("Coverage: open work by need")
rows = st.radio("Rows", ["Sector", "Agency"], horizontal=True, key="st_rows")
matrix = view.sector_need if rows == "Sector" else view.agency_need
if matrix.empty:
    st.info("No open work on this date.")
else:
    st.altair_chart(heatmap(matrix, rows), key="coverage_heatmap")
    with st.expander("Coverage as a table (the chart's numbers, for screen readers and narrow screens)"):
        st.dataframe(heatmap_table(matrix, rows), hide_index=True, key="coverage_table")
unmet_col, load_col = st.columns([3, 2])
unmet_col.subheader("Unmet needs")
unmet_col.caption("People holding an open need, and how many of them have no open work addressing it.")
unmet_col.dataframe(view.unmet.rename(columns={"need": "Need", "people": "People", "without_work": "No open work",
                                               "share": "Share unmet"}), hide_index=True, key="unmet_table")
load_col.subheader("Lead load")
load_col.caption("Professionals by the share of their lead capacity in use.")
load_col.dataframe(view.lead_load.rename(columns={"band": "Load", "professionals": "Professionals"}),
                   hide_index=True, key="load_table")
st.subheader("Needs that occur together")
st.caption("Families holding both needs, and lift: how many times more often than if they were unrelated.")
st.dataframe(view.cooccurrence.rename(columns={"need_a": "Need", "need_b": "With", "families": "Families",
                                               "lift": "Lift"}), hide_index=True, key="cooccurrence_table")
render_network_section(store, day, None if district == "Whole county" else district, str(period_from))
st.subheader("Export")
st.caption("The same protected figures as on this page, as a spreadsheet; the download is recorded.")
export = aggregates_frame(view)
st.download_button("Download the figures (CSV)", to_csv_bytes(export), f"strategic-{view.as_of}.csv", "text/csv",
                   key="strategic_export", icon=":material/download:", on_click=audit_export,
                   args=(None, f"strategic figures as CSV, district {view.district or 'county'}, as of {view.as_of}"))
