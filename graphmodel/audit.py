"""The audit log contract: who did what, when, to which family and why, appended and never changed.

Both stores keep the log (graphmodel/stores/audit_sqlite.py, graphmodel/stores/audit_neo4j.py). Neither offers
any way to edit or delete an entry; each entry also carries the hash of the one before it, so an edit made
outside FamilyGraph (with a database tool) is found by `verify_chain`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = ["GENESIS", "AuditAction", "AuditEntry", "AuditEvent", "AuditFilter", "AuditLog", "chain_hash",
           "hash_terms", "verify_chain"]

GENESIS = "0" * 64
"""The 'previous hash' of the first entry."""


class AuditAction(StrEnum):
    """What was done."""

    SIGN_IN = "sign-in"
    SEARCH = "search"
    FAMILY_VIEW = "family-view"
    BREAK_GLASS = "break-glass"
    REFUSED = "refused"
    EXPORT = "export"
    LOAD = "load"
    ERASURE = "erasure"
    LINK_DECISION = "link-decision"
    AGGREGATES = "aggregates"
    AUDIT_READ = "audit-read"


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One thing to record: who (and as which role), what, about which family, and why."""

    actor: str
    role: str
    action: AuditAction | str
    family_id: str | None = None
    detail: str = ""
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """A recorded event with its place in the log, its time (UTC) and the hash chain."""

    seq: int
    at: str
    actor: str
    role: str
    action: str
    family_id: str | None
    detail: str
    reason: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to read: by user, family, action and time (ISO date or timestamp, inclusive)."""

    user: str | None = None
    family_id: str | None = None
    action: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None


@runtime_checkable
class AuditLog(Protocol):
    """An append-only log: add an entry, read entries. There is deliberately nothing else."""

    def append(self, event: AuditEvent) -> AuditEntry:
        """Record the event (with the time now, in UTC) after the last entry."""

    def entries(self, where: AuditFilter | None = None) -> list[AuditEntry]:
        """Entries in order of seq, filtered."""


def now_utc() -> str:
    """The time now, UTC, ISO 8601 to the microsecond (sorts as text)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chain_hash(prev_hash: str, seq: int, at: str, event: AuditEvent) -> str:
    """SHA-256 over the previous hash and every field of the entry."""
    parts = [prev_hash, str(seq), at, event.actor, event.role, str(event.action), event.family_id or "",
             event.detail, event.reason or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def entry_of(seq: int, at: str, event: AuditEvent, prev_hash: str) -> AuditEntry:
    """The entry an event becomes at a place in the chain."""
    return AuditEntry(seq, at, event.actor, event.role, str(event.action), event.family_id, event.detail,
                      event.reason, prev_hash, chain_hash(prev_hash, seq, at, event))


def verify_chain(entries: Sequence[AuditEntry]) -> list[str]:
    """Problems found in a whole log read in order (empty when nothing was changed, removed or reordered)."""
    problems, prev, expected_seq = [], GENESIS, 1
    for entry in entries:
        event = AuditEvent(entry.actor, entry.role, entry.action, entry.family_id, entry.detail, entry.reason)
        if entry.seq != expected_seq:
            problems.append(f"entry {expected_seq} is missing (next is {entry.seq})")
        if entry.prev_hash != prev:
            problems.append(f"entry {entry.seq} does not follow the entry before it")
        if entry.hash != chain_hash(entry.prev_hash, entry.seq, entry.at, event):
            problems.append(f"entry {entry.seq} was changed after it was written")
        prev, expected_seq = entry.hash, entry.seq + 1
    return problems


def _key_file() -> Path:
    home = Path(os.environ.get("FAMILYGRAPH_HOME", str(Path.home() / ".familygraph")))
    return home / "audit.key"


def audit_key() -> bytes:
    """The secret that keys search-term hashes: FAMILYGRAPH_AUDIT_KEY, else a key file made once (0600)."""
    configured = os.environ.get("FAMILYGRAPH_AUDIT_KEY")
    if configured:
        return configured.encode("utf-8")
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def hash_terms(text: str, key: bytes | None = None) -> str:
    """A keyed hash (HMAC-SHA-256, 16 hex digits) of what was searched, case and spacing ignored.

    The log never holds the name typed; an auditor holding the key can check whether a given name was
    searched (`familygraph audit --term NAME`), and nobody without it can guess names from the log.
    """
    normal = re.sub(r"\s+", " ", text.strip().lower())
    return hmac.new(key if key is not None else audit_key(), normal.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
