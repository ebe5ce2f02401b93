"""The strategic aggregates as display tables, built from the protected release (queries/disclosure.py):
no names, no count from 1 to 5, nothing a total, difference, rate or lift could reveal."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable
from pages.ui.labels import need_name, sector_name
from queries.disclosure import HEADLINES, Release, Shown, release, reportable_districts
from queries.rereferral import DEFINITION as RE_REFERRAL_DEFINITION
from queries.suppression import SUPPRESSED

__all__ = ["Headline", "StrategicView", "aggregates_frame", "districts_to_report", "strategic_view"]

_HELP = {
    "families": "families known in the area", "families_with_needs": "families with at least one open need",
    "eligible_2021": "Supporting Families 2021: needs in two of the six headline categories",
    "eligible_2022": "Supporting Families 2022-25: needs across three or more of the ten headline outcomes",
    "claim_ready": "eligible (2022) with a lead professional, a whole-family assessment and a plan",
    "leaderless_families": "families with four or more professionals and no lead professional",
    "transfers": "lead assignments that replaced another", "closed_episodes": "early help episodes closed",
    "re_referred": "closed early help episodes followed by a new one within a year",
}


_BANDS = ["no capacity set", "under half", "half to full", "at capacity", "over capacity"]


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline figure, already protected."""

    label: str
    value: str
    help: str


@dataclass(frozen=True, slots=True)
class StrategicView:
    """What the strategic page shows: every count is text (0, 6 or more, or 'c'); nothing names a person."""

    as_of: str
    district: str | None
    period_from: str
    period_to: str
    headlines: tuple[Headline, ...]
    sector_need: pd.DataFrame  # row, need, families (text), heat (float or None)
    agency_need: pd.DataFrame
    unmet: pd.DataFrame  # need, people, without_work, share
    cooccurrence: pd.DataFrame  # need_a, need_b, families, lift
    lead_load: pd.DataFrame  # band, professionals
    notes: tuple[str, ...] = ()


def _text(value: Shown) -> str:
    return value if isinstance(value, str) else f"{value:,}"


def _heat(value: Shown) -> float | None:
    return None if isinstance(value, str) else float(value)


def _matrix(rel: Release, kind: str, names: dict[str, str]) -> pd.DataFrame:
    rows = [(names.get(k[1], k[1]), need_name(k[2]), _text(v), _heat(v)) for k, v in rel.table(kind)]
    return pd.DataFrame(rows, columns=["row", "need", "families", "heat"])


def _unmet(rel: Release) -> pd.DataFrame:
    rows = [(need_name(k[1]), _text(v), _text(rel.counts.get(("unmet_without", k[1]), 0)),
             rel.rate(("unmet_without", k[1]), k)) for k, v in rel.table("unmet_people")]
    return pd.DataFrame(rows, columns=["need", "people", "without_work", "share"]).sort_values("need").reset_index(
        drop=True)


def _cooccurrence(rel: Release) -> pd.DataFrame:
    cells = rel.table("cooccurrence")
    ordered = sorted(cells, key=lambda kv: (kv[1] == SUPPRESSED, -float(rel.lifts[kv[0]]) if kv[1] != SUPPRESSED
                                            else 0.0, kv[0]))
    rows = [(need_name(k[1]), need_name(k[2]), _text(v), SUPPRESSED if v == SUPPRESSED else f"×{rel.lifts[k]}")
            for k, v in ordered]
    return pd.DataFrame(rows, columns=["need_a", "need_b", "families", "lift"])


def _headlines(rel: Release) -> tuple[Headline, ...]:
    heads = [Headline(label, _text(rel.headline(name)), _HELP[name]) for name, label in HEADLINES.items()]
    heads.append(Headline("Re-referral rate", rel.rate(("headline", "re_referred"), ("headline", "closed_episodes")),
                          RE_REFERRAL_DEFINITION))
    return tuple(heads)


def districts_to_report(store: GraphStore) -> list[str]:
    """The districts large enough to be reported on their own."""
    return reportable_districts(store.county_table(CountyTable.FAMILIES))


def strategic_view(store: GraphStore, as_of: str, district: str | None, period_from: str,
                   period_to: str) -> StrategicView:
    """Every protected aggregate the strategic page shows."""
    rel = release(store, as_of, district, period_from, period_to)
    profs = store.county_table(CountyTable.PROFESSIONALS)
    agencies = {str(a): str(n) for a, n in zip(profs.agency_id, profs.agency_name, strict=True)}
    sectors = {k[1]: sector_name(k[1]) for k, _ in rel.table("sector_need")}
    bands = sorted(rel.table("lead_load"), key=lambda kv: _BANDS.index(kv[0][1]) if kv[0][1] in _BANDS else 99)
    load = pd.DataFrame([(k[1], _text(v)) for k, v in bands], columns=["band", "professionals"])
    return StrategicView(rel.as_of, district, rel.period_from, rel.period_to, _headlines(rel),
                         _matrix(rel, "sector_need", sectors), _matrix(rel, "agency_need", agencies), _unmet(rel),
                         _cooccurrence(rel), load, rel.notes)


def aggregates_frame(view: StrategicView) -> pd.DataFrame:
    """Every figure of the view in one long table (table, row, column, value) for export."""
    rows = [("headline", h.label, "", h.value) for h in view.headlines]
    rows += [("open work by sector", r.row, r.need, r.families) for r in view.sector_need.itertuples()]
    rows += [("open work by agency", r.row, r.need, r.families) for r in view.agency_need.itertuples()]
    for r in view.unmet.itertuples():
        rows += [("unmet needs", r.need, "people", r.people), ("unmet needs", r.need, "no open work", r.without_work),
                 ("unmet needs", r.need, "share unmet", r.share)]
    rows += [("lead load", r.band, "professionals", r.professionals) for r in view.lead_load.itertuples()]
    for r in view.cooccurrence.itertuples():
        rows += [("needs together", r.need_a, r.need_b, r.families), ("lift", r.need_a, r.need_b, r.lift)]
    return pd.DataFrame(rows, columns=["table", "row", "column", "value"])
