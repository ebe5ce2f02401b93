"""docs/data-format.md documents every file, column, need code and sector the loader accepts."""

from __future__ import annotations

from pathlib import Path

from graphmodel.taxonomy import NEEDS, SECTORS
from loaders.spec import FILES

DOC = (Path(__file__).resolve().parent.parent / "docs" / "data-format.md").read_text()


def test_every_file_and_column_is_documented() -> None:
    missing = [f"{spec.stem}.{column.name}" for spec in FILES.values() for column in spec.columns
               if f"| `{column.name}` |" not in DOC.split(f"### `{spec.stem}`")[1].split("###")[0]]
    assert missing == []


def test_every_need_code_and_sector_is_documented() -> None:
    assert [code for code in NEEDS if f"| `{code}` |" not in DOC] == []
    assert [code for code in SECTORS if f"| `{code}` |" not in DOC] == []
