"""Reading the audit log for auditors: filters, a plain table, and unusual volumes of family views."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import pandas as pd

from graphmodel.audit import AuditAction, AuditEntry, AuditFilter, hash_terms, verify_chain
from graphmodel.contract import GraphStore

__all__ = ["UNUSUAL_VIEWS_PER_DAY", "AuditReport", "Unusual", "audit_report"]

UNUSUAL_VIEWS_PER_DAY = 20
"""More family views than this by one user in one day is flagged (a Hub worker's busy day is about 10)."""


@dataclass(frozen=True, slots=True)
class Unusual:
    """A user who opened an unusual number of families (or broke the glass often) on one day."""

    actor: str
    day: str
    family_views: int
    break_glass: int


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The entries asked for, unusual volumes among them, and whether the whole chain is intact."""

    entries: tuple[AuditEntry, ...]
    unusual: tuple[Unusual, ...]
    chain_problems: tuple[str, ...]

    def frame(self) -> pd.DataFrame:
        """One row per entry, newest first (dates shown DD/MM/YYYY HH:MM:SS UTC)."""
        rows = [{"#": e.seq, "When (UTC)": _shown_time(e.at), "Who": e.actor, "Role": e.role, "What": e.action,
                 "Family": e.family_id or "", "Detail": e.detail, "Why": e.reason or ""}
                for e in reversed(self.entries)]
        return pd.DataFrame(rows, columns=["#", "When (UTC)", "Who", "Role", "What", "Family", "Detail", "Why"])

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {"entries": [asdict(e) for e in self.entries], "unusual": [asdict(u) for u in self.unusual],
                "chain_intact": not self.chain_problems, "chain_problems": list(self.chain_problems)}


def _shown_time(at: str) -> str:
    return f"{at[8:10]}/{at[5:7]}/{at[0:4]} {at[11:19]}"


def _unusual(entries: list[AuditEntry], limit: int) -> tuple[Unusual, ...]:
    views = Counter((e.actor, e.at[:10]) for e in entries if e.action == AuditAction.FAMILY_VIEW)
    glass = Counter((e.actor, e.at[:10]) for e in entries if e.action == AuditAction.BREAK_GLASS)
    keys = sorted({k for k, n in views.items() if n > limit} | {k for k, n in glass.items() if n > limit // 4})
    return tuple(Unusual(a, d, views[(a, d)], glass[(a, d)]) for a, d in keys)


def audit_report(store: GraphStore, user: str | None = None, family_id: str | None = None,
                 since: str | None = None, until: str | None = None, term: str | None = None,
                 action: str | None = None, limit: int = UNUSUAL_VIEWS_PER_DAY) -> AuditReport:
    """Entries by user, family, action, dates (ISO, inclusive) and searched term (matched by its keyed hash)."""
    log = store.audit_log()
    everything = log.entries()
    chosen = log.entries(AuditFilter(user=user, family_id=family_id, action=action, since=since, until=until))
    if term:
        digest = hash_terms(term)
        chosen = [e for e in chosen if e.action == AuditAction.SEARCH and digest in e.detail]
    return AuditReport(tuple(chosen), _unusual(chosen, limit), tuple(verify_chain(everything)))
