"""The embedded store's folder is created 0700 and its files 0600 (no other account on the server reads them)."""

from __future__ import annotations

import stat
from pathlib import Path

from graphmodel.audit import AuditAction, AuditEvent
from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder
from tests.conftest import SMALL


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_folder_0700_and_files_0600(tmp_path: Path) -> None:
    folder = tmp_path / "home" / "familygraph"
    store = EmbeddedStore(folder / "familygraph.sqlite")
    load_folder(store, SMALL)
    store.audit_log().append(AuditEvent("x", "hub", AuditAction.SEARCH))
    files = sorted(folder.iterdir())
    assert {p.name for p in files} >= {"familygraph.sqlite", "familygraph.sqlite-wal"}
    assert _mode(folder) == 0o700 and _mode(folder.parent) == 0o700
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    store.close()
