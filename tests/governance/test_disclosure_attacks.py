"""Attacks on the strategic aggregates, the five ways the issue recovered small numbers, run against the demo
county (and a copy with a district too small to report). Each attack is first run against plain 1-5
suppression to show it recovers counts there; against FamilyGraph's release it must recover nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from familygraph.cli import main
from graphmodel.contract import GraphStore
from graphmodel.errors import UserInputError
from graphmodel.records import CountyTable
from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder
from queries import coverage, interrelated, supporting_families
from queries.common import open_on
from queries.disclosure import MIN_DISTRICT_FAMILIES, Release, protect, release
from tests.app.conftest import REPO

DEMO = REPO / "seed" / "demo"
AS_OF = "2026-10-31"
SMALL = range(1, 6)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = EmbeddedStore(tmp_path_factory.mktemp("demo") / "store.sqlite")
    load_folder(store, DEMO)
    yield store
    store.close()


@pytest.fixture(scope="module")
def districts(demo: GraphStore) -> list[str]:
    return sorted(demo.county_table(CountyTable.FAMILIES).district.unique())


def _truth(store: GraphStore, district: str | None, as_of: str = AS_OF, period_to: str | None = None
           ) -> dict[tuple[str, ...], int]:
    """The true counts, from the plain query functions and the store's own district filter."""
    period_to = period_to or as_of
    period_from = (dt.date.fromisoformat(period_to) + dt.timedelta(days=1)).replace(
        year=dt.date.fromisoformat(period_to).year - 1).isoformat()
    report = coverage.coverage(store, as_of, district, period_from, period_to)
    truth: dict[tuple[str, ...], int] = {("headline", "transfers"): report.transfers,
                                         ("headline", "leaderless_families"): report.leaderless_families,
                                         ("headline", "closed_episodes"): report.closed_episodes,
                                         ("headline", "re_referred"): report.re_referred_within_12_months}
    truth.update({("sector_need", c.row, c.need_code): c.families for c in report.sector_need})
    truth.update({("agency_need", c.row, c.need_code): c.families for c in report.agency_need})
    for u in report.unmet:
        truth[("unmet_people", u.need_code)] = u.people
        truth[("unmet_without", u.need_code)] = u.unmet
    truth.update({("cooccurrence", c.need_a, c.need_b): c.families
                  for c in interrelated.cooccurrence(store, as_of, district)})
    sf = supporting_families.supporting_families(store, as_of, district).counts()
    truth.update({("headline", k): v for k, v in sf.items()})
    return truth


def _numbers(value: object) -> Iterator[int]:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in ("seq",):
                yield from _numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v)


def test_attack_1_json_prints_no_count_from_1_to_5(demo: GraphStore, capsys, monkeypatch) -> None:
    truth = _truth(demo, None)
    assert sum(v in SMALL for v in truth.values()) > 20, "the demo holds many small counts to protect"
    monkeypatch.setenv("FAMILYGRAPH_STORE", "embedded")
    monkeypatch.setenv("FAMILYGRAPH_DB", demo.path)  # type: ignore[attr-defined]
    for question in ("coverage", "cooccurrence", "sf"):
        assert main(["ask", question, "--as-of", AS_OF, "--json"]) == 0
        answer = json.loads(capsys.readouterr().out)
        values = [c["value"] for c in answer["counts"]] if "counts" in answer else list(answer.values())
        small = [v for v in _numbers(values) if v in SMALL]
        assert small == [], f"ask {question} --json printed small counts {small}"


def _lift_recoveries(rel: Release, truth: dict[tuple[str, ...], int], store: GraphStore) -> int:
    """Recover suppressed co-occurrence counts from printed lifts and the (true) need shares."""
    needs = store.county_table(CountyTable.PERSON_NEEDS)
    pairs = open_on({CountyTable.PERSON_NEEDS: needs}, CountyTable.PERSON_NEEDS, AS_OF)[["family_id", "need_code"]]
    pairs = pairs.drop_duplicates()
    families, per_need = pairs.family_id.nunique(), pairs.groupby("need_code").family_id.nunique()
    recovered = 0
    for key, lift in rel.lifts.items():
        if rel.counts[key] != "c" or lift == "c":
            continue
        both = round(float(lift) * per_need[key[1]] * per_need[key[2]] / families)
        recovered += both == truth[key]
    return recovered


def test_attack_2_lift_of_a_suppressed_cell_is_suppressed(demo: GraphStore) -> None:
    rel = release(demo, AS_OF)
    truth = _truth(demo, None)
    hidden = [k for k, v in rel.counts.items() if k[0] == "cooccurrence" and v == "c"]
    assert len(hidden) > 10 and all(truth[k] in SMALL or truth[k] > 5 for k in hidden)
    assert all(rel.lifts[k] == "c" for k in hidden)
    assert _lift_recoveries(rel, truth, demo) == 0


def _difference_attack(county: dict, by_district: dict[str, dict], truth: dict[str, dict],
                       high: float = 5, unseen: dict[str, float] | None = None) -> list[tuple]:
    """County minus the other districts, for every cell, with interval reasoning: each 'c' taken to be from 1
    to `high`, each unseen area (never shown) from 0 to its bound. Returns the small counts it pins down
    exactly and correctly."""
    unseen = unseen or {}
    found = []
    for key, total in county.items():
        if total == "c":
            continue
        unknown = [d for d, cells in by_district.items() if cells.get(key, 0) == "c"] + list(unseen)
        shown = [d for d in by_district if d not in unknown]
        rest = total - sum(by_district[d].get(key, 0) for d in shown)
        bounds = {d: ((0, unseen[d]) if d in unseen else (1, high)) for d in unknown}
        for d in unknown:
            if d in unseen:
                continue
            others = [bounds[o] for o in unknown if o != d]
            low = max(bounds[d][0], rest - sum(hi for _, hi in others))
            top = min(bounds[d][1], rest - sum(lo for lo, _ in others))
            if low == top and low in SMALL and truth[d].get(key, 0) == low:
                found.append((d, key, int(low)))
    return found


def test_attack_3_works_on_plain_suppression_and_not_after_protection() -> None:
    truth = {"North": {("t", "a"): 9, ("t", "b"): 1, ("t", "c"): 3}, "South": {("t", "a"): 1, ("t", "b"): 8,
                                                                            ("t", "c"): 3}}
    county = {("t", "a"): 10, ("t", "b"): 9, ("t", "c"): 6}
    plain = {d: {k: ("c" if v in SMALL else v) for k, v in cells.items()} for d, cells in truth.items()}
    assert sorted(_difference_attack(county, plain, truth)) == [("North", ("t", "b"), 1), ("South", ("t", "a"), 1)]
    values: dict[tuple[str, tuple[str, ...]], int] = {(d, k): v for d, cells in truth.items() for k, v in cells.items()}
    values.update({("(county)", k): v for k, v in county.items()})
    relations: list[tuple[tuple[str, tuple[str, ...]], list[tuple[str, tuple[str, ...]]]]] = [
        (("(county)", k), [("North", k), ("South", k)]) for k in county]
    suppressed = protect(values, set(), relations)
    shown = {d: {k: ("c" if (d, k) in suppressed else v) for k, v in cells.items()} for d, cells in truth.items()}
    shown_county = {k: ("c" if ("(county)", k) in suppressed else v) for k, v in county.items()}
    assert _difference_attack(shown_county, shown, truth) == []
    assert _difference_attack(shown_county, shown, truth, high=math.inf) == []


def test_attack_3_county_minus_districts_recovers_nothing(demo: GraphStore, districts: list[str]) -> None:
    truth = {d: _truth(demo, d) for d in districts}
    county_truth = _truth(demo, None)
    assert sum(v in SMALL for d in districts for v in truth[d].values()) > 100
    assert county_truth
    released = {d: release(demo, AS_OF, d).counts for d in districts}
    county = release(demo, AS_OF).counts
    assert _difference_attack(county, released, truth) == []
    assert _difference_attack(county, released, truth, high=math.inf) == []


def test_attack_3b_a_district_too_small_to_report_is_refused_and_not_revealed_by_difference(
        tmp_path: Path) -> None:
    folder = tmp_path / "county"
    shutil.copytree(DEMO, folder)
    families = pd.read_csv(folder / "families.csv", dtype=str)
    tiny = families.index[families.district == "Eastwold"][:8]
    families.loc[tiny, "district"] = "Tinyvale"
    families.to_csv(folder / "families.csv", index=False)
    store = EmbeddedStore(tmp_path / "store.sqlite")
    load_folder(store, folder)
    with pytest.raises(UserInputError, match=f"fewer than {MIN_DISTRICT_FAMILIES} families"):
        release(store, AS_OF, "Tinyvale")
    reportable = sorted(set(families.district) - {"Tinyvale"})
    truth = {d: _truth(store, d) for d in [*reportable, "Tinyvale"]}
    released = {d: release(store, AS_OF, d).counts for d in reportable}
    county = release(store, AS_OF).counts
    unseen: dict[str, float] = {"Tinyvale": 8}  # never shown; its size follows from the families headline
    assert _difference_attack(county, released, truth, unseen=unseen) == []
    assert _difference_attack(county, released, truth, high=math.inf, unseen=unseen) == []
    assert _difference_attack(county, released, truth, high=math.inf) == []
    store.close()


def test_attack_4_moving_the_period_end_by_a_day_reveals_nothing(demo: GraphStore) -> None:
    days = [(dt.date(2026, 9, 1) + dt.timedelta(days=i)).isoformat() for i in range(0, 30, 3)]
    truths = [_truth(demo, None, AS_OF, d) for d in days]
    assert any(a != b for a, b in itertools.pairwise(truths)), "the true counts do move day by day"
    released = [release(demo, AS_OF, None, None, d) for d in days]
    assert all(r.counts == released[0].counts for r in released)


def test_attack_5_moving_the_as_of_date_by_a_day_reveals_nothing(demo: GraphStore) -> None:
    days = [(dt.date(2026, 10, 1) + dt.timedelta(days=i)).isoformat() for i in range(0, 30, 2)]
    released = [release(demo, d) for d in days]
    assert all(r.counts == released[0].counts and r.lifts == released[0].lifts for r in released)
    assert {r.as_of for r in released} == {"2026-09-30"}


def test_rates_are_shown_only_over_shown_counts(demo: GraphStore, districts: list[str]) -> None:
    for district in [None, *districts]:
        rel = release(demo, AS_OF, district)
        for key, value in rel.table("unmet_people"):
            share = rel.rate(("unmet_without", key[1]), key)
            if value == "c" or rel.counts[("unmet_without", key[1])] == "c":
                assert share == "c"
            elif value and rel.counts[("unmet_without", key[1])] != "c":
                met = int(value) - int(rel.counts[("unmet_without", key[1])])
                assert met == 0 or met > 5, "people with work follows from two shown counts: it must not be small"


def test_raw_counts_are_for_the_data_role_and_audited(demo: GraphStore, capsys, monkeypatch) -> None:
    monkeypatch.setenv("FAMILYGRAPH_STORE", "embedded")
    monkeypatch.setenv("FAMILYGRAPH_DB", demo.path)  # type: ignore[attr-defined]
    assert main(["ask", "sf", "--as-of", AS_OF, "--district", "Eastwold", "--json", "--raw"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert any("RAW COUNTS" in n for n in answer["notes"]) and answer["eligible_2022"] in SMALL
    last = demo.audit_log().entries()[-1]
    assert last.action == "aggregates" and last.detail.startswith("RAW COUNTS ask sf district=Eastwold")
    assert "data" in last.role.split(",")
