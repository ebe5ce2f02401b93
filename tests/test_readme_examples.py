"""The README's `familygraph ask` examples work as written on the demo county, and the CLI's default as-of is
the app's: the same family gives the same numbers with no date given."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from graphmodel.stores.embedded import EmbeddedStore
from pages.ui import cached
from pages.ui.family_view import family_view
from tests.test_cli import ROOT, run_cli

EXAMPLE = re.compile(r"^(familygraph ask [^#]*?)\s*(?:#.*)?$")


def readme_examples() -> list[list[str]]:
    """Every `familygraph ask ...` line of the README's code blocks, as arguments."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    return [shlex.split(m.group(1))[1:] for line in lines if (m := EXAMPLE.match(line.strip()))]


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo-home")
    loaded = run_cli("load", "--demo", home=home)
    assert loaded.returncode == 0, loaded.stderr
    return home


def test_the_readme_has_the_examples() -> None:
    questions = {args[1] for args in readme_examples()}
    assert {"search", "team", "duplicates", "needs", "coverage", "sf"} <= questions


@pytest.mark.parametrize("args", readme_examples(), ids=lambda a: " ".join(a))
def test_each_readme_example_answers_on_the_demo(demo_home: Path, args: list[str]) -> None:
    result = run_cli(*args, home=demo_home)
    assert result.returncode == 0, result.stderr
    assert "newest extract's date" in result.stdout
    assert "(nothing found)" not in result.stdout and "unknown" not in result.stderr
    if args[1] == "search":
        assert "Jade Jackson" in result.stdout
    if args[1:] == ["duplicates", "F0000070"]:
        assert "duplicated work" in result.stdout and "Jade Jackson (parent)" in result.stdout
    if args[1:] == ["duplicates", "F0000031"]:
        assert "parallel work" in result.stdout and "duplicated work" not in result.stdout


def test_cli_and_app_give_the_same_numbers_with_no_date_given(demo_home: Path) -> None:
    cli = json.loads(run_cli("ask", "suggest", "F0000042", "--json", home=demo_home).stdout)
    team = json.loads(run_cli("ask", "team", "F0000042", "--json", home=demo_home).stdout)
    store = EmbeddedStore(demo_home / "familygraph.sqlite")
    try:
        day = cached.default_as_of(store).isoformat()
        view = family_view(store, "F0000042", day)
    finally:
        store.close()
    assert view is not None
    assert team["as_of"] == day
    assert [c["score"] for c in cli["candidates"]] == [c.score for c in view.suggestion.candidates]
    assert len(team["team"]) == len(view.team.team)
