"""In local demo mode the app says so on every page, and the Audit page lists what was just done."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from familygraph.cli import main
from tests.app.conftest import new_app, open_page, page_text, table, use_embedded


@pytest.fixture
def demo_app(clean_env: pytest.MonkeyPatch, small_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "store.sqlite"
    shutil.copy(small_db, db)
    use_embedded(clean_env, db)
    clean_env.setenv("FAMILYGRAPH_HOME", str(tmp_path))
    return db


def test_demo_banner_search_view_and_the_audit_page(demo_app: Path, capsys) -> None:
    at = new_app().run()
    assert "Local demo mode" in page_text(at) and "only on this computer" in page_text(at)
    at.text_input(key="search").input("Sara Tailor").run()
    at.button(key="open_P1_F1").click().run()
    assert not at.exception
    audit = open_page("pages/audit.py")
    assert not audit.exception, [e.value for e in audit.exception]
    assert "hash chain is intact" in page_text(audit)
    frame = table(audit, "Who", "What")
    assert {"sign-in", "search", "family-view"} <= set(frame["What"])
    assert set(frame["Who"]) == {"demo"}
    assert "Sara" not in " ".join(frame["Detail"])
    audit.text_input(key="au_term").input("sara tailor").run()
    assert list(table(audit, "Who", "What")["What"]) == ["search"], "the hashed term is found by the name"
    assert main(["audit", "--family", "F1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OFFICIAL-SENSITIVE") and "family-view" in out and "hash chain: intact" in out


def test_an_unexpected_error_shows_an_incident_id_not_a_traceback(demo_app: Path, monkeypatch, caplog) -> None:
    import pages.ui.cached

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail: Sara Taylor, 12/04/1990")

    monkeypatch.setattr(pages.ui.cached, "_search", broken)
    at = new_app().run()
    at.text_input(key="search").input("Someone New").run()
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("Something went wrong (incident ") and "Sara" not in message
    assert "secret detail" in caplog.text
