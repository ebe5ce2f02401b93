"""The panel's pages in headless Chromium at 1600 px on a generated county of 3,000 families: the family page
(no ecomap label box over another, read back from the drawn network), its timeline, and the strategic agency
network; screenshots go to artifacts/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphmodel.records import CountyTable
from graphmodel.stores.embedded import EmbeddedStore
from seed.generator import generate
from tests.app.conftest import load_embedded
from tests.app.served import running_app
from tests.app.test_browser import ARTIFACTS, _assert_local, _requested_urls, _wait, driver

pytestmark = pytest.mark.browser
__all__ = ["driver"]  # the Chromium fixture, shared with test_browser

AS_OF = "2026-11-01"


@pytest.fixture(scope="module")
def county_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated county of 3,000 families in an embedded store."""
    folder = tmp_path_factory.mktemp("panel-county") / "files"
    generate(3000, 7, folder, as_of=AS_OF)
    return load_embedded(folder, tmp_path_factory.mktemp("panel-db") / "store.sqlite")


@pytest.fixture(scope="module")
def busiest_family(county_db: Path) -> str:
    """The family with the most professionals working with it on the date (the hardest ecomap to lay out)."""
    store = EmbeddedStore(county_db)
    try:
        inv = store.county_table(CountyTable.INVOLVEMENTS)
    finally:
        store.close()
    open_now = inv[(inv.start.astype(str) <= AS_OF) & (inv.end.isna() | (inv.end.astype(str) >= AS_OF))]
    counts = open_now.groupby("family_id").professional_id.nunique().sort_values(ascending=False, kind="stable")
    return str(counts.index[0])


@pytest.fixture(scope="module")
def county_url(county_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free port serving the generated county."""
    with running_app(county_db, tmp_path_factory.mktemp("panel-log") / "streamlit.log",
                     {"FAMILYGRAPH_USER": "Browser Test"}) as base:
        yield base


def _boxes_overlap(a: list[float], b: list[float]) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def _shoot(browser: Any, name: str, width: int = 1600) -> Path:
    """A full-page screenshot at the given width."""
    height = int(browser.execute_script(
        "var m = document.querySelector('[data-testid=\"stMain\"]') || document.body; return m.scrollHeight;"))
    browser.set_window_size(width, min(max(height + 200, 1200), 6000))
    time.sleep(1.5)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    browser.save_screenshot(str(path))
    return path


def test_family_page_ecomap_labels_never_overlap(county_url: str, busiest_family: str, driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.set_window_size(1600, 1300)
    driver.get(f"{county_url}/family?family={busiest_family}")
    frame = _wait(driver, 60, lambda d: d.find_element(By.CSS_SELECTOR, "iframe[title^='Ecomap']"), "the ecomap")
    _wait(driver, 30, lambda d: "Timeline" in d.find_element(By.TAG_NAME, "body").text, "the timeline")
    driver.switch_to.frame(frame)
    _wait(driver, 15, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-stabilised-ms"),
          "the drawing")
    boxes = driver.execute_script(
        "var out = {}; nodes.getIds().forEach(function (id) { var b = network.getBoundingBox(id);"
        " out[id] = [b.left, b.top, b.right, b.bottom]; }); return out;")
    moved = driver.execute_script(
        "var p = network.getPositions(); return nodes.get().filter(function (n) {"
        " return Math.abs(p[n.id].x - n.x) > 1 || Math.abs(p[n.id].y - n.y) > 1; }).length;")  # vis rounds
    driver.switch_to.default_content()
    assert len(boxes) >= 8, "a busy family draws many nodes"
    ids = sorted(boxes)
    overlapping = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if _boxes_overlap(boxes[a], boxes[b])]
    assert overlapping == [], f"label boxes overlap in the browser: {overlapping}"
    assert moved == 0, "every node stays where the layout put it"
    path = _shoot(driver, "family_panel_1600.png")
    assert path.stat().st_size > 50_000
    _assert_local(_requested_urls(driver), county_url)


def test_timeline_shows_lanes_and_the_as_of_date(county_url: str, busiest_family: str, driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.set_window_size(1600, 1300)
    driver.get(f"{county_url}/family?family={busiest_family}")
    chart = _wait(driver, 60, lambda d: d.find_element(By.CSS_SELECTOR, ".st-key-timeline_chart"), "the timeline")
    _wait(driver, 20, lambda d: chart.find_elements(By.CSS_SELECTOR, "canvas, svg"), "the chart drawn")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", chart)
    time.sleep(1.5)
    assert chart.size["height"] > 250, "a busy family's timeline has a row per overlapping bar"
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "timeline_1600.png"))


def test_strategic_network_and_board_report(county_url: str, driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.set_window_size(1600, 1300)
    driver.get(f"{county_url}/strategic")
    _wait(driver, 90, lambda d: "Board report" in d.find_element(By.TAG_NAME, "body").text, "the network section")
    image = _wait(driver, 30, lambda d: d.find_element(By.CSS_SELECTOR, "img[alt^='Agency collaboration network']"),
                  "the network picture")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", image)
    time.sleep(1.0)
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "Broker agencies" in body and "Districts compared" in body and "Trends by month" in body
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "strategic_network_1600.png"))
    _shoot(driver, "strategic_1600.png")
    _assert_local(_requested_urls(driver), county_url)
