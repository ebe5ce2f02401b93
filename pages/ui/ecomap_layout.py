"""A deterministic ecomap layout: family in the centre, members on a ring, professionals outside them near the
members they work with, agencies outermost; every label outside its node, no label box over another and no
edge through a node that is not one of its ends.

Pure geometry on the ecomap's networkx graph (nodes carry `kind` and `label_lines`): the browser drawing
(pyvis) and the printed pack (matplotlib) place every node at the same coordinates. Sizes are in canvas pixels;
label sizes are estimated from the font size with a safety margin, and the browser test reads the real ones.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import networkx as nx

__all__ = ["STYLES", "WRAP", "Box", "NodeStyle", "edges_through_nodes", "label_overlaps", "layout", "node_box",
           "style_of", "wrap_label"]

CHAR_WIDTH = 0.56  # of the font size: Arial measures about 0.51 in the browser
LINE_HEIGHT = 1.1  # of the font size: the browser uses 1.0
ASPECT = 1.5  # rings are ellipses this much wider than tall, to fill a wide frame
GAP = 14.0  # free space kept between any two boxes
WRAP = 30  # characters per label line


@dataclass(frozen=True, slots=True)
class NodeStyle:
    """How a kind of node is drawn: its shape, radius (round shapes) and label font size."""

    shape: str  # vis.js shape; "box" holds its label inside, the others draw it below
    radius: float
    font: int
    margin: float = 0.0


STYLES: dict[str, NodeStyle] = {
    "family": NodeStyle("box", 0.0, 20, 10.0),
    "member": NodeStyle("square", 16.0, 17),
    "professional": NodeStyle("dot", 13.0, 15),
    "lead": NodeStyle("star", 22.0, 15),
    "agency": NodeStyle("box", 0.0, 14, 7.0),
    "more": NodeStyle("box", 0.0, 13, 6.0),
}


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle (left, top, right, bottom), y growing downwards as on the canvas."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        """True when the boxes come closer than gap."""
        return not (self.right + gap <= other.left or other.right + gap <= self.left
                    or self.bottom + gap <= other.top or other.bottom + gap <= self.top)


def wrap_label(lines: list[str], width: int = WRAP) -> list[str]:
    """Label lines wrapped to at most `width` characters (empty lines dropped)."""
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(line, width) if line else []
    return out


def style_of(data: dict[str, object]) -> NodeStyle:
    """The style of a node from its attributes (a lead professional is drawn as a star)."""
    kind = str(data.get("kind", "professional"))
    if kind == "professional" and data.get("lead"):
        return STYLES["lead"]
    return STYLES.get(kind, STYLES["professional"])


def _label_size(data: dict[str, object], style: NodeStyle) -> tuple[float, float]:
    lines = [str(x) for x in data.get("label_lines", []) or []]  # type: ignore[attr-defined]
    if not lines:
        return 0.0, 0.0
    return (max(len(x) for x in lines) * style.font * CHAR_WIDTH, len(lines) * style.font * LINE_HEIGHT)


def node_box(data: dict[str, object], x: float, y: float, with_label: bool = True) -> Box:
    """The box a node covers at (x, y): the shape and, below it, its label (a box shape holds its label)."""
    style = style_of(data)
    w, h = _label_size(data, style)
    if style.shape == "box":
        half_w, half_h = w / 2 + style.margin, h / 2 + style.margin
        return Box(x - half_w, y - half_h, x + half_w, y + half_h)
    r = style.radius
    if not with_label:
        return Box(x - r, y - r, x + r, y + r)
    half_w = max(r, w / 2)
    return Box(x - half_w, y - r, x + half_w, y + r + 4 + h)


def _segment_hits_box(ax: float, ay: float, bx: float, by: float, box: Box) -> bool:
    """True when the segment from a to b passes through the box (Liang-Barsky clipping)."""
    dx, dy = bx - ax, by - ay
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, ax - box.left), (dx, box.right - ax), (-dy, ay - box.top), (dy, box.bottom - ay)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def edges_through_nodes(graph: nx.Graph, pos: dict[str, tuple[float, float]],
                        with_labels: bool = False) -> list[tuple[str, str, str]]:
    """(end, end, node) for every edge whose straight line passes through a node that is not one of its ends."""
    boxes = {n: node_box(d, *pos[n], with_label=with_labels) for n, d in graph.nodes(data=True)}
    hits = []
    for a, b in {tuple(sorted((a, b))) for a, b in graph.edges()}:
        (ax, ay), (bx, by) = pos[a], pos[b]
        for node, box in boxes.items():
            if node not in (a, b) and _segment_hits_box(ax, ay, bx, by, box):
                hits.append((a, b, node))
    return hits


def label_overlaps(graph: nx.Graph, pos: dict[str, tuple[float, float]],
                   gap: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of nodes whose boxes (shape and label) overlap."""
    items = sorted((n, node_box(d, *pos[n])) for n, d in graph.nodes(data=True))
    return [(a, b) for i, (a, box_a) in enumerate(items) for b, box_b in items[i + 1:] if box_a.overlaps(box_b, gap)]


def _polar(radius: float, angle: float) -> tuple[float, float]:
    return round(radius * ASPECT * math.cos(angle), 1), round(radius * math.sin(angle), 1)


def _mean_angle(angles: list[float]) -> float:
    return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))


def _angle_gap(a: float, b: float) -> float:
    return abs((a - b + math.pi) % (2 * math.pi) - math.pi)


MIN_SLOTS = 12
"""Places on a ring: at least this many, so a few nodes sit near what they connect to, not evenly opposite."""


def _slots(nodes: list[str]) -> int:
    return max(len(nodes), MIN_SLOTS)


def _ring_radius(graph: nx.Graph, nodes: list[str], minimum: float, slots: int | None = None) -> float:
    """A radius at which every slot of the ring holds the widest node's box with GAP to its neighbours."""
    if not nodes:
        return minimum
    widths = [node_box(graph.nodes[n], 0, 0) for n in nodes]
    span = max(b.right - b.left for b in widths) + GAP * 2
    return max(minimum, (slots or _slots(nodes)) * span / (math.pi * (1 + ASPECT)))


def _depth(graph: nx.Graph, nodes: list[str]) -> float:
    """The tallest box among the nodes (shape and label)."""
    return max((node_box(graph.nodes[n], 0, 0).bottom - node_box(graph.nodes[n], 0, 0).top for n in nodes),
               default=0.0)


def _crossings(pos: dict[str, tuple[float, float]], edges: list[tuple[str, str]], boxes: dict[str, Box]) -> int:
    """How many (edge, node) pairs have the edge's line through a node that is not one of its ends."""
    count = 0
    for a, b in edges:
        (ax, ay), (bx, by) = pos[a], pos[b]
        left, right, top, bottom = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
        for node, box in boxes.items():
            if (node not in (a, b) and box.right >= left and box.left <= right and box.bottom >= top
                    and box.top <= bottom and _segment_hits_box(ax, ay, bx, by, box)):
                count += 1
    return count


def _assign(order: list[str], preferred: dict[str, float], slots: list[float]) -> dict[str, float]:
    """Each node (in order) to the free slot nearest its preferred angle."""
    free = list(range(len(slots)))
    angles = {}
    for node in order:
        best = min(free, key=lambda i: (_angle_gap(slots[i], preferred[node]), i))
        free.remove(best)
        angles[node] = slots[best]
    return angles


def _place_ring(graph: nx.Graph, nodes: list[str], preferred: dict[str, float], radius: float,
                pos: dict[str, tuple[float, float]], group: dict[str, str] | None = None) -> None:
    """Nodes on a ring of slots, each in the free slot nearest its preferred angle (in the order of the preferred
    angles, then group, so an agency's people sit together); of several turns of the slots, the one whose edges
    pass through the fewest nodes, then the one closest to the preferred angles."""
    if not nodes:
        return
    group = group or {}
    order = sorted(nodes, key=lambda n: (round(preferred[n] % (2 * math.pi), 3), group.get(n, ""), n))
    count = _slots(nodes)
    step = 2 * math.pi / count
    ring = set(nodes)
    fixed_boxes = {n: node_box(graph.nodes[n], *pos[n], with_label=False) for n in pos}
    edges = sorted({tuple(sorted((a, b))) for a, b in graph.edges(nodes)
                    if (a in pos or a in ring) and (b in pos or b in ring)})
    best: tuple[int, float, dict[str, tuple[float, float]]] | None = None
    for k in range(8):
        offset = -math.pi / 2 + step * k / 8
        slots = [offset + i * step for i in range(count)]
        if len(nodes) * 2 > count:  # a crowded ring: keep the order (an agency's people together), evenly round
            start = min(range(count), key=lambda i: (_angle_gap(slots[i], preferred[order[0]]), i))
            angles = {n: slots[(start + j * count // len(nodes)) % count] for j, n in enumerate(order)}
        else:
            angles = _assign(order, preferred, slots)
        trial = dict(pos)
        for node, angle in angles.items():
            trial[node] = _polar(radius, angle)
        boxes = {**fixed_boxes, **{n: node_box(graph.nodes[n], *trial[n], with_label=False) for n in nodes}}
        crossings = _crossings(trial, edges, boxes)
        drift = sum(_angle_gap(angles[n], preferred[n]) for n in nodes)
        if best is None or (crossings, drift) < best[:2]:
            best = (crossings, drift, trial)
    assert best is not None
    pos.update(best[2])


def layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Coordinates for every node of an ecomap graph; the same graph always gets the same layout."""
    kinds: dict[str, list[str]] = {}
    for node, data in sorted(graph.nodes(data=True)):
        kinds.setdefault(str(data.get("kind")), []).append(node)
    members, profs = kinds.get("member", []), kinds.get("professional", [])
    agencies, more = kinds.get("agency", []), kinds.get("more", [])
    members.sort(key=lambda n: int(n[1:]) if n[1:].isdigit() else 0)
    scale = 1.0
    for _ in range(14):
        pos = _try_layout(graph, members, profs, agencies, more, scale)
        if not label_overlaps(graph, pos, GAP):  # crossings are already the fewest the rotations allow
            return pos
        scale *= 1.12
    return pos


def _try_layout(graph: nx.Graph, members: list[str], profs: list[str], agencies: list[str], more: list[str],
                scale: float) -> dict[str, tuple[float, float]]:
    pos: dict[str, tuple[float, float]] = {}
    centre = [n for n, d in graph.nodes(data=True) if d.get("kind") == "family"]
    for node in centre:
        pos[node] = (0.0, 0.0)
    core = node_box(graph.nodes[centre[0]], 0, 0) if centre else Box(0, 0, 0, 0)
    member_depth = _depth(graph, members)
    widest_member = max((node_box(graph.nodes[n], 0, 0).right for n in members), default=0.0)
    r_members = scale * _ring_radius(graph, members, max(core.bottom + member_depth,
                                                         (core.right + widest_member) / ASPECT) + GAP * 2,
                                     slots=len(members))
    angle: dict[str, float] = {}
    for i, node in enumerate(members):
        angle[node] = -math.pi / 2 + 2 * math.pi * i / max(1, len(members))
        pos[node] = _polar(r_members, angle[node])
    gap = max(member_depth, _depth(graph, profs)) + GAP * 3
    r_profs = scale * _ring_radius(graph, profs, r_members + gap)
    preferred: dict[str, float] = {}
    for node in profs:
        targets = [angle[t] for t in graph.neighbors(node) if t in angle]
        # work with the whole family: between members, where its line to the centre passes no one
        preferred[node] = _mean_angle(targets) if targets else (-math.pi / 2 + math.pi / max(1, len(members)))
    agency_of = {p: next((a for a in graph.neighbors(p) if graph.nodes[a].get("kind") == "agency"), "")
                 for p in profs}
    _place_ring(graph, profs, preferred, r_profs, pos, agency_of)
    prof_angle = {n: math.atan2(pos[n][1], pos[n][0] / ASPECT) for n in profs}
    r_agencies = scale * _ring_radius(graph, agencies, r_profs + max(_depth(graph, profs), _depth(graph, agencies))
                                      + GAP * 3)
    agency_pref = {a: _mean_angle([prof_angle[p] for p in graph.neighbors(a) if p in prof_angle] or [0.0])
                   for a in agencies}
    _place_ring(graph, agencies, agency_pref, r_agencies, pos)
    r_more = r_agencies + _depth(graph, agencies) + _depth(graph, more) + GAP * 2
    for node in more:
        owner = next((a for a in graph.neighbors(node) if a in pos), None)
        at = math.atan2(pos[owner][1], pos[owner][0] / ASPECT) if owner else 0.0
        pos[node] = _polar(r_more, at)
    return pos
