"""The trained model and the last run's record fingerprints, kept in the store as one LinkModel node.

The model is Splink's model JSON with when it was trained and on what data (record count, sources and a
fingerprint of the records). The run state is one 64-bit hash per record of the fields linkage reads, so a
later run can tell which records are new or changed since it, and the thresholds that run used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from graphmodel.changes import refresh_store
from graphmodel.contract import GraphStore
from graphmodel.schema import Label
from loaders.linkage.decide import Thresholds
from loaders.linkage.records import OPTIONAL_RECORD_COLUMNS, PERSON_RECORD_COLUMNS
from loaders.linkage.splink_model import LinkageModel

__all__ = ["SAVED_ID", "SavedLink", "data_fingerprint", "read_saved", "record_hashes", "saved_row",
           "thresholds_text"]

SAVED_ID = "current"
"""The id of the one LinkModel node a store holds."""


def record_hashes(records: pd.DataFrame) -> pd.Series:
    """record_id -> a 64-bit hash of every field linkage reads (checked PersonRecords)."""
    columns = [c for c in (*PERSON_RECORD_COLUMNS, *OPTIONAL_RECORD_COLUMNS) if c in records.columns]
    values = pd.util.hash_pandas_object(records[columns].astype("string").fillna("\x00"), index=False)
    return pd.Series(values.to_numpy(dtype=np.uint64), index=records["record_id"].to_numpy())


def data_fingerprint(hashes: pd.Series) -> str:
    """One fingerprint of a set of records (order does not matter): 16 hex digits."""
    return hashlib.sha256(np.sort(hashes.to_numpy(dtype=np.uint64)).tobytes()).hexdigest()[:16]


def _pack(hashes: pd.Series) -> str:
    ids = "\n".join(map(str, hashes.index)).encode()
    body = len(ids).to_bytes(8, "big") + ids + hashes.to_numpy(dtype=">u8").tobytes()
    return base64.b64encode(zlib.compress(body, 6)).decode()


def _unpack(text: str) -> pd.Series:
    body = zlib.decompress(base64.b64decode(text))
    size = int.from_bytes(body[:8], "big")
    ids = body[8:8 + size].decode().split("\n") if size else []
    values = np.frombuffer(body[8 + size:], dtype=">u8").astype(np.uint64)
    return pd.Series(values, index=ids)


def thresholds_text(thresholds: Thresholds) -> str:
    """The thresholds a run used, as JSON (a run with others cannot reuse its decisions)."""
    return json.dumps([thresholds.accept, thresholds.reject, thresholds.accept_same_source,
                       thresholds.link_within_source])


@dataclass(frozen=True, slots=True)
class SavedLink:
    """What the store holds about linkage: the model, and the state of the last run (if it can be reused)."""

    model: LinkageModel
    trained_at: str
    records: int
    sources: tuple[str, ...]
    fingerprint: str
    linked_at: str | None
    thresholds: str | None
    hashes: pd.Series | None  # record_id -> hash at the last run; None when the last run left no usable state

    @property
    def trained_on_data(self) -> bool:
        """False for a model of priors only (too few records, or --no-train)."""
        return not any("priors" in step for step in self.model.trained.get("how", ["priors"]))


def read_saved(store: GraphStore) -> SavedLink | None:
    """The saved model and run state, or None when linkage has never run on this store."""
    rows = refresh_store(store).node_rows(Label.LINK_MODEL, ids=[SAVED_ID])
    if not rows or not rows[0].get("model"):
        return None
    row = rows[0]
    state = row.get("state")
    return SavedLink(LinkageModel.from_json(str(row["model"])), str(row.get("trained_at") or ""),
                     int(row.get("records") or 0), tuple(json.loads(row.get("sources") or "[]")),
                     str(row.get("fingerprint") or ""), row.get("linked_at"), row.get("thresholds"),
                     _unpack(str(state)) if state else None)


def saved_row(model: LinkageModel, hashes: pd.Series | None, *, trained_hashes: pd.Series | None,
              sources: list[str], previous: SavedLink | None, linked_at: str, thresholds: Thresholds) -> dict[str, Any]:
    """The LinkModel node after a run: the model (with what it was trained on) and this run's state.

    trained_hashes are the records the model was trained on in this run (None when it was reused, so the
    description of its data stays); hashes None leaves no state (the next run scores every pair).
    """
    if trained_hashes is None and previous is not None:
        described = {"trained_at": previous.trained_at, "records": previous.records,
                     "sources": json.dumps(list(previous.sources)), "fingerprint": previous.fingerprint}
    else:
        trained = trained_hashes if trained_hashes is not None else pd.Series(dtype=np.uint64)
        described = {"trained_at": str(model.trained.get("at", linked_at)), "records": len(trained),
                     "sources": json.dumps(sorted(sources)), "fingerprint": data_fingerprint(trained)}
    return {"id": SAVED_ID, **described, "model": model.to_json(), "linked_at": linked_at,
            "thresholds": thresholds_text(thresholds), "state": _pack(hashes) if hashes is not None else None}
