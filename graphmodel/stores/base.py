"""The store base: every step both stores share, written once; each backend supplies its QuerySet and a
handful of primitives (run statements, read rows, a writer, family snapshots).

Adding a store means one module with a subclass of StoreBase and one QuerySet filled in its language.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, ClassVar, Protocol, final

import pandas as pd

from graphmodel.audit import AuditLog
from graphmodel.changes import ChangeSet, check_names, full_node_row, full_rel_row
from graphmodel.contract import ProgressFn, StoreError
from graphmodel.dates import day_month_swapped
from graphmodel.names import phonetic
from graphmodel.nicknames import related_names
from graphmodel.records import (
    COUNTY_COLUMNS,
    CountyTable,
    FamilySnapshot,
    GraphBatch,
    MemberRecord,
    PersonHitRecord,
    SourceRecord,
)
from graphmodel.schema import NODES, RELS, Label, NodeSpec, RelSpec, RelType, node_spec, rel_spec
from graphmodel.stores import assemble
from graphmodel.stores.batching import chunks, slices
from graphmodel.stores.queries import FAMILY_MEMBER_COLUMNS, QuerySet
from graphmodel.stores.taxonomy_rows import need_rows

__all__ = ["ChangeWriter", "StoreBase", "Writer"]

CLEARED: tuple[str, ...] = (*(spec.name for spec in RELS),
                            *(str(spec.label) for spec in NODES if spec.label is not Label.NEED), str(Label.EXTRACT),
                            str(Label.EXTRACT_PART))
"""What `load --clear` empties before its rows: every fact, link and log but the need taxonomy and the erasure
records (the same as QuerySet.clear_facts), as relationship spec names and node labels for write_stream's replace."""

Row = dict[str, Any]


class Writer(Protocol):
    """One write in progress: delete named data, upsert rows; committed when its context exits cleanly."""

    def wipe(self, spec: NodeSpec | RelSpec, statement: str) -> None:
        """Delete every node of the label or relationship of the spec (with the statement for it) first."""

    def rows(self, spec: NodeSpec | RelSpec, statement: str, rows: list[Row]) -> None:
        """Upsert rows of one label or relationship spec with the statement for it."""


class ChangeWriter(Protocol):
    """One transaction of targeted changes (a change set): committed when its context exits cleanly."""

    def run(self, statement: str) -> None:
        """Run one statement without parameters."""

    def each(self, statement: str, rows: list[Row]) -> None:
        """Run a statement for every row (SQL: once per row; Cypher: `UNWIND $rows`, in bounded pieces)."""


class StoreBase(ABC):
    """Shared steps of every GraphStore; backends fill QUERIES and the abstract primitives."""

    kind: str
    reads_while_writing: bool
    QUERIES: ClassVar[QuerySet]
    chunk_rows: ClassVar[int] = 10_000
    """Rows per upsert statement."""
    list_chunk: ClassVar[int] = 50_000
    """Most values in one list parameter."""
    write_errors: ClassVar[tuple[type[BaseException], ...]] = ()
    """Errors of the backend that a write turns into a StoreError through _write_failed."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A concrete store must name its kind and a QuerySet (checked when its module is imported)."""
        super().__init_subclass__(**kwargs)
        if not getattr(cls, "__abstractmethods__", None):
            for attr in ("kind", "reads_while_writing", "QUERIES"):
                if not hasattr(cls, attr):
                    raise TypeError(f"{cls.__name__} must define {attr}")
            if not isinstance(cls.QUERIES, QuerySet):
                raise TypeError(f"{cls.__name__}.QUERIES must be a QuerySet")

    # --- primitives each backend provides --------------------------------------------------------

    @abstractmethod
    def _read(self, query: str, params: dict[str, Any]) -> list[Row]:
        """Rows of a read query as plain dicts (list parameters are passed as Python lists)."""

    @abstractmethod
    def _frame(self, query: str, params: dict[str, Any], columns: tuple[str, ...]) -> pd.DataFrame:
        """A read query's rows as a frame of object columns."""

    @final
    def _read_in(self, query: str, ids: Sequence[str], params: dict[str, Any] | None = None, *,
                 at_least_once: bool = False) -> list[Row]:
        """Rows of a query over the list parameter ids, read list_chunk values at a time; nothing is read for no
        ids unless at_least_once (a query that also answers for no ids, such as the county-wide sources)."""
        pieces = list(slices(ids, self.list_chunk)) or ([[]] if at_least_once else [])
        return [row for piece in pieces for row in self._read(query, {**(params or {}), "ids": list(piece)})]

    @abstractmethod
    def _script(self, statements: Sequence[str]) -> None:
        """Run statements that change the store (DDL, clear), each as the backend requires."""

    @abstractmethod
    def _writer(self, expected: int = 0) -> AbstractContextManager[Writer]:
        """A write (of about `expected` rows, 0 if unknown): committed when the block ends, nothing kept if it
        raises."""

    @abstractmethod
    def _one_transaction(self) -> AbstractContextManager[ChangeWriter]:
        """One transaction for a change set that deletes: all of it or nothing."""

    @abstractmethod
    def _numbered_transaction(self, label: Label) -> AbstractContextManager[tuple[ChangeWriter, int]]:
        """One transaction holding the numbered log's lock, with the log's highest number so far (0 if empty)."""

    @abstractmethod
    def _write_failed(self, error: BaseException) -> StoreError:
        """A backend error during a write as a StoreError for the person at the screen."""

    @abstractmethod
    def family_snapshots(self, family_ids: Iterable[str], *, sources: bool = True) -> dict[str, FamilySnapshot]:
        """Snapshots of several families at once, keyed by id (unknown ids are left out; no sources unless asked)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and files."""

    def use_audit_log(self, log: AuditLog) -> None:
        """Keep the audit log outside the store (FAMILYGRAPH_AUDIT_DB), e.g. beside a read-only graph."""
        self.__dict__["_audit_log"] = log  # what audit_log() returns from now on

    # --- loads left unfinished (a store whose loads are one transaction has none) -----------------

    def recover(self) -> list[str]:
        """Undo loads whose process died; return their ids."""
        return []

    def unfinished_loads(self) -> list[Any]:
        """Loads running now or left unfinished."""
        return []

    def undo_load(self, load_id: str) -> int:
        """Undo one unfinished load by its id; return the number of batches undone."""
        raise StoreError(f"the {self.kind} store writes each load in one transaction, so a failed or killed load "
                         f"leaves nothing to undo (no load {load_id!r})")

    # --- shared steps ----------------------------------------------------------------------------

    @final
    def apply_schema(self) -> None:
        """Create constraints/tables and indexes (idempotent) and the need taxonomy nodes."""
        self._script(self.QUERIES.schema)
        self._write_needs()

    def _write_needs(self) -> None:
        """The need taxonomy as nodes (upserted)."""
        self.write(GraphBatch(nodes={Label.NEED: need_rows()}))

    @final
    def write(self, batch: GraphBatch, progress: ProgressFn | None = None, replace: Sequence[str] = ()) -> None:
        """Upsert the batch (after deleting every node label or relationship spec named in replace)."""
        self.write_stream([batch], progress, replace, expected=batch.size())

    @final
    def write_stream(self, batches: Iterable[GraphBatch], progress: ProgressFn | None = None,
                     replace: Sequence[str] = (), expected: int = 0) -> None:
        """Nodes then relationships of each batch as it comes; an error from the stream keeps nothing."""
        q = self.QUERIES
        wipe = [(node_spec(name), q.delete_nodes[Label(name)]) if name in Label._value2member_map_
                else (rel_spec(name), q.delete_rels[rel_spec(name).name]) for name in replace]
        done = 0
        try:
            with self._writer(expected) as writer:
                for spec, statement in wipe:
                    writer.wipe(spec, statement)
                for spec, rows in chunks(batches, self.chunk_rows):
                    statement = q.upsert_nodes[spec.label] if isinstance(spec, NodeSpec) else q.upsert_rels[spec.name]
                    writer.rows(spec, statement, rows)
                    done += len(rows)
                    if progress:
                        progress(done, max(done, expected))
        except self.write_errors as error:
            raise self._write_failed(error) from None

    @final
    def write_numbered(self, batch: GraphBatch, label: Label) -> list[int]:
        """Write the batch in one transaction, numbering its rows of the log `label` after the log's last entry.

        The log is locked for the transaction, so two writers (two reviewers, two Hub workers) never get the
        same number; returns the numbers given, in row order.
        """
        q = self.QUERIES
        try:
            with self._numbered_transaction(label) as (tx, last):
                numbers = [last + i + 1 for i in range(len(batch.nodes.get(label, ())))]
                for name, rows in batch.nodes.items():
                    nspec = node_spec(name)
                    if nspec.label == label:
                        rows = [{**row, "seq": seq} for row, seq in zip(rows, numbers, strict=True)]
                    tx.each(q.upsert_nodes[nspec.label], [full_node_row(nspec, r) for r in rows])
                for name, rows in batch.rels.items():
                    rspec = rel_spec(name)
                    tx.each(q.upsert_rels[rspec.name], [full_rel_row(rspec, r) for r in rows])
        except self.write_errors as error:
            raise self._write_failed(error) from None
        return numbers

    @final
    def apply_changes(self, changes: ChangeSet, progress: ProgressFn | None = None) -> list[int]:
        """Apply a change set (graphmodel.changes), all or nothing; return the numbers its numbered rows got.

        One that only upserts (a first extract, a delta, a rollback of deletions) or clears then upserts
        (`load --clear`, replacing CLEARED) goes through write(): on Neo4j a big one commits in bounded batches
        under a load id, the cleared data deleted first in logged batches, and is undone if it fails (or by
        `load --undo` / recovery if the process dies). One that deletes rows (a full extract that closes or
        removes, a rollback of additions, an erasure) runs in one transaction here, with the backend's named
        queries (QuerySet.clear_facts, delete_rel_rows, delete_node_rows, upserts), as does one with numbered
        rows (an erasure record), which takes the log's lock first (see write_numbered).
        """
        check_names(changes)
        if not (changes.node_deletes or changes.rel_deletes or changes.numbered):
            nodes = {str(node_spec(label).label): [full_node_row(node_spec(label), r) for r in rows]
                     for label, rows in changes.node_upserts.items()}
            rels = {rel_spec(name).name: [full_rel_row(rel_spec(name), r) for r in rows]
                    for name, rows in changes.rel_upserts.items()}
            self.write(GraphBatch(nodes=nodes, rels=rels), progress, replace=CLEARED if changes.clear else ())
            return []
        q, total, done, numbers = self.QUERIES, max(changes.size(), 1), 0, []
        try:
            with self._change_transaction(changes.numbered) as (tx, last):
                for statement in q.clear_facts if changes.clear else ():
                    tx.run(statement)
                for name, rows in changes.rel_deletes.items():
                    rspec = rel_spec(name)
                    tx.each(q.delete_rel_rows[rspec.name], [full_rel_row(rspec, r) for r in rows])
                    done += len(rows)
                for label, ids in changes.node_deletes.items():
                    for statement in q.delete_node_rows[node_spec(label).label]:
                        tx.each(statement, [{"id": i} for i in ids])
                    done += len(ids)
                for label, rows in changes.node_upserts.items():
                    nspec = node_spec(label)
                    if nspec.label == changes.numbered:
                        numbers = [last + i + 1 for i in range(len(rows))]
                        rows = [{**row, "seq": seq} for row, seq in zip(rows, numbers, strict=True)]
                    tx.each(q.upsert_nodes[nspec.label], [full_node_row(nspec, r) for r in rows])
                    done += len(rows)
                    if progress:
                        progress(done, total)
                for name, rows in changes.rel_upserts.items():
                    rspec = rel_spec(name)
                    tx.each(q.upsert_rels[rspec.name], [full_rel_row(rspec, r) for r in rows])
                    done += len(rows)
                    if progress:
                        progress(done, total)
        except self.write_errors as error:
            raise self._write_failed(error) from None
        return numbers

    @contextmanager
    def _change_transaction(self, numbered: Label | None) -> Iterator[tuple[Any, int]]:
        """One transaction for a change set; locked on a numbered log (yielding its last number) if one is named."""
        if numbered is None:
            with self._one_transaction() as tx:
                yield tx, 0
        else:
            with self._numbered_transaction(numbered) as (tx, last):
                yield tx, last

    @final
    def clear(self) -> None:
        """Delete all data; the need taxonomy stays."""
        self._script(self.QUERIES.clear)
        self._write_needs()

    @final
    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type (zero counts included)."""
        q = self.QUERIES
        result = {spec.label.value: int(self._read(q.count_nodes[spec.label], {})[0]["n"]) for spec in NODES}
        result.update({t.value: int(self._read(q.count_rels[t], {})[0]["n"]) for t in RelType})
        return result

    @final
    def existing_ids(self, label: Label, ids: Iterable[str]) -> set[str]:
        """The subset of ids that exist as nodes of the label."""
        query = self.QUERIES.existing_ids[node_spec(label).label]
        return {r["id"] for r in self._read_in(query, list(dict.fromkeys(ids)))}

    @final
    def family_ids(self, district: str | None = None) -> list[str]:
        """All family ids, sorted, optionally within one district."""
        return [r["id"] for r in self._read(self.QUERIES.family_ids, {"district": district})]

    @final
    def family_count(self, district: str | None = None) -> int:
        """How many families there are, optionally within one district (as family_ids, without reading them)."""
        return int(self._read(self.QUERIES.family_count, {"district": district})[0]["n"])

    @final
    def family_snapshot(self, family_id: str) -> FamilySnapshot | None:
        """Everything about one family, or None when the id is unknown."""
        return self.family_snapshots([family_id]).get(family_id)

    @final
    def family_members(self, family_ids: Iterable[str]) -> dict[str, tuple[MemberRecord, ...]]:
        """The members of several families (as in their snapshots), keyed by id in the order asked."""
        ids = list(dict.fromkeys(family_ids))
        rows: dict[str, list[Row]] = {}
        for piece in slices(ids, self.list_chunk):
            frame = self._frame(self.QUERIES.family_members, {"ids": piece}, FAMILY_MEMBER_COLUMNS)
            for values in frame.itertuples(index=False, name=None):
                row = dict(zip(FAMILY_MEMBER_COLUMNS, values, strict=True))
                rows.setdefault(row["family_id"], []).append(row)
        return {fid: assemble.member_records(rows[fid]) for fid in ids if fid in rows}

    @final
    def search_people(self, *, family_phonetic: str | None = None, given_prefix: str | None = None,
                      given_key: str | None = None, dob: str | None = None, postcode: str | None = None,
                      limit: int = 200, rank_family: str | None = None, rank_given: str | None = None,
                      rank_dob: str | None = None, rank_postcode: str | None = None) -> list[PersonHitRecord]:
        """People matching any key given (the best `limit` by the rank keys, then by id), sorted by id."""
        params = self.search_params({"family_phonetic": family_phonetic, "given_prefix": given_prefix,
                                     "given_key": given_key, "dob": dob, "postcode": postcode, "limit": limit,
                                     "rank_family": rank_family, "rank_given": rank_given, "rank_dob": rank_dob,
                                     "rank_postcode": rank_postcode})
        return assemble.person_hits(self._read(self.QUERIES.search_people, params))

    SEARCH_KEYS: ClassVar[tuple[str, ...]] = ("family_phonetic", "given_prefix", "given_key", "dob", "postcode",
                                              "rank_family", "rank_given", "rank_dob", "rank_postcode")

    @final
    def search_params(self, search: Mapping[str, Any]) -> dict[str, Any]:
        """One search's query parameters: every key (absent ones null), the limit (200 by default) and what the rank
        derives from the rank keys (the family name's sound, the given name's nicknames and first letters, the date of
        birth's year, the rest and the day and month swapped, the postcode district)."""
        unknown = set(search) - {*self.SEARCH_KEYS, "limit"}
        if unknown:
            raise TypeError(f"search_people got unexpected keys: {', '.join(sorted(unknown))}")
        params = {**dict.fromkeys(self.SEARCH_KEYS), "limit": 200, **search}
        params.update({key: params[key] or None for key in self.SEARCH_KEYS if key.startswith("rank_")})
        params["ranked"] = any(params[key] for key in self.SEARCH_KEYS if key.startswith("rank_"))
        family, given, dob, postcode = (params[f"rank_{key}"] for key in ("family", "given", "dob", "postcode"))
        params["rank_phonetic"] = phonetic(family) if family else None
        params["rank_forms"] = sorted(related_names(given or ""))
        params.update({f"rank_g{n}": given[:n] if given and len(given) >= n else None for n in range(1, 5)})
        params["rank_year"] = dob[:4] if dob and len(dob) >= 4 else None
        params["rank_tail"] = dob[4:] if dob and len(dob) == 10 else None
        params["rank_swapped"] = day_month_swapped(dob)
        params["rank_district"] = postcode[:-3] if postcode else None
        return params

    def search_people_many(self, searches: Sequence[Mapping[str, Any]]) -> list[list[PersonHitRecord]]:
        """The answers of several search_people calls (each a map of its keyword arguments), in order; a backend
        with round trips to save answers them all at once."""
        return [self.search_people(**search) for search in searches]

    @final
    def county_table(self, table: CountyTable, district: str | None = None, *,
                     open_on: str | None = None) -> pd.DataFrame:
        """A flat county-wide projection with the columns in records.COUNTY_COLUMNS, sorted; with open_on (a table
        in records.PERIOD_COLUMNS only) just the rows whose period contains that date (missing start or end =
        open that side)."""
        if open_on is None:
            frame = self._frame(self.QUERIES.county[table], {"district": district}, COUNTY_COLUMNS[table])
        elif table in self.QUERIES.county_open:
            frame = self._frame(self.QUERIES.county_open[table], {"district": district, "as_of": open_on},
                                COUNTY_COLUMNS[table])
        else:
            raise ValueError(f"county table {table} has no period to be open on")
        return assemble.county_frame(table, frame)

    @final
    def lead_load(self, professional_ids: Iterable[str], as_of: str) -> dict[str, int]:
        """Families each professional leads on a date (zero included)."""
        ids = sorted(set(professional_ids))
        load = dict.fromkeys(ids, 0)
        load.update({r["professional_id"]: int(r["families"])
                     for r in self._read_in(self.QUERIES.lead_load, ids, {"as_of": as_of})})
        return load

    @final
    def sources(self) -> list[SourceRecord]:
        """Every source (extract) known, sorted by id."""
        return assemble.source_records(self._read(self.QUERIES.sources, {}))
