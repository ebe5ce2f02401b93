"""Accessibility of the running app: axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on every page in headless
Chromium (each page, the family page with a family open, content behind tabs, expanders and pop-ups, and inside
the ecomap frame); a keyboard-only run of the main flow; reflow at 320 CSS px and at 200% text size.

A violation fails unless tests/app/a11y_allowlist.toml names it with the upstream Streamlit issue and a reason;
an allowlist entry that matches nothing fails too, so the list cannot go stale. axe-core comes from npm at a
pinned version (scripts/axe-install). Counts by rule per page go to artifacts/a11y/axe.json and .md (the figures
of docs/accessibility-statement.md); screenshots to artifacts/a11y/.

Also a command, to measure any checkout of the app the same way without failing (the statement's "before"):
    python -m tests.app.test_a11y --app-root DIR [--out FILE.json]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import re
import shutil
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import REPO, load_embedded
from tests.app.served import start_app
from tests.app.test_browser import CHROMEDRIVER, CHROMIUM, _need, _wait
from tests.conftest import SMALL

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE_JS = Path(os.environ.get("AXE_CORE_JS", REPO / ".axe" / "node_modules" / "axe-core" / "axe.min.js"))
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
ALLOWLIST = Path(__file__).with_name("a11y_allowlist.toml")
OUT = REPO / "artifacts" / "a11y"
ISSUE = re.compile(r"^https://github\.com/streamlit/streamlit/issues/\d+$")
FAMILY = "F1"  # the small county's family with duplicated work, a lead and a non-resident member
SEARCH = "Taylor 12/04/1990"

_RUN_AXE = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(function (r) {
    done(r.violations.map(function (v) {
      return {rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {
        return {target: n.target.join(" "), html: n.html.slice(0, 300)};
      })};
    }));
  })
  .catch(function (e) { done({error: String(e)}); });
"""


@dataclass(frozen=True, slots=True)
class Violation:
    """One element failing one axe rule in one state of one page."""

    page: str
    state: str
    rule: str
    impact: str
    help: str
    target: str
    html: str


@dataclass(frozen=True, slots=True)
class Allowed:
    """An allowlist entry: a rule on some pages, for elements whose selector or HTML contains `match`."""

    rule: str
    pages: tuple[str, ...]
    match: str
    issue: str
    reason: str

    def covers(self, v: Violation) -> bool:
        """True when this entry excuses the violation."""
        return (v.rule == self.rule and ("*" in self.pages or v.page in self.pages)
                and (self.match in v.target or self.match in v.html))


def load_allowlist(path: Path = ALLOWLIST) -> list[Allowed]:
    """The allowlist entries; each must name a Streamlit issue and give a reason."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("allow", [])
    return [Allowed(e["rule"], tuple(e.get("pages", ["*"])), e.get("match", ""), e["issue"], e["reason"])
            for e in entries]


# ---- the browser and the app -------------------------------------------------------------------------------

def new_browser(width: int = 1600, height: int = 1300, zoom: int = 1) -> Any:
    """Headless Chromium through Selenium, `width` CSS px wide; `zoom` 2 is the browser zoomed to 200%."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run", "--hide-scrollbars",
                 f"--window-size={max(width * zoom, 500)},{height * zoom}"):
        options.add_argument(flag)
    options.binary_location = str(CHROMIUM)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(30)
    browser.set_script_timeout(60)
    if width < 500 or zoom != 1:  # the window has a minimum width; zoom is CSS px at more device px each
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": height, "deviceScaleFactor": zoom, "mobile": False})
    return browser


def settle(browser: Any, seconds: float = 30, started: bool = False) -> None:
    """Wait until the app's script has finished and nothing on screen is stale.

    After an action that reruns the script, first give the rerun a moment to start (on a busy machine it can
    start late), unless `started` says it is known to have begun.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    busy = ("var a = document.querySelector('[data-testid=stApp]');"
            "return (!!a && a.getAttribute('data-test-script-state') === 'running')"
            " || !!document.querySelector('[data-stale=true]');")
    if not started:
        with contextlib.suppress(TimeoutException):
            WebDriverWait(browser, 1.5, poll_frequency=0.1).until(lambda b: b.execute_script(busy))
    ready = ("var a = document.querySelector('[data-testid=stApp]');"
             "return !!a && a.getAttribute('data-test-script-state') === 'notRunning'"
             " && a.getAttribute('data-test-connection-state') === 'CONNECTED'"
             " && !document.querySelector('[data-stale=true]')"
             " && !!document.querySelector('[data-testid=stMain] h1');")
    WebDriverWait(browser, seconds, poll_frequency=0.25).until(lambda b: b.execute_script(ready),
                                                               message="the app to finish running")
    time.sleep(0.6)  # let transitions (tabs, expanders, charts) finish


def wait_for(browser: Any, condition: Callable[[Any], Any], what: str, seconds: float = 30) -> None:
    """Wait for a condition on the page, then for the app to settle."""
    _wait(browser, seconds, condition, what)
    settle(browser, started=True)


ECOMAP_FRAME = "iframe[title^='Ecomap']"


def open_page(browser: Any, url: str) -> None:
    """Load a page and wait for it (a family page also for its ecomap frame, drawn after the header)."""
    from selenium.webdriver.common.by import By

    browser.get(url)
    settle(browser)
    if "family=" in url:
        wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ECOMAP_FRAME), "the ecomap frame")


# ---- axe -----------------------------------------------------------------------------------------------------

def axe_here(browser: Any, source: str) -> list[dict[str, Any]]:
    """axe's violations in the current document (axe injected first)."""
    if not browser.execute_script("return typeof axe !== 'undefined';"):
        browser.execute_script(source)
    found = browser.execute_async_script(_RUN_AXE, list(WCAG_TAGS))
    if isinstance(found, dict):
        raise RuntimeError(f"axe failed: {found['error']}")
    return list(found)


class Auditor:
    """Runs axe in one browser and keeps every violation and every state audited."""

    def __init__(self, browser: Any, source: str) -> None:
        self.browser, self.source = browser, source
        self.violations: list[Violation] = []
        self.states: list[str] = []

    def __call__(self, page: str, state: str) -> None:
        """Audit the page as it is now, and inside each of its visible iframes (the ecomap)."""
        from selenium.webdriver.common.by import By

        results = [(state, v) for v in axe_here(self.browser, self.source)]
        self.states.append(f"{page}: {state}")
        frames = "[data-testid=stMain] iframe"
        for i in range(len(self.browser.find_elements(By.CSS_SELECTOR, frames))):
            frame = self.browser.find_elements(By.CSS_SELECTOR, frames)[i]
            if not frame.is_displayed():
                continue
            where = f"{state} / inside the frame '{(frame.get_attribute('title') or str(i + 1))[:30]}'"
            self.browser.switch_to.frame(frame)
            try:
                results += [(where, v) for v in axe_here(self.browser, self.source)]
            finally:
                self.browser.switch_to.default_content()
            self.states.append(f"{page}: {where}")
        self.violations += [Violation(page, where, v["rule"], v["impact"] or "", v["help"], n["target"],
                                      n["html"]) for where, v in results for n in v["nodes"]]


# ---- pages and their states ------------------------------------------------------------------------------

Step = Callable[[Any], None]


def _search(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = browser.find_element(By.CSS_SELECTOR, "input[aria-label='Search']")
    box.send_keys(SEARCH, Keys.ENTER)
    wait_for(browser, lambda b: "Already known" in b.find_element(By.TAG_NAME, "body").text, "search results")


def _type_reviewer(browser: Any) -> None:
    """The reviewer comes from sign-in now (the local demo user here): the page as a reviewer sees it."""
    from selenium.webdriver.common.by import By

    wait_for(browser, lambda b: "from your sign-in" in b.find_element(By.TAG_NAME, "body").text, "reviewer named")


def _bad_upload(browser: Any) -> None:
    """Upload an import file with problems, so the page lists them."""
    import tempfile

    from selenium.webdriver.common.by import By

    folder = Path(tempfile.mkdtemp(prefix="a11y-upload-"))
    bad = folder / "people.csv"
    bad.write_text("person_id,given_name,family_name,dob\nP1,Ann,Smith,31/02/1990\n,Bob,,1990-01-01\n")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=stFileUploader] input[type=file]").send_keys(str(bad))
    settle(browser)
    assert "problem(s) found" in browser.find_element(By.TAG_NAME, "body").text


def _agency_rows(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    for label in browser.find_elements(By.CSS_SELECTOR, "[data-testid=stRadio] label"):
        if label.text.strip() == "Agency":
            label.click()
            settle(browser)
            return


PAGES: list[tuple[str, str, list[tuple[str, Step]]]] = [
    ("Front door", "/", [("search results", _search)]),
    ("Family", f"/family?family={FAMILY}", []),
    ("Family (none chosen)", "/family", []),
    ("Hub worklist", "/hub_worklist", []),
    ("Record review", "/record_review", [("reviewer named", _type_reviewer)]),
    ("Strategic", "/strategic", [("rows by agency", _agency_rows)]),
    ("Data", "/data", [("a file with problems uploaded", _bad_upload)]),
]
"""(page, path, extra states reached by steps); in each state every expander is opened and every tab shown."""
POPUP_PAGES = ("Front door", "Hub worklist")
"""Pages also audited with the 'as of' calendar, then their first drop-down list, open."""


def _click_nth(browser: Any, selector: str, index: int) -> str:
    """Click the index-th element matching the selector (found afresh, clicked by script so nothing overlapping
    intercepts it; retried once if the app redrew it meanwhile); its text."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    for attempt in range(3):
        try:
            element = browser.find_elements(By.CSS_SELECTOR, selector)[index]
            text = str(element.text).strip()
            browser.execute_script("arguments[0].click();", element)
            return text
        except StaleElementReferenceException:
            if attempt == 2:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def _hidden_content(audit: Auditor, page: str) -> None:
    """Open each expander, then show each tab in turn, auditing after each."""
    from selenium.webdriver.common.by import By

    browser = audit.browser
    summaries = "[data-testid=stMain] [data-testid=stExpander] summary"
    opened = len(browser.find_elements(By.CSS_SELECTOR, summaries))
    for i in range(opened):
        _click_nth(browser, summaries, i)
    if opened:
        time.sleep(0.6)
        audit(page, f"{opened} expander(s) open")
    tabs = "[data-testid=stMain] [role=tab]"
    count = len(browser.find_elements(By.CSS_SELECTOR, tabs))
    for i in range(1, count):
        label = _click_nth(browser, tabs, i)
        time.sleep(0.6)
        audit(page, f"tab '{label}'")
    if count:
        _click_nth(browser, tabs, 0)
        time.sleep(0.3)


def _popups(audit: Auditor, page: str) -> None:
    """The 'as of' calendar and the page's first drop-down list, each open."""
    from selenium.common.exceptions import ElementClickInterceptedException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    for name, selector in (("calendar open", "[data-testid=stSidebar] [data-testid=stDateInput] button"),
                           ("drop-down open", "[data-testid=stMain] [data-testid=stSelectbox] input")):
        controls = audit.browser.find_elements(By.CSS_SELECTOR, selector)
        if controls:
            try:
                controls[0].click()
            except ElementClickInterceptedException:
                audit.browser.execute_script("arguments[0].click();", controls[0])
            time.sleep(0.6)
            audit(page, name)
            audit.browser.switch_to.active_element.send_keys(Keys.ESCAPE)
            time.sleep(0.3)


def audit_app(browser: Any, base: str, source: str) -> Auditor:
    """Every page in every state."""
    audit = Auditor(browser, source)
    for page, path, steps in PAGES:
        open_page(browser, base + path)
        audit(page, "as opened")
        _hidden_content(audit, page)
        if page in POPUP_PAGES:
            _popups(audit, page)
        for state, step in steps:
            step(browser)
            audit(page, state)
            _hidden_content(audit, page)
    return audit


def counts_by_rule(violations: list[Violation]) -> dict[str, dict[str, int]]:
    """Page -> rule -> number of failing elements (the same element in two states counts once)."""
    seen = {(v.page, v.rule, v.target) for v in violations}
    table: dict[str, Counter[str]] = {page: Counter() for page, _, _ in PAGES}
    for page, rule, _ in seen:
        table.setdefault(page, Counter())[rule] += 1
    return {page: dict(sorted(rules.items())) for page, rules in table.items()}


def markdown_table(counts: dict[str, dict[str, int]]) -> str:
    """The counts as a Markdown table (page, rule: elements)."""
    lines = ["| page | failing rules (elements) |", "|---|---|"]
    for page, rules in counts.items():
        text = ", ".join(f"{rule}: {n}" for rule, n in rules.items()) or "none"
        lines.append(f"| {page} | {text} |")
    return "\n".join(lines)


def write_report(audit: Auditor, out: Path) -> dict[str, dict[str, int]]:
    """Counts by rule per page as JSON and Markdown, with every state and violation listed."""
    out.parent.mkdir(parents=True, exist_ok=True)
    counts = counts_by_rule(audit.violations)
    out.write_text(json.dumps({"axe_core": AXE_VERSION, "tags": list(WCAG_TAGS), "states": audit.states,
                               "counts": counts, "violations": [asdict(v) for v in audit.violations]}, indent=2))
    out.with_suffix(".md").write_text(markdown_table(counts) + "\n")
    return counts


# ---- fixtures ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script, installed by scripts/axe-install at the pinned version."""
    _need(AXE_JS.exists(), f"needs axe-core {AXE_VERSION} (run scripts/axe-install)")
    source = AXE_JS.read_text(encoding="utf-8")
    assert f"axe v{AXE_VERSION}" in source[:400], f"{AXE_JS} is not axe-core {AXE_VERSION}"
    return source


@pytest.fixture(scope="module")
def a11y_url(small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a private copy of the small county."""
    _need(CHROMIUM.exists() and CHROMEDRIVER.exists(), "needs Debian's chromium and chromium-driver")
    folder = tmp_path_factory.mktemp("a11y")
    db = folder / "store.sqlite"
    shutil.copy(small_db, db)
    server, base = start_app(REPO, db, folder / "streamlit.log")
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    """A fresh headless Chromium at 1600 x 1300."""
    driver = new_browser()
    try:
        yield driver
    finally:
        driver.quit()


# ---- tests ------------------------------------------------------------------------------------------------------

def test_allowlist_entries_name_an_upstream_issue_and_a_reason() -> None:
    for entry in load_allowlist():
        assert ISSUE.match(entry.issue), f"{entry.rule}: the issue must be a Streamlit GitHub issue"
        assert len(entry.reason) > 40, f"{entry.rule}: say why it cannot be fixed from the app"
        assert entry.match, f"{entry.rule}: name the element (part of its selector or HTML)"


def test_an_allowlist_entry_excuses_only_its_rule_pages_and_element(tmp_path: Path) -> None:
    listed = tmp_path / "allow.toml"
    listed.write_text('[[allow]]\nrule = "list"\npages = ["Data"]\nmatch = "stSidebarNavItems"\n'
                      'issue = "https://github.com/streamlit/streamlit/issues/1"\nreason = "r"\n')
    (entry,) = load_allowlist(listed)
    hit = Violation("Data", "as opened", "list", "serious", "", "ul[data-testid=stSidebarNavItems]", "<ul>")
    assert entry.covers(hit)
    assert not entry.covers(dataclasses.replace(hit, page="Family"))
    assert not entry.covers(dataclasses.replace(hit, rule="listitem"))
    assert not entry.covers(dataclasses.replace(hit, target="ul.other", html="<ul class=other>"))


def test_every_page_passes_axe_wcag_a_and_aa(a11y_url: str, axe_source: str, browser: Any) -> None:
    audit = audit_app(browser, a11y_url, axe_source)
    counts = write_report(audit, OUT / "axe.json")
    browser.save_screenshot(str(OUT / "last-page-1600px.png"))
    print(markdown_table(counts))
    for needed in ("Front door: search results", "Front door: calendar open", "Family: as opened",
                   "Family: tab 'Ecomap as text'", "Hub worklist: drop-down open"):
        assert needed in audit.states, f"not audited: {needed}; audited {audit.states}"
    assert any(re.fullmatch(r"Family: [1-9]\d* expander\(s\) open", s) for s in audit.states), \
        f"no family page expander was audited open; audited {audit.states}"
    assert any("inside the frame 'Ecomap" in s for s in audit.states), "the ecomap frame was not audited"
    allowlist = load_allowlist()
    failing = [v for v in audit.violations if not any(a.covers(v) for a in allowlist)]
    unused = [a for a in allowlist if not any(a.covers(v) for v in audit.violations)]
    assert not failing, "accessibility violations (fix them, or allowlist with the Streamlit issue):\n" + "\n".join(
        f"{v.page} [{v.state}] {v.rule} ({v.impact}): {v.help} at {v.target}: {v.html[:120]}" for v in failing)
    assert not unused, f"allowlist entries that match nothing any more (remove them): {unused}"


def test_ecomap_document_has_a_language_a_title_and_a_named_picture(a11y_url: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, f"{a11y_url}/family?family={FAMILY}")
    frame = browser.find_element(By.CSS_SELECTOR, ECOMAP_FRAME)
    assert "Ecomap as text" in (frame.get_attribute("title") or ""), "the frame points to its text alternative"
    browser.switch_to.frame(frame)
    try:
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en-GB"
        title = browser.execute_script("return document.title;")
        assert title.startswith("Ecomap of ") and FAMILY in title
        picture = browser.find_element(By.ID, "mynetwork")
        assert picture.get_attribute("role") == "img"
        assert "Ecomap as text" in (picture.get_attribute("aria-label") or "")
        assert len(browser.find_elements(By.CSS_SELECTOR, "#legend li")) >= 9
    finally:
        browser.switch_to.default_content()


# ---- keyboard only ---------------------------------------------------------------------------------------------

_FOCUSED = """var e = document.activeElement;
return {tag: e.tagName, role: e.getAttribute("role") || "", label: e.getAttribute("aria-label") || "",
        text: (e.innerText || e.value || "").trim().slice(0, 60), selected: e.getAttribute("aria-selected"),
        ring: [e, e.parentElement].some(function (x) {  /* a field's ring is drawn on its box */
            if (!x) { return false; }
            var c = getComputedStyle(x);
            return (c.outlineStyle !== "none" && parseFloat(c.outlineWidth) >= 2) || c.boxShadow !== "none";
        })};"""


def _tab_to(browser: Any, wanted: Callable[[dict[str, Any]], bool], what: str, limit: int = 60) -> dict[str, Any]:
    """Press Tab (on whatever has focus) until the focused element is the wanted one; that element."""
    from selenium.webdriver.common.keys import Keys

    for _ in range(limit):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        time.sleep(0.1)
        focused: dict[str, Any] = browser.execute_script(_FOCUSED)
        if wanted(focused):
            return focused
    raise AssertionError(f"{what} was not reached with {limit} presses of Tab")


def _press(browser: Any, key: str) -> None:
    browser.switch_to.active_element.send_keys(key)


def test_main_flow_by_keyboard_alone(a11y_url: str, browser: Any) -> None:
    """Search, open a family, open the ecomap's text view: Tab, typing, Enter and arrows only, focus always seen."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    OUT.mkdir(parents=True, exist_ok=True)
    open_page(browser, a11y_url)
    skip = _tab_to(browser, lambda f: f["text"] == "Skip to main content", "the skip link", 3)
    assert skip["ring"], "the skip link shows focus"
    _tab_to(browser, lambda f: f["tag"] == "INPUT" and f["label"] == "Search", "the search box")
    _press(browser, SEARCH)
    _press(browser, Keys.ENTER)
    wait_for(browser, lambda b: "Already known" in b.find_element(By.TAG_NAME, "body").text, "search results")
    button = _tab_to(browser, lambda f: f["tag"] == "BUTTON" and f["text"].endswith("Open family"),
                     "an 'Open family' button")
    assert button["ring"], "the focused button shows a focus ring"
    browser.save_screenshot(str(OUT / "keyboard-1-open-family-focused.png"))
    _press(browser, Keys.ENTER)
    wait_for(browser, lambda b: "/family" in b.current_url and b.find_elements(By.CSS_SELECTOR, "[role=tab]"),
             "the family page")
    assert f"family={FAMILY}" in browser.current_url
    tab = _tab_to(browser, lambda f: f["role"] == "tab", "the ecomap's tabs")
    assert tab["text"] == "Ecomap picture" and tab["ring"], tab
    _press(browser, Keys.ARROW_RIGHT)
    focused = browser.execute_script(_FOCUSED)
    assert focused["text"] == "Ecomap as text", focused
    if focused["selected"] != "true":
        _press(browser, Keys.ENTER)
    time.sleep(0.6)
    browser.save_screenshot(str(OUT / "keyboard-2-text-view.png"))
    panel = browser.execute_script(
        "var p = Array.from(document.querySelectorAll('[role=tabpanel]')).find(function (x) {"
        "  return x.offsetParent !== null && x.innerText.indexOf('Ecomap as text') >= 0; });"
        "return p ? p.innerText : null;")
    assert panel is not None, "the text view is shown"
    assert "Lead professional: Jo Carter (Council Early Help)" in panel
    assert "DUPLICATED: the same need is also worked on by" in panel
    assert "Sarah Taylor" in panel and "Mo Khan" in panel, "members and professionals are named"


def test_page_list_is_a_navigation_landmark_of_lists_marking_the_current_page(a11y_url: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, a11y_url)
    nav = browser.find_element(By.CSS_SELECTOR, "[data-testid=stSidebar] [role=navigation]")
    assert nav.get_attribute("aria-label") == "Pages"
    lists = nav.find_elements(By.CSS_SELECTOR, "[role=list]")
    assert [len(x.find_elements(By.XPATH, "./*[@role='listitem']")) for x in lists] == [4, 1, 1, 1]
    assert [h.text for h in nav.find_elements(By.TAG_NAME, "h2")] == [
        "Hub and practitioners", "Strategic leads", "Data team", "Audit"]
    current = "return Array.from(document.querySelectorAll('[aria-current=page]')).map(function (a) {" \
              " return a.innerText.trim(); });"
    assert browser.execute_script(current) == ["Front door"]
    for link in nav.find_elements(By.TAG_NAME, "a"):
        if link.text.strip() == "Hub worklist":
            link.click()
            break
    wait_for(browser, lambda b: b.current_url.endswith("/hub_worklist"), "the Hub worklist")
    assert browser.execute_script(current) == ["Hub worklist"], "the current page follows navigation"


_FRAME_RING = ("var c = getComputedStyle(document.documentElement, '::after');"
               "return document.hasFocus() && c.borderTopStyle === 'solid';")


def test_every_keyboard_stop_on_every_page_shows_where_focus_is(a11y_url: str, browser: Any) -> None:
    """Tab through each page until the stops repeat: every control reached shows a focus ring (the data grid
    draws its own focused cell on its canvas; the ecomap frame rings itself from inside)."""
    from selenium.webdriver.common.keys import Keys

    unseen: list[str] = []
    for page, path, _ in PAGES:
        open_page(browser, a11y_url + path)
        stops: list[tuple[str, str, str, str]] = []
        for _ in range(90):
            browser.switch_to.active_element.send_keys(Keys.TAB)
            time.sleep(0.05)
            focused = browser.execute_script(_FOCUSED)
            stop = (focused["tag"], focused["role"], focused["label"], focused["text"][:30])
            if stop in stops or focused["tag"] == "BODY":
                break
            stops.append(stop)
            ring = focused["ring"]
            if focused["tag"] == "IFRAME":
                browser.switch_to.frame(browser.switch_to.active_element)
                try:
                    ring = browser.execute_script(_FRAME_RING)
                finally:
                    browser.switch_to.default_content()
            if not ring and focused["tag"] != "CANVAS":
                unseen.append(f"{page}: {stop}")
        assert len(stops) >= 10, f"{page}: only {len(stops)} keyboard stops: {stops}"
    assert not unseen, f"focus not visible at: {unseen}"


# ---- reflow and zoom ------------------------------------------------------------------------------------------

_CUT_OFF = """var w = window.innerWidth, out = [];
function scrolls(e) {  /* a widget that scrolls its own content sideways (tables, chips) loses nothing */
  for (var p = e.parentElement; p; p = p.parentElement) {
    var o = getComputedStyle(p).overflowX;
    if ((o === "auto" || o === "scroll" || o === "hidden") && p.scrollWidth > p.clientWidth + 1 &&
        p.getAttribute("data-testid") !== "stMain") { return true; }
  }
  return false;
}
document.querySelectorAll("[data-testid=stMain] h1, [data-testid=stMain] h2, [data-testid=stMain] h3, " +
    "[data-testid=stMain] p, [data-testid=stMain] li, [data-testid=stMain] label, " +
    "[data-testid=stMain] button").forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width > 0 && (r.right > w + 1 || r.left < -1) && !scrolls(e)) { out.push(e.innerText.slice(0, 50)); }
});
var d = document.documentElement, m = document.querySelector("[data-testid=stMain]");
return {page_scrolls_sideways: d.scrollWidth > w + 1 || (m && m.scrollWidth > m.clientWidth + 1), cut: out};"""

REFLOW_PAGES = [(page, path) for page, path, _ in PAGES if page != "Family (none chosen)"]


@pytest.mark.parametrize(("width", "zoom", "name"), [(320, 1, "320px"), (640, 2, "zoom200")])
def test_pages_reflow_at_320_css_px_and_200_percent(a11y_url: str, axe_source: str, width: int, zoom: int,
                                                    name: str) -> None:
    """No sideways page scrolling and no text cut off; axe passes in the narrow layout too; screenshots kept."""
    driver = new_browser(width=width, height=1400, zoom=zoom)
    audit = Auditor(driver, axe_source)
    problems = []
    try:
        for page, path in REFLOW_PAGES:
            open_page(driver, a11y_url + path)
            if page == "Front door":
                _search(driver)
            found = driver.execute_script(_CUT_OFF)
            if found["page_scrolls_sideways"] or found["cut"]:
                problems.append(f"{page}: {found}")
            audit(page, f"at {name}")
            slug = page.lower().replace(" ", "-")
            driver.save_screenshot(str(OUT / f"{name}-{slug}.png"))
            if page == "Family":
                _show_text_view(driver)
                driver.save_screenshot(str(OUT / f"{name}-family-text-view.png"))
        problems += _open_sidebar(driver, audit, name)
    finally:
        driver.quit()
    allowlist = load_allowlist()
    failing = [f"{v.page} {v.rule} at {v.target}" for v in audit.violations if not any(a.covers(v) for a in allowlist)]
    assert not problems, problems
    assert not failing, failing


def _open_sidebar(browser: Any, audit: Auditor, name: str) -> list[str]:
    """On a narrow screen the sidebar (navigation, 'as of') folds away: open it by keyboard, audit, screenshot."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    opener = browser.find_elements(By.CSS_SELECTOR, "[data-testid=stExpandSidebarButton]")
    if not opener or not opener[0].is_displayed():
        return []
    opener[0].send_keys(Keys.ENTER)
    time.sleep(0.8)
    audit(REFLOW_PAGES[-1][0], f"sidebar open at {name}")
    browser.save_screenshot(str(OUT / f"{name}-sidebar.png"))
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-testid=stSidebar] a')).map(function (a) {"
        "  var r = a.getBoundingClientRect(); return [a.innerText, r.left >= -1 && r.right <= window.innerWidth + 1"
        "  && r.width > 0]; });")
    return [f"sidebar link cut off at {name}: {text}" for text, inside in links if not inside]


def _show_text_view(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    for tab in browser.find_elements(By.CSS_SELECTOR, "[data-testid=stMain] [role=tab]"):
        if tab.text.strip() == "Ecomap as text":
            tab.click()
            browser.execute_script("arguments[0].scrollIntoView(true);", tab)
            time.sleep(0.6)


def main(argv: list[str] | None = None) -> int:
    """Measure a checkout of the app (no allowlist, no failure): counts by rule per page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-root", type=Path, default=REPO, help="the checkout whose app.py to run")
    parser.add_argument("--out", type=Path, default=OUT / "axe-measure.json")
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        db = load_embedded(SMALL, Path(tmp) / "store.sqlite")
        server, base = start_app(args.app_root.resolve(), db, Path(tmp) / "streamlit.log")
        driver = new_browser()
        try:
            audit = audit_app(driver, base, AXE_JS.read_text(encoding="utf-8"))
        finally:
            driver.quit()
            server.terminate()
            server.wait(timeout=10)
    print(markdown_table(write_report(audit, args.out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
