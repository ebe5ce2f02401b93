"""Sign-in through a real OpenID Connect provider (mock-oauth2-server from Maven Central, started here by
scripts/oidc-local) in headless Chromium: a hub user signs in on the provider's own login form, searches and
opens a family with a reason; a practitioner is refused a family they have no work with and opens their own;
a strategic user is refused the family page and gets the strategic page; the
audit log then holds those entries, read through `familygraph audit --json`."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from familygraph.cli import main
from tests.app.conftest import REPO
from tests.app.served import free_port
from tests.app.test_browser import ARTIFACTS, _need, _wait
from tests.app.test_browser import driver as driver

pytestmark = pytest.mark.browser

HUB = {"email": "ann.hub@council.example", "name": "Ann Hub", "groups": ["fg-hub"]}
PRACTITIONER = {"email": "alex.reed@eh.example.org", "name": "Alex Reed", "groups": ["fg-practitioners"]}
STRATEGIC = {"email": "bob.lead@council.example", "name": "Bob Lead", "groups": ["fg-strategic"]}
REASON = "Call from the school about Liam; checking who leads"


def _get_ok(url: str, seconds: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            pass
        assert proc is None or proc.poll() is None, f"{what} exited"
        assert time.monotonic() < deadline, f"{what} did not answer within {seconds} s"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The OpenID provider on a free loopback port (its issuer URL)."""
    _need(shutil.which("mvn") is not None and shutil.which("java") is not None, "needs Java 17 and Maven")
    port = free_port()
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_HOME": str(tmp_path_factory.mktemp("oidc"))}
    script = REPO / "scripts" / "oidc-local"
    started = subprocess.run([str(script), "start"], env=env, capture_output=True, text=True, timeout=300,
                             check=False)
    assert started.returncode == 0, started.stderr + started.stdout
    try:
        yield f"http://localhost:{port}/default"
    finally:
        subprocess.run([str(script), "stop"], env=env, capture_output=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def signed_app(provider: str, small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app with sign-in configured ([auth] pointing at the provider), over a copy of the small county."""
    folder = tmp_path_factory.mktemp("signed")
    db = folder / "store.sqlite"
    shutil.copy(small_db, db)
    port = free_port()
    base = f"http://localhost:{port}"
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(f"""
[auth]
redirect_uri = "{base}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "familygraph-test"
client_secret = "not-a-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[familygraph]
roles_claim = "groups"

[familygraph.roles]
fg-hub = "hub"
fg-practitioners = "practitioner"
fg-strategic = "strategic"
fg-auditors = "auditor"
""")
    env = {**os.environ, "FAMILYGRAPH_STORE": "embedded", "FAMILYGRAPH_DB": str(db),
           "FAMILYGRAPH_HOME": str(folder), "PYTHONPATH": str(REPO)}
    log = (folder / "streamlit.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "familygraph", "serve", "--port", str(port), "--address",
                               "127.0.0.1", "--secrets", str(secrets_file)],
                              cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _get_ok(f"http://127.0.0.1:{port}/_stcore/health", 40, "the app", server)
        yield base, db
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


def _sign_in(browser: Any, base: str, claims: dict[str, Any]) -> None:
    """Open the app, press Sign in, and fill the provider's own login form."""
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(base)
    button = _wait(browser, 30, lambda d: next(iter(b for b in d.find_elements(By.TAG_NAME, "button")
                                                    if b.text.strip().endswith("Sign in")), None), "Sign in")
    button.click()
    user = _wait(browser, 30, lambda d: d.find_element(By.NAME, "username"), "the provider's login form")
    user.send_keys(claims["email"])
    box = browser.find_element(By.NAME, "claims")
    box.clear()
    box.send_keys(json.dumps(claims))
    browser.find_element(By.CSS_SELECTOR, "input[type='submit']").click()
    _wait(browser, 30, lambda d: f"Signed in as {claims['name']}" in d.find_element(By.TAG_NAME, "body").text,
          "back in the app, signed in")


def _body(browser: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.TAG_NAME, "body").text)


def test_hub_and_strategic_users_sign_in_and_are_audited(signed_app: tuple[str, Path], driver: Any,
                                                         monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, db = signed_app
    ARTIFACTS.mkdir(exist_ok=True)
    driver.get(base)
    _wait(driver, 30, lambda d: "Sign in with your council account" in _body(d), "the sign-in page")
    assert "Taylor" not in _body(driver)

    _sign_in(driver, base, HUB)
    box = _wait(driver, 30, lambda d: d.find_element(By.CSS_SELECTOR, "input[aria-label='Search']"), "search box")
    box.send_keys("Sara Tailor", Keys.ENTER)
    _wait(driver, 20, lambda d: "Already known" in _body(d), "the results")
    opener = _wait(driver, 10, lambda d: next(iter(b for b in d.find_elements(By.TAG_NAME, "button")
                                                   if b.text.strip().endswith("Open family")), None), "Open family")
    opener.click()
    reason = _wait(driver, 20, lambda d: d.find_element(
        By.CSS_SELECTOR, "textarea[aria-label='Why do you need to open this family?']"), "the reason box")
    reason.send_keys(REASON)
    next(b for b in driver.find_elements(By.TAG_NAME, "button") if "Open with this reason" in b.text).click()
    _wait(driver, 30, lambda d: "Team around the family" in _body(d), "the family page")
    driver.save_screenshot(str(ARTIFACTS / "signed_in_hub_family.png"))

    _sign_in(driver, base, PRACTITIONER)  # Alex Reed works with F3 and leads F4; nothing with F1
    driver.get(f"{base}/family?family=F1")
    _wait(driver, 30, lambda d: "You cannot open this family" in _body(d), "the practitioner's refusal")
    assert "no open or recent work" in _body(driver) and "Team around the family" not in _body(driver)
    driver.save_screenshot(str(ARTIFACTS / "signed_in_practitioner_refused.png"))
    driver.get(f"{base}/family?family=F4")
    _wait(driver, 30, lambda d: "Team around the family" in _body(d), "the practitioner's own family")

    _sign_in(driver, base, STRATEGIC)
    driver.get(f"{base}/family?family=F1")
    _wait(driver, 30, lambda d: "You cannot open this family" in _body(d), "the refusal")
    assert "not open to the strategic role" in _body(driver) and "Team around the family" not in _body(driver)
    driver.save_screenshot(str(ARTIFACTS / "signed_in_strategic_refused.png"))
    driver.get(f"{base}/strategic")
    _wait(driver, 30, lambda d: "Strategic view" in _body(d) and "Families" in _body(d), "the strategic page")
    driver.save_screenshot(str(ARTIFACTS / "signed_in_strategic.png"))

    monkeypatch.setenv("FAMILYGRAPH_STORE", "embedded")
    monkeypatch.setenv("FAMILYGRAPH_DB", str(db))
    monkeypatch.setenv("FAMILYGRAPH_HOME", str(db.parent))
    capsys.readouterr()
    assert main(["audit", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    seen = [(e["actor"], e["action"], e["family_id"], e["reason"]) for e in report["entries"]]
    assert report["chain_intact"]
    assert [a for a, act, _, _ in seen if act == "sign-in"] == [HUB["email"], PRACTITIONER["email"],
                                                               STRATEGIC["email"]], "one entry per sign-in"
    assert any(a == HUB["email"] and act == "search" for a, act, _, _ in seen)
    assert (HUB["email"], "break-glass", "F1", REASON) in seen
    assert (HUB["email"], "family-view", "F1", None) in seen
    assert (PRACTITIONER["email"], "refused", "F1", None) in seen
    assert (PRACTITIONER["email"], "family-view", "F4", None) in seen
    assert (STRATEGIC["email"], "refused", "F1", None) in seen
    assert not any(a == STRATEGIC["email"] and act == "family-view" for a, act, _, _ in seen)
    searched = next(e for e in report["entries"] if e["action"] == "search")
    assert "Sara" not in searched["detail"] and "Tailor" not in searched["detail"]
    (ARTIFACTS / "audit_after_sign_in.json").write_text(json.dumps(report, indent=1))
