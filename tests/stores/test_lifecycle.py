"""`familygraph init` applies the schema and undoes what a dead load left; opening the embedded store only reads."""

from __future__ import annotations

import hashlib
from pathlib import Path

from graphmodel.stores.embedded import EmbeddedStore
from graphmodel.stores.lifecycle import init_store, unfinished_loads
from loaders.load import load_folder
from tests.conftest import SMALL


def test_init_prepares_a_new_store_and_leaves_a_loaded_one_as_it_is(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.sqlite")
    assert init_store(store) == []
    load_folder(store, SMALL)
    counts = store.counts()
    assert init_store(store) == [] and store.counts() == counts
    assert unfinished_loads(store) == []
    store.close()


def test_reopening_an_embedded_store_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    store = EmbeddedStore(path)
    load_folder(store, SMALL)
    counts = store.counts()
    store.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    reopened = EmbeddedStore(path)
    try:
        assert reopened.counts() == counts
        assert reopened.family_snapshot("F1") is not None
    finally:
        reopened.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
