"""The store, opened once per configuration (st.cache_resource), and plain-words errors instead of tracebacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from graphmodel.config import StoreConfig, open_store
from graphmodel.contract import GraphStore, StoreError, StoreUnavailable

__all__ = ["current_config", "driver_error", "get_store", "show_store_error", "store_errors", "store_key"]


@st.cache_resource(show_spinner="Connecting to the store ...")
def _open(config: StoreConfig) -> GraphStore:
    """Open the store for one configuration; a failure is not cached, so the next run tries again."""
    return open_store(config)


def current_config() -> StoreConfig:
    """The configuration from the environment (raises StoreError on a bad FAMILYGRAPH_STORE)."""
    return StoreConfig.from_env()


def store_key(config: StoreConfig | None = None) -> str:
    """A cache key naming the store (kind and location, no password)."""
    return (config or current_config()).describe()


def get_store() -> GraphStore:
    """The configured store, or stop the page with a message that says how to fix the problem."""
    with store_errors():
        return _open(current_config())
    raise AssertionError("unreachable: store_errors stops the script")  # pragma: no cover


def show_store_error(error: StoreError) -> None:
    """Explain a store problem in plain words, with what to do about it."""
    if isinstance(error, StoreUnavailable):
        st.error(f"**The data store cannot be reached.** {error}", icon=":material/cloud_off:")
    else:
        st.error(f"**The data store reported a problem.** {error}", icon=":material/error:")
    st.info("Fix the settings (FAMILYGRAPH_STORE, NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, "
            "FAMILYGRAPH_DB for the embedded store, FAMILYGRAPH_AUDIT_DB for an audit file), then reload this page.",
            icon=":material/build:")


def driver_error(error: Exception) -> StoreUnavailable | None:
    """A Neo4j driver error that got past the store (e.g. a server that stopped answering), in plain words."""
    if type(error).__module__.split(".")[0] != "neo4j":
        return None
    uri = current_config().neo4j_uri
    return StoreUnavailable(f"Neo4j at {uri} stopped answering ({type(error).__name__}). It may be busy or "
                            "restarting: wait a moment and reload the page, check it with 'scripts/neo4j-local "
                            "status', or use the embedded store (FAMILYGRAPH_STORE=embedded).")


@contextmanager
def store_errors() -> Iterator[None]:
    """Turn a store (or Neo4j driver) error raised inside the block into a message and stop the script."""
    try:
        yield
    except StoreError as error:
        show_store_error(error)
        st.stop()
    except Exception as error:
        plain = driver_error(error)
        if plain is None:
            raise
        show_store_error(plain)
        st.stop()
