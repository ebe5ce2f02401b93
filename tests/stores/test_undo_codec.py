"""The undo records of Neo4j loads: compressed when long, and records written plain stay readable."""

from __future__ import annotations

import json

from graphmodel.stores.undo_codec import PACK_FROM, pack, unpack


def test_a_long_undo_record_is_stored_compressed_and_reads_back_the_same() -> None:
    created = [f"P{i:07d}" for i in range(20_000)]
    text, size = pack(created)
    assert size == len(json.dumps(created, separators=(",", ":")))
    assert len(text) * 3 < size  # ids repeat their shape: a fresh load's undo packs well
    assert unpack(text) == created


def test_a_short_undo_record_stays_plain_json() -> None:
    before = [{"id": "F1", "props": {"name": "Smith family", "district": "North"}}]
    text, size = pack(before)
    assert size < PACK_FROM and json.loads(text) == before == unpack(text)


def test_an_undo_record_written_before_compression_is_read() -> None:
    assert unpack(json.dumps([{"src": "P1", "dst": "N1", "key": {"since": "2025-01-01"}}])) == [
        {"src": "P1", "dst": "N1", "key": {"since": "2025-01-01"}}]
