"""The store contract: what every store (Neo4j, embedded) must do, and the errors it raises."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from graphmodel.audit import AuditLog
from graphmodel.errors import FamilyGraphError
from graphmodel.records import (
    CountyTable,
    FamilySnapshot,
    GraphBatch,
    MemberRecord,
    PersonHitRecord,
    SourceRecord,
)
from graphmodel.schema import Label

__all__ = ["GraphStore", "ProgressFn", "StoreError", "StoreUnavailable"]

ProgressFn = Callable[[int, int], None]
"""Called with (rows written so far, rows in total) while a write runs."""


class StoreError(FamilyGraphError):
    """A store operation failed; the message is meant for the person at the screen."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or refused the credentials; the message says how to fix it."""


@runtime_checkable
class GraphStore(Protocol):
    """A graph store. Writes are all-or-nothing; reads return typed records, never driver objects."""

    kind: str
    reads_while_writing: bool

    def apply_schema(self) -> None:
        """Create constraints and indexes (idempotent) and the need taxonomy nodes."""

    def write(self, batch: GraphBatch, progress: ProgressFn | None = None, replace: Sequence[str] = ()) -> None:
        """Upsert every node and relationship in the batch in one transaction, or nothing.

        replace names node labels or relationship specs (from the schema) whose existing data is deleted
        first, in the same transaction: derived data such as record-linkage links is replaced whole.
        """

    def write_stream(self, batches: Iterable[GraphBatch], progress: ProgressFn | None = None,
                     replace: Sequence[str] = (), expected: int = 0) -> None:
        """Write batches as they arrive, all in one transaction; if the stream raises, nothing is written."""

    def write_numbered(self, batch: GraphBatch, label: Label) -> list[int]:
        """Write the batch at once, numbering its rows of an append-only log after the last (never shared)."""
        ...

    def clear(self) -> None:
        """Delete all data (keeps the schema)."""

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type (zero counts included)."""

    def existing_ids(self, label: Label, ids: Iterable[str]) -> set[str]:
        """The subset of ids that already exist as nodes of this label."""

    def family_ids(self, district: str | None = None) -> list[str]:
        """All family ids, sorted, optionally within one district."""

    def family_count(self, district: str | None = None) -> int:
        """How many families there are, optionally within one district (as family_ids, without reading them)."""

    def family_snapshot(self, family_id: str) -> FamilySnapshot | None:
        """Everything about one family, or None when the id is unknown."""

    def family_snapshots(self, family_ids: Iterable[str], *, sources: bool = True) -> dict[str, FamilySnapshot]:
        """Snapshots of several families at once, keyed by id (unknown ids are left out); sources=False leaves
        their sources out (empty), for a caller that needs only the facts and saves reading every source."""

    def family_members(self, family_ids: Iterable[str]) -> dict[str, tuple[MemberRecord, ...]]:
        """The members of several families (as in their snapshots), keyed by id (families without any left out)."""

    def search_people(
        self,
        *,
        family_phonetic: str | None = None,
        given_prefix: str | None = None,
        given_key: str | None = None,
        dob: str | None = None,
        postcode: str | None = None,
        limit: int = 200,
        rank_family: str | None = None,
        rank_given: str | None = None,
        rank_dob: str | None = None,
        rank_postcode: str | None = None,
    ) -> list[PersonHitRecord]:
        """Candidates for fuzzy scoring, sorted by id: people matching ANY of the keys given.

        family_phonetic matches the phonetic family name (only given names starting with given_prefix,
        when given); given_key, dob and postcode each match exactly. When more than `limit` match, the ones
        kept are the best by the front-door score estimated from the rank keys (the family and given keys, date
        of birth and postcode asked about), then by id: exact for the date of birth and postcode tiers and for
        names that match exactly (or by nickname), a typical similarity for the others.
        """

    def search_people_many(self, searches: Sequence[Mapping[str, Any]]) -> list[list[PersonHitRecord]]:
        """The answers of several search_people calls (each a map of its keyword arguments), in order."""

    def county_table(self, table: CountyTable, district: str | None = None, *,
                     open_on: str | None = None) -> pd.DataFrame:
        """A flat county-wide projection with the columns in records.COUNTY_COLUMNS, sorted; with open_on (a table
        in records.PERIOD_COLUMNS only) just the rows whose period contains that date (missing start or end =
        open that side)."""

    def lead_load(self, professional_ids: Iterable[str], as_of: str) -> dict[str, int]:
        """Number of families each professional leads on a date (zero included)."""

    def sources(self) -> list[SourceRecord]:
        """Every source (extract) known, sorted by id."""

    def audit_log(self) -> AuditLog:
        """The append-only audit log kept in the store (graphmodel/audit.py)."""

    def close(self) -> None:
        """Release connections and files."""
