"""Who is asking: a signed-in user (roles from the identity provider's claims, mapped in configuration),
the local demo user, or the operator at the command line."""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from graphmodel.errors import UserInputError

__all__ = ["CLI_ROLES", "DEMO_USER", "Role", "RoleMapping", "User", "cli_user"]


class Role(StrEnum):
    """What a person may do in FamilyGraph."""

    PRACTITIONER = "practitioner"
    HUB = "hub"
    PANEL = "panel"
    STRATEGIC = "strategic"
    DATA = "data"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"


@dataclass(frozen=True, slots=True)
class User:
    """A person (or the command-line operator) and their roles."""

    id: str
    name: str
    email: str | None
    roles: frozenset[Role]
    team: str | None = None
    demo: bool = False

    def has(self, *roles: Role) -> bool:
        """True when the user holds any of the roles."""
        return any(r in self.roles for r in roles)

    @property
    def role_text(self) -> str:
        """The roles as one word list, for the audit log."""
        return ",".join(sorted(r.value for r in self.roles)) or "none"


DEMO_USER = User("demo", "Local demo user", None, frozenset(Role), demo=True)
"""Who the app runs as without sign-in: every role, on this computer only (see docs/deployment.md)."""

CLI_ROLES = frozenset({Role.DATA, Role.AUDITOR, Role.HUB})
"""The command line runs on the server, as someone who can already read the store's files."""


def cli_user() -> User:
    """The operator at the command line, named by their account on the server."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return User(f"cli:{name}", f"command line ({name})", None, CLI_ROLES)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


@dataclass(frozen=True, slots=True)
class RoleMapping:
    """How the identity provider's claims become a FamilyGraph user."""

    roles_claim: str = "groups"
    email_claim: str = "email"
    team_claim: str | None = None
    groups: Mapping[str, Role] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> RoleMapping:
        """Read [familygraph] (roles_claim, email_claim, team_claim, and the [familygraph.roles] table)."""
        config = config or {}
        groups: dict[str, Role] = {}
        for group, role in dict(config.get("roles", {})).items():
            try:
                groups[str(group)] = Role(str(role).strip().lower())
            except ValueError:
                raise UserInputError(f"[familygraph.roles] maps {group!r} to {role!r}, which is not a role "
                                     f"(one of {', '.join(r.value for r in Role)})") from None
        return cls(str(config.get("roles_claim", "groups")), str(config.get("email_claim", "email")),
                   str(config["team_claim"]) if config.get("team_claim") else None, groups)

    def user_from_claims(self, claims: Mapping[str, Any]) -> User:
        """The user the claims describe; groups that map to no role give no role (and so no access)."""
        email = claims.get(self.email_claim)
        ident = str(email or claims.get("sub") or "unknown")
        roles = frozenset(self.groups[g] for g in _as_list(claims.get(self.roles_claim)) if g in self.groups)
        team = claims.get(self.team_claim) if self.team_claim else None
        name = str(claims.get("name") or claims.get("preferred_username") or ident)
        return User(ident, name, str(email).lower() if email else None, roles, str(team) if team else None)
