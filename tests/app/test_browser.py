"""The running app in headless Chromium, on the hostile county: the ecomap draws its canvas and settles,
no request leaves the machine, no hostile name opens a dialog; screenshots go to artifacts/."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import HOSTILE_PERSON, REPO, in_ci
from tests.app.served import running_app

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "artifacts"
LOCAL_PREFIXES = ("data:", "blob:", "about:", "chrome:", "chrome-extension:")


def _need(condition: bool, why: str) -> None:
    """Skip locally, fail in CI, when something the browser test needs is missing."""
    if not condition:
        if in_ci():
            pytest.fail(f"{why} (CI is set, so this is a failure)")
        pytest.skip(why)


@pytest.fixture(scope="module")
def app_url(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free port, serving a private copy of the hostile county."""
    db = tmp_path_factory.mktemp("browser") / "store.sqlite"
    shutil.copy(hostile_db, db)
    with running_app(db, tmp_path_factory.mktemp("browser-log") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    """Headless Chromium through Selenium, logging every network request."""
    _need(CHROMIUM.exists() and CHROMEDRIVER.exists(), "needs Debian's chromium and chromium-driver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need(False, "needs selenium (pip install selenium)")

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run",
                 "--window-size=1600,1300"):
        options.add_argument(flag)
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


def _requested_urls(browser: Any) -> list[str]:
    """Every URL the browser asked for (HTTP requests and WebSockets) since the log was last read."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def _assert_local(urls: list[str], base: str) -> None:
    host = base.split("//", 1)[1]
    allowed = (f"http://{host}", f"ws://{host}", *LOCAL_PREFIXES)
    outside = [u for u in urls if not u.startswith(allowed)]
    assert outside == [], f"requests left the machine: {outside}"


def _assert_no_dialog(browser: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert  # noqa: B018  (reading it raises when no dialog is open)


def _wait(browser: Any, seconds: float, condition: Any, what: str) -> Any:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def look(driver: Any) -> Any:
        """The condition; an element Chrome dropped while it was being read (Streamlit redrew it) means 'not yet'."""
        try:
            return condition(driver)
        except WebDriverException as error:
            if "does not belong to the document" in str(error.msg or ""):
                return False
            raise

    # Streamlit replaces elements as it reruns: a stale or not-yet-drawn element means "look again".
    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(browser, seconds, poll_frequency=0.2, ignored_exceptions=ignored).until(look, message=what)


def test_family_page_draws_a_settled_ecomap_offline_and_safely(app_url: str, driver: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver.get(f"{app_url}/family?family=F1")
    frame = _wait(driver, 30, lambda d: d.find_element(By.CSS_SELECTOR, "iframe[title^='Ecomap']"),
                  "the ecomap iframe")
    driver.switch_to.frame(frame)
    canvas = _wait(driver, 15, lambda d: d.find_element(By.CSS_SELECTOR, "#mynetwork canvas"), "the canvas")
    settled = _wait(driver, 15, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-stabilised-ms"),
                    "physics to stabilise")
    assert int(settled) < 3000, f"the ecomap took {settled} ms to settle"
    assert canvas.size["width"] > 300 and canvas.size["height"] > 300
    assert driver.find_element(By.ID, "legend").text.startswith("Legend")
    spot = driver.execute_script(
        "var n = nodes.get().find(function (x) { return x.title && x.title.textContent.indexOf('onerror') >= 0; });"
        "var p = network.canvasToDOM(network.getPositions([n.id])[n.id]);"
        "var r = document.querySelector('#mynetwork canvas').getBoundingClientRect();"
        "return [p.x - r.width / 2, p.y - r.height / 2];")
    ActionChains(driver).move_to_element_with_offset(canvas, int(spot[0]), int(spot[1])).perform()
    tooltip = _wait(driver, 5, lambda d: d.find_element(By.CSS_SELECTOR, "div.vis-tooltip .fg-tip"), "the tooltip")
    assert HOSTILE_PERSON in tooltip.text, "the hostile name shows as text"
    assert tooltip.find_elements(By.TAG_NAME, "img") == []
    driver.switch_to.default_content()
    _assert_no_dialog(driver)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "family.png"))
    _assert_local(_requested_urls(driver), app_url)


def test_strategic_page_renders_offline(app_url: str, driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{app_url}/strategic")
    _wait(driver, 30, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid='stVegaLiteChart'] canvas, "
                                                                 "[data-testid='stVegaLiteChart'] svg"),
          "the coverage heatmap")
    _wait(driver, 10, lambda d: "c = 1 to 5, not shown" in d.find_element(By.TAG_NAME, "body").text, "the legend")
    time.sleep(0.5)  # let the chart finish its transition before the screenshot
    _assert_no_dialog(driver)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "strategic.png"))
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "Taylor" not in body and "Jo Carter" not in body
    _assert_local(_requested_urls(driver), app_url)


def test_front_door_search_of_a_hostile_name_is_text(app_url: str, driver: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(app_url)
    box = _wait(driver, 30, lambda d: d.find_element(By.CSS_SELECTOR, "input[aria-label='Search']"), "search box")
    box.send_keys("Taylor 12/04/1990", Keys.ENTER)
    _wait(driver, 15, lambda d: "Already known" in d.find_element(By.TAG_NAME, "body").text, "the results")
    # the result cards draw one after another; the hostile member's name must arrive as typed text
    _wait(driver, 15, lambda d: HOSTILE_PERSON in d.find_element(By.TAG_NAME, "body").text,
          "the name shown as typed, not as an image")
    _assert_no_dialog(driver)
    assert driver.find_elements(By.CSS_SELECTOR, "img[src='x']") == []
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "front_door.png"))
    _assert_local(_requested_urls(driver), app_url)
