"""docs/data-format.md documents every file, column, need code and sector the loader accepts, generated from
the one mapping (loaders/spec.py), which agrees with the graph schema."""

from __future__ import annotations

from pathlib import Path

from graphmodel.schema import node_spec, rel_spec
from graphmodel.taxonomy import NEEDS, SECTORS
from loaders.docs import updated
from loaders.spec import FILES

DOC = (Path(__file__).resolve().parent.parent / "docs" / "data-format.md").read_text()
PENDING_IN_SCHEMA = {"address_line1", "town"}  # person address columns: stored once the schema holds them


def test_every_file_and_column_is_documented() -> None:
    missing = [f"{spec.stem}.{column.name}" for spec in FILES.values() for column in spec.columns
               if f"| `{column.name}` |" not in DOC.split(f"### `{spec.stem}`")[1].split("###")[0]]
    assert missing == []


def test_every_need_code_and_sector_is_documented() -> None:
    assert [code for code in NEEDS if f"| `{code}` |" not in DOC] == []
    assert [code for code in SECTORS if f"| `{code}` |" not in DOC] == []


def test_the_generated_sections_are_up_to_date() -> None:
    assert updated(DOC) == DOC, "run: python -m loaders.docs"


def test_the_mapping_agrees_with_the_schema() -> None:
    for spec in FILES.values():
        columns = {c.name for c in spec.columns}
        if spec.node is not None:
            stored = set(node_spec(spec.node.label).properties)
            assert set(spec.node.properties) <= columns, spec.stem
            assert set(spec.node.properties.values()) - stored <= PENDING_IN_SCHEMA, spec.stem
            assert spec.id_column is not None and spec.node.properties[spec.id_column] == "id", spec.stem
        for rel in spec.rels:
            relationship = rel_spec(rel.name)
            assert set(rel.properties) == {*relationship.key, *relationship.properties}, rel.name
            assert {rel.src, rel.dst, *rel.properties} <= columns, rel.name
            for end, label in ((rel.src, relationship.start), (rel.dst, relationship.end)):
                column = spec.column(end)
                target = FILES[column.references] if column.references else spec
                if target.node is not None and (column.references or column.type.value == "id"):
                    assert target.node.label == label, (rel.name, end)
