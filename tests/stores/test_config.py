"""Reaching Neo4j: Aura's variable names, a .env file, a private CA, the version check, advice that fits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphmodel.config import StoreConfig, read_env_file
from graphmodel.contract import StoreError, StoreUnavailable
from graphmodel.stores.neo4j_connect import check_version, make_driver, unavailable

REPO = Path(__file__).resolve().parents[2]
AURA_FILE = """# Wait 60 seconds before connecting using these details, or login to https://console.neo4j.io
NEO4J_URI=neo4j+s://1a2b3c4d.databases.neo4j.io
NEO4J_USERNAME=neo4j
NEO4J_PASSWORD=s3cret-from-aura
NEO4J_DATABASE=neo4j
AURA_INSTANCEID=1a2b3c4d
AURA_INSTANCENAME=Instance01
"""


def test_neo4j_username_is_accepted_beside_neo4j_user() -> None:
    assert StoreConfig.from_env({"NEO4J_USERNAME": "aura-user"}).neo4j_user == "aura-user"
    assert StoreConfig.from_env({"NEO4J_USER": "old-name"}).neo4j_user == "old-name"
    assert StoreConfig.from_env({"NEO4J_USER": "old", "NEO4J_USERNAME": "new"}).neo4j_user == "new"


def test_an_aura_credentials_file_is_read_as_a_dot_env(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(AURA_FILE + "FAMILYGRAPH_STORE=neo4j\n")
    code = ("from graphmodel.config import StoreConfig; c = StoreConfig.from_env(); "
            "print(c.store, c.neo4j_uri, c.neo4j_user, c.neo4j_password)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "FAMILYGRAPH_"))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={**env, "PYTHONPATH": str(REPO)}, check=True)
    assert out.stdout.split() == ["neo4j", "neo4j+s://1a2b3c4d.databases.neo4j.io", "neo4j", "s3cret-from-aura"]
    # the process environment wins over the file
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={**env, "PYTHONPATH": str(REPO), "NEO4J_PASSWORD": "from-env"}, check=True)
    assert out.stdout.split()[-1] == "from-env"


def test_a_dot_env_file_elsewhere_is_named_by_familygraph_env_file(tmp_path: Path) -> None:
    settings = tmp_path / "aura.txt"
    settings.write_text('export NEO4J_URI="neo4j+s://x.databases.neo4j.io"\nNEO4J_TRUSTED_CA=/etc/ca.pem\n')
    assert read_env_file(settings) == {"NEO4J_URI": "neo4j+s://x.databases.neo4j.io", "NEO4J_TRUSTED_CA": "/etc/ca.pem"}
    assert StoreConfig.from_env(read_env_file(settings)).neo4j_trusted_ca == Path("/etc/ca.pem")


def test_a_broken_settings_line_is_named(tmp_path: Path) -> None:
    settings = tmp_path / ".env"
    settings.write_text("NEO4J_URI=bolt://x\nthis is not a setting\n")
    with pytest.raises(StoreError, match=r"\.env, line 2: expected NAME=value"):
        read_env_file(settings)


def test_a_missing_ca_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"NEO4J_TRUSTED_CA names .*not a file"):
        make_driver("neo4j+s://x.databases.neo4j.io", "neo4j", "pw", tmp_path / "missing.pem")


def test_a_custom_ca_keeps_the_connection_encrypted(tmp_path: Path) -> None:
    ca = REPO / "tests" / "stores" / "ca.pem"
    driver = make_driver("neo4j+s://x.databases.neo4j.io", "neo4j", "pw", ca)
    try:
        assert driver.encrypted
    finally:
        driver.close()


@pytest.mark.parametrize("agent", ["Neo4j/5.20.0", "Neo4j/4.4.30"])
def test_a_server_older_than_5_23_is_refused_with_both_versions(agent: str) -> None:
    with pytest.raises(StoreError, match=rf"is {agent}; FamilyGraph needs Neo4j 5.23 or later"):
        check_version("bolt://db:7687", agent)


@pytest.mark.parametrize("agent", ["Neo4j/5.23.0", "Neo4j/5.26.30", "Neo4j/2025.10.1"])
def test_current_servers_are_accepted(agent: str) -> None:
    check_version("bolt://db:7687", agent)


def test_advice_for_a_local_server_names_the_local_script() -> None:
    message = str(unavailable("bolt://127.0.0.1:7687", ConnectionRefusedError()))
    assert "scripts/neo4j-local start" in message


def test_advice_for_a_remote_server_does_not() -> None:
    message = str(unavailable("neo4j+s://1a2b3c4d.databases.neo4j.io", ConnectionRefusedError()))
    assert "scripts/neo4j-local" not in message
    assert "Aura console" in message and "NEO4J_URI" in message


def test_no_server_at_all_is_reported_quickly_with_the_local_advice() -> None:
    from graphmodel.stores.neo4j_store import Neo4jStore

    with pytest.raises(StoreUnavailable, match=r"not reachable at bolt://127\.0\.0\.1:1 .*scripts/neo4j-local"):
        Neo4jStore("bolt://127.0.0.1:1", "neo4j", "pw")
