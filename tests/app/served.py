"""The app under `streamlit run`, on a free port, for the browser tests (one way to start it and wait for it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(app_root: Path, db: Path, log: Path, extra_env: dict[str, str] | None = None,
              seconds: float = 40) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run app.py` from a checkout, serving an embedded store file; returns once it is healthy."""
    port = free_port()
    env = {**os.environ, "FAMILYGRAPH_STORE": "embedded", "FAMILYGRAPH_DB": str(db), "PYTHONPATH": str(app_root),
           **(extra_env or {})}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app_root / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=app_root, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as answer:
                if answer.read() == b"ok":
                    return server, base
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"streamlit did not start within {seconds:.0f} s; see {log}")
        time.sleep(0.2)


@contextmanager
def running_app(db: Path, log: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """The app of this checkout, serving `db`, for as long as the block runs; yields its base URL."""
    server, base = start_app(REPO, db, log, extra_env)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
