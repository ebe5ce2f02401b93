"""Store selection from the environment (FAMILYGRAPH_STORE, NEO4J_URI, NEO4J_USER, ...)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graphmodel.contract import GraphStore, StoreError

__all__ = ["StoreConfig", "open_store"]

DEFAULT_HOME = Path.home() / ".familygraph"


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """Which store to use and how to reach it."""

    store: str = "embedded"
    embedded_path: Path = DEFAULT_HOME / "familygraph.sqlite"
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = "familygraph-dev"
    neo4j_database: str = "neo4j"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StoreConfig:
        """Read FAMILYGRAPH_STORE, FAMILYGRAPH_HOME / FAMILYGRAPH_DB and the usual NEO4J_* variables."""
        env = os.environ if env is None else env
        home = Path(env.get("FAMILYGRAPH_HOME", str(DEFAULT_HOME)))
        store = env.get("FAMILYGRAPH_STORE", "embedded").strip().lower()
        if store not in ("embedded", "neo4j"):
            raise StoreError(f"FAMILYGRAPH_STORE must be 'embedded' or 'neo4j', not {store!r}")
        defaults = cls()
        return cls(
            store=store,
            embedded_path=Path(env.get("FAMILYGRAPH_DB", str(home / "familygraph.sqlite"))),
            neo4j_uri=env.get("NEO4J_URI", defaults.neo4j_uri),
            neo4j_user=env.get("NEO4J_USER", defaults.neo4j_user),
            neo4j_password=env.get("NEO4J_PASSWORD", defaults.neo4j_password),
            neo4j_database=env.get("NEO4J_DATABASE", defaults.neo4j_database),
        )

    def describe(self) -> str:
        """Where the data lives, without the password."""
        if self.store == "neo4j":
            return f"Neo4j at {self.neo4j_uri} (database {self.neo4j_database}, user {self.neo4j_user})"
        return f"embedded store at {self.embedded_path}"


def open_store(config: StoreConfig | None = None) -> GraphStore:
    """Open the configured store; raise StoreUnavailable with a fix when it cannot be reached."""
    config = config or StoreConfig.from_env()
    if config.store == "neo4j":
        from graphmodel.stores.neo4j_store import Neo4jStore

        return Neo4jStore(config.neo4j_uri, config.neo4j_user, config.neo4j_password, config.neo4j_database)
    from graphmodel.stores.embedded import EmbeddedStore

    return EmbeddedStore(config.embedded_path)
