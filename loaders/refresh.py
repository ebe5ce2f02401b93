"""Source refreshes: a load as numbered, dated extracts per source, diffed against the store before writing.

A folder is validated whole, then compared with what the store holds:

- identity changes (a person's date of birth or both names, a family's name and postcode, a membership's
  role, an involvement's professional) reject the load with file, row, column and both values, unless
  accepted;
- a source declared in the folder's sources.csv is a **full extract** (unless the load is a delta): for
  every import file the folder carries, that source's records missing from the folder are closed at the
  extract date (involvements, episodes, leads, needs) or removed (memberships, relationships); people,
  families and professionals are kept (other sources may refer to them);
- a file that lacks optional columns (a partial file) updates the columns it has and keeps the others;
- every source touched gets an Extract record (number, extract date, counts and the before-image needed
  to roll it back), and everything is written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.changes import ChangeSet, RefreshStore, full_node_row, full_rel_row, rel_key
from graphmodel.contract import ProgressFn
from graphmodel.dates import format_uk
from graphmodel.names import postcode_display, postcode_key
from graphmodel.records import GraphBatch
from graphmodel.schema import Label, RelSpec, node_spec, rel_spec
from loaders.extract_undo import changes_to_json, stored_undo
from loaders.folder import KnownIds, read_folder, validate_tables
from loaders.problems import LoadRejected, Problem, quality_counts
from loaders.reading import RawTable
from loaders.spec import FILES
from loaders.ssd import read_ssd
from loaders.to_graph import frames_to_batch

__all__ = ["NO_SOURCE", "RefreshPlan", "SourceSummary", "apply_plan", "plan_folder", "plan_tables"]

Row = dict[str, Any]
NO_SOURCE = "(no source)"
"""Where rows without a source_id are counted (and how their extract is named)."""

_NODE_FILES: dict[Label, str] = {Label.AGENCY: "agencies", Label.SOURCE: "sources", Label.FAMILY: "families",
                                 Label.PERSON: "people", Label.PROFESSIONAL: "professionals",
                                 Label.INVOLVEMENT: "involvements", Label.EPISODE: "episodes"}
_REL_FILES: dict[str, str] = {"member_of": "memberships", "related_to": "relationships", "has_need": "needs",
                              "leads": "leads"}
_CLOSE_NODES: dict[Label, tuple[str, str]] = {Label.INVOLVEMENT: ("start_date", "end_date"),
                                              Label.EPISODE: ("opened", "closed")}
_CLOSE_RELS: dict[str, tuple[str, str]] = {"has_need": ("since", "until"), "leads": ("since", "until")}
_REMOVE_RELS = ("member_of", "related_to")
_OWNED: dict[str, tuple[Label, str]] = {"works_for": (Label.PROFESSIONAL, "src"),
                                        "delivers": (Label.INVOLVEMENT, "dst"),
                                        "with_person": (Label.INVOLVEMENT, "src"),
                                        "with_family": (Label.INVOLVEMENT, "src"),
                                        "addresses": (Label.INVOLVEMENT, "src"),
                                        "had": (Label.EPISODE, "dst")}
"""Relationships that one row of one file fully determines: replaced whole when that row is loaded."""

_QUIET: dict[str, tuple[str, ...]] = {"people": ("address_line1", "town", "police_id", "other_id")}
"""Optional columns most files lack (linkage extras): their absence is noted only when stored values are kept."""
_PARTIAL: dict[str, dict[str, str]] = {
    "agencies": {"tier": "tier", "district": "district"},
    "sources": {"agency_id": "agency_id", "coverage_from": "coverage_from", "coverage_to": "coverage_to",
                "description": "description"},
    "professionals": {"role": "role", "team": "team", "email": "email", "phone": "phone",
                      "lead_capacity": "lead_capacity", "source_id": "source_id"},
    "families": {"postcode": "postcode", "district": "district", "source_id": "source_id"},
    "people": {"date_of_birth": "dob", "sex": "sex", "postcode": "postcode", "nhs_number": "nhs_number",
               "upn": "upn", "source_id": "source_id", "address_line1": "address_line1", "town": "town",
               "police_id": "police_id", "other_id": "other_id"},
    "memberships": {"source_id": "source_id"},
    "relationships": {"source_id": "source_id"},
    "needs": {"until": "until", "status": "status", "source_id": "source_id"},
    "involvements": {"service": "service", "end": "end_date", "source_id": "source_id"},
    "leads": {"until": "until", "source_id": "source_id"},
    "episodes": {"closed": "closed", "end_reason": "end_reason", "assessment_date": "assessment_date",
                 "plan_date": "plan_date", "source_id": "source_id"},
}
"""Optional columns per file and the property each fills: when a file lacks one, the stored value stays."""

_ACCEPT_HINT = "load with --accept-identity-changes if this is a correction"


@dataclass(slots=True)
class SourceSummary:
    """What one load does to one source: its extract number and date, and the counts of facts."""

    source_id: str
    mode: str
    extracted_at: str | None = None
    extract: int | None = None
    added: int = 0
    changed: int = 0
    closed: int = 0
    removed: int = 0
    recorded: bool = True

    def counts(self) -> dict[str, int]:
        """added, changed, closed and removed."""
        return {"added": self.added, "changed": self.changed, "closed": self.closed, "removed": self.removed}


@dataclass(slots=True)
class RefreshPlan:
    """Everything a load will write (nothing is written until apply_plan), with its per-source summary."""

    changes: ChangeSet
    summaries: dict[str, SourceSummary]
    identity_changes: list[Problem]
    notes: list[str]
    files: dict[str, int]
    rows: int
    quality: list[Problem] = field(default_factory=list)
    """Value problems: records load without the bad value (data-quality notes, per source)."""
    sources: tuple[str, ...] = ()
    """Ids of the sources (extracts) in sources.csv."""

    def quality_counts(self) -> dict[str, int]:
        """Data-quality notes counted by kind."""
        return quality_counts(self.quality)

    def summary_rows(self) -> list[dict[str, Any]]:
        """One row per source, sorted: source, extract, date, mode, added, changed, closed, removed."""
        return [{"source": s.source_id, "extract": s.extract, "extracted_at": s.extracted_at, "mode": s.mode,
                 **s.counts()} for _, s in sorted(self.summaries.items())]


@dataclass(slots=True)
class _Delta:
    """Forward changes, their undo and the counts of one source."""

    summary: SourceSummary
    forward: ChangeSet = field(default_factory=ChangeSet)
    undo: ChangeSet = field(default_factory=ChangeSet)


def plan_folder(store: RefreshStore, folder: Path, *, delta: bool = False, accept_identity_changes: bool = False,
                clear: bool = False, today: str | None = None) -> RefreshPlan:
    """Read, validate and diff a folder against the store; raise LoadRejected with every problem found."""
    tables, unreadable, problems, notes = read_folder(folder)
    return plan_tables(store, tables, delta=delta, accept_identity_changes=accept_identity_changes, clear=clear,
                       today=today, problems=problems, notes=notes, unreadable=unreadable)


def plan_ssd_folder(store: RefreshStore, folder: Path, *, source_id: str, agency_id: str,
                    extracted_at: str | None = None, delta: bool = False, accept_identity_changes: bool = False,
                    clear: bool = False, today: str | None = None) -> RefreshPlan:
    """Map a Standard Safeguarding Dataset extract to the import files, then plan it like a folder."""
    ssd = read_ssd(folder, source_id=source_id, agency_id=agency_id, extracted_at=extracted_at)
    notes = [f"{folder.name}: the extract has no name columns (as in the SSD object model); "
             "people are loaded without names"] if ssd.nameless else []
    return plan_tables(store, ssd.tables, delta=delta, accept_identity_changes=accept_identity_changes, clear=clear,
                       today=today, notes=notes, quality=ssd.quality,
                       drop_kinds=("missing name",) if ssd.nameless else ())


def plan_tables(store: RefreshStore, tables: dict[str, RawTable], *, delta: bool = False,
                accept_identity_changes: bool = False, clear: bool = False, today: str | None = None,
                problems: list[Problem] | None = None, notes: list[str] | None = None,
                unreadable: set[str] | None = None, quality: list[Problem] | None = None,
                drop_kinds: tuple[str, ...] = ()) -> RefreshPlan:
    """Validate raw tables, check identities against the store and compute the per-source changes.

    Structural problems reject the load; value problems (with `quality` from a mapper) are kept as
    data-quality notes on the plan, less the kinds in `drop_kinds`.
    """
    known = None if clear else _known_in(store)
    validated = validate_tables(tables, known, today, unreadable)
    kept = sorted(p for p in [*(quality or []), *validated.quality] if p.kind not in drop_kinds)
    found = [*(problems or []), *validated.problems]
    if found:
        raise LoadRejected(found, kept)
    frames = validated.frames
    if erased := _erased_rows(store, frames, tables):
        raise LoadRejected(erased, kept)
    absent = {stem: [c.name for c in FILES[stem].columns if c.name not in tables[stem].frame.columns]
              for stem in frames}
    diff = _Differ(store, frames, absent, delta=delta, clear=clear)
    identity = [] if clear else diff.identity_changes(tables)
    if identity and not accept_identity_changes:
        raise LoadRejected(identity, kept)
    diff.run()
    changes = diff.changes()
    if diff.stale:
        raise LoadRejected(_stale_problems(frames["sources"], tables["sources"].name, diff.stale), kept)
    plan = RefreshPlan(changes, {s: d.summary for s, d in diff.deltas.items()}, identity,
                       [*(notes or []), *validated.notes, *diff.notes], {s: len(f) for s, f in frames.items()},
                       validated.rows(), kept, _source_ids(frames.get("sources")))
    return plan


def _source_ids(frame: pd.DataFrame | None) -> tuple[str, ...]:
    """The ids of a validated sources frame."""
    return () if frame is None else tuple(str(s) for s in frame["source_id"].dropna())


def _stale_problems(sources: pd.DataFrame, name: str, stale: list[str]) -> list[Problem]:
    """A full extract older than the one loaded would close what the newer one added: refuse it."""
    return [Problem(name, int(row), "extracted_at", f"this extract of {source} is dated "
                    f"{format_uk(date)}, older than the one already loaded; roll that back first "
                    "('familygraph rollback'), or load this one with --delta")
            for row, source, date in zip(sources.index, sources["source_id"], sources["extracted_at"], strict=True)
            if source in stale]


def _erased_rows(store: RefreshStore, frames: dict[str, pd.DataFrame], tables: dict[str, RawTable]) -> list[Problem]:
    """Rows that would bring back a person erased on request (matched by the erasure's hash of the id)."""
    from loaders.erase import subject_hash

    people = frames.get("people")
    if people is None or not len(people):
        return []
    erasures = {r["subject"]: r for r in store.node_rows(Label.ERASURE)}
    if not erasures:
        return []
    found = []
    for row, pid in zip(people.index, people["person_id"], strict=True):
        if (erasure := erasures.get(subject_hash(pid))) is not None:
            found.append(Problem(tables["people"].name, int(row), "person_id",
                                 f"this person was erased on request on {format_uk(erasure['erased_at'][:10])} "
                                 f"({erasure['id']}); take the row out of the extract"))
    return found


def apply_plan(store: RefreshStore, plan: RefreshPlan, progress: ProgressFn | None = None) -> None:
    """Write a plan, all or nothing (on Neo4j a big one in logged batches, undone if it fails)."""
    store.apply_changes(plan.changes, progress)


def _known_in(store: RefreshStore) -> KnownIds:
    labels = {"people": Label.PERSON, "families": Label.FAMILY, "agencies": Label.AGENCY,
              "sources": Label.SOURCE, "professionals": Label.PROFESSIONAL}

    def known(stem: str, ids: set[str]) -> set[str]:
        return store.existing_ids(labels[stem], ids)

    return known


class _Differ:
    """Compares one validated folder with the store and builds the changes per source."""

    def __init__(self, store: RefreshStore, frames: dict[str, pd.DataFrame], absent: dict[str, list[str]], *,
                 delta: bool, clear: bool) -> None:
        self.store, self.frames, self.absent, self.clear = store, frames, absent, clear
        self.batch: GraphBatch = frames_to_batch(frames)
        self.declared: dict[str, str | None] = {}
        if (sources := frames.get("sources")) is not None:
            self.declared = dict(zip(sources["source_id"], sources["extracted_at"], strict=True))
        self.full = set() if delta else set(self.declared)
        self.mode = "delta" if delta else "full"
        self.deltas: dict[str, _Delta] = {}
        self.notes: list[str] = []
        self.stale: list[str] = []
        self._stored_nodes: dict[Label, dict[str, Row]] = {}
        self._stored_rels: dict[str, dict[tuple[Any, ...], Row]] = {}
        self._fetch()
        self._fill_partial()

    # -- reading what the store holds ------------------------------------------------------------------------

    def _fetch(self) -> None:
        """The stored rows that the folder's rows may match, and the facts of the sources it replaces."""
        for label in _NODE_FILES:
            rows = [full_node_row(node_spec(label), r) for r in self.batch.nodes.get(label, [])]
            self.batch.nodes[label] = rows
            stored = [] if self.clear or not rows else self.store.node_rows(label, ids=[r["id"] for r in rows])
            if not self.clear and self.full and label in _CLOSE_NODES and _NODE_FILES[label] in self.frames:
                stored += self.store.node_rows(label, sources=sorted(self.full))
            self._stored_nodes[label] = {r["id"]: r for r in stored}
        for name in (*_REL_FILES, *_OWNED):
            spec = rel_spec(name)
            rows = [full_rel_row(spec, r) for r in self.batch.rels.get(name, [])]
            self.batch.rels[name] = rows
            stored = []
            if not self.clear:
                if name in _OWNED:
                    owner, end = _OWNED[name]
                    ids = [r["id"] for r in self.batch.nodes.get(owner, [])]
                    if ids:
                        stored = (self.store.rel_rows(name, src_ids=ids) if end == "src"
                                  else self.store.rel_rows(name, dst_ids=ids))
                else:
                    if rows:
                        stored = self.store.rel_rows(name, src_ids=sorted({r["src"] for r in rows}))
                    if self.full and _REL_FILES[name] in self.frames:
                        stored += self.store.rel_rows(name, sources=sorted(self.full))
            self._stored_rels[name] = {rel_key(spec, r): r for r in stored}

    def _fill_partial(self) -> None:
        """Rows of a file that lacks optional columns keep the stored values of those columns."""
        for stem, columns in self.absent.items():
            props = [_PARTIAL[stem][c] for c in columns if c in _PARTIAL.get(stem, {})]
            if stem == "needs" and "until" not in props and "status" in props:
                props.remove("status")  # derived from the until the file gives
            if not props:
                continue
            label = next((lb for lb, s in _NODE_FILES.items() if s == stem), None)
            if label is not None:
                stored_nodes = self._stored_nodes[label]
                kept_quiet = False
                for row in self.batch.nodes.get(label, []):
                    if (old := stored_nodes.get(row["id"])) is not None:
                        row.update({p: old[p] for p in props})
                        kept_quiet = kept_quiet or any(old[p] is not None for p in _QUIET.get(stem, ()) if p in props)
                if kept_quiet or any(p not in _QUIET.get(stem, ()) for p in props):
                    self.notes.append(f"{stem}: no column {', '.join(columns)} in the file; stored values kept")
                continue
            self.notes.append(f"{stem}: no column {', '.join(columns)} in the file; stored values kept")
            name = next(n for n, s in _REL_FILES.items() if s == stem)
            spec, stored_rels = rel_spec(name), self._stored_rels[name]
            for row in self.batch.rels.get(name, []):
                if (old_rel := stored_rels.get(rel_key(spec, row))) is not None:
                    row.update({p: old_rel[p] for p in props})

    # -- identity ----------------------------------------------------------------------------------------

    def identity_changes(self, tables: dict[str, RawTable]) -> list[Problem]:
        """Rows that would change who a stored record is: one problem per row, with both values."""
        found: list[Problem] = []
        name = {stem: raw.name for stem, raw in tables.items()}
        if (f := self.frames.get("people")) is not None:
            stored = self._stored_nodes[Label.PERSON]
            for row, pid, given, family, dob in zip(f.index, f["person_id"], f["given_name"], f["family_name"],
                                                    f["date_of_birth"], strict=True):
                if (old := stored.get(pid)) is None:
                    continue
                if dob is not None and old["dob"] is not None and dob != old["dob"]:
                    found.append(_identity(name["people"], row, "date_of_birth", f"person {pid}",
                                           format_uk(old["dob"]), format_uk(dob)))
                if _differs(given, old["given_name"]) and _differs(family, old["family_name"]):
                    found.append(_identity(name["people"], row, "given_name, family_name", f"person {pid}",
                                           f"{old['given_name']} {old['family_name']}", f"{given} {family}"))
        if (f := self.frames.get("families")) is not None:
            stored = self._stored_nodes[Label.FAMILY]
            for row, fid, fname, postcode in zip(f.index, f["family_id"], f["name"], f["postcode"], strict=True):
                if (old := stored.get(fid)) is None:
                    continue
                new_pc = postcode_key(postcode) if postcode is not None else None
                if _differs(fname, old["name"]) and new_pc and old["postcode"] and new_pc != old["postcode"]:
                    found.append(_identity(name["families"], row, "name, postcode", f"family {fid}",
                                           f"{old['name']} at {postcode_display(old['postcode'])}",
                                           f"{fname} at {postcode_display(new_pc)}"))
        if (f := self.frames.get("memberships")) is not None:
            stored_m = self._stored_rels["member_of"]
            for row, pid, fid, role in zip(f.index, f["person_id"], f["family_id"], f["role"], strict=True):
                if (old := stored_m.get((pid, fid))) is not None and old["role"] != role:
                    found.append(_identity(name["memberships"], row, "role", f"membership of {pid} in {fid}",
                                           old["role"], role))
        if (f := self.frames.get("involvements")) is not None:
            delivered = {r["dst"]: r["src"] for r in self._stored_rels["delivers"].values()}
            for row, iid, prof in zip(f.index, f["involvement_id"], f["professional_id"], strict=True):
                if (old_prof := delivered.get(iid)) is not None and old_prof != prof:
                    found.append(_identity(name["involvements"], row, "professional_id", f"involvement {iid}",
                                           old_prof, prof))
        return found

    # -- the diff ----------------------------------------------------------------------------------------

    def _delta(self, source: str | None) -> _Delta:
        key = source or NO_SOURCE
        if key not in self.deltas:
            mode = self.mode if key in self.declared else "delta"
            self.deltas[key] = _Delta(SourceSummary(key, mode, self.declared.get(key)))
        return self.deltas[key]

    def run(self) -> None:
        """Compute every change, per source."""
        agency_source: dict[str, str] = {}
        for row in self.batch.nodes.get(Label.SOURCE, []):
            agency_source.setdefault(row["agency_id"], row["id"])
        for label in _NODE_FILES:
            self._nodes(label, agency_source)
        for name in _REL_FILES:
            self._rels(name)
        for source in self.declared:
            self._delta(source)

    def _owner_source(self, label: Label, row: Row, agency_source: dict[str, str]) -> str | None:
        if label is Label.SOURCE:
            return str(row["id"])
        if label is Label.AGENCY:
            return agency_source.get(row["id"])
        return row.get("source_id")

    def _nodes(self, label: Label, agency_source: dict[str, str]) -> None:
        """Added and changed nodes (with the relationships they own); closed ones of replaced sources."""
        stored = self._stored_nodes[label]
        incoming = self.batch.nodes.get(label, [])
        owned = {name: own for name, own in _OWNED.items() if own[0] is label}
        new_owned = {name: _by_owner(self.batch.rels.get(name, []), end) for name, (_, end) in owned.items()}
        old_owned = {name: _by_owner(self._stored_rels[name].values(), end) for name, (_, end) in owned.items()}
        for row in incoming:
            delta = self._delta(self._owner_source(label, row, agency_source))
            old = stored.get(row["id"])
            node_changed = old is not None and old != row
            if old is None or node_changed:
                delta.forward.node_upserts.setdefault(label, []).append(row)
            if old is None:
                delta.undo.node_deletes.setdefault(label, []).append(row["id"])
            elif node_changed:
                delta.undo.node_upserts.setdefault(label, []).append(old)
            rels_changed = False
            for name in owned:
                spec = rel_spec(name)
                new = {rel_key(spec, r): r for r in new_owned[name].get(row["id"], [])}
                before = {rel_key(spec, r): r for r in old_owned[name].get(row["id"], [])}
                for key, rel in new.items():
                    if key not in before:
                        delta.forward.rel_upserts.setdefault(name, []).append(rel)
                        if old is not None:  # an added node's relationships go with it on rollback
                            delta.undo.rel_deletes.setdefault(name, []).append(_key_only(spec, rel))
                        rels_changed = True
                for key, rel in before.items():
                    if key not in new:
                        delta.forward.rel_deletes.setdefault(name, []).append(rel)
                        delta.undo.rel_upserts.setdefault(name, []).append(rel)
                        rels_changed = True
            if label is Label.SOURCE:
                continue  # the extract's own date and coverage: recorded on the extract, not counted as a fact
            if old is None:
                delta.summary.added += 1
            elif node_changed or rels_changed:
                delta.summary.changed += 1
        if label in _CLOSE_NODES and _NODE_FILES[label] in self.frames:
            start, end = _CLOSE_NODES[label]
            seen = {r["id"] for r in incoming}
            for node_id, old in stored.items():
                if node_id in seen or old.get("source_id") not in self.full or old[end] is not None:
                    continue
                delta = self._delta(old["source_id"])
                closed = {**old, end: _close_date(self.declared[old["source_id"]], old[start])}
                delta.forward.node_upserts.setdefault(label, []).append(closed)
                delta.undo.node_upserts.setdefault(label, []).append(old)
                delta.summary.closed += 1

    def _rels(self, name: str) -> None:
        """Added and changed relationships; closed or removed ones of replaced sources."""
        spec = rel_spec(name)
        stored = self._stored_rels[name]
        incoming = {rel_key(spec, r): r for r in self.batch.rels.get(name, [])}
        for key, row in incoming.items():
            old = stored.get(key)
            if old == row:
                continue
            delta = self._delta(row.get("source_id"))
            delta.forward.rel_upserts.setdefault(name, []).append(row)
            if old is None:
                delta.undo.rel_deletes.setdefault(name, []).append(_key_only(spec, row))
                delta.summary.added += 1
            else:
                delta.undo.rel_upserts.setdefault(name, []).append(old)
                delta.summary.changed += 1
        if _REL_FILES[name] not in self.frames:
            return
        for key, old in stored.items():
            if key in incoming or old.get("source_id") not in self.full:
                continue
            delta = self._delta(old["source_id"])
            if name in _REMOVE_RELS:
                delta.forward.rel_deletes.setdefault(name, []).append(old)
                delta.undo.rel_upserts.setdefault(name, []).append(old)
                delta.summary.removed += 1
            elif name in _CLOSE_RELS and old[_CLOSE_RELS[name][1]] is None:
                start, end = _CLOSE_RELS[name]
                closed = {**old, end: _close_date(self.declared[old["source_id"]], old[start])}
                if name == "has_need":
                    closed["status"] = "closed"
                delta.forward.rel_upserts.setdefault(name, []).append(closed)
                delta.undo.rel_upserts.setdefault(name, []).append(old)
                delta.summary.closed += 1

    # -- extracts ----------------------------------------------------------------------------------------

    def changes(self) -> ChangeSet:
        """All forward changes, with one Extract record per source whose extract is new."""
        total = ChangeSet(clear=self.clear)
        history = [] if self.clear else self.store.node_rows(Label.EXTRACT, sources=sorted(self.deltas))
        stored_sources = ({} if self.clear else
                          {r["id"]: r for r in self.store.node_rows(Label.SOURCE, ids=sorted(self.deltas))})
        loaded_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        for source, delta in sorted(self.deltas.items()):
            summary = delta.summary
            if summary.extracted_at is None and source in stored_sources:
                summary.extracted_at = stored_sources[source]["extracted_at"]
            mine = [r for r in history if r["source_id"] == source]
            active = [r for r in mine if r["status"] == "loaded"]
            latest = max(active, key=lambda r: r["seq"]) if active else None
            if (summary.mode == "full" and latest is not None and summary.extracted_at and latest["extracted_at"]
                    and summary.extracted_at < latest["extracted_at"]):
                self.stale.append(source)
            unchanged = delta.forward.size() == 0
            if unchanged and latest is not None and latest["extracted_at"] == summary.extracted_at:
                summary.extract, summary.recorded = latest["seq"], False
                continue
            summary.extract = max((r["seq"] for r in mine), default=0) + 1
            total.merge(delta.forward)
            extract_id = f"{source}#{summary.extract}"
            undo, parts = stored_undo(extract_id, source, changes_to_json(delta.undo))
            total.node_upserts.setdefault(Label.EXTRACT, []).append({
                "id": extract_id, "source_id": source, "seq": summary.extract,
                "extracted_at": summary.extracted_at, "loaded_at": loaded_at, "mode": summary.mode,
                "status": "loaded", "summary": json.dumps(summary.counts()), "undo": undo})
            if parts:
                total.node_upserts.setdefault(Label.EXTRACT_PART, []).extend(parts)
        return total


def _key_only(spec: RelSpec, row: Row) -> Row:
    """What a delete needs: both ends and the key properties (keeps an extract's undo small)."""
    return {"src": row["src"], "dst": row["dst"], **{k: row[k] for k in spec.key}}


def _by_owner(rows: Iterable[Row], end: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row[end], []).append(row)
    return grouped


def _differs(new: Any, old: Any) -> bool:
    """Two names differ (ignoring case and surrounding space); a missing one never differs."""
    if new is None or old is None:
        return False
    return str(new).strip().casefold() != str(old).strip().casefold()


def _identity(file: str, row: Any, column: str, what: str, old: Any, new: Any) -> Problem:
    return Problem(file, int(row), column, f"identity change: {what} is stored as {old!r}, this row says "
                   f"{new!r} ({_ACCEPT_HINT})")


def _close_date(extracted_at: str | None, start: str | None) -> str:
    """The extract's date (never before the record started)."""
    date = extracted_at or dt.date.today().isoformat()
    return max(date, start) if start else date
