"""Pictures for print, drawn with matplotlib (no browser): the ecomap at the layout's own coordinates, and the
family timeline as a Gantt chart with the as-of date marked."""

from __future__ import annotations

import datetime as dt
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.patches import FancyBboxPatch

from pages.ui.ecomap_layout import style_of
from queries.timeline import TimelineBar, tracks

__all__ = ["ecomap_png", "timeline_png"]

_MARKERS = {"square": "s", "dot": "o", "star": "*"}
_KIND_COLOURS = {"need": "#ef9a9a", "work": "#90caf9", "lead": "#f2b705", "episode": "#a5d6a7"}


def _colour(vis: dict[str, object], part: str, default: str) -> str:
    colour = vis.get("color")
    if isinstance(colour, dict):
        return str(colour.get(part, default))
    return str(colour) if colour else default


def ecomap_png(graph: nx.MultiGraph, width_in: float = 10.0, dpi: int = 150) -> bytes:
    """The ecomap as a PNG, every node where the browser draws it (y grows downwards there, upwards here)."""
    pos = {n: (float(d["vis"]["x"]), -float(d["vis"]["y"])) for n, d in graph.nodes(data=True)}
    xs, ys = [x for x, _ in pos.values()] or [0.0], [y for _, y in pos.values()] or [0.0]
    span_x, span_y = max(xs) - min(xs) + 500, max(ys) - min(ys) + 400
    fig, ax = plt.subplots(figsize=(width_in, max(3.0, width_in * span_y / span_x)), dpi=dpi)
    scale = 72 * width_in / span_x  # points per layout pixel
    for a, b, data in graph.edges(data=True):
        vis = data.get("vis", {})
        (ax_, ay), (bx, by) = pos[a], pos[b]
        ax.plot([ax_, bx], [ay, by], color=_colour(vis, "color", "#90a4ae"), zorder=1,
                linewidth=max(0.6, float(vis.get("width", 1)) * 0.7), linestyle="--" if vis.get("dashes") else "-")
    for node, data in graph.nodes(data=True):
        vis, style = data["vis"], style_of(data)
        x, y = pos[node]
        text = "\n".join(data["label_lines"])
        font = max(4.0, style.font * scale * 0.85)
        if style.shape == "box":
            ax.text(x, y, text, ha="center", va="center", fontsize=font, zorder=3,
                    color=str(vis.get("font", {}).get("color", "#263238")),
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": _colour(vis, "background", "#eceff1"),
                          "edgecolor": _colour(vis, "border", "#546e7a"),
                          "linestyle": "--" if vis.get("shapeProperties") else "-"})
            continue
        size = style.radius * 2 * scale * (1.6 if style.shape == "star" else 1.0)
        ax.plot([x], [y], marker=_MARKERS.get(style.shape, "o"), markersize=size, zorder=2,
                markerfacecolor=_colour(vis, "background", "#eceff1"),
                markeredgecolor=_colour(vis, "border", "#546e7a"), markeredgewidth=1.2, linestyle="none")
        ax.text(x, y - style.radius - 4, text, ha="center", va="top", fontsize=font, zorder=3, color="#263238",
                bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    ax.set_xlim(min(xs) - 250, max(xs) + 250)
    ax.set_ylim(min(ys) - 250, max(ys) + 150)
    ax.set_aspect("equal")
    ax.axis("off")
    return _png(fig)


def _png(fig: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _day(iso: str) -> float:
    return float(dt.date.fromisoformat(iso[:10]).toordinal())


def timeline_png(bars: list[TimelineBar], as_of: str, width_in: float = 10.0, dpi: int = 150) -> bytes:
    """A Gantt chart: members and the family as lanes, a bar per period (open bars run to the as-of date),
    overlapping bars on rows of their own, each labelled, and the as-of date marked."""
    rows = tracks(bars, as_of)
    lanes = list(dict.fromkeys(b.lane for b in bars))
    depth = {lane: 1 + max(r for b, r in zip(bars, rows, strict=True) if b.lane == lane) for lane in lanes}
    base, top = {}, 0
    for lane in lanes:
        base[lane] = top
        top += depth[lane]
    fig, ax = plt.subplots(figsize=(width_in, 0.8 + 0.32 * max(1, top)), dpi=dpi)
    end_day = _day(as_of)
    starts = [_day(b.start) for b in bars] or [end_day - 365]
    right = max([end_day, *(_day(b.end) for b in bars if b.end)]) + 45
    low = min(starts) - 30
    for bar, row in zip(bars, rows, strict=True):
        y = top - 1 - (base[bar.lane] + row)
        start = _day(bar.start)
        stop = _day(bar.end) if bar.end else max(end_day, start + 1)
        ax.broken_barh([(start, max(1.0, stop - start))], (y - 0.4, 0.8), facecolors=_KIND_COLOURS[bar.kind],
                       edgecolors="#37474f", linewidth=0.4)
        room = int((min(stop, right) - max(start, low)) / (right - low) * width_in * 14)
        if room > 4:
            ax.text(max(start, low) + 3, y, bar.label if len(bar.label) <= room else bar.label[:room - 1] + "…",
                    va="center", fontsize=6, color="#263238", clip_on=True)
    for lane in lanes[1:]:
        ax.axhline(top - base[lane] - 0.5, color="#b0bec5", linewidth=0.6)
    ax.axvline(end_day, color="#c62828", linewidth=1.5)
    ax.text(end_day, top - 0.45, f" as of {dt.date.fromordinal(int(end_day)):%d/%m/%Y}", color="#c62828",
            fontsize=8, va="bottom")
    ax.set_yticks([top - 1 - base[lane] - (depth[lane] - 1) / 2 for lane in lanes], lanes, fontsize=8)
    ax.set_xlim(low, right)
    ticks = [t for t in range(int(low), int(right))
             if dt.date.fromordinal(t).day == 1 and dt.date.fromordinal(t).month in (1, 4, 7, 10)]
    ax.set_xticks(ticks, [f"{dt.date.fromordinal(t):%m/%Y}" for t in ticks], fontsize=7)
    ax.set_ylim(-0.6, top - 0.1 + 0.6)
    handles = [FancyBboxPatch((0, 0), 1, 1, facecolor=c, edgecolor="#37474f", label=k)
               for k, c in _KIND_COLOURS.items()]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=7, frameon=False)
    ax.grid(axis="x", color="#eceff1")
    return _png(fig)
