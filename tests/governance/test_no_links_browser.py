"""No link is rendered from data: a family name, a lead's phone and an agency name holding web addresses show
as plain text on the front door, the family page and the worklist (headless Chromium, demo mode); and the
tables' own toolbar offers no download."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.app.conftest import REPO, SMALL, _rewrite, load_embedded
from tests.app.served import free_port
from tests.app.test_browser import _wait
from tests.app.test_browser import driver as driver
from tests.governance.test_sign_in_browser import _body, _get_ok

pytestmark = pytest.mark.browser

LINKY_FAMILY = "Taylor family https://evil.example/steal www.evil.example"
LINKY_PHONE = "https://evil.example/call"
LINKY_AGENCY = "Council Early Help <https://evil.example/a> [click](https://evil.example/b)"


@pytest.fixture(scope="module")
def linky_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("linky") / "county"
    shutil.copytree(SMALL, folder)
    _rewrite(folder / "families.csv", "family_id", "F1", "name", LINKY_FAMILY)
    _rewrite(folder / "professionals.csv", "professional_id", "PR1", "phone", LINKY_PHONE)
    _rewrite(folder / "agencies.csv", "agency_id", "A_EH", "name", LINKY_AGENCY)
    db = load_embedded(folder, folder.parent / "store.sqlite")
    port = free_port()
    env = {**os.environ, "FAMILYGRAPH_STORE": "embedded", "FAMILYGRAPH_DB": str(db), "PYTHONPATH": str(REPO)}
    log = (folder.parent / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "familygraph", "serve", "--port", str(port), "--address",
                               "127.0.0.1"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _get_ok(f"http://127.0.0.1:{port}/_stcore/health", 40, "the app", server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


def _links_out(browser: Any) -> list[str]:
    """Every anchor in the page (and in its frames) that points off the app."""
    from selenium.webdriver.common.by import By

    found = [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
    for frame in browser.find_elements(By.TAG_NAME, "iframe"):
        browser.switch_to.frame(frame)
        found += [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
        browser.switch_to.default_content()
    return [h for h in found if "evil.example" in h]


def test_web_addresses_in_data_are_text_not_links(linky_app: str, driver: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(linky_app)
    box = _wait(driver, 30, lambda d: d.find_element(By.CSS_SELECTOR, "input[aria-label='Search']"), "search box")
    box.send_keys("Sara Tailor", Keys.ENTER)
    _wait(driver, 20, lambda d: "Already known" in _body(d), "the results")
    assert "evil.example/steal" in _body(driver) and "evil.example/call" in _body(driver)
    assert _links_out(driver) == []
    driver.get(f"{linky_app}/family?family=F1")
    _wait(driver, 30, lambda d: "Team around the family" in _body(d), "the family page")
    assert "evil.example/steal" in _body(driver)
    assert _links_out(driver) == []
    driver.get(f"{linky_app}/hub_worklist")
    _wait(driver, 30, lambda d: "findings shown" in _body(d), "the worklist")
    assert _links_out(driver) == []
    table = driver.find_element(By.CSS_SELECTOR, "[data-testid='stDataFrame']")
    ActionChains(driver).move_to_element(table).perform()
    toolbar = _wait(driver, 10, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid='stElementToolbar'] button"),
                    "the table's toolbar")
    labels = {b.get_attribute("aria-label") or b.text for b in toolbar}
    assert labels and not any("download" in label.lower() for label in labels), labels
