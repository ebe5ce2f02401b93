"""The family ecomap as a networkx graph: family at the centre, members around it, professionals outside,
agencies outermost; the lead highlighted, duplicated work in red (parallel work and shared care are not
duplication and are drawn as ordinary work), two leads joined by a conflict line.

Nothing is told by colour alone (WCAG 1.4.1): a professional's sector group is shown by the node's shape as
well as its colour, an agency's by a word under its name; the lead by a star, the words "LEAD PROFESSIONAL" and an
amber ring; duplicated work by a thick dashed line and the word "DUPLICATED" as well as red; two leads by a long-
dashed line and the word "CONFLICT". Every professional node has a dark outline, so light sector colours still
stand out from the white background (1.4.11).

Every node and edge carries plain text (`label_lines`, `title_lines`) and vis.js styling (`vis`);
pages.ui.pyvis_html escapes the text and draws it.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from graphmodel.dates import format_uk
from graphmodel.records import AgencyRecord
from graphmodel.taxonomy import SECTOR_GROUP_COLOURS, SECTORS
from pages.ui.ecomap_layout import STYLES, WRAP, NodeStyle, layout, wrap_label
from pages.ui.family_view import FamilyView
from pages.ui.labels import GROUP_NAMES, need_name, role_name, sector_name
from queries.team import TeamMember

__all__ = ["CONFLICT", "DEFAULT_PER_AGENCY", "DUPLICATED_KINDS", "DUPLICATE_RED", "LEAD_GOLD", "PARALLEL_KINDS",
           "SECTOR_SHAPES", "EcomapSummary", "build_ecomap", "legend", "sector_shape"]

DEFAULT_PER_AGENCY = 6
LEAD_GOLD = "#b07d00"  # amber at 3.6:1 on white (WCAG 1.4.11 non-text contrast)
DUPLICATE_RED = "#e41a1c"
CONFLICT = "#6a1b9a"  # two leads at once
FAMILY_COLOUR = "#263238"
MEMBER_COLOUR = "#eceff1"
WORK_EDGE = "#78909c"
OTHER_GROUP = "#9e9e9e"
OUTLINE = "#0b0c0c"
SECTOR_SHAPES: dict[str, str] = {
    "social_care": "diamond",
    "early_help": "triangle",
    "health": "dot",
    "education": "square",
    "justice": "hexagon",
    "housing_money": "triangleDown",
    "voluntary": "star",
}
"""vis.js shape of a professional node by sector group, so the group is not told by colour alone."""
OTHER_SHAPE = "dot"
DUPLICATED_KINDS = frozenset({"duplicated_work"})
"""Finding kinds drawn as duplicated work."""
PARALLEL_KINDS = frozenset({"parallel_work"})
"""Finding kinds that are parallel work (coordinate): never drawn as duplication."""
SPACING = (150.0, 120.0, 190.0)  # room each member, professional and agency needs along its ring


@dataclass(frozen=True, slots=True)
class EcomapSummary:
    """What the drawing left out, so the page can say so."""

    professionals_shown: int
    professionals_hidden: int
    agencies_capped: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rings:
    """Radii of the member, professional and agency rings; the edges between rings are as long as the gaps."""

    members: float
    professionals: float
    agencies: float


def rings(members: int, professionals: int, agencies: int) -> Rings:
    """Ring radii that leave room for every node: a base size, wider for a crowded ring."""
    m = max(130.0, members * SPACING[0] / (2 * math.pi))
    p = max(m + 160.0, professionals * SPACING[1] / (2 * math.pi))
    a = max(p + 130.0, agencies * SPACING[2] / (2 * math.pi))
    return Rings(m, p, a)


def _group(sector: str) -> str:
    return SECTORS[sector].group if sector in SECTORS else ""


def _group_colour(sector: str) -> str:
    return SECTOR_GROUP_COLOURS.get(_group(sector), OTHER_GROUP)


def sector_shape(sector: str) -> str:
    """The vis.js shape of a professional from this sector (by its group)."""
    return SECTOR_SHAPES.get(_group(sector), OTHER_SHAPE)


def _tint(hex_colour: str, share: float = 0.75) -> str:
    """A lighter version of a colour (mixed with white)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    r, g, b = (round(c + (255 - c) * share) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


def _polar(radius: float, angle: float) -> dict[str, float]:
    return {"x": round(radius * math.cos(angle), 1), "y": round(radius * math.sin(angle), 1)}


def _mean_angle(angles: list[float]) -> float:
    return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))


def _spread(items: list[tuple[float, str]]) -> dict[str, float]:
    """Keep the order of items by preferred angle but space them evenly round the circle."""
    ordered = sorted(items)
    if not ordered:
        return {}
    start = ordered[0][0]
    step = 2 * math.pi / len(ordered)
    return {key: start + i * step for i, (_, key) in enumerate(ordered)}


def _keep(work: list[TeamMember], duplicated: set[str], lead_ids: set[str], cap: int) -> tuple[list[str], int]:
    """Which professionals of one agency to draw: the lead first, then duplicated work, then by name."""
    people: dict[str, TeamMember] = {}
    for t in work:
        people.setdefault(t.professional_id, t)
    rank = sorted(people.values(), key=lambda t: (
        t.professional_id not in lead_ids,
        not any(w.involvement_id in duplicated for w in work if w.professional_id == t.professional_id),
        t.name, t.professional_id))
    kept = [t.professional_id for t in rank[:cap]]
    return kept, len(rank) - len(kept)


def _prof_label(name: str, is_lead: bool, role: str, needs: list[str], duplicated: list[str]) -> list[str]:
    """Name, role and each need worked on spelled out (duplicated ones marked), wrapped; at most seven lines."""
    lines = [f"★ {name}" if is_lead else name, "Lead professional" if is_lead else textwrap.shorten(role, WRAP)]
    for need in dict.fromkeys(needs):
        lines += wrap_label([f"DUPLICATED: {need}" if need in duplicated else need])
    return lines[:6] + (["(more in the team table)"] if len(lines) > 6 else [])


def _place(graph: nx.MultiGraph) -> None:
    """Fix every node at the deterministic layout's coordinates (no physics: nothing moves or overlaps)."""
    for node, (x, y) in layout(graph).items():
        vis = graph.nodes[node]["vis"]
        vis.update({"x": x, "y": y, "fixed": {"x": True, "y": True}, "physics": False})


def build_ecomap(view: FamilyView, per_agency: int = DEFAULT_PER_AGENCY) -> tuple[nx.MultiGraph, EcomapSummary]:
    """The ecomap graph of one family on the view's date, at most `per_agency` professionals per agency."""
    team, snap = view.team, view.snapshot
    dup_needs: dict[str, list[str]] = defaultdict(list)
    for finding in view.duplicates:
        if finding.kind in DUPLICATED_KINDS:
            for inv in finding.involvement_ids:
                if need_name(finding.need_code or "") not in dup_needs[inv]:
                    dup_needs[inv].append(need_name(finding.need_code or ""))
    duplicated = set(dup_needs)
    lead_ids = set(team.lead_ids)
    graph = nx.MultiGraph()
    family_style = STYLES["family"]
    graph.add_node("family", kind="family", label_lines=wrap_label([team.family_name, team.postcode or ""]),
                   title_lines=[team.family_name, f"postcode {team.postcode or 'unknown'}",
                                f"district {team.district or 'unknown'}",
                                f"{len(team.open_episodes)} open episode(s) on {format_uk(team.as_of)}"],
                   vis={"shape": "box", "color": {"background": FAMILY_COLOUR, "border": FAMILY_COLOUR},
                        "font": {"color": "#ffffff", "size": family_style.font}, "margin": family_style.margin})
    by_agency: dict[str, list[TeamMember]] = defaultdict(list)
    for t in team.team:
        by_agency[t.agency_id].append(t)
    kept: set[str] = set()
    hidden: dict[str, int] = {}
    for agency_id, work in by_agency.items():
        keep, more = _keep(work, duplicated, lead_ids, per_agency)
        kept.update(keep)
        if more:
            hidden[agency_id] = more
    lead_only = [p for p in snap.professionals if p.id in lead_ids and p.id not in kept]
    member_style = STYLES["member"]
    for i, m in enumerate(team.members):
        age = f", {m.age}" if m.age is not None else ""
        vis: dict[str, object] = {"shape": member_style.shape, "size": member_style.radius,
                                  "color": {"background": MEMBER_COLOUR, "border": "#546e7a"},
                                  "borderWidth": 2, "font": {"size": member_style.font, "strokeWidth": 3}}
        if not m.resident:
            vis["shapeProperties"] = {"borderDashes": [6, 4]}
        graph.add_node(f"m{i}", kind="member", label_lines=wrap_label([m.name, f"{role_name(m.role)}{age}"
                                                                        + ("" if m.resident else ", lives elsewhere")]),
                       title_lines=[m.name, f"{role_name(m.role)}{age}",
                                    "lives in the household" if m.resident else "does not live in the household",
                                    "open needs: " + (", ".join(need_name(n) for n in m.open_needs) or "none")],
                       vis=vis)
        graph.add_edge("family", f"m{i}", label=None, title_lines=[f"{m.name}: {role_name(m.role)}"],
                       vis={"color": "#90a4ae", "width": 2})
    member_node = {m.person_id: f"m{i}" for i, m in enumerate(team.members)}
    agencies = {a.id: a for a in snap.agencies}
    prof_agency: dict[str, str] = {}
    work_of: dict[str, list[TeamMember]] = defaultdict(list)
    for t in team.team:
        if t.professional_id in kept:
            work_of[t.professional_id].append(t)
    for pid, work in sorted(work_of.items()):
        node = f"p:{pid}"
        first = work[0]
        prof_agency[node] = first.agency_id
        is_lead = pid in lead_ids
        needs = [n for t in work for n in t.addresses] or [t.service or "work" for t in work]
        dups = [n for t in work for n in dup_needs.get(t.involvement_id, [])]
        _add_professional(graph, node, first, is_lead, _prof_label(first.name, is_lead,
                                                                    first.role or sector_name(first.sector),
                                                                    needs, dups))
        for t in work:
            target = member_node.get(t.person_id or "", "family")
            is_dup = t.involvement_id in duplicated
            addressed = ", ".join(t.addresses) or (t.service or "work")
            graph.add_edge(node, target, label=None,
                           title_lines=[f"{t.name} ({t.agency}) with {t.with_whom}", f"addresses: {addressed}",
                                        f"service: {t.service or 'not recorded'}",
                                        f"since {format_uk(t.since) or 'unknown'}",
                                        *(["duplicated: another professional works on the same need"] if is_dup
                                          else [])],
                           vis={"color": DUPLICATE_RED if is_dup else WORK_EDGE, "width": 4 if is_dup else 2,
                                "dashes": is_dup})
    for prof in lead_only:
        node = f"p:{prof.id}"
        agency = agencies.get(prof.agency_id)
        prof_agency[node] = prof.agency_id
        style = STYLES["lead"]
        graph.add_node(node, kind="professional", lead=True,
                       label_lines=_prof_label(prof.name, True, "", ["lead, no open work"], []),
                       title_lines=[prof.name, "lead professional (no open piece of work recorded)",
                                    agency.name if agency else prof.agency_id, prof.email or "", prof.phone or ""],
                       vis=_professional_vis(agency.sector if agency else "", True, style))
        graph.add_edge(node, "family", label=None, title_lines=["lead professional for the family"],
                       vis={"color": LEAD_GOLD, "width": 3, "dashes": True})
    _add_lead_conflict(graph, sorted(lead_ids))
    _add_agencies(graph, prof_agency, hidden, agencies)
    _place(graph)
    summary = EcomapSummary(len(kept) + len(lead_only), sum(hidden.values()),
                            tuple(sorted(agencies[a].name if a in agencies else a for a in hidden)))
    return graph, summary


def _add_lead_conflict(graph: nx.MultiGraph, lead_ids: list[str]) -> None:
    """Two or more current leads: a conflict line between each pair of lead professionals."""
    nodes = [f"p:{pid}" for pid in lead_ids if f"p:{pid}" in graph]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            graph.add_edge(a, b, label="CONFLICT: two leads",
                           title_lines=["two lead professionals at once: the family has no single point of contact"],
                           vis={"color": CONFLICT, "width": 5, "dashes": [10, 6],
                                "font": {"color": CONFLICT, "size": 17, "strokeWidth": 4}})


def _professional_vis(sector: str, is_lead: bool, style: NodeStyle) -> dict[str, object]:
    colour = _group_colour(sector)
    # Sector told by shape (not colour alone); the lead by a thick gold ring and "★ ... Lead professional" in words.
    return {"shape": sector_shape(sector), "size": style.radius, "borderWidth": 6 if is_lead else 2,
            "color": {"background": colour, "border": LEAD_GOLD if is_lead else OUTLINE,
                      "highlight": {"background": colour, "border": LEAD_GOLD if is_lead else OUTLINE}},
            "font": {"size": style.font, "strokeWidth": 3}}


def _add_professional(graph: nx.MultiGraph, node: str, t: TeamMember, is_lead: bool, label: list[str]) -> None:
    graph.add_node(node, kind="professional", lead=is_lead, label_lines=label,
                   title_lines=[t.name, t.role or "", f"{t.agency} ({t.sector_name}, {t.tier})",
                                *(["lead professional"] if is_lead else []),
                                f"email {t.email or 'not recorded'}", f"phone {t.phone or 'not recorded'}",
                                f"data from {t.source_id or 'unknown source'}"
                                + (f", extracted {format_uk(t.source_extracted_at)}" if t.source_extracted_at
                                   else "")],
                   vis=_professional_vis(t.sector, is_lead, STYLES["lead" if is_lead else "professional"]))


def _add_agencies(graph: nx.MultiGraph, prof_agency: dict[str, str], hidden: dict[str, int],
                  agencies: dict[str, AgencyRecord]) -> None:
    """Agency boxes outermost, each near its professionals, and a '+N more' box where the cap bit."""
    members: dict[str, list[str]] = defaultdict(list)
    for node, agency_id in prof_agency.items():
        members[agency_id].append(node)
    style, more_style = STYLES["agency"], STYLES["more"]
    for agency_id, nodes in sorted(members.items()):
        agency = agencies.get(agency_id)
        sector = agency.sector if agency else ""
        colour = _group_colour(sector)
        anode = f"a:{agency_id}"
        name = agency.name if agency else agency_id
        group = GROUP_NAMES.get(_group(sector), "")
        graph.add_node(anode, kind="agency", label_lines=wrap_label([name], 24) + ([f"({group})"] if group else []),
                       title_lines=[name, sector_name(sector), f"{agency.tier} service" if agency else ""],
                       vis={"shape": "box", "color": {"background": _tint(colour), "border": colour},
                            "borderWidth": 2, "font": {"size": style.font}, "margin": style.margin})
        for node in nodes:
            graph.add_edge(node, anode, label=None, title_lines=["works for " + name],
                           vis={"color": "#cfd8dc", "width": 1})
        if agency_id in hidden:
            more = f"more:{agency_id}"
            graph.add_node(more, kind="more", label_lines=wrap_label([f"+{hidden[agency_id]} more from {name}"], 24),
                           title_lines=[f"{hidden[agency_id]} more professionals from {name} work with this family",
                                        "they are listed in the team table"],
                           vis={"shape": "box", "color": {"background": "#fafafa", "border": colour},
                                "shapeProperties": {"borderDashes": [4, 4]}, "font": {"size": more_style.font},
                                "margin": more_style.margin})
            graph.add_edge(anode, more, label=None, title_lines=[], vis={"color": "#cfd8dc", "dashes": True})


def legend() -> list[tuple[str, str, str]]:
    """(kind, colour, text) rows for the legend: sector groups (kind = the vis.js shape), then the marks."""
    return [
        *[(SECTOR_SHAPES.get(group, OTHER_SHAPE), colour, GROUP_NAMES.get(group, group))
          for group, colour in SECTOR_GROUP_COLOURS.items()],
        ("ring", LEAD_GOLD, "Lead professional (★)"),
        ("dash", DUPLICATE_RED, "Duplicated work (thick dashes, DUPLICATED)"),
        ("dash", CONFLICT, "Two leads (conflict)"),
        ("line", WORK_EDGE, "Open work: needs addressed"),
        ("member", "#546e7a", "Member (square; dashed: lives elsewhere)"),
    ]
