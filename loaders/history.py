"""Extract history per source, and rolling a source back to its previous extract."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from graphmodel.changes import RefreshStore
from graphmodel.errors import UserInputError
from graphmodel.schema import Label
from loaders.extract_undo import changes_from_json, part_ids, undo_text

__all__ = ["ExtractRecord", "SourceHistory", "rollback_source", "source_history"]


@dataclass(frozen=True, slots=True)
class ExtractRecord:
    """One numbered extract of a source: when it was taken and loaded, how, what it did, and its status."""

    source_id: str
    seq: int
    extracted_at: str | None
    loaded_at: str
    mode: str
    status: str
    added: int
    changed: int
    closed: int
    removed: int


@dataclass(frozen=True, slots=True)
class SourceHistory:
    """A source with its agency, current extract date and every extract loaded (oldest first)."""

    source_id: str
    agency_id: str | None
    extracted_at: str | None
    extracts: tuple[ExtractRecord, ...]


def _record(row: dict[str, object]) -> ExtractRecord:
    counts = json.loads(str(row["summary"] or "{}"))
    return ExtractRecord(str(row["source_id"]), int(str(row["seq"])), _text(row["extracted_at"]),
                         str(row["loaded_at"]), str(row["mode"]), str(row["status"]),
                         *(int(counts.get(k, 0)) for k in ("added", "changed", "closed", "removed")))


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def source_history(store: RefreshStore) -> list[SourceHistory]:
    """Every source known (as a Source node or by its extracts), sorted by id, with its extract history."""
    extracts: dict[str, list[ExtractRecord]] = {}
    for row in store.node_rows(Label.EXTRACT):
        record = _record(row)
        extracts.setdefault(record.source_id, []).append(record)
    sources = {r["id"]: r for r in store.node_rows(Label.SOURCE)}
    return [SourceHistory(sid, _text(sources.get(sid, {}).get("agency_id")),
                          _text(sources.get(sid, {}).get("extracted_at")),
                          tuple(sorted(extracts.get(sid, []), key=lambda e: e.seq)))
            for sid in sorted(set(sources) | set(extracts))]


def rollback_source(store: RefreshStore, source_id: str) -> ExtractRecord:
    """Undo the latest loaded extract of a source, restoring the facts as they were before it, in one
    transaction; the extract stays in the history marked 'rolled back'. Returns the extract undone."""
    rows = [r for r in store.node_rows(Label.EXTRACT, sources=[source_id]) if r["status"] == "loaded"]
    if not rows:
        raise UserInputError(f"source {source_id!r} has no loaded extract to roll back "
                             "(see 'familygraph sources')")
    latest = max(rows, key=lambda r: int(r["seq"]))
    undo = changes_from_json(undo_text(store, latest))
    summary = json.loads(latest["summary"] or "{}")
    summary["rolled_back_at"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    undo.node_upserts.setdefault(Label.EXTRACT, []).append(
        {**latest, "status": "rolled back", "summary": json.dumps(summary), "undo": None})
    if parts := part_ids(latest):  # the undo is spent: its parts go with it
        undo.node_deletes.setdefault(Label.EXTRACT_PART, []).extend(parts)
    store.apply_changes(undo)
    return _record({**latest, "status": "rolled back"})
