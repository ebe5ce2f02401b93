"""Sign-in: Streamlit's OpenID Connect (st.login / st.user) when [auth] is configured, else the local demo user.

The user is read once per run by app.py (`signed_in_user`) and kept for the pages (`current_user`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from graphmodel.audit import AuditAction, AuditFilter
from graphmodel.contract import GraphStore
from pages.ui.store import get_store
from pages.ui.text import md
from queries.access import AccessDenied, record, require
from queries.roles import DEMO_USER, Role, RoleMapping, User

__all__ = ["DEMO_BANNER", "audit_export", "auth_configured", "current_user", "page_for", "render_user",
           "signed_in_user"]

_USER_KEY = "_fg_user"
DEMO_BANNER = (
    '<div role="status" id="fg-demo-banner" style="background:#fff3cd;color:#3d2c00;border:1px solid #b58100;'
    'border-radius:6px;padding:8px 12px;margin-bottom:8px"><strong>Local demo mode</strong>: no sign-in is '
    'configured, so you are the local demo user with every role. This app answers only on this computer. '
    'Do not load real families here.</div>')
"""A fixed banner (no data in it) shown on every page in demo mode."""
_SIGNED_IN_KEY = "_fg_signed_in_recorded"


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    """A section of secrets.toml, or None when there is no such section (or no secrets file at all)."""
    try:
        return st.secrets.get(name, None)
    except (FileNotFoundError, KeyError, OSError, st.errors.StreamlitSecretNotFoundError):
        return None


def auth_configured() -> bool:
    """True when secrets.toml has an [auth] section (sign-in is then required)."""
    return _secrets_section("auth") is not None


def _sign_in_page() -> None:
    st.title("FamilyGraph")
    st.write("FamilyGraph holds sensitive information about families. Sign in with your council account.")
    if st.button("Sign in", key="sign_in", type="primary", icon=":material/login:"):
        st.login()
    st.stop()


def _demo_user() -> User:
    """The demo user, only for a connection from this computer."""
    remote = st.context.ip_address  # None for a loopback connection (AppTest hands a stand-in object)
    if isinstance(remote, str):
        st.error("This FamilyGraph runs without sign-in (local demo mode) and only answers on this computer. "
                 "Configure sign-in to serve it to others (docs/deployment.md).")
        st.stop()
    st.html(DEMO_BANNER)
    return DEMO_USER


def signed_in_user(store: GraphStore) -> User:
    """Who is at the screen: stop with the sign-in page when sign-in is required and nobody is signed in."""
    if not auth_configured():
        user = _demo_user()
    else:
        if not st.user.is_logged_in:
            _sign_in_page()
        mapping = RoleMapping.from_config(_secrets_section("familygraph"))
        user = mapping.user_from_claims(st.user.to_dict())
    st.session_state[_USER_KEY] = user
    if st.session_state.get(_SIGNED_IN_KEY) != user.id:
        _record_sign_in(store, user)
        st.session_state[_SIGNED_IN_KEY] = user.id
    return user


def _record_sign_in(store: GraphStore, user: User) -> None:
    """Audit a sign-in once per identity token (a new browser tab reuses the token and is not a new sign-in)."""
    if user.demo:
        record(store, user, AuditAction.SIGN_IN, detail="local demo mode")
        return
    issued = st.user.to_dict().get("iat")
    detail = f"OpenID Connect, token issued at {issued}" if issued else "OpenID Connect"
    if issued:
        earlier = store.audit_log().entries(AuditFilter(user=user.id, action=AuditAction.SIGN_IN))
        if earlier and earlier[-1].detail == detail:
            return
    record(store, user, AuditAction.SIGN_IN, detail=detail)


def render_user(user: User) -> None:
    """Who is signed in, in the sidebar, with a sign-out button."""
    with st.sidebar:
        st.caption(f"Signed in as **{md(user.name)}** ({user.role_text.replace(',', ', ')})")
        if not user.demo and st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.logout()


def current_user() -> User:
    """The user app.py signed in for this run (without sign-in configured: the demo user)."""
    user = st.session_state.get(_USER_KEY)
    if isinstance(user, User):
        return user
    if auth_configured():
        st.error("Not signed in.")
        st.stop()
    return DEMO_USER


def audit_export(family_id: str | None, what: str) -> None:
    """Record a download (a download button's on_click)."""
    record(get_store(), current_user(), AuditAction.EXPORT, family_id, what)


def page_for(store: GraphStore, roles: Iterable[Role], what: str) -> User:
    """The current user if they hold one of the roles; otherwise an explanation, audited, and the page stops."""
    user = current_user()
    try:
        require(store, user, roles, what)
    except AccessDenied as refused:
        st.error(str(refused), icon=":material/block:")
        st.stop()
    return user
