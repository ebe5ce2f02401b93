"""Draw a graph with pyvis as one self-contained HTML page: no CDN, escaped text, physics frozen once settled.

pyvis 0.3.2 pitfalls handled here: `cdn_resources="in_line"` still links Bootstrap from a CDN (#229), so
every external <link>/<script src> is removed; a node title containing "href" switches pyvis to an
innerHTML popup, so the template is rendered with that switch off, and every title is html.escape'd and
handed to vis.js as a DOM element (the same safe path for nodes and edges). Labels are drawn on the canvas
as plain text: vis.js's "multi: html" label markup stays off, since vis-network 9.1.2 does not decode
entities there (so html.escape would show "&lt;") and <b>/<i>/<code> in a name would become formatting.

Accessibility: the document says its language (lang="en-GB") and has a <title>; the legend is a list whose
marks are drawn in the same shapes as the nodes; the picture is a role="img" with a name saying where its
text alternative is; the page scrolls rather than clips when the legend wraps (narrow screens, large text).
"""

from __future__ import annotations

import html
import re
from typing import Any

import networkx as nx
from pyvis.network import Network

__all__ = ["EXTERNAL_RESOURCE", "LANG", "canvas_text", "render_network", "tooltip_html"]

EXTERNAL_RESOURCE = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script\s*>",
    re.IGNORECASE)
"""A <link> or <script src> that would fetch from another host."""

_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)
_NEW_NETWORK = "network = new vis.Network(container, data, options);"

STABILISE_ITERATIONS = 250
LANG = "en-GB"

_SHAPES = {
    "dot": '<circle cx="7" cy="7" r="6"/>',
    "square": '<rect x="1" y="1" width="12" height="12"/>',
    "triangle": '<polygon points="7,1 13,13 1,13"/>',
    "triangleDown": '<polygon points="1,1 13,1 7,13"/>',
    "diamond": '<polygon points="7,0 14,7 7,14 0,7"/>',
    "hexagon": '<polygon points="3.5,1 10.5,1 14,7 10.5,13 3.5,13 0,7"/>',
    "star": '<polygon points="7,0 8.8,4.6 13.7,4.8 9.8,7.9 11.2,12.7 7,10 2.8,12.7 4.2,7.9 0.3,4.8 5.2,4.6"/>',
}
"""Legend marks in the shapes vis.js draws nodes with (pages.ui.ecomap.SECTOR_SHAPES)."""

OPTIONS: dict[str, Any] = {
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {"gravitationalConstant": -2500, "centralGravity": 0.05, "springLength": 150,
                      "springConstant": 0.06, "damping": 0.5, "avoidOverlap": 1},
        "stabilization": {"enabled": True, "iterations": STABILISE_ITERATIONS, "updateInterval": 50, "fit": True},
        "minVelocity": 1.5,
    },
    "nodes": {"font": {"face": "arial", "size": 14}},
    "edges": {"font": {"size": 12}, "smooth": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False},
}

_HEAD_SCRIPT = """<script>
function fgTip(escaped) {
  var div = document.createElement("div");
  div.className = "fg-tip";
  div.innerHTML = escaped; /* escaped text joined by <br>: no element but <br> can come from data */
  return div;
}
/* a visible focus ring while the frame has keyboard focus (the page's own ring cannot be seen from inside) */
window.addEventListener("focus", function () { document.documentElement.classList.add("fg-focus"); });
window.addEventListener("blur", function () { document.documentElement.classList.remove("fg-focus"); });
function fgTips(set) {
  set.forEach(function (item) {
    if (typeof item.title === "string") { set.update({id: item.id, title: fgTip(item.title)}); }
  });
}
</script>
<style>
html, body { margin: 0; overflow-x: hidden; overflow-y: auto; font-family: Arial, Helvetica, sans-serif; }
.card { border: none; }
#mynetwork { border: none !important; }
.fg-tip { font: 13px/1.35 Arial, Helvetica, sans-serif; max-width: 360px; white-space: normal; }
html.fg-focus::after { content: ""; position: fixed; inset: 0; z-index: 10; pointer-events: none;
  border: 3px solid #0b0c0c; box-shadow: inset 0 0 0 3px #ffdd00; }
.fg-legend { display: flex; align-items: baseline; gap: 0 8px; padding: 2px 4px 4px;
  border-bottom: 1px solid #eceff1; font: 0.75rem/1.5 Arial, sans-serif; color: #263238; }
.fg-legend ul { display: flex; flex-wrap: wrap; gap: 0 12px; margin: 0; padding: 0; list-style: none; }
.fg-legend li { margin: 0; padding: 0; }
.fg-shape { width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; stroke: #0b0c0c;
  stroke-width: 1; }
.fg-sw { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px;
  vertical-align: -1px; }
.fg-ring { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px;
  vertical-align: -1px; border: 3px solid; }
.fg-line, .fg-dash { display: inline-block; width: 18px; height: 0; margin-right: 4px; vertical-align: 3px;
  border-top: 3px solid; }
.fg-dash { border-top-style: dashed; }
.fg-member { display: inline-block; width: 14px; height: 10px; border-radius: 50%; margin-right: 4px;
  vertical-align: -1px; border: 2px dashed; background: #eceff1; }
</style>"""

_AFTER_NETWORK = """fgTips(nodes);
                  fgTips(edges);
                  var fgLegend = document.getElementById("legend");
                  if (fgLegend) {  /* the picture takes the height the legend leaves (it wraps on large text) */
                      var fgRoom = window.innerHeight - fgLegend.offsetHeight - 2;
                      container.style.height = Math.max(320, fgRoom) + "px";
                  }
                  var fgStarted = performance.now();
                  network = new vis.Network(container, data, options);
                  network.once("stabilizationIterationsDone", function () {
                      network.setOptions({physics: false});
                      network.fit();
                      var took = Math.round(performance.now() - fgStarted);
                      document.body.setAttribute("data-stabilised-ms", String(took));
                  });
                  if (nodes.get().every(function (n) { return n.physics === false; })) {
                      /* a fixed layout: nothing to stabilise, so fit now */
                      network.setOptions({physics: false});
                      network.fit();
                      document.body.setAttribute("data-stabilised-ms",
                                                 String(Math.round(performance.now() - fgStarted)));
                  }
                  window.addEventListener("resize", function () { network.fit(); });"""


def canvas_text(text: str) -> str:
    """Text for a vis.js label: drawn on the canvas as plain text (no markup mode), one line per value."""
    return " ".join(text.split())


def tooltip_html(lines: list[str]) -> str:
    """Tooltip HTML: each line escaped, then joined with <br> (empty lines dropped)."""
    return "<br>".join(html.escape(line) for line in lines if line)


def _label(lines: list[str]) -> str:
    return "\n".join(canvas_text(line) for line in lines if line)


def _mark(kind: str, colour: str) -> str:
    """The legend's mark for a row: a node shape filled with the colour, or a ring, line or dashed outline."""
    if kind in _SHAPES:
        return (f'<svg class="fg-shape" viewBox="0 0 14 14" aria-hidden="true" focusable="false" '
                f'fill="{html.escape(colour)}">{_SHAPES[kind]}</svg>')
    marks = {"swatch": "fg-sw", "ring": "fg-ring", "line": "fg-line", "dash": "fg-dash", "member": "fg-member"}
    style = f"background:{colour}" if kind == "swatch" else f"border-color:{colour}"
    return f'<span class="{marks[kind]}" style="{html.escape(style)}" aria-hidden="true"></span>'


def _legend_html(rows: list[tuple[str, str, str]]) -> str:
    items = "".join(f"<li>{_mark(kind, colour)}{html.escape(text)}</li>" for kind, colour, text in rows)
    return (f'<div class="fg-legend" id="legend"><b id="legend-title">Legend:</b>'
            f'<ul aria-labelledby="legend-title">{items}</ul></div>')


def _network(graph: nx.MultiGraph, height: int) -> Network:
    net = Network(height=f"{height}px", width="100%", cdn_resources="in_line", heading="")
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    for node, data in graph.nodes(data=True):
        net.add_node(ids[node], label=_label(data["label_lines"]),
                     title=tooltip_html(data["title_lines"]), **data.get("vis", {}))
    for a, b, data in graph.edges(data=True):
        extra = {"label": canvas_text(data["label"])} if data.get("label") else {}
        title = tooltip_html(data.get("title_lines", []))
        net.add_edge(ids[a], ids[b], **({"title": title} if title else {}), **extra, **data.get("vis", {}))
    net.options = OPTIONS
    return net


def _render_template(net: Network) -> str:
    """pyvis's own template, with the "href means innerHTML popup" switch and menus forced off."""
    nodes, edges, _heading, height, width, options = net.get_network_data()
    template = net.templateEnv.get_template(net.path)
    return str(template.render(height=height, width=width, nodes=nodes, edges=edges, heading="",
                               options=options, physics_enabled=True, use_DOT=False, dot_lang="",
                               widget=False, bgcolor=net.bgcolor, conf=False, tooltip_link=False,
                               neighborhood_highlight=False, select_menu=False, filter_menu=False,
                               notebook=False, cdn_resources="in_line"))


def render_network(graph: nx.MultiGraph, legend_rows: list[tuple[str, str, str]], height: int = 640,
                   title: str = "Ecomap", alt: str = "") -> str:
    """The graph as one offline HTML page with a legend; physics stops once the layout is stable.

    `title` names the document; `alt` names the picture for screen readers (say where its text version is).
    """
    page = _render_template(_network(graph, height))
    if not page.lstrip().startswith("<html>"):
        raise RuntimeError("the pyvis template changed: cannot set the document language")
    page = page.replace("<html>", f'<html lang="{LANG}">', 1)
    page = page.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>', 1)
    page = EXTERNAL_RESOURCE.sub("", page)
    page = _HEADING.sub("", page)
    if _NEW_NETWORK not in page:
        raise RuntimeError("the pyvis template changed: cannot install the physics freeze")
    page = page.replace(_NEW_NETWORK, _AFTER_NETWORK, 1)
    page = page.replace("</head>", _HEAD_SCRIPT + "\n</head>", 1)
    picture = f' role="img" aria-label="{html.escape(alt or title)}"'
    page = page.replace('<div id="mynetwork"', _legend_html(legend_rows) + '\n<div id="mynetwork"' + picture, 1)
    return page

