"""Accessibility fixes the app applies on every page: its own page navigation and a few CSS rules.

Streamlit's sidebar navigation is a `ul` whose `li` sit inside `div`s (no list is announced), and its top
navigation moves back into that sidebar list on a narrow screen, so the app hides Streamlit's navigation and
draws its own: a heading per section and one `st.page_link` per page, in keyed containers. Streamlit gives
containers no ARIA role, so a short script (ours, no data in it) marks them as a navigation landmark holding a
list per section, and marks the current page's link with aria-current. The CSS widens the date inputs' day and
month spin buttons to 24 x 24 px (WCAG 2.2 target size) and keeps a visible focus ring on links and buttons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from pages.ui.text import md

__all__ = ["NAV_KEY", "NAV_SCRIPT", "STYLE", "apply_styles", "render_navigation"]

NAV_KEY = "fg_nav"
_SCRIPT_KEY = "fg_nav_script"

STYLE = """<style>
/* Metric labels wrap rather than end in "..." on a narrow screen or with large text. */
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
/* WCAG 2.5.8 target size: the date field's day, month and year segments are spin buttons. */
[data-testid="stDateInput"] [role="spinbutton"] {
  display: inline-flex; justify-content: center; align-items: center;
  min-width: 24px; min-height: 24px; box-sizing: border-box;
}
/* WCAG 2.4.7 focus visible: a ring on links, buttons, tabs, date segments, the ecomap frame, and around the box
   of a text field, drop-down or slider whose input has focus, whatever the widget draws itself. */
a:focus-visible, button:focus-visible, [role="tab"]:focus-visible, summary:focus-visible,
[role="spinbutton"]:focus-visible, [role="slider"]:focus-visible, iframe:focus,
[data-testid="stAppViewContainer"] div:has(> input:focus-visible),
[data-testid="stAppViewContainer"] div:has(> textarea:focus-visible) {
  outline: 3px solid #0b0c0c !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 3px #ffdd00 !important;
}
/* the scrolling main area takes focus from the skip link (and from Tab in Chromium) */
[data-testid="stMain"]:focus-visible { outline: 3px solid #0b0c0c !important; outline-offset: -3px !important; }
/* The app's own navigation: section headings sized as labels, links a comfortable target. */
.st-key-fg_nav h2 { font-size: 0.875rem; font-weight: 700; margin: 0; padding: 0.5rem 0 0 0; }
.st-key-fg_nav [data-testid="stPageLink"] a { min-height: 32px; }
.st-key-fg_nav_script { display: none; }
</style>"""

NAV_SCRIPT = """<script>
(function () {
  function mark() {
    var nav = document.querySelector(".st-key-fg_nav");
    if (!nav) { return; }
    if (nav.getAttribute("role") !== "navigation") {
      nav.setAttribute("role", "navigation");
      nav.setAttribute("aria-label", "Pages");
    }
    nav.querySelectorAll("[class*='st-key-fg_nav_list_']").forEach(function (list) {
      if (list.getAttribute("role") !== "list") { list.setAttribute("role", "list"); }
      Array.prototype.forEach.call(list.children, function (item) {
        if (item.getAttribute("role") !== "listitem") { item.setAttribute("role", "listitem"); }
      });
    });
    var page = window.location.pathname.split("/").pop();  /* pages are linked by name; the default by "" */
    nav.querySelectorAll("a[data-testid='stPageLink-NavLink']").forEach(function (link) {
      var here = (link.getAttribute("href") || "") === page;
      if (here && link.getAttribute("aria-current") !== "page") { link.setAttribute("aria-current", "page"); }
      if (!here && link.hasAttribute("aria-current")) { link.removeAttribute("aria-current"); }
    });
  }
  if (window.fgNavObserver) { window.fgNavObserver.disconnect(); }
  window.fgNavObserver = new MutationObserver(mark);
  window.fgNavObserver.observe(document.body, {childList: true, subtree: true});
  mark();
})();
</script>"""


def apply_styles() -> None:
    """Add the app's accessibility CSS to the page (an element that takes no space)."""
    st.html(STYLE)


def render_navigation(sections: Mapping[str, Sequence[StreamlitPage]]) -> None:
    """The app's page list in the sidebar: a heading per section and a link per page (keyboard reachable)."""
    with st.sidebar.container(key=NAV_KEY, gap="small"):
        for i, (section, pages) in enumerate(sections.items()):
            st.markdown(f"## {md(section)}")
            with st.container(key=f"fg_nav_list_{i}", gap=None):
                for page in pages:
                    st.page_link(page)
    with st.sidebar.container(key=_SCRIPT_KEY):
        st.html(NAV_SCRIPT, unsafe_allow_javascript=True)
