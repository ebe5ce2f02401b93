"""The family page at a glance: a family picker, the members, the team's first columns, the freshness warnings
that matter, and the TAF pack download."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from graphmodel.contract import GraphStore
from graphmodel.dates import format_uk
from graphmodel.records import CountyTable
from pages.ui.auth import audit_export
from pages.ui.export import to_csv_bytes, to_xlsx_bytes
from pages.ui.family_view import FamilyView
from pages.ui.labels import need_name, role_name
from pages.ui.nav import open_family
from pages.ui.store import store_key
from pages.ui.text import md
from pages.ui.who import current_name
from queries.team import TeamView

__all__ = ["PACK_KEY", "family_names", "glance_team_frame", "members_frame", "render_freshness", "render_members",
           "render_pack", "render_picker", "render_team_glance"]

PACK_KEY = "taf_pack"


@st.cache_data(ttl=dt.timedelta(minutes=10), show_spinner=False)
def _family_names(_store: GraphStore, key: str) -> dict[str, str]:
    frame = _store.county_table(CountyTable.FAMILIES)
    return {str(f): str(n) for f, n in zip(frame.family_id, frame.name, strict=True)}


def family_names(store: GraphStore) -> dict[str, str]:
    """Family id -> family name, for the whole county."""
    return _family_names(store, store_key())


def render_picker(store: GraphStore) -> None:
    """Choose a family by name or id when none is chosen yet."""
    st.title("Family")
    names = family_names(store)
    st.caption("Choose a family, or find a person through the Front door.")
    text = st.text_input("Family name or id contains", key="fam_pick_text", placeholder="e.g. Johnson or F0000080")
    needle = text.strip().lower()
    options = [fid for fid, name in sorted(names.items(), key=lambda kv: (kv[1], kv[0]))
               if not needle or needle in fid.lower() or needle in name.lower()]
    if not options:
        st.info("No family matches.")
        return
    st.caption(f"{len(options)} of {len(names)} families")
    chosen = st.selectbox("Family", options[:500], key="fam_pick", format_func=lambda f: f"{names[f]} ({f})")
    if st.button("Open family", key="fam_pick_open", icon=":material/arrow_forward:") and chosen:
        open_family(str(chosen))


def members_frame(team: TeamView) -> pd.DataFrame:
    """One row per member: name, role and age, whether they live in the household, open needs."""
    rows = [{"Name": m.name, "Role": role_name(m.role) + ("" if m.age is None else f", {m.age}"),
             "Lives here": "yes" if m.resident else "no",
             "Open needs": ", ".join(need_name(n) for n in m.open_needs) or "none"} for m in team.members]
    return pd.DataFrame(rows, columns=["Name", "Role", "Lives here", "Open needs"])


def render_members(view: FamilyView) -> None:
    """The members list."""
    st.subheader("Members")
    st.dataframe(members_frame(view.team), hide_index=True, key="members_table", width="stretch")


def glance_team_frame(team: TeamView) -> pd.DataFrame:
    """The team's first columns: who, agency, with whom, what need, and how to reach them."""
    rows = [{"Who": ("★ " if t.is_lead else "") + t.name + (f" ({t.role})" if t.role else ""),
             "Agency": t.agency, "With whom": t.with_whom,
             "Need": ", ".join(t.addresses) or t.service or "",
             "Phone": t.phone or "not recorded", "Email": t.email or "not recorded"} for t in team.team]
    return pd.DataFrame(rows, columns=["Who", "Agency", "With whom", "Need", "Phone", "Email"])


def render_team_glance(view: FamilyView, details: pd.DataFrame) -> None:
    """Team around the family: the five columns that matter, then every column one click away, and exports."""
    st.subheader("Team around the family")
    frame = glance_team_frame(view.team)
    if frame.empty:
        st.info("Nobody has open work with this family on this date.")
        return
    st.dataframe(frame, hide_index=True, key="team_table", width="stretch", column_config={
        "Who": st.column_config.TextColumn("Who", width=190),
        "Agency": st.column_config.TextColumn("Agency", width=180),
        "With whom": st.column_config.TextColumn("With whom", width=130),
        "Need": st.column_config.TextColumn("Need", width=190),
        "Phone": st.column_config.TextColumn("Phone", width=110),
        "Email": st.column_config.TextColumn("Email", width=330)})
    with st.expander("Details: role, sector, service, since, source and freshness"):
        st.dataframe(details, hide_index=True, key="team_details")
    name = f"team-{view.team.family_id}-{view.team.as_of}"
    left, right = st.columns(2)
    left.download_button("Download CSV", to_csv_bytes(details), f"{name}.csv", "text/csv", key="export_csv",
                         icon=":material/download:")
    right.download_button("Download Excel", to_xlsx_bytes(details), f"{name}.xlsx", key="export_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:")


def render_freshness(view: FamilyView) -> None:
    """Only the warnings that matter (stale data behind services the family uses, or county-wide services
    with no recent data); every source one click away."""
    sources = view.team.sources
    warnings = [s for s in sources if s.stale]
    st.subheader("Data freshness")
    if not warnings:
        st.success(f"All {len(sources)} sources behind this family are recent.")
    for source in sorted(warnings, key=lambda s: (not s.involved, s.source_id)):
        who = source.agency or source.agency_id or source.source_id
        if source.involved:
            st.warning(md(f"{who} works with this family, but its data is {source.age_days} days old "
                          f"(extracted {format_uk(source.extracted_at)})."), icon=":material/warning:")
        else:
            st.warning(md(f"No data from {who} since {format_uk(source.extracted_at)}: no involvement is shown, "
                          "but some may be missing."), icon=":material/warning:")
    with st.expander(f"All {len(sources)} sources"):
        for source in sources:
            st.markdown(md(source.note))


def render_pack(view: FamilyView) -> None:
    """Prepare the TAF pack (PDF) and offer it for download; who produced it and when are printed on it."""
    st.subheader("TAF pack")
    producer = current_name()
    key = f"{view.team.family_id}|{view.team.as_of}"
    if st.button("Print pack", key="pack_prepare", icon=":material/print:", disabled=not producer,
                 help="A PDF for the Team Around the Family meeting, marked OFFICIAL-SENSITIVE."):
        from pages.ui.pack import build_pack  # reportlab and matplotlib load only when a pack is printed

        with st.spinner("Preparing the pack ..."):
            st.session_state[PACK_KEY] = (key, build_pack(view, producer))
    if not producer:
        st.caption("Give your name in the sidebar to print a pack.")
    prepared = st.session_state.get(PACK_KEY)
    if prepared and prepared[0] == key:
        st.download_button("Download the TAF pack (PDF)", prepared[1], f"taf-pack-{view.team.family_id}.pdf",
                           "application/pdf", key="pack_download", icon=":material/download:",
                           on_click=audit_export, args=(view.team.family_id, f"TAF pack as of {view.team.as_of}"))
