"""Reaching a Neo4j server: the driver's settings, a custom CA, the version check, and error messages that
say how to fix the problem, for a local server and for a remote one (Aura, a cluster) alike."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from neo4j import Driver, GraphDatabase, TrustCustomCAs
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired

from graphmodel.contract import StoreError, StoreUnavailable

__all__ = ["MIN_VERSION", "check_version", "is_local", "is_write_refusal", "make_driver", "translate", "unavailable",
           "write_refused"]

MIN_VERSION = (5, 23)
"""The queries use `CALL () { ... }` subqueries, new in Neo4j 5.23."""
CONNECT_TIMEOUT = 5.0
ACQUIRE_TIMEOUT = 10.0
RETRY_TIME = 15.0
MEMORY_CODES = ("MemoryPoolOutOfMemoryError", "TransactionOutOfMemoryError")
READ_ONLY_CODES = ("AccessMode", "Forbidden", "WriteOnReadOnlyAccessDatabase")
"""A write refused: READ access mode, an account without write rights, or a database the server keeps read-only."""

_DOWN = (ServiceUnavailable, SessionExpired, AuthError, OSError)
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", ""}


def is_local(uri: str) -> bool:
    """Whether the URI points at this machine (so scripts/neo4j-local is the fix to suggest)."""
    try:
        return (urlsplit(uri).hostname or "") in _LOCAL_HOSTS
    except ValueError:
        return False


def make_driver(uri: str, user: str, password: str, trusted_ca: Path | None = None) -> Driver:
    """A driver with bounded connect and acquisition times; a private CA is trusted when given."""
    extra: dict[str, Any] = {}
    if trusted_ca is not None:
        if not trusted_ca.is_file():
            raise StoreError(f"NEO4J_TRUSTED_CA names {trusted_ca}, which is not a file")
        scheme, sep, rest = uri.partition("://")
        uri = f"{scheme.split('+')[0]}{sep}{rest}"  # the CA replaces +s/+ssc; the connection stays encrypted
        extra = {"encrypted": True, "trusted_certificates": TrustCustomCAs(str(trusted_ca))}
    return GraphDatabase.driver(
        uri, auth=(user, password), connection_timeout=CONNECT_TIMEOUT,
        connection_acquisition_timeout=ACQUIRE_TIMEOUT, max_transaction_retry_time=RETRY_TIME,
        notifications_min_severity="OFF", user_agent="familygraph", **extra)


def check_version(uri: str, agent: str) -> None:
    """Refuse a server older than MIN_VERSION, naming both versions."""
    match = re.search(r"(\d+)\.(\d+)", agent or "")
    if match is None:
        return  # a server that hides its version; the first query will tell
    version = (int(match.group(1)), int(match.group(2)))
    if version < MIN_VERSION:
        raise StoreError(f"Neo4j at {uri} is {agent}; FamilyGraph needs Neo4j {MIN_VERSION[0]}.{MIN_VERSION[1]} or "
                         "later (its queries use CALL () {...} subqueries). Upgrade the server, or use the embedded "
                         "store (FAMILYGRAPH_STORE=embedded).")


def _fix(uri: str) -> str:
    """What to try when the server cannot be reached."""
    if is_local(uri):
        return ("Start it with 'scripts/neo4j-local start', or set NEO4J_URI to your server, or use the embedded "
                "store (FAMILYGRAPH_STORE=embedded).")
    return ("Check that the server (or the Aura instance, in the Aura console) is running and reachable from this "
            "machine, and that NEO4J_URI is right: neo4j+s://... for Aura, with NEO4J_TRUSTED_CA for a private CA.")


def unavailable(uri: str, error: BaseException) -> StoreUnavailable:
    """A message that says what went wrong and how to fix it."""
    if isinstance(error, AuthError):
        where = (" (the local server started by scripts/neo4j-local uses neo4j / familygraph-dev unless "
                 "NEO4J_PASSWORD was set)" if is_local(uri) else " (for Aura: the credentials file it gave you)")
        return StoreUnavailable(f"Neo4j at {uri} refused the user name or password. Check NEO4J_USERNAME (or "
                                f"NEO4J_USER) and NEO4J_PASSWORD{where}.")
    return StoreUnavailable(f"Neo4j is not reachable at {uri} ({type(error).__name__}). {_fix(uri)}")


def stopped_answering(uri: str, seconds: float) -> StoreUnavailable:
    """The server accepted the connection but gave no answer in time (frozen, overloaded or cut off)."""
    where = "the local server's log (.neo4j-local/data/logs/debug.log)" if is_local(uri) else "the server"
    return StoreUnavailable(f"Neo4j at {uri} stopped answering (no reply within {seconds:.0f} s). It may be frozen "
                            f"or overloaded; check {where}, or restart it.")


def memory_refused(uri: str, error: Neo4jError, write: bool = True) -> StoreError:
    """A transaction refused for using more memory than the server allows."""
    local = " (scripts/neo4j-local: NEO4J_TX_MAX / NEO4J_TX_MEMORY)" if is_local(uri) else ""
    if write:
        what = "the write"
        advice = "Nothing of it was kept. Lower FAMILYGRAPH_NEO4J_TX_ROWS, or raise the server's limit."
    else:
        what, advice = "a question", "Ask about a smaller area (a district), or raise the server's limit."
    return StoreError(f"Neo4j at {uri} refused {what}: one transaction needed more memory than the server "
                      f"allows (db.memory.transaction.max / db.memory.transaction.total.max{local}). {advice} "
                      f"({error.message})")


def is_memory_refusal(error: BaseException) -> TypeGuard[Neo4jError]:
    """Whether the server refused a transaction for passing its memory limit."""
    return isinstance(error, Neo4jError) and any(code in (error.code or "") for code in MEMORY_CODES)


def is_write_refusal(error: BaseException) -> TypeGuard[Neo4jError]:
    """Whether the server refused a write because this connection, account or database is read-only."""
    return isinstance(error, Neo4jError) and any(code in (error.code or "") for code in READ_ONLY_CODES)


def write_refused(uri: str, error: Neo4jError) -> StoreError:
    """One line saying which kind of read-only refused the write, and where writes must go instead."""
    if "WriteOnReadOnlyAccessDatabase" in (error.code or ""):
        why = ("the database is read-only on the server (server.databases.read_only; scripts/neo4j-local start "
               "--read-only)") if is_local(uri) else "the database is read-only on the server"
    else:
        why = (f"this connection is read-only (FAMILYGRAPH_READ_ONLY, or the account has no write rights: "
               f"{error.message})")
    return StoreError(f"Neo4j at {uri} refused to write: {why}. Loads, `familygraph init` and other changes "
                      "need a writable database and an account that may write.")


def translate(uri: str, error: BaseException, write: bool = True) -> StoreError:
    """Any driver or server error as a StoreError whose message says what to do."""
    if isinstance(error, _DOWN):
        return unavailable(uri, error)
    if isinstance(error, Neo4jError):
        if is_memory_refusal(error):
            return memory_refused(uri, error, write)
        if is_write_refusal(error):
            return write_refused(uri, error)
        return StoreError(f"Neo4j at {uri} answered with an error: {error.message}")
    return StoreUnavailable(f"lost the connection to Neo4j at {uri} ({type(error).__name__}). {_fix(uri)}")
