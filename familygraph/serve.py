"""`familygraph serve`: start the Streamlit app, loading the demo county first with --demo."""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from familygraph.data_commands import load_into
from familygraph.edge import DEMO_FOLDER, CliError, open_configured_store, port_number

__all__ = ["app_script", "register"]


def app_script() -> Path:
    """The app's entry script, from a checkout or an installed wheel (`app` is a top-level module, found, not run)."""
    spec = importlib.util.find_spec("app")
    if spec is None or spec.origin is None:
        raise CliError("the app (app.py) is not installed beside the familygraph package; reinstall FamilyGraph")
    return Path(spec.origin)


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the Streamlit app (loading the demo county first with --demo if the store is empty)."""
    if args.demo:
        store = open_configured_store()
        try:
            if store.counts()["Family"] == 0:
                print(f"loading the demo county into the {store.kind} store ...", file=sys.stderr)
                load_into(store, DEMO_FOLDER)
        finally:
            store.close()
    command = [sys.executable, "-m", "streamlit", "run", str(app_script()),
               "--server.port", str(args.port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.address", args.address]
    child = subprocess.Popen(command, env=os.environ.copy())
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        child.wait(timeout=10)
        raise


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add serve."""
    serve = sub.add_parser("serve", help="start the app")
    serve.add_argument("--demo", action="store_true", help="load the demo county if the store is empty")
    serve.add_argument("--port", type=port_number, default=8501)
    serve.add_argument("--address", default="localhost",
                       help="interface to listen on (default localhost only; use 0.0.0.0 deliberately)")
    serve.set_defaults(func=cmd_serve)
