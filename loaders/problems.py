"""Validation problems: each names the file, row, column and reason."""

from __future__ import annotations

from dataclasses import dataclass

from graphmodel.errors import FamilyGraphError

__all__ = ["LoadRejected", "Problem", "format_problems"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the input. Rows are spreadsheet rows: the header is row 1."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: {self.reason}"


def format_problems(problems: list[Problem], limit: int = 50) -> str:
    """A readable report of problems, the first `limit` in full and a count of the rest."""
    lines = [str(p) for p in sorted(problems)[:limit]]
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more problems")
    return "\n".join(lines)


class LoadRejected(FamilyGraphError):
    """The input failed validation; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        first = self.problems[0] if self.problems else None
        summary = f"{len(self.problems)} problem(s) in the input; nothing was loaded"
        super().__init__(f"{summary}. First: {first}" if first else summary)
