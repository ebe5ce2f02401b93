"""The command line: bad arguments and failures give one line and an exit code, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SMALL

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
    assert "as of 2026-06-01" in team.stdout
    missing = run_cli("ask", "team", home=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.strip() == "familygraph: ask team: give a family id"


def test_verbose_logs_the_load(tmp_path: Path) -> None:
    result = run_cli("-v", "load", str(SMALL), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "INFO familygraph.data_commands: loaded" in result.stderr
