"""A read-only user on a Neo4j database that refuses every write: the app and the command line's questions
answer, each view audited in the audit file (FAMILYGRAPH_AUDIT_DB) with its hash chain intact; without that
file nothing auditable is shown (one line says why); a load or `init` fails in one line and changes nothing.

Neo4j Community has no read-only accounts, so the read-only side is the server's: a second local server
started with `scripts/neo4j-local start --read-only` (server.databases.read_only), which refuses every write
from anyone. Any write the app tried would fail, and the pages would show it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from familygraph.cli import main
from graphmodel.audit import verify_chain
from graphmodel.stores.audit_sqlite import open_audit_file
from graphmodel.stores.neo4j_store import Neo4jStore
from loaders.load import load_folder
from tests.app.conftest import new_app, open_page, page_text
from tests.app.served import free_port
from tests.conftest import IN_CI, SMALL, SMALL_AS_OF, neo4j_store_or_skip

pytestmark = pytest.mark.neo4j
REPO = Path(__file__).resolve().parents[2]
SCRIPT = str(REPO / "scripts" / "neo4j-local")
PASSWORD = os.environ.get("NEO4J_PASSWORD", "familygraph-dev")


def _server(env: dict[str, str], *args: str) -> None:
    """Run scripts/neo4j-local; a server that will not start fails the test in CI (skips elsewhere)."""
    done = subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        message = f"scripts/neo4j-local {' '.join(args)} failed: {done.stderr[-500:]}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def read_only_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second local server holding the small county, restarted with its database read-only."""
    neo4j_store_or_skip()  # the same prerequisites as every Neo4j test (fails in CI without them)
    home, port = tmp_path_factory.mktemp("read-only-neo4j"), free_port()
    env = {**os.environ, "FAMILYGRAPH_NEO4J_HOME": str(home), "NEO4J_PORT": str(port), "NEO4J_HEAP": "512m",
           "NEO4J_PAGECACHE": "64m", "NEO4J_READ_ONLY": ""}
    env.pop("NEO4J_DATABASE", None)
    uri = f"bolt://127.0.0.1:{port}"
    _server(env, "start")
    try:
        writer = Neo4jStore(uri, "neo4j", PASSWORD)
        try:
            load_folder(writer, SMALL)
        finally:
            writer.close()
        _server(env, "stop")
        _server(env, "start", "--read-only")
        yield uri
    finally:
        subprocess.run([SCRIPT, "stop"], env=env, capture_output=True)


@pytest.fixture
def reader(read_only_uri: str, clean_env: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """This process configured as a read-only user of that server, with its own FamilyGraph home."""
    clean_env.setenv("FAMILYGRAPH_STORE", "neo4j")
    clean_env.setenv("NEO4J_URI", read_only_uri)
    clean_env.setenv("FAMILYGRAPH_HOME", str(tmp_path / "home"))
    clean_env.setenv("FAMILYGRAPH_ENV_FILE", str(tmp_path / "no.env"))
    for name in ("FAMILYGRAPH_AUDIT_DB", "FAMILYGRAPH_READ_ONLY", "NEO4J_DATABASE"):
        clean_env.delenv(name, raising=False)
    return clean_env


def _counts(uri: str) -> dict[str, int]:
    store = Neo4jStore(uri, "neo4j", PASSWORD)
    try:
        return store.counts()
    finally:
        store.close()


def test_a_load_or_init_fails_in_one_line_and_changes_nothing(reader: pytest.MonkeyPatch, read_only_uri: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = _counts(read_only_uri)
    assert before["Family"] == 4
    for argv in (["load", str(SMALL), "--clear"], ["load", "--demo"], ["init"]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert err.startswith(f"familygraph: Neo4j at {read_only_uri} refused to write: the database is read-only "
                              "on the server"), err
    assert _counts(read_only_uri) == before


def test_the_questions_answer_and_each_is_audited_in_the_audit_file(reader: pytest.MonkeyPatch, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    audit_file = tmp_path / "audit" / "audit.sqlite"
    reader.setenv("FAMILYGRAPH_AUDIT_DB", str(audit_file))
    reader.setenv("FAMILYGRAPH_READ_ONLY", "1")  # the app's own read-only mode as well as the server's
    day = ["--as-of", SMALL_AS_OF]
    for argv in (["ask", "search", "Sara Tailor", *day], ["ask", "team", "F1", *day],
                 ["ask", "duplicates", "F1", *day], ["ask", "needs", "F1", *day], ["ask", "coverage", *day],
                 ["ask", "sf", *day], ["stats"]):
        assert main(argv) == 0, (argv, capsys.readouterr().err)
        out, err = capsys.readouterr()
        assert out.strip() and not err, (argv, err)
        if argv[1:2] == ["team"]:
            assert "Taylor family (F1)" in out
    assert main(["audit", "--family", "F1"]) == 0
    assert "hash chain: intact" in capsys.readouterr().out
    entries = open_audit_file(audit_file).entries()
    assert [(e.action, e.family_id) for e in entries[:6]] == [
        ("search", None), ("family-view", "F1"), ("family-view", "F1"), ("family-view", "F1"),
        ("aggregates", None), ("aggregates", None)]
    assert "Sara" not in " ".join(e.detail for e in entries), "search terms are kept hashed"
    assert verify_chain(entries) == []
    assert (audit_file.stat().st_mode & 0o777, audit_file.parent.stat().st_mode & 0o777) == (0o600, 0o700)


def test_without_an_audit_file_a_question_is_refused_in_one_line(reader: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "team", "F1", "--as-of", SMALL_AS_OF]) == 1
    out, err = capsys.readouterr()
    assert "Taylor" not in out, "nothing is shown that was not audited"
    assert err.count("\n") == 1 and "the audit log cannot be written" in err and "FAMILYGRAPH_AUDIT_DB" in err, err


def test_the_app_serves_a_read_only_user_and_audits_every_view(reader: pytest.MonkeyPatch, tmp_path: Path) -> None:
    audit_file = tmp_path / "app-audit.sqlite"
    reader.setenv("FAMILYGRAPH_AUDIT_DB", str(audit_file))
    at = new_app().run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    at.text_input(key="search").input("Sara Tailor").run()  # the front door
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert any("Taylor family" in m.value for m in at.markdown)
    at.button(key="open_P1_F1").click().run()  # the family page
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert at.title[0].value == "Taylor family"
    assert "Jo Carter" in page_text(at)
    strategic = open_page("pages/strategic.py")
    assert not strategic.exception and not strategic.error, [e.value for e in strategic.error]
    assert "Coverage" in page_text(strategic)
    entries = open_audit_file(audit_file).entries()
    actions = [(e.action, e.family_id) for e in entries]
    assert [a for a in actions if a[0] != "sign-in"] == [("search", None), ("family-view", "F1")]
    assert ("sign-in", None) in actions
    assert verify_chain(entries) == []


def test_without_an_audit_file_the_app_says_why_in_one_line(reader: pytest.MonkeyPatch) -> None:
    at = new_app().run()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "the audit log cannot be written" in message and "FAMILYGRAPH_AUDIT_DB" in message
    assert "\n" not in message.strip()
    assert "Taylor" not in page_text(at)
