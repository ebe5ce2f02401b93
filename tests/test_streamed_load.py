"""A load streams each CSV file in chunks (a chunk is validated and written while the next is read): it must
load exactly what reading each file whole loads, and report the same problems, on both stores."""

from __future__ import annotations

import csv
import gc
from pathlib import Path
from typing import Any

import pytest

from graphmodel.changes import dump, refresh_store
from graphmodel.contract import GraphStore
from loaders import reading
from loaders.load import load_folder
from loaders.problems import LoadRejected
from seed.generator import generate


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated county whose last person has an impossible date of birth (a value problem in a late chunk)."""
    folder = tmp_path_factory.mktemp("county")
    generate(40, 11, folder)
    with (folder / "people.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[-1]["date_of_birth"] = "1988-02-30"
    with (folder / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _load(store: GraphStore, folder: Path, chunk_rows: int, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    """What a load of the folder reports and writes, its files read `chunk_rows` rows at a time."""
    monkeypatch.setattr(reading, "CHUNK_ROWS", chunk_rows)
    store.clear()
    report = load_folder(store, folder)
    return report.files, report.rows, report.writes, report.quality, report.sources, dump(refresh_store(store))


def test_a_folder_read_in_chunks_loads_what_reading_it_whole_loads(store: GraphStore, county: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _load(store, county, 10**9, monkeypatch)
    assert [(p.file, p.kind) for p in whole[3]] == [("people.csv", "impossible date")]
    assert _load(store, county, 7, monkeypatch) == whole


def test_a_duplicate_id_chunks_apart_is_reported_against_its_first_row(store: GraphStore, county: Path,
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "county"
    folder.mkdir()
    for path in county.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    people = (folder / "people.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    first_id = people[1].split(",", 1)[0]
    (folder / "people.csv").write_text("".join([*people, people[1].replace(first_id, first_id.lower(), 1)]),
                                       encoding="utf-8")
    monkeypatch.setattr(reading, "CHUNK_ROWS", 5)
    store.clear()
    with pytest.raises(LoadRejected) as rejected:
        load_folder(store, folder)
    assert [(p.file, p.row, p.column) for p in rejected.value.problems] == [("people.csv", len(people) + 1,
                                                                              "person_id")]
    assert f"the same as {first_id!r} on row 2" in rejected.value.problems[0].reason
    assert sum(store.counts().values()) == store.counts().get("Need", 0)  # nothing of the folder was kept


def test_a_load_puts_the_cycle_collector_back_as_it_was(store: GraphStore, county: Path, tmp_path: Path) -> None:
    """A load runs Python's cycle collector less often (millions of rows); the app's process gets its settings
    back afterwards, whether the load succeeds or is rejected."""
    before = gc.get_threshold()
    store.clear()
    load_folder(store, county)
    assert gc.get_threshold() == before
    (tmp_path / "families.csv").write_text("family_id,name\nF1,A\nF1,B\n", encoding="utf-8")
    with pytest.raises(LoadRejected):
        load_folder(store, tmp_path)
    assert gc.get_threshold() == before
