"""SQL for the embedded store: tables generated from the schema allow-list, reads as named constants."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphmodel.records import PERIOD_COLUMNS, CountyTable
from graphmodel.schema import HISTORY_NODES, NODES, NUMBERED, RELS, Label, NodeSpec, RelSpec, RelType
from graphmodel.stores.queries import QuerySet

__all__ = ["DDL", "QUERIES", "SqlQueries", "added_columns_ddl", "node_table", "rel_table", "upsert_node_sql",
           "upsert_rel_sql"]

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_INTEGER_PROPS = {"lead_capacity", "resident", "records", "seq"}
_REAL_PROPS = {"match_probability", "match_weight"}


def _column_type(prop: str) -> str:
    """SQLite column affinity of a property."""
    return "INTEGER" if prop in _INTEGER_PROPS else "REAL" if prop in _REAL_PROPS else "TEXT"


def _ident(name: str) -> str:
    """Quote an identifier taken from the schema allow-list (never from input)."""
    if not _IDENT.match(name):
        raise ValueError(f"not a schema identifier: {name!r}")
    return f'"{name}"'


def node_table(label: Label | str) -> str:
    """Table name of a node label."""
    return _ident(f"node_{str(label).lower()}")


def rel_table(name: str) -> str:
    """Table name of a relationship spec."""
    return _ident(f"rel_{name}")


_COVERING: dict[tuple[str, ...], tuple[str, ...]] = {
    ("family_phonetic", "given_key"): ("dob", "family_key", "postcode")}
"""Columns SQLite's copy of a composite index also holds: the front door ranks a common name's crowd (SEARCH_RANK)
from the index alone, without reading thousands of table rows."""


def _node_ddl(spec: NodeSpec) -> list[str]:
    cols = ", ".join(f"{_ident(p)} {_column_type(p)}" + (" PRIMARY KEY" if p == "id" else "")
                     for p in spec.properties)
    table = node_table(spec.label)
    statements = [f"CREATE TABLE IF NOT EXISTS {table} ({cols}) WITHOUT ROWID"]
    statements += [f"CREATE INDEX IF NOT EXISTS {_ident(f'ix_{spec.label.lower()}_{p}')} ON {table} ({_ident(p)})"
                   for p in spec.indexes]
    composite = [(*props, *_COVERING.get(props, ())) for props in spec.composite]
    statements += [f"CREATE INDEX IF NOT EXISTS {_ident(f'ix_{spec.label.lower()}_' + '_'.join(props))} ON {table} "
                   f"({', '.join(map(_ident, props))})" for props in composite]
    return statements


def _rel_ddl(spec: RelSpec) -> list[str]:
    props = [*spec.key, *spec.properties]
    cols = ", ".join(["src TEXT NOT NULL", "dst TEXT NOT NULL",
                      *(f"{_ident(p)} {_column_type(p)}" for p in props)])
    pk = ", ".join(["src", "dst", *map(_ident, spec.key)])
    table = rel_table(spec.name)
    return [f"CREATE TABLE IF NOT EXISTS {table} ({cols}, PRIMARY KEY ({pk})) WITHOUT ROWID",
            f"CREATE INDEX IF NOT EXISTS {_ident(f'ix_{spec.name}_dst')} ON {table} (dst)"]


TABLES: tuple[str, ...] = tuple(node_table(s.label).strip('"') for s in NODES) + tuple(
    rel_table(s.name).strip('"') for s in RELS)
"""Every table of the schema, unquoted."""

DDL: tuple[str, ...] = tuple(
    [s for spec in (*NODES, *HISTORY_NODES) for s in _node_ddl(spec)] + [s for spec in RELS for s in _rel_ddl(spec)]
)


def added_columns_ddl(columns: dict[str, set[str]]) -> list[str]:
    """ALTER TABLE ... ADD COLUMN for each schema property a store made by an earlier version lacks.

    columns: unquoted table name -> the columns it has now (tables not given are left alone).
    """
    statements = []
    for spec in (*NODES, *HISTORY_NODES):
        table = node_table(spec.label)
        have = columns.get(table.strip('"'))
        if have is None:
            continue
        statements += [f"ALTER TABLE {table} ADD COLUMN {_ident(p)} {_column_type(p)}"
                       for p in spec.properties if p not in have]
    return statements


def upsert_node_sql(spec: NodeSpec) -> str:
    """INSERT ... ON CONFLICT(id) DO UPDATE for one label (named parameters)."""
    cols = ", ".join(map(_ident, spec.properties))
    params = ", ".join(f":{p}" for p in spec.properties)
    updates = ", ".join(f"{_ident(p)} = excluded.{_ident(p)}" for p in spec.properties if p != "id")
    return (f"INSERT INTO {node_table(spec.label)} ({cols}) VALUES ({params}) "  # noqa: S608 - allow-listed
            f"ON CONFLICT(id) DO UPDATE SET {updates}")


def upsert_rel_sql(spec: RelSpec) -> str:
    """INSERT ... ON CONFLICT(src, dst, key) DO UPDATE for one relationship spec."""
    props = [*spec.key, *spec.properties]
    cols = ", ".join(["src", "dst", *map(_ident, props)])
    params = ", ".join([":src", ":dst", *(f":{p}" for p in props)])
    conflict = ", ".join(["src", "dst", *map(_ident, spec.key)])
    action = (f"DO UPDATE SET {', '.join(f'{_ident(p)} = excluded.{_ident(p)}' for p in spec.properties)}"
              if spec.properties else "DO NOTHING")
    return (f"INSERT INTO {rel_table(spec.name)} ({cols}) VALUES ({params}) "  # noqa: S608 - allow-listed
            f"ON CONFLICT({conflict}) {action}")


FAMILY = "SELECT id, name, postcode, district, source_id FROM node_family WHERE id IN ({ids})"
"""Each snapshot part reads the families listed in {ids} at once, with a family_id column to split them by."""

MEMBERS = """
SELECT m.dst AS family_id, p.id AS person_id, p.given_name, p.family_name, p.dob, p.sex, m.role, m.resident,
       m.source_id
FROM rel_member_of m JOIN node_person p ON p.id = m.src
WHERE m.dst IN ({ids})
"""

RELATIONSHIPS = """
SELECT a.dst AS family_id, r.src AS person_id, r.dst AS related_person_id, r.kind
FROM rel_member_of a
JOIN rel_related_to r ON r.src = a.src
JOIN rel_member_of b ON b.src = r.dst AND b.dst = a.dst
WHERE a.dst IN ({ids})
"""

PERSON_NEEDS = """
SELECT m.dst AS family_id, h.src AS person_id, h.dst AS need_code, h.since, h.until, h.status, h.source_id
FROM rel_member_of m JOIN rel_has_need h ON h.src = m.src
WHERE m.dst IN ({ids})
"""

FAMILY_INVOLVEMENTS = """
WITH family_involvement(family_id, involvement_id, person_id) AS (
    SELECT dst, src, NULL FROM rel_with_family WHERE dst IN ({ids})
    UNION
    SELECT m.dst, w.src, w.dst FROM rel_member_of m
    JOIN rel_with_person w ON w.dst = m.src WHERE m.dst IN ({ids})
)
SELECT fi.family_id, i.id, d.src AS professional_id, fi.person_id, i.service, i.start_date AS start,
       i.end_date AS "end", i.source_id
FROM family_involvement fi
JOIN node_involvement i ON i.id = fi.involvement_id
JOIN rel_delivers d ON d.dst = i.id
"""

ADDRESSES = "SELECT src AS involvement_id, dst AS need_code FROM rel_addresses WHERE src IN ({ids})"

PROFESSIONALS = """
SELECT p.id, p.name, p.role, p.team, p.email, p.phone, p.lead_capacity, p.source_id,
       a.id AS agency_id, a.name AS agency_name, a.sector, a.tier, a.district AS agency_district
FROM node_professional p
JOIN rel_works_for w ON w.src = p.id
JOIN node_agency a ON a.id = w.dst
WHERE p.id IN ({ids})
"""

LEADS = """
SELECT src AS professional_id, dst AS family_id, since, until, source_id FROM rel_leads WHERE dst IN ({ids})
"""

EPISODES = """
SELECT h.src AS family_id, e.id, e.kind, e.opened, e.closed, e.end_reason, e.assessment_date, e.plan_date,
       e.source_id
FROM rel_had h JOIN node_episode e ON e.id = h.dst WHERE h.src IN ({ids})
"""

FAMILY_SOURCES = """
SELECT s.id, s.agency_id, s.extracted_at, s.coverage_from, s.coverage_to, s.description, a.name AS agency_name,
       a.district IS NULL AS county_wide
FROM node_source s LEFT JOIN node_agency a ON a.id = s.agency_id
WHERE a.district IS NULL OR s.id IN ({ids})
"""
"""Sources that matter to the families: county-wide services' (marked county_wide: every family's) and those
behind one of their facts (ids)."""

SOURCES = """
SELECT s.id, s.agency_id, s.extracted_at, s.coverage_from, s.coverage_to, s.description, a.name AS agency_name
FROM node_source s LEFT JOIN node_agency a ON a.id = s.agency_id
WHERE a.district IS NULL OR s.id IN ({ids})
"""
"""Sources that matter to one family: county-wide services' and those behind one of its facts."""

SOURCES = """
SELECT s.id, s.agency_id, s.extracted_at, s.coverage_from, s.coverage_to, s.description, a.name AS agency_name
FROM node_source s LEFT JOIN node_agency a ON a.id = s.agency_id ORDER BY s.id
"""

_DOB_TYPO = ("length(dob) = 10 AND length(:rank_dob) = 10 AND "
             + " + ".join(f"(substr(dob, {i}, 1) <> substr(:rank_dob, {i}, 1))" for i in range(1, 11)) + " = 1")

SEARCH_RANK = f"""
    7 * CASE WHEN family_key = :rank_family THEN 20 WHEN :rank_family IS NULL OR coalesce(family_key, '') = '' THEN 0
             WHEN family_phonetic = :rank_phonetic THEN 17 ELSE 8 END
    + 5 * CASE WHEN given_key IN ({{rank_forms}}) THEN 20
               WHEN :rank_given IS NULL OR coalesce(given_key, '') = '' THEN 0
               WHEN NOT coalesce(substr(given_key, 1, 1) = :rank_g1, 0) THEN 9
               WHEN NOT coalesce(substr(given_key, 1, 2) = :rank_g2, 0) THEN 11
               WHEN NOT coalesce(substr(given_key, 1, 3) = :rank_g3, 0) THEN 14
               WHEN NOT coalesce(substr(given_key, 1, 4) = :rank_g4, 0) THEN 16 ELSE 18 END
    + 6 * CASE WHEN :rank_dob IS NULL THEN 0 WHEN dob = :rank_dob THEN 20 WHEN dob = :rank_swapped THEN 16
               WHEN substr(dob, 1, 4) = :rank_year THEN CASE WHEN {_DOB_TYPO} THEN 12 ELSE 6 END
               WHEN substr(dob, 5) = :rank_tail AND {_DOB_TYPO} THEN 12 ELSE 0 END
    + 2 * CASE WHEN :rank_postcode IS NULL THEN 0 WHEN postcode = :rank_postcode THEN 20
               WHEN postcode <> '' AND substr(postcode, 1, length(postcode) - 3) = :rank_district THEN 10 ELSE 0 END"""
"""A candidate's rank before the cap: its front-door score estimated in the database (weights 7:5:6:2 = 0.35, 0.25,
0.3, 0.1; each part's similarity in twentieths). Exact for the date of birth and postcode tiers and for a name part
that matches exactly (the family key; the given name or one of its nicknames, rank_forms); a name that does not is
given the typical Jaro-Winkler similarity of its kind (a family name with the same sound 0.85, another 0.4; a given
name sharing 4, 3, 2, 1 or no first letters with the one asked 0.9, 0.8, 0.7, 0.55, 0.45)."""

_BY_SOUND = ("coalesce(family_phonetic = :family_phonetic AND (:given_prefix IS NULL"
             " OR substr(given_key, 1, length(:given_prefix)) = :given_prefix), 0) = 0")
_LOOKUPS = (
    "family_phonetic = CASE WHEN :given_prefix IS NULL THEN :family_phonetic END",
    "family_phonetic = :family_phonetic AND given_key >= :given_prefix AND given_key < :given_prefix || char(1114111)"
    " AND substr(given_key, 1, length(:given_prefix)) = :given_prefix",
    f"given_key = :given_key AND {_BY_SOUND}",
    f"dob = :dob AND {_BY_SOUND} AND coalesce(given_key = :given_key, 0) = 0",
    f"postcode = :postcode AND {_BY_SOUND} AND coalesce(given_key = :given_key, 0) = 0"
    " AND coalesce(dob = :dob, 0) = 0",
)
"""The front door's lookups, each an index seek, each leaving out the people an earlier one finds (so the UNION ALL
holds a person once): the sound alone (only when no initial is given: the CASE makes the seek value null otherwise),
the sound and a given name's start (a range seek on the (family_phonetic, given_key, ...) index, which also holds the
ranked columns, so a common name's crowd is ranked without table reads), the given key, the date of birth, the
postcode."""

SEARCH_PEOPLE = f"""
SELECT p.id AS person_id, p.given_name, p.family_name, p.dob, p.postcode, p.given_key, p.family_key,
       m.dst AS family_id
FROM (
    SELECT id FROM ({" UNION ALL ".join(f"SELECT id, CASE WHEN :ranked THEN {SEARCH_RANK} ELSE 0 END AS rank"
                                        f" FROM node_person WHERE {where}"
                                        for where in _LOOKUPS)})
    ORDER BY rank DESC, id LIMIT :limit
) hit
JOIN node_person p ON p.id = hit.id
LEFT JOIN rel_member_of m ON m.src = p.id
"""  # noqa: S608
"""People by any key given (_LOOKUPS), the best `limit` by SEARCH_RANK (when a rank key is given), then by id."""

FAMILY_IDS = """
SELECT id FROM node_family WHERE (:district IS NULL OR district = :district) ORDER BY id
"""

FAMILY_COUNT = """
SELECT COUNT(DISTINCT id) AS n FROM node_family WHERE (:district IS NULL OR district = :district)
"""

LEAD_LOAD = """
SELECT src AS professional_id, COUNT(DISTINCT dst) AS families
FROM rel_leads
WHERE since <= :as_of AND (until IS NULL OR until >= :as_of) AND src IN ({ids})
GROUP BY src
"""

_IN_DISTRICT = "(:district IS NULL OR fam.district = :district)"

COUNTY_FAMILIES = f"SELECT id AS family_id, name, district FROM node_family fam WHERE {_IN_DISTRICT}"  # noqa: S608

COUNTY_INVOLVEMENTS = f"""
WITH involvement_family(involvement_id, family_id, person_id) AS (
    SELECT src, dst, NULL FROM rel_with_family
    UNION
    SELECT w.src, m.dst, w.dst FROM rel_with_person w JOIN rel_member_of m ON m.src = w.dst
)
SELECT i.id AS involvement_id, inf.family_id, inf.person_id, d.src AS professional_id, a.id AS agency_id,
       a.sector, a.tier, ad.dst AS need_code, i.start_date AS start, i.end_date AS "end"
FROM involvement_family inf
JOIN node_family fam ON fam.id = inf.family_id
JOIN node_involvement i ON i.id = inf.involvement_id
JOIN rel_delivers d ON d.dst = i.id
JOIN rel_works_for wf ON wf.src = d.src
JOIN node_agency a ON a.id = wf.dst
JOIN rel_addresses ad ON ad.src = i.id
WHERE {_IN_DISTRICT}
"""  # noqa: S608 - constant text only

COUNTY_PERSON_NEEDS = f"""
SELECT m.dst AS family_id, h.src AS person_id, m.role, h.dst AS need_code, h.since, h.until
FROM rel_has_need h
JOIN rel_member_of m ON m.src = h.src
JOIN node_family fam ON fam.id = m.dst
WHERE {_IN_DISTRICT}
"""  # noqa: S608 - constant text only

COUNTY_LEADS = f"""
SELECT l.dst AS family_id, l.src AS professional_id, p.team, w.dst AS agency_id, l.since, l.until
FROM rel_leads l
JOIN node_professional p ON p.id = l.src
JOIN rel_works_for w ON w.src = l.src
JOIN node_family fam ON fam.id = l.dst
WHERE {_IN_DISTRICT}
"""  # noqa: S608 - constant text only

COUNTY_EPISODES = f"""
SELECT h.src AS family_id, e.id AS episode_id, e.kind, e.opened, e.closed, e.end_reason, e.assessment_date,
       e.plan_date
FROM rel_had h
JOIN node_episode e ON e.id = h.dst
JOIN node_family fam ON fam.id = h.src
WHERE {_IN_DISTRICT}
"""  # noqa: S608 - constant text only

COUNTY_PROFESSIONALS = """
SELECT p.id AS professional_id, p.name, p.team, a.id AS agency_id, a.name AS agency_name, a.sector,
       p.lead_capacity
FROM node_professional p
JOIN rel_works_for w ON w.src = p.id
JOIN node_agency a ON a.id = w.dst
WHERE (:district IS NULL OR a.district IS NULL OR a.district = :district)
"""

COUNTY_PEOPLE = f"""
SELECT p.id AS person_id, p.source_id, p.given_name, p.family_name, p.dob, p.sex, p.postcode, p.nhs_number, p.upn,
       p.address_line1, p.town, p.police_id, p.other_id
FROM node_person p
WHERE :district IS NULL OR p.id IN (SELECT m.src FROM rel_member_of m JOIN node_family fam ON fam.id = m.dst
                                    WHERE {_IN_DISTRICT})
"""  # noqa: S608 - constant text only

COUNTY_MEMBERSHIPS = f"""
SELECT m.src AS person_id, m.dst AS family_id, m.role, m.resident
FROM rel_member_of m JOIN node_family fam ON fam.id = m.dst
WHERE {_IN_DISTRICT}
"""  # noqa: S608 - constant text only

COUNTY_LINKS = """
SELECT src AS person_id, dst AS other_person_id, match_probability, match_weight, reason, status FROM rel_same_as
"""

COUNTY_DECISIONS = """
SELECT seq, id, record_id_l, record_id_r, action, who, decided_at, why, match_probability, reason
FROM node_decision
"""

COUNTY_HUB_EVENTS = """
SELECT seq, id, kind, subject, family_id, who, at, why, assignee, fingerprint, effective
FROM node_hubevent e
WHERE :district IS NULL OR e.family_id IN (SELECT id FROM node_family WHERE district = :district)
"""

FAMILY_LINKS = """
SELECT m.dst AS family_id, m.src AS person_id, o.id AS other_person_id,
       o.given_name || ' ' || o.family_name AS other_name, o.dob AS other_dob, o.source_id AS other_source_id,
       s.match_probability, s.status, s.reason
FROM rel_member_of m
JOIN rel_same_as s ON s.src = m.src OR s.dst = m.src
JOIN node_person o ON o.id = CASE WHEN s.src = m.src THEN s.dst ELSE s.src END
WHERE m.dst IN ({ids})
"""


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


def open_on(query: str, start: str, end: str) -> str:
    """A county query kept to the rows whose period (start, end columns) contains :as_of (missing = open)."""
    return (f'SELECT * FROM ({query}) WHERE ("{start}" IS NULL OR "{start}" <= :as_of) '  # noqa: S608 - constant text
            f'AND ("{end}" IS NULL OR "{end}" >= :as_of)')


@dataclass(frozen=True, slots=True)
class SqlQueries(QuerySet):
    """The SQLite query set: the shared queries plus the parts of a family snapshot, one query each."""

    family: str = ""
    members: str = ""
    relationships: str = ""
    person_needs: str = ""
    family_involvements: str = ""
    addresses: str = ""
    professionals: str = ""
    leads: str = ""
    episodes: str = ""
    family_sources: str = ""
    family_links: str = ""


def _count_rels(rel_type: RelType) -> str:
    """Relationships of one type, summed over the tables of its specs."""
    tables = [rel_table(spec.name) for spec in RELS if spec.type == rel_type]
    parts = [f"(SELECT COUNT(*) FROM {table})" for table in tables]  # noqa: S608 - allow-listed
    return f"SELECT {' + '.join(parts) or '0'} AS n"


def _delete_rel(spec: RelSpec) -> str:
    """Delete one relationship by both ends and its key (named parameters)."""
    keys = "".join(f' AND "{k}" = :{k}' for k in spec.key)
    return f"DELETE FROM {rel_table(spec.name)} WHERE src = :src AND dst = :dst{keys}"  # noqa: S608


def _delete_node(label: Label) -> tuple[str, ...]:
    """Delete every relationship that starts or ends at one node (:id), then the node."""
    statements = []
    for spec in RELS:
        if spec.start == label:
            statements.append(f"DELETE FROM {rel_table(spec.name)} WHERE src = :id")  # noqa: S608
        if spec.end == label:
            statements.append(f"DELETE FROM {rel_table(spec.name)} WHERE dst = :id")  # noqa: S608
    return (*statements, f"DELETE FROM {node_table(label)} WHERE id = :id")  # noqa: S608 - allow-listed


DELETE_REL_ROWS: dict[str, str] = {spec.name: _delete_rel(spec) for spec in RELS}
DELETE_NODE_ROWS: dict[Label, tuple[str, ...]] = {spec.label: _delete_node(spec.label)
                                                   for spec in (*NODES, *HISTORY_NODES)}
CLEAR_FACTS: tuple[str, ...] = (
    *(f"DELETE FROM {node_table(spec.label)}" for spec in NODES if spec.label is not Label.NEED),  # noqa: S608
    f"DELETE FROM {node_table(Label.EXTRACT)}",  # noqa: S608 - allow-listed
    f"DELETE FROM {node_table(Label.EXTRACT_PART)}",  # noqa: S608 - allow-listed
    *(f"DELETE FROM {rel_table(spec.name)}" for spec in RELS))  # noqa: S608 - allow-listed


_DELETE_ALL = tuple(f"DELETE FROM {node_table(spec.label)}"  # noqa: S608 - allow-listed
                    for spec in (*NODES, *HISTORY_NODES)) + tuple(
    f"DELETE FROM {rel_table(spec.name)}" for spec in RELS)  # noqa: S608 - allow-listed

QUERIES = SqlQueries(
    dialect="SQLite",
    param_marker=":",
    schema=DDL,
    upsert_nodes={spec.label: upsert_node_sql(spec) for spec in (*NODES, *HISTORY_NODES)},
    upsert_rels={spec.name: upsert_rel_sql(spec) for spec in RELS},
    delete_nodes={spec.label: f"DELETE FROM {node_table(spec.label)}"  # noqa: S608 - allow-listed
                  for spec in (*NODES, *HISTORY_NODES)},
    delete_rels={spec.name: f"DELETE FROM {rel_table(spec.name)}" for spec in RELS},  # noqa: S608
    count_nodes={spec.label: f"SELECT COUNT(*) AS n FROM {node_table(spec.label)}" for spec in NODES},  # noqa: S608
    count_rels={t: _count_rels(t) for t in RelType},
    existing_ids={spec.label: f"SELECT id FROM {node_table(spec.label)} WHERE id IN ({{ids}})"  # noqa: S608
                  for spec in NODES},
    delete_rel_rows=DELETE_REL_ROWS,
    delete_node_rows=DELETE_NODE_ROWS,
    clear_facts=CLEAR_FACTS,
    clear=_DELETE_ALL,
    family_ids=FAMILY_IDS,
    family_count=FAMILY_COUNT,
    search_people=SEARCH_PEOPLE,
    lead_load=LEAD_LOAD,
    sources=SOURCES,
    family_members=MEMBERS,
    county=_COUNTY,
    county_open={table: open_on(query, *PERIOD_COLUMNS[table]) for table, query in _COUNTY.items()
                 if table in PERIOD_COLUMNS},
    last_seq={label: f"SELECT max(seq) AS seq FROM {node_table(label)}" for label in NUMBERED},  # noqa: S608
    family=FAMILY,
    members=MEMBERS,
    relationships=RELATIONSHIPS,
    person_needs=PERSON_NEEDS,
    family_involvements=FAMILY_INVOLVEMENTS,
    addresses=ADDRESSES,
    professionals=PROFESSIONALS,
    leads=LEADS,
    episodes=EPISODES,
    family_sources=FAMILY_SOURCES,
    family_links=FAMILY_LINKS,
)
"""Every query the embedded store runs (checked complete when this module is imported)."""
