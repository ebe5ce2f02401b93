"""On a generated county of 10,000 families the worklist finds what the generator planted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphmodel.records import CountyTable
from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder
from queries.common import open_mask
from queries.coverage import coverage
from queries.duplicates import DuplicateFinding, DuplicateSettings, county_worklist

AS_OF = "2026-11-01"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EmbeddedStore]:
    """10,000 generated families loaded into the embedded store."""
    from seed.generator import generate

    folder = tmp_path_factory.mktemp("county10k")
    generate(10_000, 2026, folder, as_of=AS_OF)
    store = EmbeddedStore(folder / "store.sqlite")
    load_folder(store, folder)
    return folder, store


@pytest.fixture(scope="module")
def worklist(county: tuple[Path, EmbeddedStore]) -> list[DuplicateFinding]:
    return county_worklist(county[1], AS_OF)


def truth(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "truth" / name, dtype=str, keep_default_na=False)


def test_every_planted_duplicated_involvement_is_found(county: tuple[Path, EmbeddedStore],
                                                       worklist: list[DuplicateFinding]) -> None:
    planted = truth(county[0], "duplicated_involvement.csv")
    assert len(planted) >= 20
    found = {(f.family_id, f.need_code): set(f.involvement_ids) for f in worklist if f.kind == "same_need"}
    missing = [(r.family_id, r.need_code) for r in planted.itertuples()
               if not set(r.involvement_ids.split(";")) <= found.get((r.family_id, r.need_code), set())]
    assert missing == []


def test_the_top_of_the_worklist_is_real(county: tuple[Path, EmbeddedStore],
                                         worklist: list[DuplicateFinding]) -> None:
    """At least 95 of the top 100 are planted cases or overlaps verified from the raw CSV rows."""
    folder = county[0]
    inv = pd.read_csv(folder / "involvements.csv", dtype=str, keep_default_na=False).replace("", None)
    open_inv = inv[open_mask(inv, "start", "end", AS_OF)]
    planted = {(r.family_id, r.need_code) for r in truth(folder, "duplicated_involvement.csv").itertuples()}
    planted |= {(r.family_id, r.need_code) for r in
                truth(folder, "duplicated_involvement_background.csv").itertuples()}
    planted_families = {kind: set(truth(folder, f"{kind}.csv").family_id) for kind in
                        ("leaderless", "two_leads", "two_open_early_help", "repeated_transfers")}
    ids_open = set(open_inv.involvement_id)

    def real(finding: DuplicateFinding) -> bool:
        if finding.kind == "same_need":
            verified = set(finding.involvement_ids) <= ids_open and len(set(finding.professional_ids)) >= 2
            return (finding.family_id, finding.need_code) in planted or verified
        kind = {"no_lead": "leaderless", "two_early_help": "two_open_early_help"}.get(finding.kind, finding.kind)
        return finding.family_id in planted_families[kind]

    top = worklist[:100]
    assert len(top) == 100
    assert sum(real(f) for f in top) >= 95


def test_planted_leaderless_families_are_found(county: tuple[Path, EmbeddedStore]) -> None:
    folder, store = county
    planted = truth(folder, "leaderless.csv")
    smallest = min(len(p.split(";")) for p in planted.professionals)
    found = {f.family_id for f in county_worklist(store, AS_OF, settings=DuplicateSettings(many_professionals=smallest))
             if f.kind == "no_lead"}
    assert set(planted.family_id) <= found


def test_planted_two_leads_early_help_and_transfers_are_found(county: tuple[Path, EmbeddedStore],
                                                               worklist: list[DuplicateFinding]) -> None:
    folder = county[0]
    by_kind: dict[str, set[str]] = {}
    for finding in worklist:
        by_kind.setdefault(finding.kind, set()).add(finding.family_id)
    assert set(truth(folder, "two_leads.csv").family_id) <= by_kind["two_leads"]
    assert set(truth(folder, "two_open_early_help.csv").family_id) <= by_kind["two_early_help"]
    assert set(truth(folder, "repeated_transfers.csv").family_id) <= by_kind["repeated_transfers"]


def test_re_referral_rate_counts_the_planted_re_referrals(county: tuple[Path, EmbeddedStore]) -> None:
    folder, store = county
    report = coverage(store, AS_OF, period_from="2000-01-01", period_to=AS_OF)
    planted = truth(folder, "re_referrals.csv")
    assert report.re_referred_within_12_months == planted.family_id.nunique()
    assert report.re_referral_rate is not None and 0.05 < report.re_referral_rate < 0.2
    assert store.county_table(CountyTable.EPISODES).shape[0] > 0
