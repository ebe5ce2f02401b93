"""The named queries every store backend must provide, checked when the backend's module is imported.

A backend fills a QuerySet (or a subclass adding the queries only it needs) at module level; a missing
field is a TypeError and a missing label, relationship, county table or parameter is a ValueError, both
raised while the module imports, before any store is opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from graphmodel.records import PERIOD_COLUMNS, CountyTable
from graphmodel.schema import NODES, NUMBERED, RELS, Label, RelType

__all__ = ["FAMILY_MEMBER_COLUMNS", "LIST_PARAMS", "SCALAR_PARAMS", "QuerySet", "QuerySetError"]

SCALAR_PARAMS: dict[str, tuple[str, ...]] = {
    "family_ids": ("district",),
    "family_count": ("district",),
    "search_people": ("family_phonetic", "given_prefix", "given_key", "dob", "postcode", "limit", "rank_family",
                      "rank_phonetic", "rank_given", "rank_g1", "rank_g2", "rank_g3", "rank_g4", "rank_dob",
                      "rank_swapped", "rank_year", "rank_tail", "rank_postcode", "rank_district", "ranked"),
    "lead_load": ("as_of",),
}
"""Parameters each single query must use, written with the backend's parameter marker."""

LIST_PARAMS: dict[str, str] = {"lead_load": "ids", "existing_ids": "ids", "family_members": "ids",
                               "search_people": "rank_forms"}
"""The one list-valued parameter of a query, written as `{name}` (SQL, expanded) or `$name` (Cypher)."""

FAMILY_MEMBER_COLUMNS: tuple[str, ...] = ("family_id", "person_id", "given_name", "family_name", "dob", "sex", "role",
                                          "resident", "source_id")
"""The columns of the family_members query (read as a frame: one record for many families on Neo4j)."""


class QuerySetError(ValueError):
    """A backend's query set lacks a query the store base needs."""


@dataclass(frozen=True, slots=True)
class QuerySet:
    """Every query the shared store steps run; each backend provides all of them in its own language."""

    dialect: str
    param_marker: str
    """How a named parameter is written: '$' (Cypher) or ':' (SQLite)."""
    schema: tuple[str, ...]
    """Idempotent DDL: constraints, tables, indexes."""
    upsert_nodes: Mapping[Label, str]
    upsert_rels: Mapping[str, str]
    """Keyed by relationship spec name (schema.RELS)."""
    delete_nodes: Mapping[Label, str]
    delete_rels: Mapping[str, str]
    count_nodes: Mapping[Label, str]
    """Each returns one row with column n."""
    count_rels: Mapping[RelType, str]
    existing_ids: Mapping[Label, str]
    """Each returns column id for the ids among the list parameter ids."""
    clear: tuple[str, ...]
    """Delete all data (the need taxonomy is written back after). A statement that returns a column
    `deleted` is repeated until it reports 0, so a backend may clear in bounded transactions."""
    delete_rel_rows: Mapping[str, str]
    """Source refreshes: delete the relationships named by rows (src, dst and key) given as $rows / :name."""
    delete_node_rows: Mapping[Label, tuple[str, ...]]
    """Source refreshes: delete the nodes named by rows ({id}) and every relationship at them."""
    clear_facts: tuple[str, ...]
    """Delete every fact and the extract history inside a change set (need taxonomy and erasures stay)."""
    family_ids: str
    family_count: str
    """One row with column n: the number of distinct family ids (in the district, when one is given)."""
    search_people: str
    lead_load: str
    sources: str
    family_members: str
    """Members of the families listed in ids: family_id and the columns of a snapshot's members."""
    county: Mapping[CountyTable, str]
    county_open: Mapping[CountyTable, str]
    """The county tables with a period (records.PERIOD_COLUMNS), only the rows open on the date as_of."""
    last_seq: Mapping[Label, str]
    """For each numbered log (schema.NUMBERED): one row with column seq, the highest number so far (or null)."""

    def __post_init__(self) -> None:
        """Refuse a query set that misses a query, a label, a relationship, a county table or a parameter."""
        missing = [f.name for f in fields(self) if not getattr(self, f.name)]
        labels, rels = {spec.label for spec in NODES}, {spec.name for spec in RELS}
        for name, wanted in (("upsert_nodes", labels), ("delete_nodes", labels), ("count_nodes", labels),
                             ("existing_ids", labels), ("upsert_rels", rels), ("delete_rels", rels),
                             ("delete_rel_rows", rels),
                             ("count_rels", set(RelType)), ("county", set(CountyTable)),
                             ("county_open", set(PERIOD_COLUMNS)),
                             ("last_seq", set(NUMBERED))):
            mapping: Mapping[object, str] = getattr(self, name)
            missing += [f"{name}[{key}]" for key in sorted(map(str, wanted - set(mapping)))]
            missing += [f"{name}[{key}] (empty)" for key, text in mapping.items() if not text.strip()]
        missing += [f"delete_node_rows[{key}]" for key in sorted(map(str, labels - set(self.delete_node_rows)))]
        for name, params in SCALAR_PARAMS.items():
            text = getattr(self, name)
            missing += [f"{name} parameter {self.param_marker}{p}" for p in params
                        if f"{self.param_marker}{p}" not in text]
        list_marker = "${}" if self.param_marker == "$" else "{{{}}}"
        for name, param in LIST_PARAMS.items():
            texts = getattr(self, name).values() if name == "existing_ids" else [getattr(self, name)]
            if any(list_marker.format(param) not in text for text in texts):
                missing.append(f"{name} list parameter {list_marker.format(param)}")
        missing += [f"county_open[{table}] parameter {self.param_marker}as_of"
                    for table, text in self.county_open.items() if f"{self.param_marker}as_of" not in text]
        for table, text in self.county.items():
            if f"{self.param_marker}district" not in text and table not in _COUNTY_WIDE:
                missing.append(f"county[{table}] parameter {self.param_marker}district")
        if missing:
            raise QuerySetError(f"the {self.dialect} query set lacks: {', '.join(missing)}")


_COUNTY_WIDE = {CountyTable.LINKS, CountyTable.DECISIONS}
"""County tables that are never filtered by district."""
