"""A store that cannot be reached gives every page a plain message with the fix, never a traceback."""

from __future__ import annotations

import socket

import pytest

from tests.app.conftest import PAGES, new_app
from tests.conftest import neo4j_store_or_skip


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("page", PAGES)
def test_neo4j_down_every_page_says_so(clean_env: pytest.MonkeyPatch, page: str) -> None:
    clean_env.setenv("FAMILYGRAPH_STORE", "neo4j")
    clean_env.setenv("NEO4J_URI", f"bolt://127.0.0.1:{_closed_port()}")
    at = new_app().run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    message = at.error[0].value
    assert "cannot be reached" in message and "not reachable" in message
    assert "scripts/neo4j-local start" in message and "FAMILYGRAPH_STORE=embedded" in message
    assert not at.title, "nothing of the page is drawn without a store"


def test_unknown_store_kind_is_explained(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("FAMILYGRAPH_STORE", "postgres")
    at = new_app().run()
    assert not at.exception
    assert "FAMILYGRAPH_STORE must be 'embedded' or 'neo4j'" in at.error[0].value


@pytest.mark.neo4j
def test_wrong_neo4j_password_is_explained(clean_env: pytest.MonkeyPatch) -> None:
    neo4j_store_or_skip()  # a running server is needed to refuse the password
    clean_env.setenv("FAMILYGRAPH_STORE", "neo4j")
    clean_env.setenv("NEO4J_PASSWORD", "not-the-password")
    at = new_app().run()  # one attempt only: three failures in a row lock the account for a while
    assert not at.exception, [e.value for e in at.exception]
    assert "refused the user name or password" in at.error[0].value
    assert "NEO4J_PASSWORD" in at.error[0].value
