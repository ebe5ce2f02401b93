"""The strategic page's graph section: the agency collaboration network, communities, brokers, duplicating
pairs, monthly trends, the district comparison and the board report (xlsx and PNG). Aggregates only."""

from __future__ import annotations

import base64
import datetime as dt
import io

import altair as alt
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import streamlit as st
from openpyxl import Workbook

from graphmodel.contract import GraphStore
from pages.ui.export import safe_frame
from pages.ui.labels import sector_name
from pages.ui.store import store_key
from queries.agency_network import (
    MIN_EDGE,
    NETWORK_TABLES,
    AgencyNetwork,
    agency_network,
    district_comparison,
    monthly_trends,
)
from queries.suppression import SUPPRESSED, shown, shown_rate

__all__ = ["board_report_xlsx", "network_png", "render_network_section", "suppressed_districts",
           "suppressed_trends", "trends_png"]

_PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
_TRENDS = {"open_work": "Open pieces of work", "unmet_needs": "Unmet needs (family, need)",
           "leaderless_families": "Families with open work and no lead", "re_referrals": "Families re-referred"}


def suppressed_trends(raw: pd.DataFrame) -> pd.DataFrame:
    """Trend counts as shown (0, 6 or more, or c)."""
    out = raw[["month"]].copy()
    for column, title in _TRENDS.items():
        out[title] = raw[column].map(shown)
    return out


def suppressed_districts(raw: pd.DataFrame) -> pd.DataFrame:
    """District counts and rates as shown (suppressed)."""
    return pd.DataFrame({
        "District": raw.district, "Families": raw.families.map(shown),
        "With open work": raw.with_open_work.map(shown), "No lead": raw.without_lead.map(shown),
        "No lead (share of those with work)": [shown_rate(a, b) for a, b in zip(raw.without_lead,
                                                                               raw.with_open_work, strict=True)],
        "Unmet needs": raw.unmet_needs.map(shown), "Re-referred in period": raw.re_referrals.map(shown),
    })


def network_png(network: AgencyNetwork, width_in: float = 11.0) -> bytes:
    """The collaboration network drawn with a fixed seed: colour = community, line width = shared families."""
    graph = network.graph
    fig, ax = plt.subplots(figsize=(width_in, width_in * 0.62), dpi=130)
    if graph.number_of_nodes():
        strength = dict(graph.degree(weight="weight"))
        pos = nx.spring_layout(graph, weight=None, seed=7, k=2.5 / max(1, len(graph)) ** 0.5, iterations=200)
        weights = [d["weight"] for _, _, d in graph.edges(data=True)]
        top = max(weights) if weights else 1
        nx.draw_networkx_edges(graph, pos, ax=ax, width=[0.4 + 4 * w / top for w in weights], edge_color="#b0bec5",
                               alpha=0.7)
        colours = [_PALETTE[(graph.nodes[n].get("community", 1) - 1) % len(_PALETTE)] for n in graph]
        biggest = max(strength.values()) or 1
        nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, edgecolors="#263238", linewidths=0.6,
                               node_size=[40 + 600 * strength[n] / biggest for n in graph])
        named = sorted(graph, key=lambda n: (-strength[n], n))[:12]  # the busiest agencies are named
        nx.draw_networkx_labels(graph, pos, ax=ax, labels={n: graph.nodes[n]["name"][:30] for n in named},
                                font_size=7, verticalalignment="bottom",
                                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.5})
    else:
        ax.text(0.5, 0.5, f"No two agencies share {MIN_EDGE} or more families on this date.", ha="center")
    ax.set_title(f"Agencies linked by families they share (links under {MIN_EDGE} families not shown); colour = "
                 "community, size = families shared, the 12 busiest named", fontsize=9)
    ax.axis("off")
    return _png(fig)


def trends_png(raw: pd.DataFrame) -> bytes:
    """The monthly trends, suppressed counts left out of the lines."""
    fig, ax = plt.subplots(figsize=(10, 4), dpi=130)
    for column, title in _TRENDS.items():
        values = [float("nan") if 1 <= v <= 5 else float(v) for v in raw[column]]
        ax.plot(raw.month, values, marker="o", label=title)
    ax.set_title("Month by month (counts of 1 to 5 not shown)", fontsize=9)
    ax.legend(fontsize=7)
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.grid(color="#eceff1")
    return _png(fig)


def _png(fig: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def board_report_xlsx(sheets: dict[str, pd.DataFrame], as_of: str) -> bytes:
    """One workbook, a sheet per table, every cell text (never a formula); the marking on every sheet."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, frame in sheets.items():
        ws = book.create_sheet(title[:31])
        ws.append(["OFFICIAL-SENSITIVE", f"FamilyGraph board report, as of {as_of}; counts of 1 to 5 show as "
                   f"'{SUPPRESSED}'"])
        safe = safe_frame(frame)
        ws.append(list(safe.columns))
        for row in safe.itertuples(index=False):
            ws.append([str(v) for v in row])
        for row in ws.iter_rows():
            for cell in row:
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@st.cache_data(ttl=dt.timedelta(minutes=10), show_spinner="Building the agency network ...")
def _computed(_store: GraphStore, key: str, as_of: str, district: str | None,
              period_from: str) -> tuple[AgencyNetwork, pd.DataFrame, pd.DataFrame]:
    tables = {t: _store.county_table(t, district) for t in NETWORK_TABLES}
    return (agency_network(tables, as_of), monthly_trends(tables, as_of),
            district_comparison(tables, as_of, period_from))


def render_network_section(store: GraphStore, as_of: str, district: str | None, period_from: str) -> None:
    """The network, its communities and brokers, duplicating pairs, trends, districts and the board report."""
    network, raw_trends, raw_districts = _computed(store, store_key(), as_of, district, period_from)
    st.subheader("Agencies that work together")
    st.caption(f"Agencies are linked when they work with the same families on this date; links with fewer than "
               f"{MIN_EDGE} shared families are not shown ({network.suppressed_edges} such pairs). Colours are "
               "communities of agencies that work together (Louvain); a broker links communities (betweenness).")
    picture = network_png(network)
    encoded = base64.b64encode(picture).decode("ascii")  # our own PNG; the alternative text is fixed, not data
    st.html(f'<figure style="margin:0"><img src="data:image/png;base64,{encoded}" style="max-width:100%" '
            'alt="Agency collaboration network: agencies as points, linked when they share families; the same '
            'figures are in the tables below."><figcaption>Agency collaboration network</figcaption></figure>')
    left, right = st.columns(2)
    left.markdown("**Communities**")
    left.dataframe(network.communities.rename(columns={"community": "Community", "agencies": "Agencies",
                                                       "size": "Size", "sectors": "Sectors"}).assign(
        Sectors=lambda f: f.Sectors.map(lambda s: ", ".join(sector_name(x) for x in s.split(", ")))),
        hide_index=True, key="communities_table")
    right.markdown("**Broker agencies** (between communities)")
    brokers = network.brokers.assign(sector=network.brokers.sector.map(sector_name))
    right.dataframe(brokers.rename(columns={"agency": "Agency", "sector": "Sector", "betweenness": "Betweenness",
                                            "community": "Community"}),
                    hide_index=True, key="brokers_table")
    st.markdown("**Agencies that most often duplicate each other** (families where both work on the same need)")
    duplicating = network.duplicating.assign(families=network.duplicating.families.map(shown)).rename(
        columns={"agency_a": "Agency", "agency_b": "With", "families": "Families"})
    if duplicating.empty:
        st.caption(f"No pair of agencies duplicates work for {MIN_EDGE} or more families.")
    else:
        st.dataframe(duplicating, hide_index=True, key="duplicating_table")
    st.subheader("Trends by month")
    trends = suppressed_trends(raw_trends)
    long = raw_trends.melt("month", var_name="measure", value_name="count")
    long = long.assign(measure=long.measure.map(_TRENDS), count=long["count"].where(~long["count"].between(1, 5)))
    st.altair_chart(alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("month:N", title=None), y=alt.Y("count:Q", title="count"),
        color=alt.Color("measure:N", legend=alt.Legend(orient="bottom", title=None))).properties(height=260),
        key="trends_chart", width="stretch")
    st.dataframe(trends, hide_index=True, key="trends_table")
    st.subheader("Districts compared")
    districts = suppressed_districts(raw_districts)
    st.dataframe(districts, hide_index=True, key="districts_table")
    edges = network.edges.rename(columns={"agency_a": "Agency", "agency_b": "With",
                                          "shared_families": "Shared families"})
    report = board_report_xlsx({"Network links": edges, "Communities": network.communities,
                                "Brokers": network.brokers, "Duplicating pairs": duplicating, "Trends": trends,
                                "Districts": districts}, as_of)
    st.markdown("**Board report**")
    cols = st.columns(3)
    cols[0].download_button("Tables (Excel)", report, f"board-report-{as_of}.xlsx", key="board_xlsx",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            icon=":material/download:")
    cols[1].download_button("Network chart (PNG)", picture, f"agency-network-{as_of}.png", "image/png",
                            key="board_network_png", icon=":material/download:")
    cols[2].download_button("Trends chart (PNG)", trends_png(raw_trends), f"trends-{as_of}.png", "image/png",
                            key="board_trends_png", icon=":material/download:")
