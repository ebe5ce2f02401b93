"""Cached reads (st.cache_data): each keyed on the store's description so two stores never share answers."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from graphmodel.contract import GraphStore
from graphmodel.dates import default_as_of as newest_extract
from graphmodel.records import CountyTable, SourceRecord
from pages.ui.ecomap import EcomapSummary, build_ecomap, legend
from pages.ui.family_view import FamilyView
from pages.ui.family_view import family_view as _family_view
from pages.ui.pyvis_html import render_network
from pages.ui.store import store_key
from pages.ui.strategic_view import StrategicView
from pages.ui.strategic_view import strategic_view as _strategic_view
from queries.duplicates import DuplicateFinding, county_worklist
from queries.frontdoor import FrontDoorHit
from queries.frontdoor import search as _search

__all__ = ["ECOMAP_HEIGHT", "default_as_of", "districts", "ecomap", "family", "family_districts", "search",
           "sources", "strategic", "worklist"]

ECOMAP_HEIGHT = 680
TTL = dt.timedelta(minutes=10)
"""Answers older than this are read again, so loads made outside the app show up without a restart."""


@st.cache_data(ttl=TTL, show_spinner=False)
def _sources(_store: GraphStore, key: str) -> list[SourceRecord]:
    return _store.sources()


@st.cache_data(ttl=TTL, show_spinner=False)
def _family_districts(_store: GraphStore, key: str) -> dict[str, str | None]:
    frame = _store.county_table(CountyTable.FAMILIES)
    return {str(f): (None if d is None else str(d)) for f, d in zip(frame.family_id, frame.district, strict=True)}


@st.cache_data(ttl=TTL, show_spinner="Searching ...")
def _search_cached(_store: GraphStore, key: str, name: str, dob: str | None, postcode: str | None,
                   as_of: str) -> list[FrontDoorHit]:
    return _search(_store, name, dob=dob, postcode=postcode, as_of=as_of)


@st.cache_data(ttl=TTL, show_spinner="Reading the family ...")
def _family(_store: GraphStore, key: str, family_id: str, as_of: str) -> FamilyView | None:
    return _family_view(_store, family_id, as_of)


@st.cache_data(ttl=TTL, show_spinner="Drawing the ecomap ...", max_entries=50)
def _ecomap(_store: GraphStore, key: str, family_id: str, as_of: str,
            per_agency: int) -> tuple[str, EcomapSummary] | None:
    view = _family(_store, key, family_id, as_of)
    if view is None:
        return None
    graph, summary = build_ecomap(view, per_agency)
    return render_network(graph, legend(), ECOMAP_HEIGHT), summary


@st.cache_data(ttl=TTL, show_spinner="Building the worklist ...")
def _worklist(_store: GraphStore, key: str, as_of: str, district: str | None) -> list[DuplicateFinding]:
    return county_worklist(_store, as_of, district)


@st.cache_data(ttl=TTL, show_spinner="Counting ...")
def _strategic(_store: GraphStore, key: str, as_of: str, district: str | None, period_from: str,
               period_to: str) -> StrategicView:
    return _strategic_view(_store, as_of, district, period_from, period_to)


def sources(store: GraphStore) -> list[SourceRecord]:
    """Every source (extract) with its dates."""
    return _sources(store, store_key())


def family_districts(store: GraphStore) -> dict[str, str | None]:
    """Family id -> district for the whole county."""
    return _family_districts(store, store_key())


def districts(store: GraphStore) -> list[str]:
    """The districts families live in, sorted."""
    return sorted({d for d in family_districts(store).values() if d})


def default_as_of(store: GraphStore) -> dt.date:
    """The date the data describes: the newest extract, or today when no source is loaded."""
    return dt.date.fromisoformat(newest_extract(s.extracted_at for s in sources(store)))


def search(store: GraphStore, name: str, dob: str | None, postcode: str | None, as_of: str) -> list[FrontDoorHit]:
    """Front door search, best first."""
    return _search_cached(store, store_key(), name, dob, postcode, as_of)


def family(store: GraphStore, family_id: str, as_of: str) -> FamilyView | None:
    """The family page's answers for one family on a date."""
    return _family(store, store_key(), family_id, as_of)


def ecomap(store: GraphStore, family_id: str, as_of: str, per_agency: int) -> tuple[str, EcomapSummary] | None:
    """The family's ecomap as an offline HTML page, and what the expansion limit left out."""
    return _ecomap(store, store_key(), family_id, as_of, per_agency)


def worklist(store: GraphStore, as_of: str, district: str | None) -> list[DuplicateFinding]:
    """The county (or district) duplicated-involvement worklist, most severe first."""
    return _worklist(store, store_key(), as_of, district)


def strategic(store: GraphStore, as_of: str, district: str | None, period_from: str,
              period_to: str) -> StrategicView:
    """The strategic aggregates, already suppressed for display."""
    return _strategic(store, store_key(), as_of, district, period_from, period_to)
