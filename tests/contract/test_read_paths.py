"""The fast read paths give the answers of the plain ones, on both stores, on a generated county.

Batched snapshots and member lists, the front door's index seek, re-referrals on plain rows and the duplicate
rules without per-family frames are speed changes only: each test compares the fast path with a direct way of
asking the same question (a family at a time, every person's keys, the former frame-based rule).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from graphmodel.contract import GraphStore
from graphmodel.names import given_key, phonetic
from graphmodel.records import CountyTable
from loaders.load import load_folder
from queries.common import snapshot_tables
from queries.duplicates import DuplicateSettings, county_worklist, find_duplicates, snapshot_duplicates
from queries.rereferral import WINDOW_DAYS, ReReferral, history_from_snapshot, re_referrals

AS_OF = "2026-11-01"
SETTINGS = (DuplicateSettings(), DuplicateSettings(many_professionals=1, transfers=0),
            DuplicateSettings(many_professionals=2, transfers=1, transfer_window_days=2000))


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated county of 300 families."""
    from seed.generator import generate

    folder = tmp_path_factory.mktemp("reads")
    generate(300, 17, folder, as_of=AS_OF)
    return folder


@pytest.fixture
def loaded(store: GraphStore, county: Path) -> GraphStore:
    """The county loaded into each store."""
    load_folder(store, county)
    return store


def test_batched_snapshots_and_members_are_the_single_family_ones(loaded: GraphStore) -> None:
    ids = loaded.family_ids()
    if hasattr(loaded, "snapshot_chunk"):
        loaded.snapshot_chunk = 7  # several pieces, one ending part-full
    batch = loaded.family_snapshots([*reversed(ids), "no-such-family", ids[0]])
    assert list(batch) == list(reversed(ids))
    members = loaded.family_members([*ids, "no-such-family"])
    for family_id in ids:
        single = loaded.family_snapshot(family_id)
        assert single is not None and batch[family_id] == single, family_id
        assert members.get(family_id, ()) == single.members, family_id
    assert loaded.family_snapshots([]) == {} and loaded.family_members([]) == {}
    bare = loaded.family_snapshots(list(reversed(ids)), sources=False)  # the front door's summaries need no sources
    assert list(bare) == list(reversed(ids))
    assert all(bare[fid] == dataclasses.replace(batch[fid], sources=()) for fid in ids)
    assert any(batch[fid].sources for fid in ids)


def test_front_door_seek_finds_every_person_with_the_sound_and_initial(loaded: GraphStore) -> None:
    people = loaded.county_table(CountyTable.PEOPLE)
    keys: dict[str, tuple[str, str]] = {}
    for key in {given_key(str(g)) for g in people.given_name}:
        for hit in loaded.search_people(given_key=key, limit=10**6):
            keys[hit.person_id] = (phonetic(hit.family_name), hit.given_key or "")
    assert len(keys) == len(people)
    assert loaded.search_people(limit=10**6) == []  # nothing asked: nobody
    for person_id in sorted(keys)[::20]:
        sound, given = keys[person_id]
        for prefix in (None, given[:1], given[:2]):
            wanted = sorted(p for p, (s, g) in keys.items() if s == sound and (prefix is None or g.startswith(prefix)))
            found = [h.person_id for h in loaded.search_people(family_phonetic=sound, given_prefix=prefix,
                                                               limit=10**6)]
            assert found == wanted and person_id in found, (person_id, prefix)
            limited = loaded.search_people(family_phonetic=sound, given_prefix=prefix, limit=2)
            assert [h.person_id for h in limited] == wanted[:2]
    searches: list[dict[str, str | int | None]] = []
    for person_id in sorted(keys)[::15]:
        sound, given = keys[person_id]
        searches += [{"family_phonetic": sound, "given_prefix": given[:1], "limit": 3},
                     {"family_phonetic": sound, "given_prefix": None, "dob": "2015-06-01"},
                     {"given_key": given, "limit": 500}, {"dob": "2015-06-01", "postcode": None, "limit": 1},
                     {"family_phonetic": sound, "given_prefix": given[:1], "limit": 4, "rank_family": "smith",
                      "rank_given": given, "rank_dob": "2015-06-01", "rank_postcode": "CB44DD"},
                     {"dob": "2015-06-01", "limit": 2, "rank_given": given[:3] + "x", "rank_dob": "2015-01-06"}]
    assert loaded.search_people_many(searches) == [loaded.search_people(**s) for s in searches]  # type: ignore[arg-type]
    assert loaded.search_people_many([]) == []


def _pandas_re_referrals(tables: dict[CountyTable, pd.DataFrame], as_of: str) -> list[ReReferral]:
    """The former frame-based rule, kept here as the reference the plain-row rule must match."""
    episodes = tables[CountyTable.EPISODES]
    eh = episodes[(episodes.kind == "early_help") & episodes.closed.notna()]
    eh = eh[eh.closed.astype(str) <= as_of]
    if eh.empty:
        return []
    parts = [pd.DataFrame({"family_id": episodes.family_id, "next_id": episodes.episode_id,
                           "next_kind": episodes.kind.where(episodes.kind == "early_help", "social_care"),
                           "next_date": episodes.opened})]
    inv = tables.get(CountyTable.INVOLVEMENTS)
    if inv is not None and not inv.empty:
        social = inv[(inv.sector == "childrens_social_care") & inv.start.notna()].drop_duplicates(
            ["family_id", "involvement_id"])
        parts.append(pd.DataFrame({"family_id": social.family_id, "next_id": social.involvement_id,
                                   "next_kind": "social_care_work", "next_date": social.start}))
    contacts = pd.concat(parts, ignore_index=True)
    contacts = contacts[contacts.next_date.notna()].astype({"next_date": str})
    contacts = contacts[contacts.next_date <= as_of]
    pairs = eh[["family_id", "episode_id", "closed", "end_reason"]].astype({"closed": str}).merge(contacts,
                                                                                                 on="family_id")
    pairs = pairs[(pairs.next_id != pairs.episode_id) & (pairs.next_date >= pairs.closed)]
    gap = (pd.to_datetime(pairs.next_date) - pd.to_datetime(pairs.closed)).dt.days
    pairs = pairs.assign(gap=gap)[gap <= WINDOW_DAYS]
    order = {"early_help": 0, "social_care": 1, "social_care_work": 2}
    pairs = pairs.assign(rank=pairs.next_kind.map(order)).sort_values(
        ["family_id", "episode_id", "next_date", "rank", "next_id"]).drop_duplicates(["family_id", "episode_id"])
    return [ReReferral(str(r.family_id), str(r.episode_id), str(r.closed),
                       None if r.end_reason is None or pd.isna(r.end_reason) else str(r.end_reason),
                       str(r.next_kind), str(r.next_id), str(r.next_date), int(r.gap))
            for r in pairs.sort_values(["closed", "family_id", "episode_id"]).itertuples()]


@pytest.mark.parametrize(("as_of", "planted"), [("2025-06-30", 1), (AS_OF, 2)])
def test_re_referrals_match_the_frame_rule_for_the_county_and_each_family(loaded: GraphStore, as_of: str,
                                                                          planted: int) -> None:
    tables = {t: loaded.county_table(t) for t in (CountyTable.EPISODES, CountyTable.INVOLVEMENTS)}
    county = re_referrals(tables, as_of)
    assert county == _pandas_re_referrals(tables, as_of)
    assert len(county) >= planted  # the generator plants re-referrals; an empty answer would prove nothing
    by_family: dict[str, list[ReReferral]] = {}
    for r in county:
        by_family.setdefault(r.family_id, []).append(r)
    for family_id, snap in loaded.family_snapshots(loaded.family_ids()).items():
        assert list(history_from_snapshot(snap, as_of).re_referrals) == by_family.get(family_id, []), family_id
        assert re_referrals(snapshot_tables(snap), as_of) == _pandas_re_referrals(snapshot_tables(snap), as_of)


def test_family_duplicates_skip_no_finding_and_agree_with_the_worklist(loaded: GraphStore) -> None:
    snaps = loaded.family_snapshots(loaded.family_ids())
    for settings in SETTINGS:
        every = []
        for family_id, snap in snaps.items():
            fast = snapshot_duplicates(snap, AS_OF, settings)
            assert fast == find_duplicates(snapshot_tables(snap), AS_OF, settings), (family_id, settings)
            every += [f for f in fast if f.kind != "shared_care"]
        worklist = county_worklist(loaded, AS_OF, settings=settings)
        assert worklist == sorted(every, key=lambda f: (-f.severity, f.family_id, f.kind, f.need_code or "",
                                                        f.person_ids))
        kinds = {f.kind for f in worklist}
        assert {"duplicated_work", "two_leads", "no_lead"} <= kinds, kinds


def test_family_count_and_coverage_without_the_families_table(loaded: GraphStore) -> None:
    """The store's family count is the number of family ids, county-wide and per district, and coverage built
    on it is the report built from the FAMILIES table."""
    from queries.coverage import COVERAGE_TABLES, coverage, coverage_from_tables

    districts = sorted(set(loaded.county_table(CountyTable.FAMILIES).district.dropna()))
    assert len(districts) >= 2
    for district in (None, *districts):
        assert loaded.family_count(district) == len(loaded.family_ids(district)) > 0, district
        tables = {t: loaded.county_table(t, district) for t in COVERAGE_TABLES}
        period = ("2025-11-01", AS_OF)
        assert coverage(loaded, AS_OF, district, *period) == coverage_from_tables(tables, AS_OF, district, *period)
    assert loaded.family_count("no-such-district") == 0


def test_supporting_families_is_the_per_family_grouping(loaded: GraphStore) -> None:
    """Supporting Families from one pass over the needs gives what grouping the needs frame by family gives."""
    from graphmodel.taxonomy import COUNTED_NEEDS, NEEDS
    from queries.common import open_on
    from queries.supporting_families import supporting_families

    report = supporting_families(loaded, AS_OF)
    needs = open_on({CountyTable.PERSON_NEEDS: loaded.county_table(CountyTable.PERSON_NEEDS)},
                    CountyTable.PERSON_NEEDS, AS_OF)
    expected = []
    for family_id, group in needs.groupby("family_id", sort=True):
        codes = [c for c in set(group.need_code) if c in COUNTED_NEEDS]
        expected.append((family_id, tuple(sorted({cat for c in codes if (cat := NEEDS[c].category_2021)})),
                         tuple(sorted({NEEDS[c].outcome_2022 for c in codes}))))
    assert [(f.family_id, f.categories_2021, f.outcomes_2022) for f in report.families] == expected
    assert report.counts()["eligible_2022"] > 0


def test_county_tables_open_on_a_day_are_the_open_rows(loaded: GraphStore) -> None:
    """A county table read open on a day holds exactly the rows of the whole table whose period contains the
    day (missing start or end = open), in the same order, county-wide and in a district."""
    from graphmodel.records import PERIOD_COLUMNS
    from queries.common import open_on

    district = str(loaded.county_table(CountyTable.FAMILIES).district.dropna().iloc[0])
    for table in PERIOD_COLUMNS:
        for where in (None, district):
            whole = loaded.county_table(table, where)
            for day in ("2024-03-01", AS_OF, "2031-01-01"):
                expected = open_on({table: whole}, table, day).reset_index(drop=True)
                got = loaded.county_table(table, where, open_on=day)
                assert got.equals(expected), (table, where, day)
                assert 0 < len(got) < len(whole) or day != AS_OF, (table, day)
    with pytest.raises(ValueError, match="no period"):
        loaded.county_table(CountyTable.FAMILIES, open_on=AS_OF)
