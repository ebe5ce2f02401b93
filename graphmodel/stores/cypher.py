"""Cypher for the Neo4j store: writes generated from the schema allow-list, reads as named constants.

Every value arrives as a $parameter. Labels and relationship types are only ever taken from
graphmodel.schema, never from input.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphmodel.records import COUNTY_COLUMNS, PERIOD_COLUMNS, CountyTable
from graphmodel.schema import HISTORY_NODES, NODES, NUMBERED, RELS, Label, NodeSpec, RelSpec, RelType, node_spec
from graphmodel.stores import refresh_cypher
from graphmodel.stores.cypher_loads import LOAD_LOG_SCHEMA, UNDO
from graphmodel.stores.queries import FAMILY_MEMBER_COLUMNS, QuerySet

__all__ = ["QUERIES", "SCHEMA_STATEMENTS", "CypherQueries", "count_nodes", "count_rels", "existing_ids",
           "upsert_nodes", "upsert_rels"]


def _label(label: Label | str) -> str:
    """A label from the allow-list, checked again so a bad value can never reach the text."""
    return Label(label).value


def _schema_statements() -> tuple[str, ...]:
    statements = []
    for spec in (*NODES, *HISTORY_NODES):
        label = _label(spec.label)
        statements.append(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                          f"FOR (n:{label}) REQUIRE n.id IS UNIQUE")
        statements += [f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
                       for prop in spec.indexes]
        statements += [f"CREATE INDEX {label.lower()}_{'_'.join(props)} IF NOT EXISTS FOR (n:{label}) "
                       f"ON ({', '.join(f'n.{prop}' for prop in props)})" for props in spec.composite]
    return tuple(statements)


COUNTER = "FamilyGraphCounter"
LOCK_COUNTER = f"MERGE (c:{COUNTER} {{id: $name}}) SET c.taken_at = timestamp()"
"""Taken first in a numbered write: holds the log's write lock until the transaction ends."""

SCHEMA_STATEMENTS: tuple[str, ...] = _schema_statements() + LOAD_LOG_SCHEMA + (
    f"CREATE CONSTRAINT familygraphcounter_id IF NOT EXISTS FOR (n:{COUNTER}) REQUIRE n.id IS UNIQUE",)


def upsert_nodes(spec: NodeSpec) -> str:
    """UNWIND $rows MERGE on id, then set every property of the row."""
    return f"UNWIND $rows AS row MERGE (n:{_label(spec.label)} {{id: row.id}}) SET n += row"


def upsert_rels(spec: RelSpec) -> str:
    """UNWIND $rows MATCH both ends by id, MERGE the relationship on its key, set its properties."""
    key = ", ".join(f"{k}: row.{k}" for k in spec.key)
    rel_type = RelType(spec.type).value
    sets = ", ".join(f"r.{p} = row.{p}" for p in spec.properties)
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{_label(spec.start)} {{id: row.src}}) "
            f"MATCH (b:{_label(spec.end)} {{id: row.dst}}) "
            f"MERGE (a)-[r:{rel_type}{' {' + key + '}' if key else ''}]->(b)"
            + (f" SET {sets}" if sets else ""))


def count_nodes(label: Label) -> str:
    """Count nodes of one label."""
    return f"MATCH (n:{_label(label)}) RETURN count(n) AS n"


def count_rels(rel_type: RelType) -> str:
    """Count relationships of one type."""
    return f"MATCH ()-[r:{RelType(rel_type).value}]->() RETURN count(r) AS n"


def existing_ids(label: Label) -> str:
    """Ids among $ids that exist with this label."""
    return f"MATCH (n:{_label(label)}) WHERE n.id IN $ids RETURN n.id AS id"


UPSERT_NODES: dict[Label, str] = {spec.label: upsert_nodes(spec) for spec in (*NODES, *HISTORY_NODES)}
UPSERT_RELS: dict[str, str] = {spec.name: upsert_rels(spec) for spec in RELS}

_CLEARED_FIRST = (Label.PERSON, Label.INVOLVEMENT, Label.FAMILY, Label.EPISODE)
_CLEAR_ORDER = (*_CLEARED_FIRST, *(label for label in Label if label not in (*_CLEARED_FIRST, Label.NEED)))
"""Nodes with many relationships last: by then the work they delivered or led is gone."""
CLEAR = (f"MATCH (u:{UNDO}) WITH u LIMIT 2 DELETE u RETURN count(*) AS deleted",
         *(f"MATCH (n:{_label(label)}) WITH n LIMIT {20 if node_spec(label).big else 2000} DETACH DELETE n "
           "RETURN count(*) AS deleted" for label in _CLEAR_ORDER),
         "MATCH (n) WHERE NOT n:Need AND NOT n:AuditEntry WITH n LIMIT 2000 DETACH DELETE n RETURN count(*) AS deleted")
"""Clearing in bounded transactions, each statement repeated until it deletes nothing (Neo4jStore._script):
load logs first (their records are large), then label by label through the label index (20 at a time for
labels whose values are big, NodeSpec.big), people and work first, so no node has more than a few dozen
relationships left when its turn comes (the dense Need nodes stay), then anything left. The earlier form (one
MATCH over every relationship or node with CALL IN TRANSACTIONS) passed the 256 MiB transaction cap at 300,000
families. The audit log is never cleared."""

_PROFESSIONAL_MAP = """[(pr)-[:WORKS_FOR]->(a:Agency) | {id: pr.id, name: pr.name, role: pr.role, team: pr.team,
        email: pr.email, phone: pr.phone, lead_capacity: pr.lead_capacity, source_id: pr.source_id,
        agency_id: a.id, agency_name: a.name, sector: a.sector, tier: a.tier, agency_district: a.district}][0]"""

FAMILY_SNAPSHOTS = f"""
CALL () {{
    WITH 1 AS one WHERE $with_sources
    MATCH (s:Source)
    OPTIONAL MATCH (a:Agency {{id: s.agency_id}})
    RETURN collect({{id: s.id, agency_id: s.agency_id, extracted_at: s.extracted_at, coverage_from: s.coverage_from,
                    coverage_to: s.coverage_to, description: s.description, agency_name: a.name,
                    county_wide: a.district IS NULL}}) AS all_sources
}}
UNWIND $family_ids AS family_id
MATCH (f:Family {{id: family_id}})
WITH f, all_sources,
    [(p:Person)-[m:MEMBER_OF]->(f) | {{person_id: p.id, given_name: p.given_name, family_name: p.family_name,
        dob: p.dob, sex: p.sex, role: m.role, resident: m.resident, source_id: m.source_id}}] AS members,
    [(f)<-[:MEMBER_OF]-(a:Person)-[r:RELATED_TO]->(b:Person) WHERE (b)-[:MEMBER_OF]->(f) |
        {{person_id: a.id, related_person_id: b.id, kind: r.kind}}] AS relationships,
    [(f)<-[:MEMBER_OF]-(p:Person)-[h:HAS_NEED]->(n:Need) | {{person_id: p.id, need_code: n.id, since: h.since,
        until: h.until, status: h.status, source_id: h.source_id}}] AS needs,
    [(pr:Professional)-[:DELIVERS]->(i:Involvement)-[:WITH]->(f) | {{id: i.id, professional_id: pr.id,
        person_id: null, service: i.service, start: i.start_date, end: i.end_date, source_id: i.source_id,
        need_codes: [(i)-[:ADDRESSES]->(n:Need) | n.id], professional: {_PROFESSIONAL_MAP}}}]
    + [(pr:Professional)-[:DELIVERS]->(i:Involvement)-[:WITH]->(p:Person)-[:MEMBER_OF]->(f) | {{id: i.id,
        professional_id: pr.id, person_id: p.id, service: i.service, start: i.start_date, end: i.end_date,
        source_id: i.source_id, need_codes: [(i)-[:ADDRESSES]->(n:Need) | n.id],
        professional: {_PROFESSIONAL_MAP}}}] AS involvements,
    [(pr:Professional)-[l:LEADS]->(f) | {{professional_id: pr.id, family_id: f.id, since: l.since, until: l.until,
        source_id: l.source_id, professional: {_PROFESSIONAL_MAP}}}] AS leads,
    [(f)-[:HAD]->(e:Episode) | {{id: e.id, kind: e.kind, opened: e.opened, closed: e.closed,
        end_reason: e.end_reason, assessment_date: e.assessment_date, plan_date: e.plan_date,
        source_id: e.source_id}}] AS episodes,
    [(f)<-[:MEMBER_OF]-(p:Person)-[s:SAME_AS]-(o:Person) | {{person_id: p.id, other_person_id: o.id,
        other_name: o.given_name + ' ' + o.family_name, other_dob: o.dob, other_source_id: o.source_id,
        match_probability: s.match_probability, status: s.status, reason: s.reason}}] AS links
WITH f, all_sources, members, relationships, needs, involvements, leads, episodes, links,
    [f.source_id] + [x IN members | x.source_id] + [x IN needs | x.source_id] + [x IN involvements | x.source_id]
    + [x IN leads | x.source_id] + [x IN episodes | x.source_id] AS fact_sources
RETURN f {{.id, .name, .postcode, .district, .source_id}} AS family, members, relationships, needs,
    involvements, leads, episodes, links,
    [s IN all_sources WHERE s.county_wide OR s.id IN fact_sources] AS sources
"""

SOURCES = """
MATCH (s:Source)
OPTIONAL MATCH (a:Agency {id: s.agency_id})
RETURN s.id AS id, s.agency_id AS agency_id, s.extracted_at AS extracted_at, s.coverage_from AS coverage_from,
       s.coverage_to AS coverage_to, s.description AS description, a.name AS agency_name
ORDER BY id
"""

def _person_lookups(key: str) -> str:
    """The front door's lookups as one UNION, each branch one index seek; `key` reads a search key ('$' for a
    parameter, 'q.' for a field of the map q)."""
    return f"""
        MATCH (p:Person) WHERE p.family_phonetic = CASE WHEN {key}given_prefix IS NULL THEN {key}family_phonetic END
        RETURN p
        UNION
        MATCH (p:Person) WHERE p.family_phonetic = {key}family_phonetic AND p.given_key STARTS WITH {key}given_prefix
        RETURN p
        UNION
        MATCH (p:Person) WHERE p.given_key = {key}given_key RETURN p
        UNION
        MATCH (p:Person) WHERE p.dob = {key}dob RETURN p
        UNION
        MATCH (p:Person) WHERE p.postcode = {key}postcode RETURN p"""


def _search_rank(key: str) -> str:
    """A candidate p's rank before the cap, as sql.SEARCH_RANK (its front-door score estimated in the database);
    `key` reads a search key as in _person_lookups."""
    typo = (f"size(p.dob) = 10 AND size({key}rank_dob) = 10"
            f" AND size([i IN range(0, 9) WHERE substring(p.dob, i, 1) <> substring({key}rank_dob, i, 1)]) = 1")
    return f"""
        7 * CASE WHEN p.family_key = {key}rank_family THEN 20
                 WHEN {key}rank_family IS NULL OR coalesce(p.family_key, '') = '' THEN 0
                 WHEN p.family_phonetic = {key}rank_phonetic THEN 17 ELSE 8 END
        + 5 * CASE WHEN p.given_key IN {key}rank_forms THEN 20
                   WHEN {key}rank_given IS NULL OR coalesce(p.given_key, '') = '' THEN 0
                   WHEN NOT coalesce(p.given_key STARTS WITH {key}rank_g1, false) THEN 9
                   WHEN NOT coalesce(p.given_key STARTS WITH {key}rank_g2, false) THEN 11
                   WHEN NOT coalesce(p.given_key STARTS WITH {key}rank_g3, false) THEN 14
                   WHEN NOT coalesce(p.given_key STARTS WITH {key}rank_g4, false) THEN 16 ELSE 18 END
        + 6 * CASE WHEN {key}rank_dob IS NULL THEN 0 WHEN p.dob = {key}rank_dob THEN 20
                   WHEN p.dob = {key}rank_swapped THEN 16
                   WHEN p.dob STARTS WITH {key}rank_year THEN CASE WHEN {typo} THEN 12 ELSE 6 END
                   WHEN p.dob ENDS WITH {key}rank_tail AND {typo} THEN 12 ELSE 0 END
        + 2 * CASE WHEN {key}rank_postcode IS NULL THEN 0 WHEN p.postcode = {key}rank_postcode THEN 20
                   WHEN p.postcode <> '' AND CASE WHEN size(p.postcode) > 3 THEN left(p.postcode, size(p.postcode) - 3)
                                                  ELSE '' END = {key}rank_district THEN 10
                   ELSE 0 END"""


SEARCH_PEOPLE = f"""
CALL () {{{_person_lookups("$")}
}}
WITH p ORDER BY CASE WHEN $ranked THEN {_search_rank("$")} ELSE 0 END DESC, p.id LIMIT $limit
OPTIONAL MATCH (p)-[:MEMBER_OF]->(f:Family)
RETURN p.id AS person_id, p.given_name AS given_name, p.family_name AS family_name, p.dob AS dob,
       p.postcode AS postcode, p.given_key AS given_key, p.family_key AS family_key, f.id AS family_id
"""
"""People by any key given, the best $limit by rank (_search_rank, then id). Each branch is one index seek: a family
name's sound alone (only when no initial is given: the CASE makes the seek value null otherwise), or with a given
name's initial through the composite index (person_family_phonetic_given_key), so a common name is not read whole
to keep a few."""

SEARCH_PEOPLE_MANY = f"""
UNWIND range(0, size($searches) - 1) AS search
CALL (search) {{
    WITH $searches[search] AS q
    CALL (q) {{{_person_lookups("q.")}
    }}
    WITH q, p ORDER BY CASE WHEN q.ranked THEN {_search_rank("q.")} ELSE 0 END DESC, p.id
    WITH q, collect(p) AS found
    UNWIND found[..q.limit] AS p
    RETURN p
}}
OPTIONAL MATCH (p)-[:MEMBER_OF]->(f:Family)
RETURN collect([search, p.id, p.given_name, p.family_name, p.dob, p.postcode, p.given_key, p.family_key, f.id])
       AS rows
"""
"""SEARCH_PEOPLE for each map in $searches (its keys and limit), in one round trip: one record holding every
row as a list (SEARCH_PEOPLE_COLUMNS, the search's position first), far fewer records to decode."""
SEARCH_PEOPLE_COLUMNS = ("search", "person_id", "given_name", "family_name", "dob", "postcode", "given_key",
                         "family_key", "family_id")

FAMILY_MEMBERS = """
UNWIND $ids AS family_id
MATCH (p:Person)-[m:MEMBER_OF]->(f:Family {id: family_id})
RETURN f.id AS family_id, p.id AS person_id, p.given_name AS given_name, p.family_name AS family_name, p.dob AS dob,
       p.sex AS sex, m.role AS role, m.resident AS resident, m.source_id AS source_id
"""

FAMILY_IDS = """
MATCH (f:Family) WHERE $district IS NULL OR f.district = $district
RETURN f.id AS id ORDER BY id
"""

FAMILY_COUNT = """
MATCH (f:Family) WHERE $district IS NULL OR f.district = $district
RETURN count(DISTINCT f.id) AS n
"""

LEAD_LOAD = """
MATCH (p:Professional)-[l:LEADS]->(f:Family)
WHERE p.id IN $ids AND l.since <= $as_of AND (l.until IS NULL OR l.until >= $as_of)
RETURN p.id AS professional_id, count(DISTINCT f) AS families
"""

_IN_DISTRICT = "($district IS NULL OR fam.district = $district)"

COUNTY_FAMILIES = f"""
MATCH (fam:Family) WHERE {_IN_DISTRICT}
RETURN fam.id AS family_id, fam.name AS name, fam.district AS district
"""

# Starts from the professionals: each one's agency is found once, not once per piece of work (a professional's
# relationships are many, so expanding WORKS_FOR from every involvement's professional read them all each time).
def _open(start: str, end: str) -> str:
    """A predicate: the period (start, end properties) contains $as_of (missing = open)."""
    return f"({start} IS NULL OR {start} <= $as_of) AND ({end} IS NULL OR {end} >= $as_of)"


_COUNTY_INVOLVEMENTS = """
MATCH (pr:Professional)-[:WORKS_FOR]->(a:Agency)
MATCH (pr)-[:DELIVERS]->(i:Involvement)-[:WITH]->(x){open}
OPTIONAL MATCH (x:Person)-[:MEMBER_OF]->(pf:Family)
WITH i, pr, a, CASE WHEN x:Family THEN x ELSE pf END AS fam, CASE WHEN x:Person THEN x.id END AS person_id
WHERE fam IS NOT NULL AND {in_district}
MATCH (i)-[:ADDRESSES]->(n:Need)
RETURN i.id AS involvement_id, fam.id AS family_id, person_id, pr.id AS professional_id, a.id AS agency_id,
       a.sector AS sector, a.tier AS tier, n.id AS need_code, i.start_date AS start, i.end_date AS end
"""
COUNTY_INVOLVEMENTS = _COUNTY_INVOLVEMENTS.format(open="", in_district=_IN_DISTRICT)
COUNTY_INVOLVEMENTS_OPEN = _COUNTY_INVOLVEMENTS.format(open=" WHERE " + _open("i.start_date", "i.end_date"),
                                                       in_district=_IN_DISTRICT)
"""Open on $as_of, kept to the open work before each one's family is looked for."""

_COUNTY_PERSON_NEEDS = """
MATCH (fam:Family)<-[m:MEMBER_OF]-(p:Person)-[h:HAS_NEED]->(n:Need)
WHERE {in_district}{open}
RETURN fam.id AS family_id, p.id AS person_id, m.role AS role, n.id AS need_code, h.since AS since,
       h.until AS until
"""
COUNTY_PERSON_NEEDS = _COUNTY_PERSON_NEEDS.format(in_district=_IN_DISTRICT, open="")
COUNTY_PERSON_NEEDS_OPEN = _COUNTY_PERSON_NEEDS.format(in_district=_IN_DISTRICT,
                                                       open=" AND " + _open("h.since", "h.until"))
"""Open on $as_of, kept to the open needs before each person's family is looked for."""

COUNTY_LEADS = f"""
MATCH (pr:Professional)-[l:LEADS]->(fam:Family)
WHERE {_IN_DISTRICT}
MATCH (pr)-[:WORKS_FOR]->(a:Agency)
RETURN fam.id AS family_id, pr.id AS professional_id, pr.team AS team, a.id AS agency_id, l.since AS since,
       l.until AS until
"""

COUNTY_EPISODES = f"""
MATCH (fam:Family)-[:HAD]->(e:Episode)
WHERE {_IN_DISTRICT}
RETURN fam.id AS family_id, e.id AS episode_id, e.kind AS kind, e.opened AS opened, e.closed AS closed,
       e.end_reason AS end_reason, e.assessment_date AS assessment_date, e.plan_date AS plan_date
"""

COUNTY_PROFESSIONALS = """
MATCH (p:Professional)-[:WORKS_FOR]->(a:Agency)
WHERE $district IS NULL OR a.district IS NULL OR a.district = $district
RETURN p.id AS professional_id, p.name AS name, p.team AS team, a.id AS agency_id, a.name AS agency_name,
       a.sector AS sector, p.lead_capacity AS lead_capacity
"""

COUNTY_PEOPLE = """
MATCH (p:Person)
WHERE $district IS NULL OR EXISTS { (p)-[:MEMBER_OF]->(fam:Family {district: $district}) }
RETURN p.id AS person_id, p.source_id AS source_id, p.given_name AS given_name, p.family_name AS family_name,
       p.dob AS dob, p.sex AS sex, p.postcode AS postcode, p.nhs_number AS nhs_number, p.upn AS upn,
       p.address_line1 AS address_line1, p.town AS town, p.police_id AS police_id, p.other_id AS other_id
"""

COUNTY_MEMBERSHIPS = f"""
MATCH (p:Person)-[m:MEMBER_OF]->(fam:Family)
WHERE {_IN_DISTRICT}
RETURN p.id AS person_id, fam.id AS family_id, m.role AS role, m.resident AS resident
"""

COUNTY_LINKS = """
MATCH (a:Person)-[s:SAME_AS]->(b:Person)
RETURN a.id AS person_id, b.id AS other_person_id, s.match_probability AS match_probability,
       s.match_weight AS match_weight, s.reason AS reason, s.status AS status
"""

COUNTY_DECISIONS = """
MATCH (d:Decision)
RETURN d.seq AS seq, d.id AS id, d.record_id_l AS record_id_l, d.record_id_r AS record_id_r, d.action AS action,
       d.who AS who, d.decided_at AS decided_at, d.why AS why, d.match_probability AS match_probability,
       d.reason AS reason
"""

COUNTY_HUB_EVENTS = """
MATCH (e:HubEvent)
WHERE $district IS NULL OR EXISTS { MATCH (f:Family {id: e.family_id}) WHERE f.district = $district }
RETURN e.seq AS seq, e.id AS id, e.kind AS kind, e.subject AS subject, e.family_id AS family_id, e.who AS who,
       e.at AS at, e.why AS why, e.assignee AS assignee, e.fingerprint AS fingerprint, e.effective AS effective
"""


def delete_label(label: Label) -> str:
    """Delete every node of one label (and its relationships)."""
    return f"MATCH (n:{_label(label)}) DETACH DELETE n"


def delete_rels(rel_type: RelType) -> str:
    """Delete every relationship of one type."""
    return f"MATCH ()-[r:{RelType(rel_type).value}]->() DELETE r"


UNCOLLECTED: dict[str, str] = {}
"""Each collected query's plain form, streamed row by row when the collected list passes the server's
transaction memory limit (a whole county table at national scale)."""


def collected(query: str, columns: tuple[str, ...], period: tuple[str, str] | None = None) -> str:
    """The query's rows as one list of lists (far fewer driver records to decode for big tables); with a period
    (start, end columns), only the rows whose period contains $as_of (missing = open)."""
    names = ", ".join(f"`{c}`" for c in columns)
    where = "" if period is None else (f"WITH * WHERE (`{period[0]}` IS NULL OR `{period[0]}` <= $as_of) "
                                       f"AND (`{period[1]}` IS NULL OR `{period[1]}` >= $as_of) ")
    text = f"CALL () {{ {query} }} {where}RETURN collect([{names}]) AS rows"
    UNCOLLECTED[text] = f"CALL () {{ {query} }} {where}RETURN {names}"
    return text


@dataclass(frozen=True, slots=True)
class CypherQueries(QuerySet):
    """The Neo4j query set: the shared queries plus the one-round-trip family snapshot."""

    family_snapshots: str = ""
    search_people_many: str = ""


_COUNTY = {
    CountyTable.FAMILIES: COUNTY_FAMILIES,
    CountyTable.INVOLVEMENTS: COUNTY_INVOLVEMENTS,
    CountyTable.PERSON_NEEDS: COUNTY_PERSON_NEEDS,
    CountyTable.LEADS: COUNTY_LEADS,
    CountyTable.EPISODES: COUNTY_EPISODES,
    CountyTable.PROFESSIONALS: COUNTY_PROFESSIONALS,
    CountyTable.PEOPLE: COUNTY_PEOPLE,
    CountyTable.MEMBERSHIPS: COUNTY_MEMBERSHIPS,
    CountyTable.LINKS: COUNTY_LINKS,
    CountyTable.DECISIONS: COUNTY_DECISIONS,
    CountyTable.HUB_EVENTS: COUNTY_HUB_EVENTS,
}

_COUNTY_OPEN = {CountyTable.INVOLVEMENTS: COUNTY_INVOLVEMENTS_OPEN, CountyTable.PERSON_NEEDS: COUNTY_PERSON_NEEDS_OPEN}
"""Tables whose open rows are picked inside the query (where it saves looking up closed rows' families)."""

QUERIES = CypherQueries(
    dialect="Cypher",
    param_marker="$",
    schema=SCHEMA_STATEMENTS,
    upsert_nodes=UPSERT_NODES,
    upsert_rels=UPSERT_RELS,
    delete_nodes={spec.label: delete_label(spec.label) for spec in (*NODES, *HISTORY_NODES)},
    delete_rels={spec.name: delete_rels(spec.type) for spec in RELS},
    count_nodes={spec.label: count_nodes(spec.label) for spec in NODES},
    count_rels={t: count_rels(t) for t in RelType},
    existing_ids={spec.label: existing_ids(spec.label) for spec in NODES},
    delete_rel_rows=refresh_cypher.DELETE_REL_ROWS,
    delete_node_rows=refresh_cypher.DELETE_NODE_ROWS,
    clear_facts=refresh_cypher.CLEAR_FACTS,
    clear=CLEAR,
    family_ids=FAMILY_IDS,
    family_count=FAMILY_COUNT,
    search_people=SEARCH_PEOPLE,
    lead_load=LEAD_LOAD,
    sources=SOURCES,
    family_members=collected(FAMILY_MEMBERS, FAMILY_MEMBER_COLUMNS),
    county={table: collected(query, COUNTY_COLUMNS[table]) for table, query in _COUNTY.items()},
    county_open={table: collected(_COUNTY_OPEN.get(table, query), COUNTY_COLUMNS[table], PERIOD_COLUMNS[table])
                 for table, query in _COUNTY.items() if table in PERIOD_COLUMNS},
    family_snapshots=FAMILY_SNAPSHOTS,
    search_people_many=SEARCH_PEOPLE_MANY,
    last_seq={label: f"MATCH (n:{Label(label).value}) RETURN max(toInteger(n.seq)) AS seq" for label in NUMBERED},
)
"""Every query the Neo4j store runs (checked complete when this module is imported)."""
