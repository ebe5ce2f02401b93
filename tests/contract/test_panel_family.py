"""A hand-built panel family (tests/fixtures/panel), on both stores: the judgments a practitioner would sign.

The Walkers (F10): father on probation and son with the youth justice service, both on offending (parallel work,
not duplication); two family support workers from two agencies both doing parenting work with the mother
(duplicated); the grandfather seen by his GP and the adult mental health team (shared care); the daughter's
attendance work handed from school to youth support (sequential); one early help worker on the mother's parenting
and her debts (one professional, two needs); two leads at once; early help closed in March 2025 and social care
came back in November 2025 (a re-referral). The Hughes family (F11) is eligible but has no lead and no plan.
"""

from __future__ import annotations

import pytest

from graphmodel.contract import GraphStore
from loaders.load import load_folder
from queries.common import UnknownFilter
from queries.coverage import coverage
from queries.duplicates import county_worklist, family_duplicates
from queries.frontdoor import search
from queries.interrelated import family_needs
from queries.rereferral import history_from_snapshot
from queries.supporting_families import sf_for_family
from tests.conftest import FIXTURES

NEWEST_EXTRACT = "2026-05-29"


@pytest.fixture
def panel(store: GraphStore) -> GraphStore:
    load_folder(store, FIXTURES / "panel")
    return store


def test_father_on_probation_and_son_with_yot_is_parallel_work_not_duplication(panel: GraphStore) -> None:
    found = family_duplicates(panel, "F10", "2026-06-01")
    crime = [f for f in found if f.need_code == "crime_asb"]
    assert [(f.kind, f.severity, f.person_ids, f.involvement_ids) for f in crime] == [
        ("parallel_work", 1, ("P21", "P22"), ("I20", "I21"))]
    assert crime[0].reason.startswith("Parallel work, coordinate: 2 members each have their own open work on crime")
    assert "Gary Walker (parent) with Pat Stone (Probation Service, since 10/01/2026)" in crime[0].reason
    assert "Kyle Walker (child) with Sue Lee (Youth Justice Service, since 03/02/2026)" in crime[0].reason


def test_two_family_support_workers_doing_parenting_with_the_mother_is_duplicated(panel: GraphStore) -> None:
    found = family_duplicates(panel, "F10", "2026-06-01")
    duplicated = [f for f in found if f.kind == "duplicated_work"]
    assert [(f.need_code, f.person_ids, f.involvement_ids, f.agency_ids) for f in duplicated] == [
        ("neglect", ("P20",), ("I22", "I23"), ("A_EH", "A_FA"))]
    assert duplicated[0].reason == (
        "Dawn Walker (parent) has 2 open pieces of work on neglect or poor parenting by 2 different professionals "
        "from 2 agencies: Jo Carter (Council Early Help, since 20/01/2026) and Ben Ward (Family Action, since "
        "02/03/2026); they have overlapped since 02/03/2026.")
    assert duplicated[0].severity > 1 and found.index(duplicated[0]) < found.index(
        next(f for f in found if f.kind == "parallel_work"))


def test_shared_care_sequential_work_and_one_professional_on_two_needs_are_not_duplication(panel: GraphStore) -> None:
    found = family_duplicates(panel, "F10", "2026-06-01")
    shared = [f for f in found if f.kind == "shared_care"]
    assert [(f.need_code, f.person_ids, f.severity) for f in shared] == [("mental_health", ("P24",), 0)]
    assert "GP" in shared[0].reason and "Ron Walker (grandparent)" in shared[0].reason
    assert not [f for f in found if "P23" in f.person_ids]  # school then youth support, one after the other
    assert not [f for f in found if f.need_code == "debt"]  # Jo Carter on parenting and on debt
    worklist = county_worklist(panel, "2026-06-01")
    assert "shared_care" not in {f.kind for f in worklist}


def test_two_leads_name_both_with_agency_and_dates(panel: GraphStore) -> None:
    two = [f for f in family_duplicates(panel, "F10", "2026-06-01") if f.kind == "two_leads"]
    assert len(two) == 1 and two[0].professional_ids == ("PR22", "PR23")
    assert ("Jo Carter (Council Early Help, lead since 25/01/2026) and Ben Ward (Family Action, lead since "
            "10/03/2026)") in two[0].reason


def test_re_referral_through_social_care_and_previously_known(panel: GraphStore) -> None:
    snap = panel.family_snapshot("F10")
    assert snap is not None
    history = history_from_snapshot(snap, "2026-06-01")
    assert history.previously_known == "Previously known: early help closed on 31/03/2025 (Needs met)."
    assert [(r.closed_episode_id, r.next_kind, r.next_id, r.gap_days) for r in history.re_referrals] == [
        ("E20", "social_care", "E21", 234)]
    assert history.re_referrals[0].sentence == (
        "Early help closed on 31/03/2025 (Needs met) and a children's social care episode (E21) began 234 days "
        "later, on 20/11/2025.")
    walker = next(f for h in search(panel, "Dawn Walker", as_of="2026-06-01") for f in h.families
                  if f.family_id == "F10")
    assert walker.previously_known == history.previously_known and len(walker.re_referrals) == 1


def test_strategic_re_referral_uses_the_same_definition_and_shows_its_denominator(panel: GraphStore) -> None:
    report = coverage(panel, "2026-06-01", period_from="2023-01-01", period_to="2026-06-01")
    assert (report.closed_episodes, report.re_referred_within_12_months) == (2, 1)  # E31 in 2023 was not
    assert report.re_referral_denominator == (
        "early help episodes closed between 01/01/2023 and 01/06/2026, followed up to 01/06/2026")


def test_supporting_families_per_family(panel: GraphStore) -> None:
    walker = sf_for_family(panel, "F10", "2026-06-01")
    assert walker.standing.eligible_2021 and walker.standing.eligible_2022 and walker.standing.claim_ready
    crime = next(c for c in walker.categories if c.code == "crime_asb")
    assert crime.needs == (("Gary Walker", "crime_asb"), ("Kyle Walker", "crime_asb"))
    assert walker.missing == ()
    hughes = sf_for_family(panel, "F11", "2026-06-01")
    assert hughes.standing.eligible_2021 and hughes.standing.eligible_2022 and not hughes.standing.claim_ready
    assert hughes.missing == ("a lead professional", "a family plan")
    assert hughes.summary.endswith("it is not claim-ready: missing a lead professional, a family plan.")


def test_the_default_as_of_is_the_newest_extract_and_unknown_filters_are_errors(panel: GraphStore) -> None:
    assert sf_for_family(panel, "F10").as_of == NEWEST_EXTRACT
    assert family_duplicates(panel, "F10") == family_duplicates(panel, "F10", NEWEST_EXTRACT)
    with pytest.raises(UnknownFilter, match="unknown family id 'F99'"):
        family_duplicates(panel, "F99")
    with pytest.raises(UnknownFilter, match="unknown district 'Northfen'; known: North, South"):
        coverage(panel, district="Northfen")
    with pytest.raises(UnknownFilter, match="unknown district"):
        county_worklist(panel, district="Nowhere")


def test_a_grandparents_mental_health_is_not_parental_mental_health(panel: GraphStore) -> None:
    needs = family_needs(panel, "F10", "2026-06-01")
    assert needs is not None
    assert "parent_mh_child_attendance" not in {link.rule for link in needs.links}
