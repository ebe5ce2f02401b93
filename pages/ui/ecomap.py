"""The family ecomap as a networkx graph: family at the centre, members around it, professionals outside,
agencies outermost; coloured by sector, the lead highlighted, duplicated work in red (parallel work and shared
care are not duplication and are drawn as ordinary work), two leads joined by a conflict line.

Every node and edge carries plain text (`label_lines`, `title_lines`) and vis.js styling (`vis`);
pages.ui.pyvis_html escapes the text and draws it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from graphmodel.records import AgencyRecord
from graphmodel.taxonomy import SECTOR_GROUP_COLOURS, SECTORS
from pages.ui.family_view import FamilyView
from pages.ui.labels import GROUP_NAMES, need_short, role_name, sector_name
from queries.team import TeamMember

__all__ = ["CONFLICT", "DEFAULT_PER_AGENCY", "DUPLICATE_RED", "LEAD_GOLD", "EcomapSummary", "build_ecomap", "legend"]

DEFAULT_PER_AGENCY = 6
LEAD_GOLD = "#f2b705"
DUPLICATE_RED = "#e41a1c"
CONFLICT = "#6a1b9a"  # two leads at once
FAMILY_COLOUR = "#263238"
MEMBER_COLOUR = "#eceff1"
WORK_EDGE = "#78909c"
OTHER_GROUP = "#9e9e9e"
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


def _group_colour(sector: str) -> str:
    group = SECTORS[sector].group if sector in SECTORS else ""
    return SECTOR_GROUP_COLOURS.get(group, OTHER_GROUP)


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


def build_ecomap(view: FamilyView, per_agency: int = DEFAULT_PER_AGENCY) -> tuple[nx.MultiGraph, EcomapSummary]:
    """The ecomap graph of one family on the view's date, at most `per_agency` professionals per agency."""
    team, snap = view.team, view.snapshot
    dup_needs: dict[str, list[str]] = defaultdict(list)
    for finding in view.duplicates:
        if finding.kind == "duplicated_work":
            for inv in finding.involvement_ids:
                if need_short(finding.need_code or "") not in dup_needs[inv]:
                    dup_needs[inv].append(need_short(finding.need_code or ""))
    duplicated = set(dup_needs)
    lead_ids = set(team.lead_ids)
    graph = nx.MultiGraph()
    graph.add_node("family", kind="family", label_lines=[team.family_name, team.postcode or ""],
                   title_lines=[team.family_name, f"postcode {team.postcode or 'unknown'}",
                                f"district {team.district or 'unknown'}",
                                f"{len(team.open_episodes)} open episode(s) on {team.as_of}"],
                   vis={"shape": "box", "color": {"background": FAMILY_COLOUR, "border": FAMILY_COLOUR},
                        "font": {"color": "#ffffff", "size": 24}, "margin": 12, "widthConstraint": {"maximum": 220},
                        "x": 0, "y": 0,
                        "fixed": {"x": True, "y": True}, "mass": 4})
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
    drawn_agencies = {t.agency_id for t in team.team if t.professional_id in kept} | {p.agency_id for p in lead_only}
    ring = rings(len(team.members), len(kept) + len(lead_only), len(drawn_agencies))
    member_angle: dict[str, float] = {}
    for i, m in enumerate(team.members):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(team.members))
        member_angle[m.person_id] = angle
        age = f", {m.age}" if m.age is not None else ""
        vis: dict[str, object] = {"shape": "ellipse", "color": {"background": MEMBER_COLOUR, "border": "#546e7a"},
                                  "borderWidth": 2, "font": {"size": 20}, "widthConstraint": {"maximum": 180},
                                  **_polar(ring.members, angle)}
        if not m.resident:
            vis["shapeProperties"] = {"borderDashes": [6, 4]}
        graph.add_node(f"m{i}", kind="member", label_lines=[m.name, f"{role_name(m.role)}{age}"],
                       title_lines=[m.name, f"{role_name(m.role)}{age}",
                                    "lives in the household" if m.resident else "does not live in the household",
                                    "open needs: " + (", ".join(need_short(n) for n in m.open_needs) or "none")],
                       vis=vis)
        graph.add_edge("family", f"m{i}", label=None, title_lines=[f"{m.name}: {role_name(m.role)}"],
                       vis={"color": "#90a4ae", "width": 2, "length": ring.members})
    member_node = {m.person_id: f"m{i}" for i, m in enumerate(team.members)}

    def target_angles(pid: str) -> list[float]:
        targets = [t.person_id for t in team.team if t.professional_id == pid]
        angles = [member_angle[p] for p in targets if p in member_angle]
        return angles or list(member_angle.values()) or [0.0]

    prof_angles = _spread([(_mean_angle(target_angles(pid)), pid) for pid in sorted(kept)]
                          + [(0.0, p.id) for p in lead_only])
    agencies = {a.id: a for a in snap.agencies}
    prof_agency: dict[str, str] = {}
    for t in team.team:
        if t.professional_id not in kept:
            continue
        node = f"p:{t.professional_id}"
        prof_agency[node] = t.agency_id
        if node not in graph:
            _add_professional(graph, node, t, t.professional_id in lead_ids,
                              _polar(ring.professionals, prof_angles[t.professional_id]))
        target = member_node.get(t.person_id or "", "family")
        is_dup = t.involvement_id in duplicated
        needs = ", ".join(need_short(a) for a in t.addresses) or (t.service or "work")
        label = f"DUPLICATED: {', '.join(dup_needs[t.involvement_id])}" if is_dup else needs
        graph.add_edge(node, target, label=label,
                       title_lines=[f"{t.name} ({t.agency}) with {t.with_whom}", f"addresses: {needs}",
                                    f"service: {t.service or 'not recorded'}", f"since {t.since or 'unknown'}",
                                    *(["duplicated: another professional works on the same need"] if is_dup
                                      else [])],
                       vis={"color": DUPLICATE_RED if is_dup else WORK_EDGE, "width": 4 if is_dup else 2,
                            "length": ring.professionals - (ring.members if target != "family" else 0),
                            "dashes": is_dup, "font": {"color": DUPLICATE_RED if is_dup else "#37474f",
                                                       "size": 17, "strokeWidth": 4}})
    for prof in lead_only:
        node = f"p:{prof.id}"
        agency = agencies.get(prof.agency_id)
        prof_agency[node] = prof.agency_id
        graph.add_node(node, kind="professional", label_lines=[f"★ {prof.name}", "lead, no open work"],
                       title_lines=[prof.name, "lead professional (no open piece of work recorded)",
                                    agency.name if agency else prof.agency_id, prof.email or "", prof.phone or ""],
                       vis=_professional_vis(agency.sector if agency else "", True,
                                             _polar(ring.professionals, prof_angles[prof.id])))
        graph.add_edge(node, "family", label="lead", title_lines=["lead professional for the family"],
                       vis={"color": LEAD_GOLD, "width": 3, "dashes": True, "length": ring.professionals})
    _add_lead_conflict(graph, sorted(lead_ids))
    _add_agencies(graph, prof_agency, hidden, agencies, prof_angles, ring)
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
                           vis={"color": CONFLICT, "width": 5, "dashes": [10, 6], "length": 200,
                                "font": {"color": CONFLICT, "size": 17, "strokeWidth": 4}})


def _professional_vis(sector: str, is_lead: bool, at: dict[str, float]) -> dict[str, object]:
    colour = _group_colour(sector)
    return {"shape": "dot", "size": 24 if is_lead else 16, "borderWidth": 7 if is_lead else 2,
            "color": {"background": colour, "border": LEAD_GOLD if is_lead else colour,
                      "highlight": {"background": colour, "border": LEAD_GOLD if is_lead else "#212121"}},
            "font": {"size": 19}, "widthConstraint": {"maximum": 230}, **at}


def _add_professional(graph: nx.MultiGraph, node: str, t: TeamMember, is_lead: bool, at: dict[str, float]) -> None:
    graph.add_node(node, kind="professional",
                   label_lines=[f"★ {t.name}" if is_lead else t.name, "LEAD PROFESSIONAL" if is_lead
                                else (t.role or sector_name(t.sector))],
                   title_lines=[t.name, t.role or "", f"{t.agency} ({t.sector_name}, {t.tier})",
                                *(["lead professional"] if is_lead else []),
                                f"email {t.email or 'not recorded'}", f"phone {t.phone or 'not recorded'}",
                                f"data from {t.source_id or 'unknown source'}"
                                + (f", extracted {t.source_extracted_at}" if t.source_extracted_at else "")],
                   vis=_professional_vis(t.sector, is_lead, at))


def _add_agencies(graph: nx.MultiGraph, prof_agency: dict[str, str], hidden: dict[str, int],
                  agencies: dict[str, AgencyRecord], prof_angles: dict[str, float], ring: Rings) -> None:
    """Agency boxes outermost, each near its professionals, and a '+N more' box where the cap bit."""
    members: dict[str, list[str]] = defaultdict(list)
    for node, agency_id in prof_agency.items():
        members[agency_id].append(node)
    for agency_id, nodes in sorted(members.items()):
        agency = agencies.get(agency_id)
        sector = agency.sector if agency else ""
        colour = _group_colour(sector)
        angle = _mean_angle([prof_angles[n[2:]] for n in nodes])
        anode = f"a:{agency_id}"
        name = agency.name if agency else agency_id
        graph.add_node(anode, kind="agency", label_lines=[name],
                       title_lines=[name, sector_name(sector), f"{agency.tier} service" if agency else ""],
                       vis={"shape": "box", "color": {"background": _tint(colour), "border": colour},
                            "borderWidth": 2, "font": {"size": 18}, "margin": 8, "widthConstraint": {"maximum": 190},
                            **_polar(ring.agencies, angle)})
        for node in nodes:
            graph.add_edge(node, anode, label=None, title_lines=["works for " + name],
                           vis={"color": "#cfd8dc", "width": 1, "length": ring.agencies - ring.professionals})
        if agency_id in hidden:
            more = f"more:{agency_id}"
            graph.add_node(more, kind="more", label_lines=[f"+{hidden[agency_id]} more from {name}"],
                           title_lines=[f"{hidden[agency_id]} more professionals from {name} work with this family",
                                        "they are listed in the team table"],
                           vis={"shape": "box", "color": {"background": "#fafafa", "border": colour},
                                "shapeProperties": {"borderDashes": [4, 4]}, "font": {"size": 16},
                                "widthConstraint": {"maximum": 190},
                                **_polar(ring.agencies + 120, angle)})
            graph.add_edge(anode, more, label=None, title_lines=[],
                           vis={"color": "#cfd8dc", "dashes": True, "length": 90})


def legend() -> list[tuple[str, str, str]]:
    """(kind, colour, text) rows for the legend: sector groups, then the marks."""
    return [
        *[("swatch", colour, GROUP_NAMES.get(group, group)) for group, colour in SECTOR_GROUP_COLOURS.items()],
        ("ring", LEAD_GOLD, "Lead professional (★)"),
        ("dash", DUPLICATE_RED, "Duplicated work"),
        ("dash", CONFLICT, "Two leads (conflict)"),
        ("line", WORK_EDGE, "Open work: needs addressed"),
        ("member", "#546e7a", "Member (dashed: lives elsewhere)"),
    ]
