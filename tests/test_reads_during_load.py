"""Opening the store for reading (stats, ask, the app) works while a load is writing, on both stores."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmodel.config import StoreConfig, open_store
from graphmodel.contract import GraphStore
from graphmodel.records import GraphBatch
from graphmodel.schema import Label
from graphmodel.stores.taxonomy_rows import need_rows
from tests.conftest import STORE_KINDS, open_test_store


def _reopen(kind: str, store: GraphStore) -> GraphStore:
    """A second, independent connection to the same store (as `familygraph stats` or the app would open)."""
    if kind == "embedded":
        return open_store(StoreConfig(store="embedded", embedded_path=Path(store.path)))  # type: ignore[attr-defined]
    return open_store(StoreConfig.from_env({**os.environ, "FAMILYGRAPH_STORE": "neo4j"}))


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_reader_opens_and_reads_while_a_load_holds_its_transaction(kind: str, tmp_path: Path) -> None:
    store = open_test_store(kind, tmp_path)
    store.write(GraphBatch(nodes={Label.FAMILY: [{"id": "F0", "name": "Before family", "postcode": None,
                                                  "district": None, "source_id": None}]}))
    started, release = threading.Event(), threading.Event()

    def batches() -> Iterator[GraphBatch]:  # the load holds write locks on a family and on a need
        yield GraphBatch(nodes={Label.FAMILY: [{"id": "F1", "name": "Loading family", "postcode": None,
                                                "district": None, "source_id": None}],
                                Label.NEED: need_rows()[:1]})
        started.set()
        release.wait(30)

    errors: list[BaseException] = []

    def load() -> None:
        try:
            store.write_stream(batches())
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    writer = threading.Thread(target=load)
    writer.start()
    try:
        assert started.wait(30)
        reader = _reopen(kind, store)
        try:
            assert reader.counts()["Family"] == 1  # the committed family only, at once
            assert reader.sources() == []
        finally:
            reader.close()
    finally:
        release.set()
        writer.join(30)
    assert errors == []
    assert store.counts()["Family"] == 2
    if kind == "embedded":
        store.close()
