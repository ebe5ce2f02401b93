"""FAMILYGRAPH_AUDIT_DB: the audit log in an append-only SQLite file of its own, for either store (needed
beside a read-only graph), safe for the app and the command line appending at once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from graphmodel.audit import AuditAction, AuditEvent, verify_chain
from graphmodel.config import StoreConfig, open_store
from graphmodel.contract import StoreError
from graphmodel.stores.audit_sqlite import open_audit_file
from tests.conftest import STORE_KINDS, neo4j_store_or_skip

REPO = Path(__file__).resolve().parents[2]
_APPENDER = """
import sys
from pathlib import Path
from graphmodel.audit import AuditAction, AuditEvent
from graphmodel.stores.audit_sqlite import open_audit_file
log = open_audit_file(Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    log.append(AuditEvent(sys.argv[2], "hub", AuditAction.SEARCH, detail=f"n {i}"))
"""


def _neo4j_entries() -> int:
    store = neo4j_store_or_skip()
    return len(store.audit_log().entries())


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_the_audit_file_takes_the_log_and_the_store_gets_none(kind: str, tmp_path: Path) -> None:
    env = {**os.environ, "FAMILYGRAPH_STORE": kind, "FAMILYGRAPH_DB": str(tmp_path / "store.sqlite"),
           "FAMILYGRAPH_AUDIT_DB": str(tmp_path / "audit" / "log.sqlite"), "FAMILYGRAPH_READ_ONLY": "1"}
    config = StoreConfig.from_env(env)
    assert config.audit_path == tmp_path / "audit" / "log.sqlite"
    before = _neo4j_entries() if kind == "neo4j" else 0
    store = open_store(config)
    try:
        store.audit_log().append(AuditEvent("ann", "hub", AuditAction.FAMILY_VIEW, "F1"))
        store.audit_log().append(AuditEvent("ann", "hub", AuditAction.SEARCH, detail="terms x"))
    finally:
        store.close()
    entries = open_audit_file(config.audit_path).entries()
    assert [(e.seq, e.action, e.family_id) for e in entries] == [(1, "family-view", "F1"), (2, "search", None)]
    assert verify_chain(entries) == []
    if kind == "neo4j":
        assert _neo4j_entries() == before, "nothing was written to the read-only graph"
    else:
        with sqlite3.connect(tmp_path / "store.sqlite") as conn:
            assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'audit_log'").fetchall()


@pytest.mark.neo4j
def test_a_read_only_neo4j_connection_without_an_audit_file_refuses_to_audit_in_one_line() -> None:
    before = _neo4j_entries()
    config = StoreConfig.from_env({**os.environ, "FAMILYGRAPH_STORE": "neo4j", "FAMILYGRAPH_READ_ONLY": "1",
                                   "FAMILYGRAPH_AUDIT_DB": ""})
    store = open_store(config)
    try:
        with pytest.raises(StoreError, match="FAMILYGRAPH_AUDIT_DB") as refused:
            store.audit_log().append(AuditEvent("ann", "hub", AuditAction.FAMILY_VIEW, "F1"))
        assert "\n" not in str(refused.value) and "FAMILYGRAPH_READ_ONLY is set" in str(refused.value)
        assert len(store.audit_log().entries()) == before, "a read-only connection still reads the log"
    finally:
        store.close()


def test_processes_appending_at_once_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [subprocess.Popen([sys.executable, "-c", _APPENDER, str(path), f"user{n}", "40"], env=env,
                                stderr=subprocess.PIPE, text=True) for n in range(3)]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read() if writer.stderr else ""
    entries = open_audit_file(path).entries()
    assert [e.seq for e in entries] == list(range(1, 121))
    assert {e.actor for e in entries} == {"user0", "user1", "user2"}
    assert verify_chain(entries) == []


def test_an_audit_file_that_cannot_be_made_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    config = StoreConfig.from_env({"FAMILYGRAPH_DB": str(tmp_path / "s.sqlite"),
                                   "FAMILYGRAPH_AUDIT_DB": str(blocker / "audit.sqlite")})
    with pytest.raises(StoreError, match=r"cannot open the audit file .*FAMILYGRAPH_AUDIT_DB"):
        open_store(config)
