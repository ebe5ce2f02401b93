"""`familygraph init` and `familygraph load --undo LOAD_ID` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import neo4j_store_or_skip

ROOT = Path(__file__).resolve().parents[2]


def familygraph(*args: str, store: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAMILYGRAPH_HOME": str(home), "FAMILYGRAPH_STORE": store}
    env.pop("FAMILYGRAPH_DB", None)
    return subprocess.run([sys.executable, "-m", "familygraph", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def test_init_prepares_the_embedded_store(tmp_path: Path) -> None:
    done = familygraph("init", store="embedded", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"schema": "applied", "undone_loads": []}
    assert (tmp_path / "familygraph.sqlite").exists()


def test_undo_on_the_embedded_store_says_why_there_is_nothing_to_undo(tmp_path: Path) -> None:
    done = familygraph("load", "--undo", "abc", store="embedded", home=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "one transaction" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.neo4j
def test_undo_of_an_unknown_neo4j_load_is_one_line(tmp_path: Path) -> None:
    neo4j_store_or_skip()
    done = familygraph("load", "--undo", "no-such-load", store="neo4j", home=tmp_path)
    assert done.returncode == 1
    assert "there is no unfinished load 'no-such-load'" in done.stderr
    assert "Traceback" not in done.stderr
