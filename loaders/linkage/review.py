"""The review ledger: Hub staff confirm or reject uncertain links; every decision kept, any undone."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Protocol

import pandas as pd

from graphmodel.errors import FamilyGraphError
from loaders.linkage.decide import CONFIRMED, REJECTED, Pair
from loaders.linkage.records import PERSON_RECORD_COLUMNS

__all__ = [
    "Action",
    "Decision",
    "LedgerStore",
    "MemoryLedgerStore",
    "NothingToUndo",
    "ReviewLedger",
    "SqliteLedgerStore",
    "pair_key",
    "side_by_side",
]

Action = Literal["confirm", "reject", "undo"]
_EFFECT: dict[str, str] = {"confirm": CONFIRMED, "reject": REJECTED}


def pair_key(record_id_a: str, record_id_b: str) -> Pair:
    """The pair in canonical order (smaller record id first), as scored pairs hold it."""
    if record_id_a == record_id_b:
        raise ValueError(f"a pair needs two different records, got {record_id_a!r} twice")
    return (record_id_a, record_id_b) if record_id_a < record_id_b else (record_id_b, record_id_a)


@dataclass(frozen=True, slots=True)
class Decision:
    """One entry of the append-only log: who did what to which pair, when and why."""

    record_id_l: str
    record_id_r: str
    action: Action
    who: str
    when: str  # ISO 8601 UTC timestamp
    why: str
    match_probability: float | None = None  # the score the reviewer saw
    reason: str | None = None  # the evidence summary the reviewer saw
    seq: int = 0  # position in the log, assigned by the store


class LedgerStore(Protocol):
    """Where decisions live: appended, never changed or removed."""

    def append(self, decision: Decision) -> Decision:
        """Store one decision atomically; return it with its sequence number."""
        ...

    def decisions(self) -> list[Decision]:
        """Every decision in the order appended."""
        ...


class MemoryLedgerStore:
    """Decisions held in memory (tests, single runs)."""

    def __init__(self) -> None:
        self._log: list[Decision] = []

    def append(self, decision: Decision) -> Decision:
        """Store one decision."""
        stored = replace(decision, seq=len(self._log) + 1)
        self._log.append(stored)
        return stored

    def decisions(self) -> list[Decision]:
        """Every decision in the order appended."""
        return list(self._log)


_INSERT = ("INSERT INTO decision (record_id_l, record_id_r, action, who, at, why, match_probability, reason) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_SELECT = ("SELECT seq, record_id_l, record_id_r, action, who, at, why, match_probability, reason "
           "FROM decision ORDER BY seq")


class SqliteLedgerStore:
    """Decisions in a SQLite file; each append is one committed transaction."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        with closing(self._connect()) as con, con:
            con.execute("CREATE TABLE IF NOT EXISTS decision (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                        "record_id_l TEXT NOT NULL, record_id_r TEXT NOT NULL, action TEXT NOT NULL "
                        "CHECK (action IN ('confirm', 'reject', 'undo')), who TEXT NOT NULL, "
                        "at TEXT NOT NULL, "
                        "why TEXT NOT NULL, match_probability REAL, reason TEXT)")
            con.execute("CREATE TRIGGER IF NOT EXISTS decision_append_only BEFORE UPDATE ON decision "
                        "BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END")
            con.execute("CREATE TRIGGER IF NOT EXISTS decision_no_delete BEFORE DELETE ON decision "
                        "BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END")

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        return con

    def append(self, decision: Decision) -> Decision:
        """Store one decision in its own transaction."""
        values = (decision.record_id_l, decision.record_id_r, decision.action, decision.who, decision.when,
                  decision.why, decision.match_probability, decision.reason)
        with closing(self._connect()) as con, con:
            cursor = con.execute(_INSERT, values)
            seq = int(cursor.lastrowid or 0)
        return replace(decision, seq=seq)

    def decisions(self) -> list[Decision]:
        """Every decision in the order appended."""
        with closing(self._connect()) as con:
            rows = con.execute(_SELECT).fetchall()
        return [Decision(left, right, action, who, at, why, p, reason, seq)
                for seq, left, right, action, who, at, why, p, reason in rows]


class NothingToUndo(FamilyGraphError, LookupError):
    """Undo asked for a pair with no decision in force."""


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ReviewLedger:
    """Confirm, reject and undo decisions on pairs; the current state is replayed from the log."""

    def __init__(self, store: LedgerStore | None = None, clock: Callable[[], str] = _utc_now) -> None:
        self.store: LedgerStore = store if store is not None else MemoryLedgerStore()
        self._clock = clock

    def confirm(self, record_id_a: str, record_id_b: str, *, who: str, why: str,
                match_probability: float | None = None, reason: str | None = None) -> Decision:
        """Record that the two records are the same person."""
        return self._record("confirm", record_id_a, record_id_b, who, why, match_probability, reason)

    def reject(self, record_id_a: str, record_id_b: str, *, who: str, why: str,
               match_probability: float | None = None, reason: str | None = None) -> Decision:
        """Record that the two records are different people; the pair is never proposed again."""
        return self._record("reject", record_id_a, record_id_b, who, why, match_probability, reason)

    def undo(self, record_id_a: str, record_id_b: str, *, who: str, why: str) -> Decision:
        """Withdraw the decision in force on the pair (the one before it, if any, applies again)."""
        if not self._stack(pair_key(record_id_a, record_id_b)):
            raise NothingToUndo(f"no decision in force on {record_id_a} / {record_id_b}")
        return self._record("undo", record_id_a, record_id_b, who, why, None, None)

    def state(self) -> dict[Pair, str]:
        """Pairs with a decision in force: 'confirmed' or 'rejected'."""
        return {pair: _EFFECT[stack[-1].action] for pair, stack in self._stacks().items() if stack}

    def decision_in_force(self, record_id_a: str, record_id_b: str) -> Decision | None:
        """The decision that currently applies to the pair, if any."""
        stack = self._stack(pair_key(record_id_a, record_id_b))
        return stack[-1] if stack else None

    def history(self, record_id_a: str | None = None, record_id_b: str | None = None) -> list[Decision]:
        """The log, or the part of it about one pair, oldest first."""
        log = self.store.decisions()
        if record_id_a is None or record_id_b is None:
            return log
        key = pair_key(record_id_a, record_id_b)
        return [d for d in log if (d.record_id_l, d.record_id_r) == key]

    def pending(self, review_queue: pd.DataFrame) -> pd.DataFrame:
        """The rows of a review queue (LinkageResult.review_queue) not decided since the run produced it."""
        decided = set(self.state())
        pairs = zip(review_queue["record_id_l"], review_queue["record_id_r"], strict=True)
        keep = [pair not in decided for pair in pairs]
        return review_queue[keep]

    def _record(self, action: Action, a: str, b: str, who: str, why: str, p: float | None,
                reason: str | None) -> Decision:
        if not who.strip() or not why.strip():
            raise ValueError("every decision needs who made it and why")
        left, right = pair_key(a, b)
        return self.store.append(Decision(left, right, action, who.strip(), self._clock(), why.strip(), p,
                                          reason))

    def _stacks(self) -> dict[Pair, list[Decision]]:
        stacks: dict[Pair, list[Decision]] = {}
        for decision in self.store.decisions():
            stack = stacks.setdefault((decision.record_id_l, decision.record_id_r), [])
            if decision.action == "undo":
                if stack:
                    stack.pop()
            else:
                stack.append(decision)
        return stacks

    def _stack(self, key: Pair) -> list[Decision]:
        return self._stacks().get(key, [])


def side_by_side(pairs: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """Pairs with each record's fields beside the other's (given_name_l, given_name_r, ...), for review."""
    fields = [c for c in PERSON_RECORD_COLUMNS if c != "record_id"]
    indexed = records.set_index("record_id")[fields]
    out = pairs.reset_index(drop=True)
    left = indexed.reindex(out["record_id_l"]).reset_index(drop=True).add_suffix("_l")
    right = indexed.reindex(out["record_id_r"]).reset_index(drop=True).add_suffix("_r")
    evidence = pd.concat([left, right], axis=1)[[f"{f}_{side}" for f in fields for side in ("l", "r")]]
    return pd.concat([out, evidence], axis=1)
