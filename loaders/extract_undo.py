"""An extract's undo (the change set that rolls it back) as stored: whole on the Extract record when small,
else in ExtractPart records of at most UNDO_PART_CHARS characters, so that neither the load that writes it nor
the rollback or erasure that reads it holds one value bigger than a per-transaction memory cap allows (the
first extract of a county-wide source lists every record it added: tens of megabytes at 100,000 families)."""

from __future__ import annotations

import json
from typing import Any

from graphmodel.changes import ChangeSet, RefreshStore
from graphmodel.contract import StoreError
from graphmodel.schema import Label, rel_spec
from graphmodel.stores.batching import slices

__all__ = ["UNDO_PART_CHARS", "changes_from_json", "changes_to_json", "part_ids", "stored_undo", "undo_text"]

UNDO_PART_CHARS = 1_000_000
"""Characters of undo JSON per ExtractPart (a batch of a logged Neo4j load holds a few)."""
_PARTS = '{"parts":'
_READ_PARTS = 8
"""Parts read per query (a few megabytes, far under any transaction cap)."""

Row = dict[str, Any]


def changes_to_json(changes: ChangeSet) -> str:
    """A change set as JSON text (for an extract's undo)."""
    return json.dumps({"node_upserts": {str(k): v for k, v in changes.node_upserts.items()},
                       "node_deletes": {str(k): v for k, v in changes.node_deletes.items()},
                       "rel_upserts": changes.rel_upserts, "rel_deletes": changes.rel_deletes},
                      separators=(",", ":"), sort_keys=True)


def changes_from_json(text: str | None) -> ChangeSet:
    """The change set stored by changes_to_json (labels and relationship names checked against the schema)."""
    data = json.loads(text) if text else {}
    return ChangeSet(
        node_upserts={Label(k): v for k, v in data.get("node_upserts", {}).items()},
        node_deletes={Label(k): v for k, v in data.get("node_deletes", {}).items()},
        rel_upserts={rel_spec(k).name: v for k, v in data.get("rel_upserts", {}).items()},
        rel_deletes={rel_spec(k).name: v for k, v in data.get("rel_deletes", {}).items()},
    )


def stored_undo(extract_id: str, source_id: str, text: str) -> tuple[str, list[Row]]:
    """The Extract record's `undo` value and the ExtractPart rows holding the text (none when it fits whole)."""
    if len(text) <= UNDO_PART_CHARS:
        return text, []
    parts = [{"id": _part_id(extract_id, n), "source_id": source_id, "extract_id": extract_id, "part": n,
              "undo": chunk} for n, chunk in enumerate(slices(text, UNDO_PART_CHARS))]
    return json.dumps({"parts": len(parts)}, separators=(",", ":")), parts


def part_ids(extract: Row) -> list[str]:
    """Ids of the ExtractPart records holding an Extract record's undo (none when it is stored whole)."""
    undo = extract.get("undo")
    if not (isinstance(undo, str) and undo.startswith(_PARTS) and len(undo) < 40):
        return []
    return [_part_id(str(extract["id"]), n) for n in range(int(json.loads(undo)["parts"]))]


def undo_text(store: RefreshStore, extract: Row) -> str | None:
    """An Extract record's undo JSON, put together from its parts when it was stored in parts."""
    ids = part_ids(extract)
    if not ids:
        return extract.get("undo")
    found: dict[str, str] = {}
    for piece in slices(ids, _READ_PARTS):
        found.update({row["id"]: row["undo"] for row in store.node_rows(Label.EXTRACT_PART, ids=piece)})
    if missing := [i for i in ids if i not in found]:
        raise StoreError(f"extract {extract['id']}: {len(missing)} of the {len(ids)} parts of its undo are missing; "
                         "it cannot be rolled back")
    return "".join(found[i] for i in ids)


def _part_id(extract_id: str, n: int) -> str:
    return f"{extract_id}/undo-{n}"
