"""The family timeline (every period in a lane, overlapping bars on rows of their own, 'previously known' from
the same history) and front door results grouped by family."""

from __future__ import annotations

from pathlib import Path

from graphmodel.stores.embedded import EmbeddedStore
from pages.ui.front_door_groups import group_by_family
from queries.frontdoor import FamilySummary, FrontDoorHit
from queries.timeline import FAMILY_LANE, family_timeline, last_known, tracks
from tests.conftest import SMALL_AS_OF


def test_timeline_has_every_period_with_members_as_lanes(small_db: Path) -> None:
    store = EmbeddedStore(small_db)
    try:
        snap = store.family_snapshot("F1")
    finally:
        store.close()
    assert snap is not None
    bars = family_timeline(snap, SMALL_AS_OF)
    kinds = {b.kind for b in bars}
    assert kinds == {"need", "work", "lead", "episode"}
    assert len([b for b in bars if b.kind == "work"]) == len([i for i in snap.involvements if i.start])
    lanes = list(dict.fromkeys(b.lane for b in bars))
    assert lanes[-3:] == [FAMILY_LANE, "Lead professional", "Episodes"]
    assert "Sarah Taylor" in lanes
    ended = [b for b in bars if b.end and b.end < SMALL_AS_OF]
    assert ended and all(not b.open_on_as_of for b in ended), "I7 ended before the date and shows so"
    rows = tracks(bars, SMALL_AS_OF)
    for i, (a, row_a) in enumerate(zip(bars, rows, strict=True)):
        for b, row_b in list(zip(bars, rows, strict=True))[i + 1:]:
            if a.lane == b.lane and row_a == row_b:
                a_end, b_end = a.end or SMALL_AS_OF, b.end or SMALL_AS_OF
                assert a_end < b.start or b_end < a.start, f"{a.label} and {b.label} overlap on one row"
    assert last_known(bars, SMALL_AS_OF) is None, "the family has open work"
    closed = [b for b in bars if b.kind != "need" and b.end]
    assert last_known(closed, "2030-01-01") == f"Previously known: {max(closed, key=lambda b: b.end or '').label} " \
        f"ended {'/'.join(reversed(max(b.end or '' for b in closed).split('-')))}."


def _hit(person: str, score: float, *families: str) -> FrontDoorHit:
    return FrontDoorHit(person, f"Person {person}", None, None, score, ("name",),
                        tuple(FamilySummary(f, f"Family {f}", True, (), 0, 1) for f in families))


def test_front_door_results_are_grouped_by_family() -> None:
    hits = [_hit("P1", 0.95, "F1"), _hit("P2", 0.9, "F1"), _hit("P3", 0.8, "F1", "F2"), _hit("P4", 0.7),
            _hit("P5", 0.6, "F3")]
    groups, alone = group_by_family(hits)
    assert [g.family.family_id for g in groups] == ["F1", "F2", "F3"], "each family once, best match first"
    assert [h.person_id for h in groups[0].people] == ["P1", "P2", "P3"]
    assert [h.person_id for h in alone] == ["P4"]
