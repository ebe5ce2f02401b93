"""The Hub workflow written to the store, the same on both stores: lead handover ends the old lead and starts the
new one with who/when/why kept; a resolved finding stays resolved until the facts behind it change."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from graphmodel.contract import GraphStore
from graphmodel.errors import UserInputError
from graphmodel.records import GraphBatch
from graphmodel.schema import Label
from loaders.linkage.graph import GraphLedgerStore
from loaders.linkage.review import ReviewLedger
from queries import workflow
from queries.duplicates import county_worklist, family_duplicates
from queries.team import team_around_family
from tests.conftest import SMALL_AS_OF as AS_OF
from tests.conftest import another_connection


def add_work(store: GraphStore, inv_id: str, professional: str, person: str, need: str) -> None:
    """A new open piece of work (the facts behind a finding change)."""
    store.write(GraphBatch(
        nodes={Label.INVOLVEMENT: [{"id": inv_id, "service": "Extra support", "start_date": "2026-05-01",
                                    "end_date": None, "source_id": "S_EH"}]},
        rels={"delivers": [{"src": professional, "dst": inv_id}], "with_person": [{"src": inv_id, "dst": person}],
              "addresses": [{"src": inv_id, "dst": need}]}))


def test_lead_handover_ends_the_old_lead_and_keeps_who_when_why(small_store: GraphStore) -> None:
    before = team_around_family(small_store, "F1", AS_OF)
    assert before is not None and before.lead_ids == ("PR1",)
    handover = workflow.assign_lead(small_store, "F1", "PR2", who="Ann Hub", why="agreed at TAF: school leads",
                                    on=AS_OF)
    assert [p.id for p in handover.ended] == ["PR1"]
    assert "PR1" in {p.id for p in handover.tell} and "PR2" not in {p.id for p in handover.tell}
    after = team_around_family(small_store, "F1", AS_OF)
    assert after is not None and after.lead_ids == ("PR2",)
    day_before = team_around_family(small_store, "F1", "2026-05-31")
    assert day_before is not None and day_before.lead_ids == ("PR1",), "the old lead held it until the day before"
    assert not [f for f in family_duplicates(small_store, "F1", AS_OF) if f.kind == "two_leads"]
    events = workflow.hub_events(small_store)
    assert [(e.kind, e.subject, e.who, e.why, e.assignee, e.effective) for e in events] == [
        ("lead_assign", "F1", "Ann Hub", "agreed at TAF: school leads", "PR2", AS_OF)]
    assert events[0].at.endswith("+00:00")
    with pytest.raises(UserInputError, match="already the lead"):
        workflow.assign_lead(small_store, "F1", "PR2", who="Ann Hub", why="again", on=AS_OF)
    with pytest.raises(UserInputError, match="no professional"):
        workflow.assign_lead(small_store, "F1", "NOPE", who="Ann Hub", why="x", on=AS_OF)
    with pytest.raises(UserInputError, match="needs a reason"):
        workflow.assign_lead(small_store, "F3", "PR9", who="Ann Hub", why="  ", on=AS_OF)


def test_resolved_finding_stays_resolved_until_its_facts_change(small_store: GraphStore) -> None:
    findings = county_worklist(small_store, AS_OF)
    target = next(f for f in findings if workflow.finding_id(f) == "F1:duplicated_work:domestic_abuse:P1")
    other = next(f for f in findings if workflow.finding_id(f) == "F1:duplicated_work:school_attendance:P3")
    workflow.assign_finding(small_store, target, "Sam Hub", who="Ann Hub")
    workflow.note_finding(small_store, target, "rang the IDVA", who="Sam Hub")
    workflow.resolve_finding(small_store, target, who="Sam Hub", why="agreed: IDVA leads domestic abuse work")
    state = {i.id: i for i in workflow.worklist_items(county_worklist(small_store, AS_OF),
                                                      workflow.hub_events(small_store))}
    target_id = "F1:duplicated_work:domestic_abuse:P1"
    assert state[target_id].status == "resolved"
    assert state[target_id].assignee == "Sam Hub" and [n.why for n in state[target_id].notes] == ["rang the IDVA"]
    assert state[workflow.finding_id(other)].status == "open", "resolving one finding leaves the others open"
    add_work(small_store, "I_NEW", "PR4", "P1", "domestic_abuse")  # a third professional joins the same need
    state = {i.id: i for i in workflow.worklist_items(county_worklist(small_store, AS_OF),
                                                      workflow.hub_events(small_store))}
    assert state[target_id].status == "changed since resolved"
    resolution = state[target_id].resolution
    assert resolution is not None and resolution.why == "agreed: IDVA leads domestic abuse work"
    current = next(f for f in county_worklist(small_store, AS_OF) if workflow.finding_id(f) == target_id)
    workflow.resolve_finding(small_store, current, who="Sam Hub", why="still agreed after the new work")
    state = {i.id: i for i in workflow.worklist_items(county_worklist(small_store, AS_OF),
                                                      workflow.hub_events(small_store))}
    assert state[target_id].status == "resolved"


def test_finding_ids_are_checked(small_store: GraphStore) -> None:
    with pytest.raises(UserInputError, match="F1:duplicated_work:school_attendance:P3"):
        workflow.find_finding(small_store, "F1:two_leads", AS_OF)
    with pytest.raises(UserInputError, match="no family"):
        workflow.find_finding(small_store, "F99:two_leads", AS_OF)



def test_people_writing_at_the_same_moment_never_share_a_number(small_store: GraphStore) -> None:
    """Four reviewers confirming pairs and four Hub workers noting a finding at once: every number distinct."""
    writers = 4
    finding = county_worklist(small_store, AS_OF)[0]
    stores = [another_connection(small_store) for _ in range(writers)]
    start = threading.Barrier(writers)

    def review(index: int) -> list[int]:
        start.wait()
        ledger = ReviewLedger(GraphLedgerStore(stores[index]))
        return [ledger.confirm(f"P{index}", f"Q{turn}", who=f"Reviewer {index}", why="same person").seq
                for turn in range(5)]

    def note(index: int) -> list[int]:
        start.wait()
        return [workflow.note_finding(stores[index], finding, f"call {turn}", who=f"Hub {index}").seq
                for turn in range(5)]

    try:
        for job in (review, note):
            with ThreadPoolExecutor(writers) as pool:
                given = [seq for seqs in pool.map(job, range(writers)) for seq in seqs]
            assert sorted(given) == list(range(1, writers * 5 + 1)), f"{job.__name__}: numbers shared or skipped"
        stored = [d.seq for d in ReviewLedger(GraphLedgerStore(small_store)).history()]
        assert sorted(stored) == list(range(1, writers * 5 + 1))
        assert sorted(e.seq for e in workflow.hub_events(small_store)) == list(range(1, writers * 5 + 1))
    finally:
        for other in stores:
            other.close()
