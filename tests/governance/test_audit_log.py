"""The audit log on both stores: entries are appended in order with a hash chain, filtered on read, and
nothing FamilyGraph can do (clear, reload, replace derived data) edits or deletes one; an edit made behind
FamilyGraph's back with a database tool is detected."""

from __future__ import annotations

import sqlite3

import pytest

from graphmodel.audit import AuditAction, AuditEvent, AuditFilter, AuditLog, hash_terms, verify_chain
from graphmodel.contract import GraphStore
from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder
from tests.conftest import SMALL


def _fill(log: AuditLog) -> None:
    log.append(AuditEvent("ann@hub.example", "hub", AuditAction.SIGN_IN))
    log.append(AuditEvent("ann@hub.example", "hub", AuditAction.SEARCH, detail=f"terms {hash_terms('Sara Tailor')}"))
    log.append(AuditEvent("ann@hub.example", "hub", AuditAction.BREAK_GLASS, "F1", "outside", "strategy meeting"))
    log.append(AuditEvent("ann@hub.example", "hub", AuditAction.FAMILY_VIEW, "F1"))
    log.append(AuditEvent("bob@council.example", "strategic", AuditAction.REFUSED, "F2", "family pages"))


def test_entries_are_appended_in_order_and_filtered(store: GraphStore) -> None:
    log = store.audit_log()
    before = len(log.entries())
    _fill(log)
    entries = log.entries()[before:]
    assert [e.action for e in entries] == ["sign-in", "search", "break-glass", "family-view", "refused"]
    assert [e.seq for e in entries] == list(range(before + 1, before + 6))
    assert entries[2].reason == "strategy meeting" and entries[2].family_id == "F1"
    assert "Sara" not in entries[1].detail and hash_terms("  sara   TAILOR ") in entries[1].detail
    assert [e.action for e in log.entries(AuditFilter(family_id="F1"))][-2:] == ["break-glass", "family-view"]
    assert {e.actor for e in log.entries(AuditFilter(user="bob@council.example"))} == {"bob@council.example"}
    today = entries[0].at[:10]
    assert len(log.entries(AuditFilter(since=today, until=today))) >= 5
    assert log.entries(AuditFilter(until="2000-01-01")) == []
    assert verify_chain(log.entries()) == []


def test_the_log_offers_no_way_to_change_an_entry(store: GraphStore) -> None:
    log = store.audit_log()
    public = {name for name in dir(log) if not name.startswith("_")}
    assert public == {"append", "entries"}


def test_clearing_and_reloading_the_store_keeps_every_entry(store: GraphStore) -> None:
    log = store.audit_log()
    _fill(log)
    kept = log.entries()
    load_folder(store, SMALL)
    store.clear()
    load_folder(store, SMALL)
    from loaders.linkage.graph import link_store

    link_store(store)  # replaces derived link data whole
    assert store.audit_log().entries()[: len(kept)] == kept
    assert verify_chain(store.audit_log().entries()) == []


def test_sqlite_refuses_update_and_delete_of_an_entry(tmp_path) -> None:
    store = EmbeddedStore(tmp_path / "store.sqlite")
    _fill(store.audit_log())
    store.close()
    conn = sqlite3.connect(tmp_path / "store.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log")
    assert conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 5
    conn.close()


def test_an_edit_behind_familygraphs_back_breaks_the_chain(store: GraphStore) -> None:
    log = store.audit_log()
    _fill(log)
    target = log.entries()[-3].seq  # the break-glass entry
    if store.kind == "neo4j":
        store._driver.execute_query(  # type: ignore[attr-defined]
            "MATCH (a:AuditEntry {seq: $seq}) SET a.reason = 'routine'", {"seq": target})
        assert any(f"entry {target} was changed" in p for p in verify_chain(log.entries()))
        store._driver.execute_query(  # type: ignore[attr-defined]
            "MATCH (a:AuditEntry {seq: $seq}) DETACH DELETE a", {"seq": target})
    else:
        conn = store._conn  # type: ignore[attr-defined]
        conn.execute("DROP TRIGGER audit_log_no_update")  # what someone with the file and a SQLite shell could do
        conn.execute("UPDATE audit_log SET reason = 'routine' WHERE seq = ?", (target,))
        assert any(f"entry {target} was changed" in p for p in verify_chain(log.entries()))
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (target,))
    assert any(f"entry {target} is missing" in p for p in verify_chain(log.entries()))
