"""On a generated county of 10,000 families the worklist finds what the generator planted, and only that.

The generator plants duplicated work (positives) and look-alikes the rule must not flag (negatives: parallel
work across members, shared-care pairings, sequential work, one professional on two needs), and writes the
truth recomputed from its own records. Precision and recall of the duplicate finder are measured against it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder
from queries.common import open_mask
from queries.coverage import COVERAGE_TABLES, coverage
from queries.duplicates import DuplicateFinding, DuplicateSettings, county_worklist, family_duplicates
from queries.rereferral import re_referrals

AS_OF = "2026-11-01"
MINIMUM = 0.98
pytestmark = pytest.mark.slow
Key = tuple[str, str, str]  # family, need, person ('' = the whole family)


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
    return pd.read_csv(folder / "truth" / f"{name}.csv", dtype=str, keep_default_na=False)


def duplicated_truth(folder: Path) -> dict[Key, set[str]]:
    rows = pd.concat([truth(folder, "duplicated_involvement"), truth(folder, "duplicated_involvement_background")])
    return {(r.family_id, r.need_code, r.person_id): set(r.involvement_ids.split(";")) for r in rows.itertuples()}


def found(worklist: list[DuplicateFinding], kind: str = "duplicated_work") -> dict[Key, set[str]]:
    return {(f.family_id, f.need_code or "", f.person_ids[0] if f.person_ids else ""): set(f.involvement_ids)
            for f in worklist if f.kind == kind}


def test_duplicate_finder_precision_and_recall_on_planted_truth(county: tuple[Path, EmbeddedStore],
                                                                worklist: list[DuplicateFinding]) -> None:
    folder = county[0]
    expected, flagged = duplicated_truth(folder), found(worklist)
    assert len(truth(folder, "duplicated_involvement")) >= 150 and len(truth(folder, "duplicate_lookalikes")) >= 300
    hits = set(expected) & set(flagged)
    precision, recall = len(hits) / len(flagged), len(hits) / len(expected)
    assert precision >= MINIMUM and recall >= MINIMUM, (precision, recall)
    assert all(flagged[k] == expected[k] for k in hits), "each finding names exactly the overlapping work"


def test_no_planted_look_alike_is_called_duplicated(county: tuple[Path, EmbeddedStore],
                                                    worklist: list[DuplicateFinding]) -> None:
    negatives = truth(county[0], "duplicate_lookalikes")
    assert set(negatives.kind) == {"parallel_work", "shared_care", "sequential", "same_professional"}
    assert negatives.groupby("kind").size().min() >= 60
    flagged = found(worklist)
    wrongly = [(r.family_id, r.need_code, p, r.kind) for r in negatives.itertuples()
               for p in r.person_ids.split(";") if (r.family_id, r.need_code, p) in flagged]
    assert wrongly == []


def test_parallel_work_is_its_own_low_severity_finding(county: tuple[Path, EmbeddedStore],
                                                       worklist: list[DuplicateFinding]) -> None:
    expected = truth(county[0], "parallel_work")
    parallel = {(f.family_id, f.need_code): f for f in worklist if f.kind == "parallel_work"}
    assert set(parallel) == set(zip(expected.family_id, expected.need_code, strict=True))
    assert {f.severity for f in parallel.values()} == {1}
    assert all(tuple(r.person_ids.split(";")) == parallel[(r.family_id, r.need_code)].person_ids
               for r in expected.itertuples())
    assert min(f.severity for f in worklist if f.kind == "duplicated_work") > 1


def test_shared_care_is_explained_on_the_family_and_left_off_the_worklist(
        county: tuple[Path, EmbeddedStore], worklist: list[DuplicateFinding]) -> None:
    folder, store = county
    planted = truth(folder, "duplicate_lookalikes")
    shared = planted[planted.kind == "shared_care"].head(10)
    assert not any(f.kind == "shared_care" for f in worklist)
    for row in shared.itertuples():
        kinds = {(f.kind, f.need_code, f.person_ids) for f in family_duplicates(store, row.family_id, AS_OF)}
        assert ("shared_care", row.need_code, (row.person_ids,)) in kinds


def test_every_duplicated_reason_is_one_sentence_naming_member_need_professionals_and_overlap(
        county: tuple[Path, EmbeddedStore], worklist: list[DuplicateFinding]) -> None:
    folder = county[0]
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False).set_index("person_id")
    profs = pd.read_csv(folder / "professionals.csv", dtype=str, keep_default_na=False).set_index("professional_id")
    for finding in [f for f in worklist if f.kind == "duplicated_work"][:200]:
        reason = finding.reason
        assert reason.endswith(".") and reason.count(". ") == 0, reason
        if finding.person_ids:
            person = people.loc[finding.person_ids[0]]
            assert f"{person.given_name} {person.family_name}" in reason
        else:
            assert reason.startswith("The whole family")
        for pid in finding.professional_ids:
            assert profs.loc[pid, "name"] in reason
        assert "overlapped since" in reason and "/20" in reason  # dates as DD/MM/YYYY


def test_the_top_of_the_worklist_is_real(county: tuple[Path, EmbeddedStore],
                                         worklist: list[DuplicateFinding]) -> None:
    """Every one of the top 100 is a planted case or an overlap verified from the raw CSV rows."""
    folder = county[0]
    inv = pd.read_csv(folder / "involvements.csv", dtype=str, keep_default_na=False).replace("", None)
    ids_open = set(inv[open_mask(inv, "start", "end", AS_OF)].involvement_id)
    expected = duplicated_truth(folder)
    planted_families = {kind: set(truth(folder, kind).family_id) for kind in
                        ("leaderless", "two_leads", "two_open_early_help", "repeated_transfers")}

    def real(finding: DuplicateFinding) -> bool:
        if finding.kind == "duplicated_work":
            key = (finding.family_id, finding.need_code or "", finding.person_ids[0] if finding.person_ids else "")
            return key in expected and set(finding.involvement_ids) <= ids_open
        kind = {"no_lead": "leaderless", "two_early_help": "two_open_early_help"}.get(finding.kind, finding.kind)
        return finding.family_id in planted_families[kind]

    top = worklist[:100]
    assert len(top) == 100
    assert sum(real(f) for f in top) == 100


def test_planted_leaderless_families_are_found(county: tuple[Path, EmbeddedStore]) -> None:
    folder, store = county
    planted = truth(folder, "leaderless")
    smallest = min(len(p.split(";")) for p in planted.professionals)
    settings = DuplicateSettings(many_professionals=smallest)
    found_ = {f.family_id for f in county_worklist(store, AS_OF, settings=settings) if f.kind == "no_lead"}
    assert set(planted.family_id) <= found_


def test_planted_two_leads_early_help_and_transfers_are_found(county: tuple[Path, EmbeddedStore],
                                                               worklist: list[DuplicateFinding]) -> None:
    folder = county[0]
    by_kind: dict[str, set[str]] = {}
    for finding in worklist:
        by_kind.setdefault(finding.kind, set()).add(finding.family_id)
    assert set(truth(folder, "two_leads").family_id) <= by_kind["two_leads"]
    assert set(truth(folder, "two_open_early_help").family_id) <= by_kind["two_early_help"]
    assert set(truth(folder, "repeated_transfers").family_id) <= by_kind["repeated_transfers"]


def test_re_referrals_match_the_truth_and_the_strategic_rate_uses_them(county: tuple[Path, EmbeddedStore]) -> None:
    folder, store = county
    planted = truth(folder, "re_referrals")
    assert set(planted.next_kind) >= {"early_help", "social_care"}  # social care counts as further intervention
    tables = {t: store.county_table(t) for t in COVERAGE_TABLES}
    found_ = {(r.family_id, r.closed_episode_id, r.next_kind, r.next_id, str(r.gap_days))
              for r in re_referrals(tables, AS_OF)}
    assert found_ == set(planted.itertuples(index=False, name=None))
    report = coverage(store, AS_OF, period_from="2000-01-01", period_to=AS_OF)
    assert report.re_referred_within_12_months == len(planted)
    assert report.re_referral_rate is not None and 0.05 < report.re_referral_rate < 0.3
    assert "early help episodes closed between 01/01/2000 and 01/11/2026" in report.re_referral_denominator
