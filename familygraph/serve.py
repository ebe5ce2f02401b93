"""`familygraph serve`: start the Streamlit app (loading the demo county first with --demo).

Without sign-in configured ([auth] in .streamlit/secrets.toml) the app runs as the local demo user and may only
listen on this computer: any other address is refused. The Streamlit child is stopped with the command.
"""

from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import os
import signal
import subprocess
import sys
import tomllib
from pathlib import Path
from types import FrameType

from familygraph.data_commands import load_into
from familygraph.edge import DEMO_FOLDER, CliError, open_configured_store, port_number

__all__ = ["DEFAULT_ALLOWED_HOSTS", "PRODUCTION_SETTINGS", "app_script", "auth_configured", "is_loopback", "register",
           "streamlit_command"]

LOCAL_NAMES = ("localhost", "ip6-localhost")
PRODUCTION_SETTINGS: dict[str, object] = {
    "client.showErrorDetails": "none", "client.showErrorLinks": False, "client.toolbarMode": "minimal",
    "client.disableDataExport": True, "browser.gatherUsageStats": False, "server.headless": True,
    "server.enableCORS": True, "server.enableXsrfProtection": True, "server.maxUploadSize": 50,
    "server.maxMessageSize": 100, "server.fileWatcherType": "none", "server.runOnSave": False,
    "server.enableStaticServing": False, "runner.magicEnabled": False,
    # the accessible theme (issue 18): text and captions at 4.5:1 or more
    "theme.base": "light", "theme.textColor": "#0b0c0c", "theme.primaryColor": "#1d70b8",
    "theme.linkColor": "#1d70b8", "theme.codeTextColor": "#0b0c0c",
}
"""The production settings and theme of .streamlit/config.toml, passed as flags too so an installed wheel (which has no
.streamlit folder beside app.py) runs with them; a test keeps the two the same."""
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "::1")


def app_script() -> Path:
    """The app's entry script, from a checkout or an installed wheel (`app` is a top-level module, found, not run)."""
    spec = importlib.util.find_spec("app")
    if spec is None or spec.origin is None:
        raise CliError("the app (app.py) is not installed beside the familygraph package; reinstall FamilyGraph")
    return Path(spec.origin)


def is_loopback(address: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1; False for 0.0.0.0, :: and every other address or name."""
    if address.strip().lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def secrets_files(script: Path, secrets_file: Path | None) -> list[Path]:
    """Where Streamlit will read secrets.toml: the one given, else the user's, the working folder's, the app's."""
    if secrets_file:
        return [secrets_file]
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml",
            script.parent / ".streamlit" / "secrets.toml"]


def auth_configured(files: list[Path]) -> bool:
    """True when one of the secrets files has an [auth] section (sign-in then guards every page)."""
    for path in files:
        if path.is_file():
            try:
                if "auth" in tomllib.loads(path.read_text(encoding="utf-8")):
                    return True
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise CliError(f"{path}: cannot read the secrets file ({error})") from None
    return False


def streamlit_command(script: Path, args: argparse.Namespace) -> list[str]:
    """The `streamlit run` command line for the arguments."""
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(args.port),
               "--server.address", args.address]
    for key, value in PRODUCTION_SETTINGS.items():
        command += [f"--{key}", str(value).lower() if isinstance(value, bool) else str(value)]
    for host in (*DEFAULT_ALLOWED_HOSTS, *args.allowed_host):
        command += ["--server.allowedHosts", host]
    if args.secrets:
        command += ["--secrets.files", str(args.secrets)]
    return command


def _check_binding(script: Path, args: argparse.Namespace) -> None:
    """Refuse to listen beyond this computer without sign-in."""
    if is_loopback(args.address):
        return
    if not auth_configured(secrets_files(script, args.secrets)):
        raise CliError(f"refusing to listen on {args.address} without sign-in: anyone who can reach it would see "
                       "every family. Configure [auth] in .streamlit/secrets.toml (see docs/deployment.md), or "
                       "serve on localhost (the default) for the local demo.")


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the Streamlit app and stop it again when this command is stopped (Ctrl-C, SIGTERM, SIGHUP)."""
    script = app_script()
    _check_binding(script, args)
    if args.demo:
        store = open_configured_store()
        try:
            if store.counts()["Family"] == 0:
                print(f"loading the demo county into the {store.kind} store ...", file=sys.stderr)
                load_into(store, DEMO_FOLDER)
        finally:
            store.close()
    child = subprocess.Popen(streamlit_command(script, args), env=os.environ.copy())

    def stop(signum: int, _frame: FrameType | None) -> None:
        child.terminate()
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        return child.wait()
    except (KeyboardInterrupt, SystemExit):
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add serve."""
    serve = sub.add_parser("serve", help="start the app")
    serve.add_argument("--demo", action="store_true", help="load the demo county if the store is empty")
    serve.add_argument("--port", type=port_number, default=8501)
    serve.add_argument("--address", default="localhost",
                       help="interface to listen on (default localhost; any other needs sign-in configured)")
    serve.add_argument("--allowed-host", action="append", default=[],
                       help="a host name browsers use to reach the app (repeatable; localhost is always allowed)")
    serve.add_argument("--secrets", type=Path, default=None, help="the secrets.toml to use (sign-in settings)")
    serve.set_defaults(func=cmd_serve)
