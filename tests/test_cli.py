"""The command line: bad arguments and failures give one line and an exit code, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SMALL

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`python -m familygraph ARGS` on an embedded store under `home`."""
    env = {**os.environ, "FAMILYGRAPH_HOME": str(home), "FAMILYGRAPH_STORE": "embedded"}
    env.pop("FAMILYGRAPH_DB", None)
    return subprocess.run([sys.executable, "-m", "familygraph", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


BAD_ARGUMENTS = [
    (["ask", "team", "F1", "--as-of", "20260105"], "YYYY-MM-DD or DD/MM/YYYY"),
    (["ask", "team", "F1", "--as-of", "31/02/2026"], "not a real date"),
    (["ask", "coverage", "--from", "yesterday"], "YYYY-MM-DD or DD/MM/YYYY"),
    (["ask", "coverage", "--to", "2026-13-01"], "not a real date"),
    (["ask", "duplicates", "--top", "-3"], "out of range"),
    (["ask", "search", "Smith", "--dob", "1/1/85"], "YYYY-MM-DD or DD/MM/YYYY"),
    (["generate", "/tmp/never", "--families", "lots"], "not a whole number"),
    (["generate", "/tmp/never", "--families", "99999999999999999999999"], "out of range"),
    (["generate", "/tmp/never", "--as-of", "2026/11/01"], "YYYY-MM-DD or DD/MM/YYYY"),
    (["link", "--accept", "1.5"], "out of range"),
    (["link", "--reject", "nan-ish"], "not a number"),
    (["serve", "--port", "70000"], "out of range"),
]


@pytest.mark.parametrize(("args", "expected"), BAD_ARGUMENTS, ids=[" ".join(a) for a, _ in BAD_ARGUMENTS])
def test_bad_argument_is_one_line_with_the_accepted_forms(args: list[str], expected: str, tmp_path: Path) -> None:
    result = run_cli(*args, home=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(error_lines) == 1 and expected in error_lines[0], result.stderr


def test_thresholds_in_the_wrong_order_are_one_line(tmp_path: Path) -> None:
    result = run_cli("link", "--accept", "0.2", "--reject", "0.7", home=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "familygraph: thresholds need 0 <= reject <= accept <= 1, got reject 0.7, accept 0.2"]


def test_load_of_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = run_cli("load", str(tmp_path / "no-such-folder"), home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("not a folder (give the folder that holds the import files)")
    assert "Traceback" not in result.stderr


def test_load_then_ask_through_python_dash_m(tmp_path: Path) -> None:
    loaded = run_cli("load", str(SMALL), home=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    stats = run_cli("stats", "--json", home=tmp_path)
    assert '"Family": 4' in stats.stdout
    team = run_cli("ask", "team", "F1", "--as-of", "01/06/2026", home=tmp_path)
    assert team.returncode == 0, team.stderr
    assert "as of 01/06/2026" in team.stdout
    missing = run_cli("ask", "team", home=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.strip() == "familygraph: ask team: give a family id"


def test_verbose_logs_the_load(tmp_path: Path) -> None:
    result = run_cli("-v", "load", str(SMALL), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "INFO familygraph.data_commands: loaded" in result.stderr


def test_ask_answers_per_family_supporting_families_and_refuses_unknown_filters(tmp_path: Path) -> None:
    assert run_cli("load", str(FIXTURES / "panel"), home=tmp_path).returncode == 0
    sf = run_cli("ask", "sf", "F11", home=tmp_path)
    assert sf.returncode == 0, sf.stderr
    assert "as of 29/05/2026, the newest extract's date" in sf.stdout
    assert "it is not claim-ready: missing a lead professional, a family plan" in " ".join(sf.stdout.split())
    assert "lead professional MISSING; whole-family assessment yes; family plan MISSING" in sf.stdout
    for args, message in ((["ask", "coverage", "--district", "Northfen"], "unknown district 'Northfen'"),
                          (["ask", "sf", "F99"], "unknown family id 'F99'"),
                          (["ask", "team", "F99"], "unknown family id 'F99'"),
                          (["ask", "duplicates", "--need", "parenting"], "unknown need code 'parenting'"),
                          (["ask", "duplicates", "--agency", "A_NOPE"], "unknown agency 'A_NOPE'")):
        result = run_cli(*args, home=tmp_path)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"familygraph: {message}"), result.stderr
    dup = run_cli("ask", "duplicates", "F10", "--as-of", "01/06/2026", home=tmp_path)
    text = " ".join(dup.stdout.split())
    assert ("Dawn Walker (parent) has 2 open pieces of work on neglect or poor parenting by 2 different professionals "
            "from 2 agencies: Jo Carter (Council Early Help, since 20/01/2026) and Ben Ward (Family Action, since "
            "02/03/2026); they have overlapped since 02/03/2026.") in text, "the reason is whole, wrapped not cut"
    assert "F10 · parallel work · severity 1" in dup.stdout


def test_worklist_narrowed_by_need_and_agency(tmp_path: Path) -> None:
    assert run_cli("load", str(FIXTURES / "panel"), home=tmp_path).returncode == 0
    neglect = run_cli("ask", "duplicates", "--need", "neglect", "--as-of", "2026-06-01", "--json", home=tmp_path)
    assert [(f["kind"], f["need_code"]) for f in json.loads(neglect.stdout)] == [("duplicated_work", "neglect")]
    yot = run_cli("ask", "duplicates", "--agency", "A_YOT", "--as-of", "2026-06-01", "--json", home=tmp_path)
    assert [f["kind"] for f in json.loads(yot.stdout)] == ["parallel_work"]


def test_link_says_whether_it_reused_the_saved_model(tmp_path: Path) -> None:
    """The second `familygraph link` after a new extract reuses the model and names the records it scored."""
    assert run_cli("load", str(SMALL), home=tmp_path).returncode == 0
    first = run_cli("link", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout.splitlines()[-1])["model_reused"] is False
    police = tmp_path / "police"
    police.mkdir()
    for name in ("agencies.csv", "sources.csv"):
        (police / name).write_text((SMALL / name).read_text())
    (police / "people.csv").write_text("person_id,given_name,family_name,date_of_birth,postcode,source_id\n"
                                       "POL:1,Lilly,Brown,2012-12-12,CB4 4DD,S_POL\n")
    assert run_cli("load", str(police), home=tmp_path).returncode == 0
    second = run_cli("link", home=tmp_path)
    assert second.returncode == 0, second.stderr
    summary = json.loads(second.stdout.splitlines()[-1])
    assert summary["model_reused"] is True and summary["new_or_changed_records"] == 1
    assert "reused model trained" in second.stderr and "involving 1 new or changed records" in second.stderr
    retrained = run_cli("link", "--train", home=tmp_path)
    assert json.loads(retrained.stdout.splitlines()[-1])["model_reused"] is False
