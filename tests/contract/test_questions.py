"""The question catalogue on the small hand-built county: the same known answers from both stores."""

from __future__ import annotations

import pytest

from graphmodel.changes import full_node_row
from graphmodel.contract import GraphStore
from graphmodel.names import family_key, given_key, phonetic
from graphmodel.records import GraphBatch
from graphmodel.schema import Label, node_spec
from queries import frontdoor
from queries.coverage import coverage
from queries.duplicates import DuplicateSettings, county_worklist, family_duplicates
from queries.frontdoor import search
from queries.interrelated import cooccurrence, family_needs
from queries.suggest import suggest_lead
from queries.supporting_families import supporting_families
from queries.team import team_around_family
from tests.conftest import SMALL_AS_OF as AS_OF


def test_front_door_finds_a_misspelt_name_and_says_who_leads(small_store: GraphStore) -> None:
    hits = search(small_store, "Sara Tailor", as_of=AS_OF)
    assert hits[0].person_id == "P1"
    family = hits[0].families[0]
    assert (family.family_id, family.known, family.professionals, family.open_episodes) == ("F1", True, 6, 1)
    assert [(lead.name, lead.phone) for lead in family.leads] == [("Jo Carter", "01632 960001")]


def test_front_door_knows_nicknames_and_swapped_dates(small_store: GraphStore) -> None:
    assert search(small_store, "Peter Nowak", as_of=AS_OF)[0].person_id == "P8"
    swapped = search(small_store, "", dob="2014-03-09", as_of=AS_OF)
    assert [h.person_id for h in swapped] == ["P3"]
    assert "swapped" in " ".join(swapped[0].why)


def test_front_door_finds_a_full_name_from_its_nickname_and_not_a_look_alike(small_store: GraphStore) -> None:
    people = [{"id": "PQ1", "given_name": "Robert", "family_name": "Quinlan", "dob": "1980-02-02",
               "given_key": "robert", "family_key": "quinlan", "family_phonetic": "KNLN"},
              {"id": "PQ2", "given_name": "Rupert", "family_name": "Quinlan", "dob": "1979-05-05",
               "given_key": "rupert", "family_key": "quinlan", "family_phonetic": "KNLN"}]
    small_store.write(GraphBatch(nodes={Label.PERSON: [full_node_row(node_spec(Label.PERSON), p) for p in people]}))
    hits = search(small_store, "Bob Quinlan", as_of=AS_OF)
    assert hits[0].person_id == "PQ1", "Bob is a short form of Robert"
    assert any("nickname" in why for why in hits[0].why)
    rupert = next((h for h in hits if h.person_id == "PQ2"), None)
    assert rupert is None or not any("nickname" in why for why in rupert.why), "Rupert is not Bob"
    assert search(small_store, "Bob", dob="1980-02-02", as_of=AS_OF)[0].person_id == "PQ1"


def test_front_door_lists_every_family_of_a_child_in_two_families(small_store: GraphStore) -> None:
    hit = search(small_store, "Liam Taylor", dob="2014-09-03", as_of=AS_OF)[0]
    summaries = {f.family_id: f for f in hit.families}
    assert set(summaries) == {"F1", "F2"}
    assert summaries["F2"].leads == ()


def test_front_door_says_nothing_for_a_stranger(small_store: GraphStore) -> None:
    assert search(small_store, "Xavier Quist", dob="1970-01-01", as_of=AS_OF) == []


def test_team_lists_open_work_lead_and_source_freshness(small_store: GraphStore) -> None:
    view = team_around_family(small_store, "F1", AS_OF)
    assert view is not None
    assert view.lead_ids == ("PR1",)
    assert view.team[0].name == "Jo Carter" and view.team[0].is_lead
    assert {t.involvement_id for t in view.team} == {"I1", "I2", "I3", "I4", "I5", "I6"}  # I7 ended
    assert view.professional_count == 6
    police = next(s for s in view.sources if s.source_id == "S_POL")
    assert police.stale and not police.involved
    assert "no data from County Police since 01/03/2026" in police.note
    assert "S_HOU" not in {s.source_id for s in view.sources}  # a district service not involved here
    brown = team_around_family(small_store, "F4", AS_OF)
    assert brown is not None
    mental_health = next(s for s in brown.sources if s.source_id == "S_AMH")
    assert not mental_health.stale and "no involvement recorded" in mental_health.note


def test_team_as_of_an_earlier_date_shows_the_work_then(small_store: GraphStore) -> None:
    view = team_around_family(small_store, "F1", "2025-11-01")
    assert view is not None
    assert "I7" in {t.involvement_id for t in view.team}
    assert "I5" not in {t.involvement_id for t in view.team}


def test_duplicated_involvement_for_one_family(small_store: GraphStore) -> None:
    found = family_duplicates(small_store, "F1", AS_OF)
    assert [(f.kind, f.need_code, f.involvement_ids, f.person_ids) for f in found] == [
        ("duplicated_work", "domestic_abuse", ("I1", "I4"), ("P1",)),
        ("duplicated_work", "school_attendance", ("I1", "I2"), ("P3",)),
    ]
    assert found[0].reason == (
        "Sarah Taylor (parent) has 2 open pieces of work on domestic violence and abuse by 2 different "
        "professionals from 2 agencies: Mo Khan (Refuge Outreach, since 15/09/2025) and Jo Carter (Council Early "
        "Help, whole-family work since 15/10/2025); they have overlapped since 15/10/2025.")


def test_county_worklist_ranks_every_rule_with_reasons(small_store: GraphStore) -> None:
    found = county_worklist(small_store, AS_OF)
    assert [(f.family_id, f.kind) for f in found] == [
        ("F4", "two_leads"), ("F1", "duplicated_work"), ("F4", "two_early_help"), ("F1", "duplicated_work"),
        ("F3", "duplicated_work"), ("F2", "repeated_transfers"), ("F3", "no_lead")]
    assert all(f.reason for f in found)
    stricter = county_worklist(small_store, AS_OF, settings=DuplicateSettings(many_professionals=6))
    assert ("F3", "no_lead") not in [(f.family_id, f.kind) for f in stricter]


def test_worklist_for_one_district(small_store: GraphStore) -> None:
    assert {f.family_id for f in county_worklist(small_store, AS_OF, district="North")} == {"F1", "F3"}


def test_interrelated_needs_find_the_toxic_trio(small_store: GraphStore) -> None:
    result = family_needs(small_store, "F1", AS_OF)
    assert result is not None
    links = {link.rule: link for link in result.links}
    assert links["toxic_trio"].complete
    assert links["parent_mh_child_attendance"].holders == (("mental_health", "P1"), ("school_attendance", "P3"))
    before_substance = family_needs(small_store, "F1", "2025-12-01")
    assert before_substance is not None
    trio = next(link for link in before_substance.links if link.rule == "toxic_trio")
    assert not trio.complete and trio.missing == ("substance_misuse",)


def test_cooccurrence_counts_families_and_lift(small_store: GraphStore) -> None:
    cells = {(c.need_a, c.need_b): c for c in cooccurrence(small_store, AS_OF)}
    # housing is held in F1 and F3, mental health in F1 and F3: both in 2 of 4 families -> lift 2
    assert (cells[("housing", "mental_health")].families, cells[("housing", "mental_health")].lift) == (2, 2.0)


def test_lead_suggestion_explains_its_ranking(small_store: GraphStore) -> None:
    result = suggest_lead(small_store, "F3", AS_OF)
    assert result is not None
    top = result.candidates[0]
    assert top.professional_id == "PR5"
    assert [p.name for p in top.parts] == ["members", "needs", "relationship", "capacity", "tier"]
    assert abs(sum(p.points for p in top.parts) - top.score) < 1e-3
    reed = next(c for c in result.candidates if c.professional_id == "PR9")
    assert reed.at_capacity and "full" in reed.parts[3].explanation


def test_lead_suggestion_when_nobody_is_involved(small_store: GraphStore) -> None:
    result = suggest_lead(small_store, "F2", "2024-09-01")
    assert result is not None
    assert result.candidates == ()
    assert "Nobody is involved" in result.message


def test_coverage_is_aggregate_and_finds_unmet_needs(small_store: GraphStore) -> None:
    report = coverage(small_store, AS_OF, period_from="2024-01-01")
    unmet = {u.need_code: (u.people, u.unmet) for u in report.unmet}
    assert unmet["housing"] == (2, 1)  # Sarah's housing need has no open work; Anna's has
    assert report.leaderless_families == 1
    assert (report.closed_episodes, report.re_referred_within_12_months) == (1, 1)
    sector = {(c.row, c.need_code): c.families for c in report.sector_need}
    assert sector[("school", "school_attendance")] == 3
    text = repr(report)
    assert "Sarah" not in text and "Jo Carter" not in text


def test_supporting_families_rules(small_store: GraphStore) -> None:
    report = supporting_families(small_store, AS_OF)
    by_id = {f.family_id: f for f in report.families}
    assert by_id["F1"].claim_ready
    assert by_id["F3"].eligible_2022 and not by_id["F3"].claim_ready
    assert by_id["F4"].eligible_2021 and not by_id["F4"].eligible_2022
    assert report.counts() == {"families_with_needs": 4, "eligible_2021": 4, "eligible_2022": 2, "claim_ready": 1}


def test_front_door_finds_the_person_asked_about_behind_a_crowd_with_a_common_surname(
        small_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each key lookup is capped; a crowd of 'L. Smith's that sort before her must not push Lisa Smith out."""
    crowd = [(f"PS{i:03d}", name, f"19{60 + i % 30}-01-0{1 + i % 9}")
             for i, name in enumerate(["Lara", "Laura", "Leah", "Lily", "Lucy", "Luke"] * 5)]
    smith = {"family_name": "Smith", "family_key": family_key("Smith"), "family_phonetic": phonetic("Smith")}
    people = [{"id": pid, "given_name": given, "dob": dob, "given_key": given_key(given), **smith}
              for pid, given, dob in [*crowd, ("PZ999", "Lisa", "1990-06-15")]]
    small_store.write(GraphBatch(nodes={Label.PERSON: [full_node_row(node_spec(Label.PERSON), p) for p in people]}))
    monkeypatch.setattr(frontdoor, "CANDIDATES", 10)  # fewer than the crowd, as 500 is at national scale
    assert search(small_store, "Lisa Smith", dob="1990-06-15", as_of=AS_OF)[0].person_id == "PZ999"
    assert search(small_store, "Lisa Smith", as_of=AS_OF)[0].person_id == "PZ999"
    assert search(small_store, "Lisa Smyth", dob="1990-06-15", as_of=AS_OF)[0].person_id == "PZ999"


def test_front_door_ranks_a_crowd_before_the_cap_and_keeps_near_matches(
        small_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crowd of exact namesakes born in other years, larger than the cap, sorting before everyone by id: the
    person asked about and the near matches (a nickname with a misspelt surname and a one-digit date typo; a
    misspelt given name born the same year) are still found, and the answer is the one an uncapped search gives."""
    smith = {"family_name": "Smith", "family_key": family_key("Smith"), "family_phonetic": phonetic("Smith")}
    crowd = [(f"PA{i:03d}", "Edward", "Smith", f"19{50 + i % 20}-0{1 + i % 9}-1{i % 10}") for i in range(40)]
    others = [(f"PB{i:03d}", name, "Smith", "1985-11-30") for i, name in enumerate(["Ella", "Eve", "Esther"] * 4)]
    planted = [("PZ901", "Edward", "Smith", "1985-05-07"),  # the person asked about
               ("PZ902", "Ted", "Smyth", "1985-05-17"),  # nickname, misspelt surname, one digit of the date
               ("PZ903", "Edwrad", "Smith", "1985-02-02"),  # misspelt given name, same year
               ("PZ904", "Edward", "Smith", "1985-07-05")]  # day and month swapped
    people = [{"id": pid, "given_name": given, "dob": dob, "given_key": given_key(given),
               **smith, "family_name": family, "family_key": family_key(family)}
              for pid, given, family, dob in [*crowd, *others, *planted]]
    small_store.write(GraphBatch(nodes={Label.PERSON: [full_node_row(node_spec(Label.PERSON), p) for p in people]}))
    uncapped = search(small_store, "Edward Smith", dob="1985-05-07", as_of=AS_OF)
    monkeypatch.setattr(frontdoor, "CANDIDATES", 10)  # the crowd of 40 + 12 is five times the cap
    capped = search(small_store, "Edward Smith", dob="1985-05-07", as_of=AS_OF)
    assert [(h.person_id, h.score) for h in capped] == [(h.person_id, h.score) for h in uncapped]
    assert [h.person_id for h in capped[:4]] == ["PZ901", "PZ904", "PZ902", "PZ903"]
    assert not {h.person_id for h in capped} & {pid for pid, *_ in others}  # a different given name, no date near


def test_the_store_keeps_the_best_ranked_candidates_when_capped(small_store: GraphStore) -> None:
    """search_people's cap keeps the candidates the front door would score best, not the first by id."""
    smith = {"family_name": "Smith", "family_key": family_key("Smith"), "family_phonetic": phonetic("Smith")}
    rows = [("PA1", "Edward", "1960-01-01"), ("PA2", "Edward", "1985-09-09"), ("PA3", "Eddie", "1985-05-08"),
            ("PA4", "Emily", "1985-01-01"), ("PA5", "Edward", "1985-07-05"), ("PA6", "Edward", "1985-05-07"),
            ("PA7", "Elsie", "1971-03-03")]
    people = [{"id": pid, "given_name": given, "dob": dob, "given_key": given_key(given), **smith}
              for pid, given, dob in rows]
    small_store.write(GraphBatch(nodes={Label.PERSON: [full_node_row(node_spec(Label.PERSON), p) for p in people]}))
    rank = {"rank_family": "smith", "rank_given": "edward", "rank_dob": "1985-05-07"}
    ranked = {"family_phonetic": phonetic("Smith"), "given_prefix": "e", **rank}
    # exact (PA6) > swapped date (PA5) > nickname with a one-digit date (PA3) > same name, same year (PA2)
    # > the same name born elsewhen (PA1) > another given name born that year (PA4) > another, another year (PA7)
    expected = ["PA6", "PA5", "PA3", "PA2", "PA1", "PA4", "PA7"]
    for limit in range(1, 8):
        found = small_store.search_people(**ranked, limit=limit)
        assert [h.person_id for h in found] == sorted(expected[:limit]), limit  # the best kept, returned by id
    assert small_store.search_people_many([{**ranked, "limit": 3}]) == [small_store.search_people(**ranked, limit=3)]
    by_id = small_store.search_people(family_phonetic=phonetic("Smith"), given_prefix="e", limit=2)
    assert [h.person_id for h in by_id] == ["PA1", "PA2"]  # without rank keys: the first by id, as before
