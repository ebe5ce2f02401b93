"""Input limits, checked before anything is expanded: file size, rows, columns, cell length, workbook size.

Each can be set by an environment variable (FAMILYGRAPH_MAX_FILE_MB and so on, see docs/data-format.md)
or by passing a Limits to the reader.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

__all__ = ["DEFAULT_LIMITS", "LIMIT_DOCS", "Limits"]

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The largest input accepted."""

    file_mb: int = 512
    """Size of one file on disk (CSV or .xlsx)."""
    rows: int = 2_000_000
    """Data rows in one file."""
    columns: int = 200
    """Columns in one file (header cells)."""
    cell_chars: int = 32_767
    """Characters in one cell (Excel's own limit)."""
    xlsx_unpacked_mb: int = 1024
    """Unpacked size of all the parts of one .xlsx workbook."""

    @property
    def file_bytes(self) -> int:
        """file_mb in bytes."""
        return self.file_mb * _MB

    @property
    def too_many_rows(self) -> str:
        """The reason given for a file with more data rows than `rows`."""
        return f"more than {self.rows:,} rows (FAMILYGRAPH_MAX_ROWS)"

    @property
    def xlsx_unpacked_bytes(self) -> int:
        """xlsx_unpacked_mb in bytes."""
        return self.xlsx_unpacked_mb * _MB

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """Limits from FAMILYGRAPH_MAX_FILE_MB, _ROWS, _COLUMNS, _CELL_CHARS, _XLSX_UNPACKED_MB (positive integers)."""
        env = os.environ if env is None else env
        values: dict[str, int] = {}
        for field in fields(cls):
            name = f"FAMILYGRAPH_MAX_{field.name.upper()}"
            if name in env:
                text = env[name].strip().replace("_", "")
                if not text.isdigit() or int(text) <= 0:
                    raise ValueError(f"{name} must be a positive whole number, got {env[name]!r}")
                values[field.name] = int(text)
        return cls(**values)


DEFAULT_LIMITS = Limits()

LIMIT_DOCS: dict[str, str] = {
    "file_mb": "Size of one file on disk (CSV or .xlsx), in MB.",
    "rows": "Data rows in one file.",
    "columns": "Columns in one file (header cells); for .xlsx also the sheet's declared width.",
    "cell_chars": "Characters in one cell (Excel's own limit).",
    "xlsx_unpacked_mb": "Unpacked size of all the parts of one .xlsx workbook, in MB (checked before it is opened).",
}
"""What each limit bounds, for docs/data-format.md."""
