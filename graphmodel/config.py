"""Store selection from the environment (FAMILYGRAPH_STORE, NEO4J_URI, NEO4J_USERNAME, ...) and a .env file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graphmodel.contract import GraphStore, StoreError
from graphmodel.stores.audit_sqlite import open_audit_file
from graphmodel.stores.base import StoreBase

__all__ = ["StoreConfig", "open_store", "read_env_file"]

DEFAULT_HOME = Path.home() / ".familygraph"
_TRUE = {"1", "true", "yes", "on"}


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (or an Aura credentials file); comments, `export` and quotes allowed."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return values
    except OSError as error:
        raise StoreError(f"cannot read the settings file {path}: {error.strerror}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key.replace("_", "").isalnum():
            raise StoreError(f"{path}, line {number}: expected NAME=value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values


def _environment(env: Mapping[str, str] | None) -> Mapping[str, str]:
    """The process environment over the .env file it names (FAMILYGRAPH_ENV_FILE) or ./.env."""
    if env is not None:
        return env
    file = Path(os.environ.get("FAMILYGRAPH_ENV_FILE", ".env"))
    return {**read_env_file(file), **os.environ}


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """Which store to use and how to reach it."""

    store: str = "embedded"
    embedded_path: Path = DEFAULT_HOME / "familygraph.sqlite"
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = "familygraph-dev"
    neo4j_database: str = "neo4j"
    neo4j_trusted_ca: Path | None = None
    """A PEM file of certificate authorities to trust (a private CA), instead of the system's."""
    neo4j_read_only: bool = False
    """Run every transaction in READ access mode: the server refuses any write."""
    audit_path: Path | None = None
    """An append-only SQLite file for the audit log instead of the store (needed beside a read-only graph)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StoreConfig:
        """Read FAMILYGRAPH_STORE, FAMILYGRAPH_HOME / FAMILYGRAPH_DB and the usual NEO4J_* variables.

        Without an explicit mapping, the process environment is read over a .env file
        (FAMILYGRAPH_ENV_FILE, default ./.env), so an Aura credentials file can be used as it is.
        NEO4J_USERNAME (Aura's name) and NEO4J_USER are both accepted.
        """
        env = _environment(env)
        home = Path(env.get("FAMILYGRAPH_HOME", str(DEFAULT_HOME)))
        store = env.get("FAMILYGRAPH_STORE", "embedded").strip().lower()
        if store not in ("embedded", "neo4j"):
            raise StoreError(f"FAMILYGRAPH_STORE must be 'embedded' or 'neo4j', not {store!r}")
        defaults = cls()
        ca = env.get("NEO4J_TRUSTED_CA", "").strip()
        audit = env.get("FAMILYGRAPH_AUDIT_DB", "").strip()
        return cls(
            store=store,
            embedded_path=Path(env.get("FAMILYGRAPH_DB", str(home / "familygraph.sqlite"))),
            neo4j_uri=env.get("NEO4J_URI", defaults.neo4j_uri),
            neo4j_user=env.get("NEO4J_USERNAME") or env.get("NEO4J_USER", defaults.neo4j_user),
            neo4j_password=env.get("NEO4J_PASSWORD", defaults.neo4j_password),
            neo4j_database=env.get("NEO4J_DATABASE", defaults.neo4j_database),
            neo4j_trusted_ca=Path(ca) if ca else None,
            neo4j_read_only=env.get("FAMILYGRAPH_READ_ONLY", "").strip().lower() in _TRUE,
            audit_path=Path(audit).expanduser() if audit else None,
        )

    def describe(self) -> str:
        """Where the data lives, without the password."""
        if self.store == "neo4j":
            return f"Neo4j at {self.neo4j_uri} (database {self.neo4j_database}, user {self.neo4j_user})"
        return f"embedded store at {self.embedded_path}"


def open_store(config: StoreConfig | None = None) -> GraphStore:
    """Open the configured store for reading; raise StoreUnavailable with a fix when it cannot be reached.

    Opening only reads: the schema is applied by `familygraph init` and by every load
    (graphmodel.stores.lifecycle.init_store). With FAMILYGRAPH_AUDIT_DB the audit log is that file.
    """
    config = config or StoreConfig.from_env()
    store: StoreBase
    if config.store == "neo4j":
        from graphmodel.stores.neo4j_store import Neo4jStore

        store = Neo4jStore(config.neo4j_uri, config.neo4j_user, config.neo4j_password, config.neo4j_database,
                           trusted_ca=config.neo4j_trusted_ca, read_only=config.neo4j_read_only)
    else:
        from graphmodel.stores.embedded import EmbeddedStore

        store = EmbeddedStore(config.embedded_path)
    if config.audit_path is not None:
        try:
            store.use_audit_log(open_audit_file(config.audit_path))
        except StoreError:
            store.close()
            raise
    return store
