"""Charts for the strategic page: suppressed cells carry no number, only the 'c' mark on a grey cell."""

from __future__ import annotations

import altair as alt
import pandas as pd

__all__ = ["heatmap", "heatmap_table"]


def heatmap(frame: pd.DataFrame, row_title: str) -> alt.LayerChart:
    """Rows by need, coloured by families; a suppressed cell has no colour value and shows 'c'."""
    top = float(frame["heat"].max()) if frame["heat"].notna().any() else 0.0
    base = alt.Chart(frame).encode(
        x=alt.X("need:N", title="Need", axis=alt.Axis(labelAngle=-35, labelOverlap=False, labelLimit=240)),
        y=alt.Y("row:N", title=row_title, axis=alt.Axis(labelOverlap=False, labelLimit=260)),
        tooltip=[alt.Tooltip("row:N", title=row_title), alt.Tooltip("need:N", title="Need"),
                 alt.Tooltip("families:N", title="Families")],
    )
    blank = base.mark_rect(color="#eceff1", stroke="#ffffff")
    cells = base.transform_filter("isValid(datum.heat)").mark_rect(stroke="#ffffff").encode(
        color=alt.Color("heat:Q", title="Families", scale=alt.Scale(scheme="blues", domainMin=0),
                        legend=alt.Legend(title="Families")),
    )
    labels = base.mark_text(fontSize=12).encode(
        text="families:N",
        color=alt.condition(f"isValid(datum.heat) && datum.heat > {top / 2}", alt.value("white"),
                            alt.value("#263238")),
    )
    layers = [blank, cells, labels] if top else [blank, labels]
    return alt.LayerChart(layer=layers).properties(height=alt.Step(26), width=alt.Step(64))


def heatmap_table(frame: pd.DataFrame, row_title: str) -> pd.DataFrame:
    """The heatmap's cells as a table (its text alternative): one row per row, one column per need, 'c' kept."""
    if frame.empty:
        return pd.DataFrame({row_title: []})
    table = frame.pivot_table(index="row", columns="need", values="families", aggfunc="first", sort=True)
    return table.fillna("").astype(str).rename_axis(index=row_title, columns=None).reset_index()
