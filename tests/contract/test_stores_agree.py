"""Both stores give the same answer to every question on a generated county."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable
from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder
from queries.coverage import coverage
from queries.duplicates import county_worklist, family_duplicates
from queries.frontdoor import search
from queries.interrelated import cooccurrence, family_needs
from queries.suggest import suggest_lead
from queries.supporting_families import supporting_families
from queries.team import team_around_family
from tests.conftest import neo4j_store_or_skip

AS_OF = "2026-11-01"


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated county of 250 families."""
    from seed.generator import generate

    folder = tmp_path_factory.mktemp("county")
    generate(250, 11, folder, as_of=AS_OF)
    return folder


@pytest.fixture(scope="module")
def both(county: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, GraphStore]:
    """The county loaded into the embedded store and into Neo4j."""
    embedded = EmbeddedStore(tmp_path_factory.mktemp("agree") / "store.sqlite")
    load_folder(embedded, county)
    neo4j = neo4j_store_or_skip()
    neo4j.clear()
    load_folder(neo4j, county)
    return embedded, neo4j


pytestmark = pytest.mark.neo4j


def test_counts_agree(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo4j = both
    assert embedded.counts() == neo4j.counts()
    assert embedded.counts()["Family"] == 250


def test_every_family_snapshot_agrees(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo4j = both
    ids = embedded.family_ids()
    assert ids == neo4j.family_ids()
    for family_id in ids:
        assert embedded.family_snapshot(family_id) == neo4j.family_snapshot(family_id), family_id


def test_county_tables_agree(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo4j = both
    for table in CountyTable:
        left, right = embedded.county_table(table), neo4j.county_table(table)
        assert left.equals(right), table
        district = str(embedded.county_table(CountyTable.FAMILIES).district.iloc[0])
        assert embedded.county_table(table, district).equals(neo4j.county_table(table, district)), table


def test_every_question_agrees(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo4j = both
    for family_id in embedded.family_ids()[:60]:
        for question in (team_around_family, family_duplicates, family_needs, suggest_lead):
            assert question(embedded, family_id, AS_OF) == question(neo4j, family_id, AS_OF), (question, family_id)
    assert county_worklist(embedded, AS_OF) == county_worklist(neo4j, AS_OF)
    assert coverage(embedded, AS_OF) == coverage(neo4j, AS_OF)
    assert cooccurrence(embedded, AS_OF) == cooccurrence(neo4j, AS_OF)
    assert supporting_families(embedded, AS_OF) == supporting_families(neo4j, AS_OF)
    person = embedded.family_snapshot(embedded.family_ids()[0])
    assert person is not None
    member = person.members[0]
    query = f"{member.given_name} {member.family_name}"
    assert search(embedded, query, member.dob, as_of=AS_OF) == search(neo4j, query, member.dob, as_of=AS_OF)
