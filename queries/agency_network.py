"""Strategic graph work with networkx, aggregates only: which agencies work together (share families), the
communities they form, which pairs most often duplicate each other, the broker agencies between communities,
monthly trends and a district comparison.

Small numbers never leave: a collaboration edge with fewer than 6 shared families is dropped before any graph
algorithm runs (so no community, centrality or total recovers it), and every count shown is 0, 6 or more.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from graphmodel.records import CountyTable
from queries.common import open_on
from queries.duplicates import find_duplicates

__all__ = ["MIN_EDGE", "NETWORK_TABLES", "AgencyNetwork", "agency_network", "district_comparison", "monthly_trends"]

MIN_EDGE = 6
"""Agencies sharing fewer families than this are not linked (small-number suppression)."""

NETWORK_TABLES = (CountyTable.FAMILIES, CountyTable.INVOLVEMENTS, CountyTable.PERSON_NEEDS, CountyTable.LEADS,
                  CountyTable.EPISODES, CountyTable.PROFESSIONALS)


@dataclass(frozen=True, slots=True)
class AgencyNetwork:
    """The suppressed collaboration network and what graph algorithms find in it."""

    graph: nx.Graph  # agencies (name, sector, community) linked by shared families (weight >= MIN_EDGE)
    edges: pd.DataFrame  # agency_a, agency_b, shared_families
    communities: pd.DataFrame  # community, agencies, size, sectors
    brokers: pd.DataFrame  # agency, sector, betweenness, community
    duplicating: pd.DataFrame  # agency_a, agency_b, families (suppressed text), sort_key
    suppressed_edges: int  # how many agency pairs share 1 to 5 families (not drawn)


def _agency_names(tables: dict[CountyTable, pd.DataFrame]) -> tuple[dict[str, str], dict[str, str]]:
    profs = tables[CountyTable.PROFESSIONALS]
    names = {str(a): str(n) for a, n in zip(profs.agency_id, profs.agency_name, strict=True)}
    sectors = {str(a): str(s) for a, s in zip(profs.agency_id, profs.sector, strict=True)}
    return names, sectors


def agency_network(tables: dict[CountyTable, pd.DataFrame], as_of: str) -> AgencyNetwork:
    """Agencies linked by the families they both work with on a date; communities, brokers, duplicating pairs."""
    names, sectors = _agency_names(tables)
    inv = open_on(tables, CountyTable.INVOLVEMENTS, as_of)
    pairs: Counter[tuple[str, str]] = Counter()
    for _family, agencies in inv.groupby("family_id").agency_id:
        for a, b in itertools.combinations(sorted(set(map(str, agencies))), 2):
            pairs[(a, b)] += 1
    graph = nx.Graph()
    graph.add_nodes_from((a, {"name": names.get(a, a), "sector": sectors.get(a, "")})
                         for a in sorted({str(x) for x in inv.agency_id}))
    graph.add_weighted_edges_from((a, b, n) for (a, b), n in pairs.items() if n >= MIN_EDGE)
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    communities = (nx.community.louvain_communities(graph, weight="weight", seed=7) if graph.number_of_edges()
                   else [])
    communities = sorted(communities, key=lambda c: (-len(c), sorted(c)))
    for i, members in enumerate(communities, start=1):
        for node in members:
            graph.nodes[node]["community"] = i
    for _a, _b, data in graph.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    between = nx.betweenness_centrality(graph, weight="distance", normalized=True) if len(graph) > 2 else {}
    edges = pd.DataFrame([(graph.nodes[a]["name"], graph.nodes[b]["name"], d["weight"])
                          for a, b, d in graph.edges(data=True)], columns=["agency_a", "agency_b", "shared_families"])
    edges = edges.sort_values(["shared_families", "agency_a", "agency_b"], ascending=[False, True, True])
    community_rows = [(i, ", ".join(sorted(graph.nodes[n]["name"] for n in members)), len(members),
                       ", ".join(sorted({graph.nodes[n]["sector"] for n in members})))
                      for i, members in enumerate(communities, start=1)]
    brokers = pd.DataFrame([(graph.nodes[n]["name"], graph.nodes[n]["sector"], round(b, 3),
                             graph.nodes[n].get("community")) for n, b in between.items() if b > 0],
                           columns=["agency", "sector", "betweenness", "community"])
    brokers = brokers.sort_values(["betweenness", "agency"], ascending=[False, True]).head(10)
    return AgencyNetwork(graph, edges.reset_index(drop=True),
                         pd.DataFrame(community_rows, columns=["community", "agencies", "size", "sectors"]),
                         brokers.reset_index(drop=True), _duplicating(tables, as_of, names),
                         sum(1 for n in pairs.values() if 1 <= n < MIN_EDGE))


def _duplicating(tables: dict[CountyTable, pd.DataFrame], as_of: str, names: dict[str, str]) -> pd.DataFrame:
    """Agency pairs by the number of families where both work on one person's need at once (duplicated work)."""
    families: dict[tuple[str, str], set[str]] = {}
    for finding in find_duplicates(tables, as_of):
        if finding.kind != "duplicated_work":
            continue
        for a, b in itertools.combinations(sorted(finding.agency_ids), 2):
            families.setdefault((a, b), set()).add(finding.family_id)
    rows = [(names.get(a, a), names.get(b, b), len(fams)) for (a, b), fams in families.items()]
    frame = pd.DataFrame(rows, columns=["agency_a", "agency_b", "families"])
    frame = frame[frame.families >= MIN_EDGE].sort_values(["families", "agency_a"], ascending=[False, True])
    return frame.head(15).reset_index(drop=True)


def _month_ends(as_of: str, months: int) -> list[str]:
    end = pd.Timestamp(as_of)
    return [(end - pd.offsets.MonthEnd(i)).strftime("%Y-%m-%d") if i else as_of for i in range(months - 1, -1, -1)]


def _leaderless(inv: pd.DataFrame, leads: pd.DataFrame) -> int:
    return len(set(inv.family_id) - set(leads.family_id))


def _unmet(needs: pd.DataFrame, inv: pd.DataFrame) -> int:
    worked = set(zip(inv.family_id, inv.need_code, strict=True))
    return sum((f, n) not in worked for f, n in set(zip(needs.family_id, needs.need_code, strict=True)))


def _rereferred(episodes: pd.DataFrame, start: str, end: str) -> int:
    """Families whose early help or social care episode opened in (start, end] within 365 days of one closing."""
    opened = episodes[(episodes.opened.astype(str) > start) & (episodes.opened.astype(str) <= end)]
    closed = episodes[episodes.closed.notna()]
    if opened.empty or closed.empty:
        return 0
    both = opened[["family_id", "opened"]].merge(closed[["family_id", "closed"]], on="family_id")
    gap = (pd.to_datetime(both.opened.astype(str)) - pd.to_datetime(both.closed.astype(str))).dt.days
    return int(both[(gap > 0) & (gap <= 365)].family_id.nunique())


def monthly_trends(tables: dict[CountyTable, pd.DataFrame], as_of: str, months: int = 12) -> pd.DataFrame:
    """Month by month (at each month end): open work, unmet needs, families with open work and no lead,
    and families re-referred in the month. Raw counts: suppress before showing."""
    rows = []
    ends = _month_ends(as_of, months)
    previous = (pd.Timestamp(ends[0]) - pd.offsets.MonthEnd(1)).strftime("%Y-%m-%d")
    for end in ends:
        inv = open_on(tables, CountyTable.INVOLVEMENTS, end)
        rows.append((end[:7], inv.involvement_id.nunique(), _unmet(open_on(tables, CountyTable.PERSON_NEEDS, end), inv),
                     _leaderless(inv, open_on(tables, CountyTable.LEADS, end)),
                     _rereferred(tables[CountyTable.EPISODES], previous, end)))
        previous = end
    return pd.DataFrame(rows, columns=["month", "open_work", "unmet_needs", "leaderless_families", "re_referrals"])


def district_comparison(tables: dict[CountyTable, pd.DataFrame], as_of: str, period_from: str) -> pd.DataFrame:
    """Per district: families, families with open work, without a lead, unmet needs, re-referrals in the period.
    Raw counts: suppress before showing."""
    families = tables[CountyTable.FAMILIES]
    district_of = dict(zip(families.family_id, families.district.fillna("unknown"), strict=True))
    inv = open_on(tables, CountyTable.INVOLVEMENTS, as_of)
    needs = open_on(tables, CountyTable.PERSON_NEEDS, as_of)
    leads = open_on(tables, CountyTable.LEADS, as_of)
    rows = []
    for district in sorted(set(district_of.values())):
        ids = {f for f, d in district_of.items() if d == district}
        d_inv = inv[inv.family_id.isin(ids)]
        episodes = tables[CountyTable.EPISODES]
        rows.append((district, len(ids), d_inv.family_id.nunique(),
                     _leaderless(d_inv, leads[leads.family_id.isin(ids)]),
                     _unmet(needs[needs.family_id.isin(ids)], d_inv),
                     _rereferred(episodes[episodes.family_id.isin(ids)], period_from, as_of)))
    return pd.DataFrame(rows, columns=["district", "families", "with_open_work", "without_lead", "unmet_needs",
                                       "re_referrals"])
