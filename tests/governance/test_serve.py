"""`familygraph serve`: localhost only without sign-in, a foreign Host header is refused (DNS rebinding), the
production settings are in force, and stopping serve stops its Streamlit child."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import websocket

from familygraph.cli import main
from familygraph.serve import DEFAULT_ALLOWED_HOSTS, PRODUCTION_SETTINGS, auth_configured, is_loopback
from tests.app.conftest import REPO
from tests.app.served import free_port

CONFIG = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())


def test_loopback_addresses() -> None:
    assert all(is_loopback(a) for a in ("localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"))
    assert not any(is_loopback(a) for a in ("0.0.0.0", "::", "192.168.1.10", "example.org", ""))


def test_public_binding_without_sign_in_is_refused_with_a_clear_message(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "secrets.toml"
    empty.write_text("[familygraph]\nroles_claim = 'groups'\n")
    assert main(["serve", "--address", "0.0.0.0", "--secrets", str(empty)]) == 1
    message = capsys.readouterr().err.strip()
    assert message.startswith("familygraph: refusing to listen on 0.0.0.0 without sign-in")
    assert "docs/deployment.md" in message and "\n" not in message


def test_sign_in_configured_is_found_in_the_secrets_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text((REPO / ".streamlit" / "secrets.toml.example").read_text())
    assert auth_configured([secrets]) and not auth_configured([tmp_path / "missing.toml"])


def test_production_settings() -> None:
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["client"]["toolbarMode"] == "minimal"
    assert CONFIG["client"]["disableDataExport"] is True
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["allowedHosts"] == ["localhost", "127.0.0.1", "::1"]
    assert 0 < CONFIG["server"]["maxUploadSize"] <= 100


def test_serve_passes_the_same_settings_so_an_installed_wheel_runs_with_them() -> None:
    flat = {f"{section}.{key}": value for section, keys in CONFIG.items() for key, value in keys.items()}
    assert flat.pop("server.allowedHosts") == list(DEFAULT_ALLOWED_HOSTS)
    flat.pop("logger.level")
    assert flat == PRODUCTION_SETTINGS


def test_the_secrets_file_is_never_committed() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=REPO, check=False)
    assert ignored.returncode == 0


@pytest.fixture(scope="module")
def served(small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen, int]]:
    """`familygraph serve` on a free port over a copy of the small county, in its own process group."""
    db = tmp_path_factory.mktemp("serve") / "store.sqlite"
    shutil.copy(small_db, db)
    port = free_port()
    env = {**os.environ, "FAMILYGRAPH_STORE": "embedded", "FAMILYGRAPH_DB": str(db), "PYTHONPATH": str(REPO)}
    log = (tmp_path_factory.mktemp("serve-log") / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "familygraph", "serve", "--port", str(port)], cwd=REPO,
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 40
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as answer:
                if answer.read() == b"ok":
                    break
        except OSError:
            pass
        assert proc.poll() is None, "serve exited"
        assert time.monotonic() < deadline, "the app did not start within 40 s"
        time.sleep(0.3)
    yield proc, port
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def _websocket(port: int, host: str) -> websocket.WebSocket:
    return websocket.create_connection(f"ws://127.0.0.1:{port}/_stcore/stream", host=host,
                                       origin=f"http://{host}", timeout=5)


def test_a_foreign_host_header_is_refused(served: tuple[subprocess.Popen, int]) -> None:
    _, port = served
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        _websocket(port, f"rebind.attacker.example:{port}")
    assert refused.value.status_code in (400, 403)
    _websocket(port, f"localhost:{port}").close()


def test_stopping_serve_stops_its_streamlit_child(served: tuple[subprocess.Popen, int]) -> None:
    proc, port = served
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=15)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
        except OSError:
            return
        time.sleep(0.3)
    pytest.fail("the Streamlit child still answers after serve was stopped")
