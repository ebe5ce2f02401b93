"""The strategic aggregates as display tables, suppressed before they leave this module (no names, no 1-5)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable
from pages.ui.labels import need_name, sector_name
from pages.ui.suppress import heat_value, is_suppressed, suppress_counts
from queries.common import open_on
from queries.coverage import COVERAGE_TABLES, CoverageReport, MatrixCell, coverage_from_tables
from queries.interrelated import CooccurrenceCell, cooccurrence_from_needs
from queries.rereferral import DEFINITION as RE_REFERRAL_DEFINITION
from queries.supporting_families import SfReport, supporting_families_from_tables
from queries.suppression import shown, shown_rate

__all__ = ["Headline", "StrategicView", "strategic_view"]


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline figure, already suppressed."""

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


def _matrix(cells: tuple[MatrixCell, ...], names: dict[str, str]) -> pd.DataFrame:
    rows = [(names.get(c.row, c.row), need_name(c.need_code), shown(c.families), heat_value(c.families))
            for c in cells]
    return pd.DataFrame(rows, columns=["row", "need", "families", "heat"])


def _unmet(report: CoverageReport) -> pd.DataFrame:
    frame = pd.DataFrame([(need_name(u.need_code), u.people, u.unmet, shown_rate(u.unmet, u.people))
                          for u in report.unmet], columns=["need", "people", "without_work", "share"])
    return suppress_counts(frame.sort_values("need"), ["people", "without_work"]).reset_index(drop=True)


def _cooccurrence(cells: list[CooccurrenceCell]) -> pd.DataFrame:
    ordered = sorted(cells, key=lambda c: (is_suppressed(c.families), -c.lift, c.need_a, c.need_b))
    rows = [(need_name(c.need_a), need_name(c.need_b), shown(c.families),
             "c" if is_suppressed(c.families) else f"×{c.lift:.2f}") for c in ordered]
    return pd.DataFrame(rows, columns=["need_a", "need_b", "families", "lift"])


def _headlines(report: CoverageReport, sf: SfReport) -> tuple[Headline, ...]:
    counts = sf.counts()
    return (
        Headline("Families", shown(report.families), "families known in the area"),
        Headline("With an open need", shown(counts["families_with_needs"]), "families with at least one open need"),
        Headline("Eligible (2021 rule)", shown(counts["eligible_2021"]),
                 "Supporting Families 2021: needs in two of the six headline categories"),
        Headline("Eligible (2022 rule)", shown(counts["eligible_2022"]),
                 "Supporting Families 2022-25: needs across three or more of the ten headline outcomes"),
        Headline("Ready to claim", shown(counts["claim_ready"]),
                 "eligible (2022) with a lead professional, a whole-family assessment and a plan"),
        Headline("Several professionals, no lead", shown(report.leaderless_families),
                 "families with four or more professionals and no lead professional"),
        Headline("Lead transfers in period", shown(report.transfers), "lead assignments that replaced another"),
        Headline("Early help closed in period", shown(report.closed_episodes),
                 f"the re-referral rate's denominator: {report.re_referral_denominator}"),
        Headline("Re-referral within 12 months", shown_rate(report.re_referred_within_12_months,
                                                            report.closed_episodes),
                 f"{shown(report.re_referred_within_12_months)} of {shown(report.closed_episodes)} "
                 f"{report.re_referral_denominator}. {RE_REFERRAL_DEFINITION}"),
    )


def strategic_view(store: GraphStore, as_of: str, district: str | None, period_from: str,
                   period_to: str) -> StrategicView:
    """Read the county tables once and build every suppressed aggregate the strategic page shows."""
    tables = {t: store.county_table(t, district) for t in COVERAGE_TABLES}
    report = coverage_from_tables(tables, as_of, district, period_from, period_to)
    sf = supporting_families_from_tables(tables, as_of)
    profs = tables[CountyTable.PROFESSIONALS]
    agencies = {str(a): str(n) for a, n in zip(profs.agency_id, profs.agency_name, strict=True)}
    sectors = {c.row: sector_name(c.row) for c in report.sector_need}
    load = pd.DataFrame([(b.band, b.professionals) for b in report.lead_load], columns=["band", "professionals"])
    return StrategicView(
        as_of, district, period_from, period_to, _headlines(report, sf),
        _matrix(report.sector_need, sectors), _matrix(report.agency_need, agencies), _unmet(report),
        _cooccurrence(cooccurrence_from_needs(open_on(tables, CountyTable.PERSON_NEEDS, as_of))),
        suppress_counts(load, ["professionals"]),
    )
