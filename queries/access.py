"""Who may see which family, enforced where the data are read, with every view and refusal audited.

- practitioners see families they (or their team) work with: the graph holds the relationship, a piece of
  work they deliver that is open or ended within RECENT_DAYS, or an open lead;
- hub staff may open any family; outside their own relationships only with a reason (break-glass);
- panel members see the families on a panel's list around its meeting date (queries/panels.py);
- strategic leads, data staff, reviewers and auditors never open a family.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from graphmodel.audit import AuditAction, AuditEvent, hash_terms
from graphmodel.contract import GraphStore
from graphmodel.errors import FamilyGraphError
from graphmodel.records import FamilySnapshot
from queries.common import add_days
from queries.frontdoor import FrontDoorHit
from queries.panels import panel_families
from queries.roles import Role, User

__all__ = ["FAMILY_ROLES", "MIN_REASON", "RECENT_DAYS", "AccessDenied", "FamilyAccess", "check_family",
           "family_access", "open_family", "record", "record_search", "relationship", "require", "visible_hits"]

RECENT_DAYS = 90
"""Work that ended up to this many days ago still counts as a relationship."""
MIN_REASON = 10
"""A break-glass reason must say something: at least this many characters."""
FAMILY_ROLES = frozenset({Role.PRACTITIONER, Role.HUB, Role.PANEL})
"""Roles that may ever see a family page."""


class AccessDenied(FamilyGraphError):
    """The user may not see this; the message says why in plain words."""

    exit_code = 3


@dataclass(frozen=True, slots=True)
class FamilyAccess:
    """Whether a user may open a family now, and if only with a reason."""

    allowed: bool
    needs_reason: bool
    why: str


def record(store: GraphStore, user: User, action: AuditAction, family_id: str | None = None, detail: str = "",
           reason: str | None = None) -> None:
    """Append one entry to the store's audit log."""
    store.audit_log().append(AuditEvent(user.id, user.role_text, action, family_id, detail, reason))


def record_search(store: GraphStore, user: User, terms: str, results: int) -> None:
    """Audit a search with its terms hashed (never the name typed)."""
    record(store, user, AuditAction.SEARCH, detail=f"terms {hash_terms(terms)}; {results} result(s)")


def require(store: GraphStore, user: User, roles: Iterable[Role], what: str) -> None:
    """Raise AccessDenied (and audit the refusal) unless the user holds one of the roles."""
    wanted = frozenset(roles)
    if user.has(*wanted):
        return
    record(store, user, AuditAction.REFUSED, detail=what)
    raise AccessDenied(f"{what} is for {', '.join(sorted(r.value for r in wanted))} roles only; you are signed in "
                       f"as {user.role_text}.")


def relationship(user: User, snap: FamilySnapshot, as_of: str) -> str | None:
    """The user's (or their team's) legitimate relationship with the family on a date, in words, or None."""
    if not user.email and not user.team:
        return None
    mine = {p.id for p in snap.professionals
            if (user.email and (p.email or "").strip().lower() == user.email)
            or (user.team and p.team and p.team == user.team)}
    if not mine:
        return None
    since = add_days(as_of, -RECENT_DAYS)
    for lead in snap.leads:
        if lead.professional_id in mine and lead.since <= as_of and (lead.until is None or lead.until >= as_of):
            return "you or your team lead this family"
    for work in snap.involvements:
        started = work.start is None or work.start <= as_of
        if work.professional_id in mine and started and (work.end is None or work.end >= since):
            return "you or your team work with this family"
    return None


def family_access(user: User, snap: FamilySnapshot, as_of: str) -> FamilyAccess:
    """The rule, as a pure function of the user, the family's snapshot and the date."""
    if user.demo:
        return FamilyAccess(True, False, "local demo mode")
    own = relationship(user, snap, as_of)
    if own and user.has(Role.PRACTITIONER, Role.HUB):
        return FamilyAccess(True, False, own)
    listed = panel_families(as_of).get(snap.family.id) if user.has(Role.PANEL) else None
    if listed:
        return FamilyAccess(True, False, listed)
    if user.has(Role.HUB):
        return FamilyAccess(True, True, "you have no work with this family: give a reason to open it (recorded)")
    if user.has(Role.PRACTITIONER):
        return FamilyAccess(False, False, "you and your team have no open or recent work with this family")
    if user.has(Role.PANEL):
        return FamilyAccess(False, False, "this family is on no panel list for a meeting around this date")
    return FamilyAccess(False, False, f"family pages are not open to the {user.role_text} role")


def check_family(store: GraphStore, user: User, family_id: str, as_of: str) -> tuple[FamilySnapshot | None,
                                                                                    FamilyAccess]:
    """Read the family and decide (an unknown id is refused like a family the user may not see)."""
    snap = store.family_snapshot(family_id)
    if snap is None:
        return None, FamilyAccess(False, False, f"there is no family {family_id} you can open")
    return snap, family_access(user, snap, as_of)


def open_family(store: GraphStore, user: User, family_id: str, as_of: str,
                reason: str | None = None) -> FamilySnapshot:
    """The family's snapshot if the user may see it (with a reason where needed); every outcome is audited."""
    snap, access = check_family(store, user, family_id, as_of)
    if snap is None or not access.allowed:
        record(store, user, AuditAction.REFUSED, family_id, access.why)
        raise AccessDenied(access.why)
    if access.needs_reason:
        text = (reason or "").strip()
        if len(text) < MIN_REASON:
            raise AccessDenied(f"opening this family needs a reason of at least {MIN_REASON} characters")
        record(store, user, AuditAction.BREAK_GLASS, family_id, "opened outside own relationships", text)
    record(store, user, AuditAction.FAMILY_VIEW, family_id, access.why)
    return snap


def visible_hits(store: GraphStore, user: User, hits: list[FrontDoorHit], as_of: str) -> list[FrontDoorHit]:
    """Front-door results the user may see: hub staff see all; a practitioner only people in families they
    may open (and only those families); nobody else sees any."""
    if user.demo or user.has(Role.HUB):
        return hits
    if not user.has(Role.PRACTITIONER, Role.PANEL):
        return []
    wanted = {f.family_id for h in hits for f in h.families}
    snaps = store.family_snapshots(wanted)
    allowed = {fid for fid, snap in snaps.items() if family_access(user, snap, as_of).allowed}
    kept = [replace(h, families=tuple(f for f in h.families if f.family_id in allowed)) for h in hits]
    return [h for h in kept if h.families]
