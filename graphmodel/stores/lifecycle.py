"""Store upkeep the command line calls: `familygraph init` and `familygraph load --undo LOAD_ID`."""

from __future__ import annotations

import logging

from graphmodel.contract import GraphStore, StoreError

__all__ = ["init_store", "undo_load", "unfinished_loads"]

log = logging.getLogger(__name__)


def init_store(store: GraphStore) -> list[str]:
    """Apply the schema (constraints, indexes, need taxonomy) and undo loads left by a dead process.

    Returns the ids of the loads undone. Needs an account that may write and change the schema; the
    app and the questions then need only read rights.
    """
    store.apply_schema()
    undone = _call(store, "recover")
    for load_id in undone:
        log.warning("undid load %s, left unfinished by a process that stopped", load_id)
    return undone


def undo_load(store: GraphStore, load_id: str) -> int:
    """Undo one unfinished load by its id (its new nodes and relationships removed, changed properties
    restored); return the number of batches undone."""
    undo = getattr(store, "undo_load", None)
    if undo is None:
        raise StoreError(f"the {store.kind} store cannot undo loads")
    return int(undo(load_id))


def unfinished_loads(store: GraphStore) -> list[object]:
    """Loads running now or left unfinished (always empty for stores that load in one transaction)."""
    return list(_call(store, "unfinished_loads"))


def _call(store: GraphStore, name: str) -> list[str]:
    method = getattr(store, name, None)
    return list(method()) if method is not None else []
