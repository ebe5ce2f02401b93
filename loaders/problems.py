"""Problems with the input: each names the file, row, column and reason.

Two kinds: a structural problem (no `kind`) rejects the whole load; a value problem (a `kind` such as
"missing name") loads the record without that value and is kept as a data-quality note of its source.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graphmodel.errors import FamilyGraphError

__all__ = ["LoadRejected", "Problem", "format_problems", "quality_counts", "write_problems_csv"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the input. Rows are spreadsheet rows: the header is row 1 (0 = the whole file)."""

    file: str
    row: int
    column: str
    reason: str
    kind: str = ""
    """Empty for a structural problem; the kind of a value problem (a data-quality note), e.g. 'missing name'."""
    source_id: str | None = None
    """The extract (sources.csv id) the row came from, for value problems."""

    @property
    def structural(self) -> bool:
        """True if this problem rejects the load (False: a value problem the record loads without)."""
        return not self.kind

    def __str__(self) -> str:
        if self.row <= 0:
            where = self.file if self.column == "-" else f"{self.file}, column {self.column}"
        else:
            where = f"{self.file}, row {self.row}, column {self.column}"
        return f"{where}: {self.reason}"


def format_problems(problems: list[Problem], limit: int = 50) -> str:
    """A readable report of problems, the first `limit` in full and a count of the rest."""
    lines = [str(p) for p in sorted(problems)[:limit]]
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more problems (write them all with --problems FILE.csv)")
    return "\n".join(lines)


def quality_counts(notes: Iterable[Problem]) -> dict[str, int]:
    """Value problems counted by kind, most frequent first."""
    return dict(Counter(p.kind for p in notes if p.kind).most_common())


def write_problems_csv(path: Path, problems: Iterable[Problem]) -> int:
    """Write every problem (structural and value) to a CSV file; return how many were written.

    Cells are neutralised so that a crafted value cannot run as a formula when the file is opened.
    """
    from graphmodel.formula import neutralise

    rows = sorted(problems)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "kind", "source_id", "reason"])
        for p in rows:
            writer.writerow([neutralise(p.file), p.row, neutralise(p.column), p.kind or "structural",
                             neutralise(p.source_id or ""), neutralise(p.reason)])
    return len(rows)


class LoadRejected(FamilyGraphError):
    """The input failed validation; nothing was written."""

    def __init__(self, problems: list[Problem], quality: list[Problem] | None = None):
        self.problems = sorted(problems)
        self.quality = sorted(quality or [])
        """Value problems found too (they alone would not have rejected the load)."""
        first = self.problems[0] if self.problems else None
        summary = f"{len(self.problems)} problem(s) in the input; nothing was loaded"
        super().__init__(f"{summary}. First: {first}" if first else summary)
