"""Buffered CSV output: one file per import stem (spec column order) plus the truth files."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from loaders.spec import FILES
from seed.dates import iso, iso_or_empty
from seed.model import Agency, Cluster, Professional
from seed.truth import TRUTH_COLUMNS

__all__ = ["Sink"]

_BUFFER = 1 << 20


class Sink:
    """Open writers for every output file; counts the rows written to each."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        (out_dir / "truth").mkdir(parents=True, exist_ok=True)
        self._files: list[IO[str]] = []
        self._writers: dict[str, Any] = {}
        self.rows: dict[str, int] = {}
        self.truth: dict[str, int] = {}
        self._widths = {stem: len(spec.columns) for stem, spec in FILES.items()}
        for stem, spec in FILES.items():
            self._open(stem, out_dir / f"{stem}.csv", [c.name for c in spec.columns])
            self.rows[stem] = 0
        for name, columns in TRUTH_COLUMNS.items():
            self._open(f"truth/{name}", out_dir / "truth" / f"{name}.csv", list(columns))
            self.truth[name] = 0

    def _open(self, key: str, path: Path, header: list[str]) -> None:
        handle = path.open("w", encoding="utf-8", newline="", buffering=_BUFFER)
        self._files.append(handle)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        self._writers[key] = writer

    def __enter__(self) -> Sink:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        for handle in self._files:
            handle.close()

    def write(self, stem: str, rows: Iterable[list[str] | tuple[str, ...]]) -> None:
        """Write rows to an import file."""
        width = self._widths[stem]
        rows = [list(row) + [""] * (width - len(row)) for row in rows]  # optional columns not generated stay empty
        self._writers[stem].writerows(rows)
        self.rows[stem] += len(rows)

    def write_truth(self, name: str, rows: list[tuple[str, ...]]) -> None:
        """Write rows to a truth file."""
        self._writers[f"truth/{name}"].writerows(rows)
        self.truth[name] += len(rows)

    def agencies(self, agencies: list[Agency], coverage_from: int) -> None:
        """Agencies and their extracts."""
        self.write("agencies", ([a.id, a.name, a.sector, a.tier, a.district or ""] for a in agencies))
        self.write(
            "sources",
            (
                [
                    a.source_id,
                    a.id,
                    iso(a.extracted_at),
                    iso(coverage_from),
                    iso(a.extracted_at),
                    a.description,
                ]
                for a in agencies
            ),
        )

    def professionals(self, profs: list[Professional]) -> None:
        """Every professional."""
        self.write(
            "professionals",
            (
                [
                    p.id,
                    p.name,
                    p.agency.id,
                    p.role,
                    p.team,
                    p.email,
                    p.phone,
                    "" if p.lead_capacity is None else str(p.lead_capacity),
                    p.agency.source_id,
                ]
                for p in profs
            ),
        )

    def cluster(self, c: Cluster) -> None:
        """Every record of one cluster."""
        self.write("families", ([f.id, f.name, f.postcode, f.district.name, f.source_id] for f in c.families))
        self.write(
            "people",
            (
                [p.id, p.given, p.family_name, iso(p.dob), p.sex, p.postcode, p.nhs, p.upn, p.source_id]
                for p in c.people
            ),
        )
        self.write(
            "memberships",
            (
                [m.person.id, f.id, m.role, "true" if m.resident else "false", m.source_id]
                for f in c.families
                for m in f.members
            ),
        )
        self.write("relationships", ([r.a.id, r.b.id, r.kind, r.source_id] for r in c.relationships))
        self.write(
            "needs",
            (
                [
                    n.person.id,
                    n.code,
                    iso(n.since),
                    iso_or_empty(n.until),
                    "open" if n.until is None else "closed",
                    n.source_id,
                ]
                for n in c.needs
            ),
        )
        self.write(
            "involvements",
            (
                [
                    i.id,
                    i.prof.id,
                    i.person.id if i.person else "",
                    i.family.id if i.family else "",
                    ";".join(i.codes),
                    i.service,
                    iso(i.start),
                    iso_or_empty(i.end),
                    i.source_id,
                ]
                for i in c.involvements
            ),
        )
        self.write(
            "leads",
            (
                [ld.prof.id, f.id, iso(ld.since), iso_or_empty(ld.until), ld.source_id]
                for f in c.families
                for ld in f.leads
            ),
        )
        self.write(
            "episodes",
            (
                [
                    e.id,
                    f.id,
                    e.kind,
                    iso(e.opened),
                    iso_or_empty(e.closed),
                    e.end_reason,
                    iso_or_empty(e.assessment),
                    iso_or_empty(e.plan),
                    e.source_id,
                ]
                for f in c.families
                for e in f.episodes
            ),
        )
