"""The strategic page is aggregates only: never a person's name, never a count from 1 to 5."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from seed.generator import generate
from tests.app.conftest import HOSTILE_PERSON, HOSTILE_PROFESSIONAL, load_embedded, open_page, page_text, use_embedded

COUNTY_AS_OF = "2026-11-01"
COUNT_COLUMNS = ("Families", "People", "No open work", "Professionals", "With open work", "No lead", "Unmet needs",
                 "Re-referred in period", "Open pieces of work", "Unmet needs (family, need)",
                 "Families with open work and no lead", "Families re-referred", "Shared families")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated county of 300 families (import files, and an embedded store holding them)."""
    folder = tmp_path_factory.mktemp("county") / "files"
    generate(300, 7, folder, as_of=COUNTY_AS_OF)
    return folder, load_embedded(folder, tmp_path_factory.mktemp("county-db") / "store.sqlite")


def _names(folder: Path) -> set[str]:
    with (folder / "people.csv").open(encoding="utf-8") as handle:
        people = {f"{r['given_name']} {r['family_name']}" for r in csv.DictReader(handle)}
    with (folder / "professionals.csv").open(encoding="utf-8") as handle:
        staff = {r["name"] for r in csv.DictReader(handle)}
    return people | staff


def _charts(at: AppTest) -> list[pd.DataFrame]:
    frames = []

    def walk(node: object) -> None:
        if getattr(node, "type", None) == "vega_lite_chart":
            for ds in node.proto.datasets:  # type: ignore[attr-defined]
                frames.append(pa.ipc.open_stream(ds.data.data).read_all().to_pandas())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return frames


def _is_allowed_count(text: str) -> bool:
    """'c', '-', a rate, or a whole number that is 0 or 6 and over."""
    if text in ("c", "-") or text.endswith("%"):
        return True
    number = int(text.replace(",", ""))
    return number == 0 or number >= 6


def _check_no_small_counts(at: AppTest) -> int:
    """Assert every count on screen is allowed; return how many real numbers (6+) were shown."""
    shown = 0
    for metric in at.metric:
        assert _is_allowed_count(metric.value), (metric.label, metric.value)
        shown += metric.value not in ("c", "-", "0") and not metric.value.endswith("%")
    for frame in at.dataframe:
        for column in set(COUNT_COLUMNS) & set(frame.value.columns):
            for value in frame.value[column]:
                assert _is_allowed_count(str(value)), (column, value)
                shown += str(value) not in ("c", "0")
    for chart in _charts(at):
        if "count" in chart.columns:  # the monthly trends: suppressed counts are left out of the lines
            assert not chart["count"].dropna().between(1, 5).any()
            continue
        if "heat" not in chart.columns:
            continue
        assert not chart["heat"].dropna().between(1, 5).any()
        assert all(_is_allowed_count(str(v)) for v in chart["families"])
        shown += int(chart["heat"].notna().sum())
    return shown


@pytest.mark.parametrize("rows", ["Sector", "Agency"])
def test_strategic_page_shows_no_names_and_no_small_counts(clean_env: pytest.MonkeyPatch,
                                                            county: tuple[Path, Path], rows: str) -> None:
    folder, db = county
    use_embedded(clean_env, db)
    at = open_page("pages/strategic.py", as_of=COUNTY_AS_OF)
    at.radio(key="st_rows").set_value(rows).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _check_no_small_counts(at) > 10, "a county of 300 families shows real numbers too"
    text = page_text(at)
    leaked = [name for name in _names(folder) if re.search(rf"\b{re.escape(name)}\b", text)]
    assert leaked == []
    assert "c = 1 to 5, not shown" in text


def test_strategic_filters_for_district_and_period(clean_env: pytest.MonkeyPatch, county: tuple[Path, Path]) -> None:
    use_embedded(clean_env, county[1])
    at = open_page("pages/strategic.py", as_of=COUNTY_AS_OF)
    districts = at.selectbox(key="st_district").options
    assert districts[0] == "Whole county" and len(districts) > 1
    at.selectbox(key="st_district").set_value(districts[1]).run()
    at.date_input(key="st_from").set_value(pd.Timestamp("2024-01-01").date()).run()
    assert not at.exception
    _check_no_small_counts(at)


def test_strategic_page_on_the_small_county_suppresses_everything_small(small_app: str) -> None:
    at = open_page("pages/strategic.py")
    assert not at.exception
    _check_no_small_counts(at)
    assert {m.value for m in at.metric} <= {"c", "0", "-"}
    text = page_text(at)
    assert "Sarah Taylor" not in text and "Jo Carter" not in text


def test_strategic_page_of_the_hostile_county_names_nobody(clean_env: pytest.MonkeyPatch, hostile_db: Path) -> None:
    use_embedded(clean_env, hostile_db)
    at = open_page("pages/strategic.py")
    assert not at.exception
    text = page_text(at)
    assert HOSTILE_PERSON not in text and HOSTILE_PROFESSIONAL not in text


@pytest.mark.parametrize("rows", ["Sector", "Agency"])
def test_coverage_table_repeats_the_chart_cell_for_cell(clean_env: pytest.MonkeyPatch, county: tuple[Path, Path],
                                                        rows: str) -> None:
    """The heatmap's text alternative: the same cells, the same suppression."""
    use_embedded(clean_env, county[1])
    at = open_page("pages/strategic.py", as_of=COUNTY_AS_OF)
    at.radio(key="st_rows").set_value(rows).run()
    chart = _charts(at)[0]
    table = next(f.value for f in at.dataframe if list(f.value.columns)[:1] == [rows]).set_index(rows)
    assert len(chart) > 20
    for row, need, families in zip(chart["row"], chart["need"], chart["families"], strict=True):
        assert table.loc[row, need] == families
    cells = [str(v) for v in table.to_numpy().ravel() if str(v)]
    assert len(cells) == len(chart) and all(_is_allowed_count(v) for v in cells)
