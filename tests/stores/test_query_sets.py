"""Each backend's query set is complete, and an incomplete one is refused when its module is imported."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graphmodel.records import CountyTable
from graphmodel.schema import Label
from graphmodel.stores import cypher, sql
from graphmodel.stores.base import StoreBase
from graphmodel.stores.queries import QuerySet, QuerySetError

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("queries", [cypher.QUERIES, sql.QUERIES], ids=["cypher", "sql"])
def test_every_backend_fills_every_query(queries: QuerySet) -> None:
    assert set(queries.county) == set(CountyTable)
    assert set(queries.upsert_nodes) == set(Label)


def test_a_query_set_without_a_county_table_is_refused() -> None:
    county: dict[CountyTable, str] = {t: q for t, q in sql.QUERIES.county.items() if t != CountyTable.LEADS}
    with pytest.raises(QuerySetError, match=r"county\[leads\]"):
        dataclasses.replace(sql.QUERIES, county=county)


def test_a_query_that_ignores_a_parameter_is_refused() -> None:
    with pytest.raises(QuerySetError, match=r"family_ids parameter \$district"):
        dataclasses.replace(cypher.QUERIES, family_ids="MATCH (f:Family) RETURN f.id AS id ORDER BY id")


def test_a_backend_specific_query_left_empty_is_refused() -> None:
    with pytest.raises(QuerySetError, match="family_snapshots"):
        dataclasses.replace(cypher.QUERIES, family_snapshots="")


def test_a_store_without_a_query_set_cannot_be_defined() -> None:
    with pytest.raises(TypeError, match="QUERIES"):
        class NoQueries(StoreBase):
            kind = "third"
            reads_while_writing = False
            _read = _frame = _script = _writer = _write_failed = family_snapshots = close = None  # type: ignore


def test_a_missing_query_fails_at_import_not_at_first_use(tmp_path: Path) -> None:
    module = tmp_path / "third_queries.py"
    module.write_text(textwrap.dedent("""
        import dataclasses
        from graphmodel.stores import sql
        QUERIES = dataclasses.replace(sql.QUERIES, sources="")
    """))
    out = subprocess.run([sys.executable, "-c", "import third_queries"], capture_output=True, text=True,
                         cwd=tmp_path, env={"PYTHONPATH": f"{REPO}:{tmp_path}"})
    assert out.returncode != 0
    assert "QuerySetError: the SQLite query set lacks: sources" in out.stderr
