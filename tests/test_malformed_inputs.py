"""Every malformed input gets one line naming file, row and column (or the file), on both stores, never a
traceback and never a partial write; value problems load the record without the value and are noted."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graphmodel.contract import GraphStore
from loaders import reading
from loaders.load import LoadReport, load_folder
from loaders.problems import LoadRejected
from tests.conftest import SMALL

Edit = Callable[[Path], None]


def _append(name: str, text: str) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / name
        path.write_bytes(path.read_bytes() + text.encode())
    return edit


def _replace(name: str, old: str, new: str) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / name
        data = path.read_text(encoding="utf-8")
        assert old in data
        path.write_text(data.replace(old, new, 1), encoding="utf-8")
    return edit


def _write(name: str, data: bytes) -> Edit:
    def edit(folder: Path) -> None:
        (folder / name).write_bytes(data)
    return edit


def _directory(name: str) -> Edit:
    def edit(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()
    return edit


def _fifo(name: str) -> Edit:
    def edit(folder: Path) -> None:
        (folder / name).unlink()
        os.mkfifo(folder / name)
    return edit


STRUCTURAL: dict[str, tuple[Edit, tuple[str, int, str], str]] = {
    "empty file": (_write("families.csv", b""), ("families.csv", 1, "-"), "file is empty"),
    "BOM-only file": (_write("families.csv", b"\xef\xbb\xbf"), ("families.csv", 1, "-"), "file is empty"),
    "whitespace-only file": (_write("families.csv", b" \r\n\r\n"), ("families.csv", 1, "-"), "file is empty"),
    "unbalanced quote": (_append("families.csv", 'F9,"Quote family,,,S_EH\n'), ("families.csv", 6, "-"),
                         "badly quoted"),
    "row with extra fields": (_append("families.csv", "F9,Smith, Jones family,CB1 1AA,North,S_EH\n"),
                              ("families.csv", 6, "#6"), "quote any value that contains a comma"),
    "duplicated column": (_replace("families.csv", "family_id,name,postcode,district,source_id",
                                   "family_id,name,postcode,name,source_id"), ("families.csv", 1, "name"),
                          "given twice"),
    "directory named like a file": (_directory("leads.csv"), ("leads.csv", 0, "-"), "is a folder"),
    "named pipe named like a file": (_fifo("leads.csv"), ("leads.csv", 0, "-"), "named pipe"),
    "formula behind a leading space": (_append("families.csv", 'F9," =HYPERLINK(""http://x"",""y"")",,,S_EH\n'),
                                       ("families.csv", 6, "name"), "formula"),
    "formula behind a newline": (_append("families.csv", 'F9,"\n=1+2",,,S_EH\n'), ("families.csv", 6, "name"),
                                 "formula"),
    "duplicate id differing by case": (_append("families.csv", "f1,Another Taylor family,,,S_EH\n"),
                                       ("families.csv", 6, "family_id"), "ignoring case"),
    "duplicate id differing by a zero-width space": (
        _append("families.csv", "F1\u200b,Another Taylor family,,,S_EH\n"), ("families.csv", 6, "family_id"),
        "first on row 2"),
    "UTF-16 file": (lambda folder: _write("families.csv", (folder / "families.csv").read_text().encode("utf-16"))(
        folder), ("families.csv", 0, "-"), "UTF-16"),
    "long cell": (_append("families.csv", "F9," + "x" * 40_000 + ",,,S_EH\n"), ("families.csv", 6, "-"),
                  "longer than"),
    "required start date far in the future in a key": (_append("leads.csv", "PR1,F2,2999-01-01,,S_EH\n"),
                                                       ("leads.csv", 8, "since"), "future"),
}


@pytest.fixture(params=["whole", "chunks of 2 rows"])
def folder(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small county; also streamed in chunks of 2 rows, so a problem found in a later chunk of a file (after
    earlier chunks were written) must still reject with the same line and write nothing."""
    if request.param != "whole":
        monkeypatch.setattr(reading, "CHUNK_ROWS", 2)
    target = tmp_path / "county"
    shutil.copytree(SMALL, target)
    return target


@pytest.mark.parametrize("case", list(STRUCTURAL))
def test_structural_problems_reject_with_one_line_and_write_nothing(case: str, folder: Path,
                                                                     store: GraphStore) -> None:
    edit, where, words = STRUCTURAL[case]
    edit(folder)
    with pytest.raises(LoadRejected) as rejected:
        load_folder(store, folder)
    problems = rejected.value.problems
    assert [(p.file, p.row, p.column) for p in problems] == [where], problems
    assert words in problems[0].reason
    assert "\n" not in str(problems[0]).replace("\n=1", "")
    assert store.counts()["Family"] == 0


VALUE: dict[str, tuple[Edit, tuple[str, int, str], str]] = {
    "missing given name": (_replace("people.csv", "P2,Mark,Evans", "P2,,Evans"), ("people.csv", 3, "given_name"),
                           "missing name"),
    "impossible date of birth": (_replace("people.csv", "1988-01-05", "1988-02-30"),
                                 ("people.csv", 3, "date_of_birth"), "impossible date"),
    "mistyped NHS number": (_replace("people.csv", "9434765919", "9434765918"), ("people.csv", 2, "nhs_number"),
                            "invalid identifier"),
    "integer over 2^63": (_replace("professionals.csv", "Family Worker,North Early Help,jo.carter@eh.example.org,"
                                   "01632 960001,12", "Family Worker,North Early Help,jo.carter@eh.example.org,"
                                   "01632 960001,99999999999999999999"), ("professionals.csv", 2, "lead_capacity"),
                          "number too large"),
    "start date in 2999": (_replace("involvements.csv", "2025-10-05,,S_SCH", "2999-10-05,,S_SCH"),
                           ("involvements.csv", 3, "start"), "implausible date"),
    "unknown optional code": (_replace("people.csv", "1988-01-05,M", "1988-01-05,male-ish"),
                              ("people.csv", 3, "sex"), "unknown code"),
    "reference differing by case": (_replace("memberships.csv", "P2,F1,parent", "p2,F1,parent"),
                                    ("memberships.csv", 3, "person_id"), "look-alike id"),
    "reference with a zero-width space": (_replace("memberships.csv", "P2,F1,parent", "P2,F1\u200b,parent"),
                                          ("memberships.csv", 3, "family_id"), "look-alike id"),
}


@pytest.mark.parametrize("case", list(VALUE))
def test_value_problems_load_the_record_without_the_value(case: str, folder: Path, store: GraphStore) -> None:
    edit, where, kind = VALUE[case]
    edit(folder)
    report: LoadReport = load_folder(store, folder)
    assert [(p.file, p.row, p.column) for p in report.quality] == [where], report.quality
    assert report.quality[0].kind == kind and report.quality_counts() == {kind: 1}
    assert report.quality[0].source_id in {"S_EH", "S_SCH"}
    counts = store.counts()
    assert counts["Family"] == 4 and counts["Person"] == 10 and counts["Professional"] == 9


def test_look_alike_references_join_the_one_family(folder: Path, store: GraphStore) -> None:
    _replace("memberships.csv", "P2,F1,parent", "P2,f1\u200b,parent")(folder)
    load_folder(store, folder)
    snapshot = store.family_snapshot("F1")
    assert snapshot is not None and "P2" in {m.person_id for m in snapshot.members}
    assert store.counts()["Family"] == 4


def test_a_stray_windows_1252_byte_is_noted_per_row(folder: Path, store: GraphStore) -> None:
    people = folder / "people.csv"
    data = people.read_text().replace("Sarah,Taylor", "Zoë,Taylor").encode("utf-8")
    people.write_bytes(data.replace(b"Mark,Evans", b"Mark,Ev\xe9ns"))  # one cp1252 byte in a UTF-8 file
    report = load_folder(store, folder)
    assert [(p.file, p.row, p.kind) for p in report.quality] == [("people.csv", 2, "mixed encoding")]
    assert "'Zoë'" in report.quality[0].reason
    assert any("Windows-1252 as a whole" in note for note in report.notes)


def test_a_missing_folder_and_a_file_given_as_the_folder_name_the_path(tmp_path: Path, store: GraphStore) -> None:
    for path, words in ((tmp_path / "nope", "no such folder"), (SMALL / "people.csv", "is not a folder")):
        with pytest.raises(LoadRejected) as rejected:
            load_folder(store, path)
        assert [p.row for p in rejected.value.problems] == [0] and words in str(rejected.value.problems[0])


_FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from graphmodel.contract import StoreError
from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder
store = EmbeddedStore(Path(sys.argv[1]))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, resource.RLIM_INFINITY))  # the disk fills during the load
try:
    load_folder(store, Path(sys.argv[2]))
except StoreError as error:
    print(error)
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
print(store.counts()["Family"])
"""


def test_a_disk_full_load_is_one_line_and_leaves_the_store_as_it_was(folder: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _FULL_DISK, str(tmp_path / "full.sqlite"), str(folder)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert done.stderr == "" and done.returncode == 0
    message, families = done.stdout.strip().splitlines()
    assert "nothing was written" in message and "cannot rollback" not in message
    assert families == "0"


def test_when_sqlite_has_already_rolled_back_a_full_disk_the_reason_is_kept(tmp_path: Path) -> None:
    import sqlite3

    from graphmodel.contract import StoreError
    from graphmodel.records import GraphBatch
    from graphmodel.stores.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "full.sqlite")

    def batches() -> Iterator[GraphBatch]:
        yield GraphBatch()
        store._conn.execute("ROLLBACK")  # what SQLite does itself on SQLITE_FULL
        raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(StoreError, match="database or disk is full") as failed:
        store.write_stream(batches())
    assert "cannot rollback" not in str(failed.value)
    store.close()


@pytest.mark.parametrize(("args", "words"), [
    (["load", "/nonexistent/folder"], "not a folder"),
    (["load", str(SMALL / "people.csv")], "not a folder"),
    (["load", str(SMALL), "--problems", "/nonexistent/folder/problems.csv"], "no such folder"),
    (["load", str(SMALL), "--format", "ssd"], "needs --source-id"),
    (["load", str(SMALL), "--format", "xml"], "invalid choice"),
    (["load", str(SMALL), "--format", "ssd", "--source-id", "s", "--agency-id", "a", "--extracted-at",
      "31/02/2025"], "not a real date"),
])
def test_malformed_load_arguments_get_one_line(args: list[str], words: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from familygraph.cli import main

    monkeypatch.setenv("FAMILYGRAPH_STORE", "embedded")
    monkeypatch.setenv("FAMILYGRAPH_HOME", str(tmp_path))
    try:
        code = main(args)
    except SystemExit as exit_:  # argparse's own usage error
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert code != 0 and words in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if words in line]) == 1
