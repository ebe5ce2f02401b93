"""The Hub workflow and the TAF pack on the command line: handover, resolve, list, pack; bad input in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SMALL
from tests.test_cli import run_cli


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store under a private home, loaded with the small county."""
    home = tmp_path_factory.mktemp("cli-home")
    loaded = run_cli("load", str(SMALL), home=home)
    assert loaded.returncode == 0, loaded.stderr
    return home


def test_lead_assign_then_worklist_resolve(home: Path) -> None:
    handover = run_cli("lead", "assign", "F1", "PR7", "--reason", "agreed at TAF: IDVA leads", "--who", "Ann Hub",
                       "--on", "01/06/2026", "--json", home=home)
    assert handover.returncode == 0, handover.stderr
    answer = json.loads(handover.stdout)
    assert (answer["lead"], answer["ended"], answer["who"], answer["from"]) == ("PR7", ["PR1"], "Ann Hub",
                                                                               "2026-06-01")
    assert "jo.carter@eh.example.org" in {t["email"] for t in answer["tell"]}
    team = json.loads(run_cli("ask", "team", "F1", "--as-of", "2026-06-01", "--json", home=home).stdout)
    assert team["lead_ids"] == ["PR7"]
    resolved = run_cli("worklist", "resolve", "F1:duplicated_work:school_attendance:P3", "--as-of", "2026-06-01",
                       "--reason", "agreed: school leads attendance work", "--who", "Sam Hub", home=home)
    assert resolved.returncode == 0, resolved.stderr
    assert "resolved F1:duplicated_work:school_attendance:P3: agreed: school leads attendance work" in resolved.stdout
    listed = json.loads(run_cli("worklist", "list", "--all", "--as-of", "2026-06-01", "--json", home=home).stdout)
    status = {row["finding"]: (row["status"], row["resolved because"]) for row in listed["findings"]}
    assert status["F1:duplicated_work:school_attendance:P3"] == ("resolved", "agreed: school leads attendance work")
    assert status["F3:no_lead"][0] == "open"
    open_only = json.loads(run_cli("worklist", "list", "--as-of", "2026-06-01", "--json", home=home).stdout)
    assert "F1:duplicated_work:school_attendance:P3" not in {row["finding"] for row in open_only["findings"]}


@pytest.mark.parametrize(("args", "message"), [
    (["lead", "assign", "F1", "PR2"], "--reason"),
    (["lead", "assign", "F99", "PR2", "--reason", "x"], "no family with id 'F99'"),
    (["lead", "assign", "F1", "NOBODY", "--reason", "x"], "no professional with id 'NOBODY'"),
    (["worklist", "resolve", "F1:two_leads", "--reason", "x", "--as-of", "2026-06-01"], "the family's findings"),
    (["worklist", "resolve", "F1:duplicated_work:domestic_abuse:P1", "--reason", "  ", "--as-of", "2026-06-01"],
     "needs a reason"),
    (["pack", "F99", "--out", "x.pdf"], "no family with id 'F99'"),
])
def test_bad_workflow_input_is_one_line(home: Path, args: list[str], message: str) -> None:
    done = run_cli(*args, home=home)
    assert done.returncode != 0
    assert message in done.stderr.strip().splitlines()[-1], "the reason is the last line (after argparse's usage)"
    assert "Traceback" not in done.stderr


def test_pack_writes_a_pdf(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    done = run_cli("pack", "F1", "--out", str(out), "--as-of", "2026-06-01", "--who", "Ann Hub", home=home)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF") and "pages, produced by Ann Hub" in done.stdout
    assert not (tmp_path / "pack.pdf.part").exists()


def test_a_pack_is_audited(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "audited.pdf"
    assert run_cli("pack", "F1", "--out", str(out), "--as-of", "2026-06-01", home=home).returncode == 0
    audit = run_cli("audit", "--family", "F1", "--json", home=home)
    assert audit.returncode == 0, audit.stderr
    assert "TAF pack as of 2026-06-01 to audited.pdf" in audit.stdout
