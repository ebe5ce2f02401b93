"""The family timeline on screen: a Gantt chart (members as lanes, the as-of date marked), a bar's details on click."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from graphmodel.dates import format_uk
from pages.ui.text import md
from queries.timeline import TimelineBar, tracks

__all__ = ["render_timeline", "timeline_frame"]

_COLOURS = {"need": "#ef9a9a", "work": "#64b5f6", "lead": "#f2b705", "episode": "#81c784"}


def timeline_frame(bars: list[TimelineBar], as_of: str) -> pd.DataFrame:
    """One row per bar, with its row in the lane (so bars never overlap), dates and details."""
    rows = tracks(bars, as_of)
    return pd.DataFrame([{
        "bar": i, "lane": b.lane, "row": f"{b.lane} · {r + 1}", "kind": b.kind, "label": b.label,
        "start": pd.Timestamp(b.start), "end": pd.Timestamp(b.end or max(as_of, b.start)),
        "period": f"{format_uk(b.start)} to {format_uk(b.end) or 'now'}", "open": "open" if b.open_on_as_of else "",
    } for i, (b, r) in enumerate(zip(bars, rows, strict=True))])


def render_timeline(bars: list[TimelineBar], as_of: str) -> None:
    """The chart, and below it the details of the bar clicked (or a table of every bar)."""
    st.subheader("Timeline")
    if not bars:
        st.info("Nothing dated is recorded for this family.")
        return
    frame = timeline_frame(bars, as_of)
    pick = alt.selection_point(fields=["bar"], name="pick")
    lanes = list(dict.fromkeys(frame["row"]))
    base = alt.Chart(frame).encode(
        y=alt.Y("row:N", sort=lanes, title=None, scale=alt.Scale(paddingInner=0.25),
                axis=alt.Axis(labelExpr="slice(datum.label, -4) == ' · 1' ? split(datum.label, ' · ')[0] : ''",
                              labelLimit=200, labelFontSize=12, ticks=False)),
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%m/%Y")), x2="end:T")
    chart = base.mark_bar(cornerRadius=2).encode(
        color=alt.Color("kind:N", scale=alt.Scale(domain=list(_COLOURS), range=list(_COLOURS.values())),
                        legend=alt.Legend(title=None, orient="top")),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("label:N", title="What"), alt.Tooltip("lane:N", title="Lane"),
                 alt.Tooltip("period:N", title="When")],
    ).add_params(pick)
    words = base.mark_text(align="left", dx=4, fontSize=11, color="#263238", limit=320).encode(
        text="label:N", x="start:T")
    marker = alt.Chart(pd.DataFrame({"as_of": [pd.Timestamp(as_of)], "text": [f"as of {format_uk(as_of)}"]}))
    rule = marker.mark_rule(color="#c62828", strokeWidth=2).encode(x="as_of:T")
    text = marker.mark_text(color="#c62828", align="left", dx=4, dy=-6, fontWeight="bold").encode(
        x="as_of:T", y=alt.value(0), text="text:N")
    state = st.altair_chart((chart + words + rule + text).properties(height=alt.Step(22)), key="timeline_chart",
                            on_select="rerun", selection_mode="pick", width="stretch")
    chosen = _selected(state)
    if chosen is not None and 0 <= chosen < len(bars):
        bar = bars[chosen]
        with st.container(border=True):
            st.markdown(f"**{md(bar.label)}** · {md(bar.lane)}")
            for line in bar.details:
                st.markdown(md(line))
    else:
        st.caption("Click a bar for its details.")
    with st.expander("Every bar as a table"):
        st.dataframe(frame[["lane", "kind", "label", "period", "open"]], hide_index=True, key="timeline_table")


def _selected(state: object) -> int | None:
    """The bar index picked in the chart, if any."""
    try:
        points = state["selection"]["pick"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    if isinstance(points, list) and points and "bar" in points[0]:
        return int(points[0]["bar"])
    return None
