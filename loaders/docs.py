"""The generated parts of docs/data-format.md: file tables (from the mapping), need and sector codes (from the
taxonomy) and input limits. `python -m loaders.docs` rewrites them between their markers; a test checks the
doc is up to date."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

from graphmodel.schema import rel_spec
from graphmodel.taxonomy import CATEGORIES_2021, NEEDS, OUTCOMES_2022, SECTORS
from loaders.limits import LIMIT_DOCS, Limits
from loaders.spec import FILES, ColumnSpec, FileSpec

__all__ = ["DOC", "SECTIONS", "render", "updated"]

DOC = Path(__file__).resolve().parent.parent / "docs" / "data-format.md"
_LISTED_CHOICES = 8


def _type(column: ColumnSpec) -> str:
    if column.choices and len(column.choices) <= _LISTED_CHOICES:
        return f"{column.type.value}: " + ", ".join(f"`{c}`" for c in column.choices)
    return column.type.value


def _graph(spec: FileSpec) -> str:
    parts = []
    if spec.node is not None:
        parts.append(f"`{spec.node.label}` nodes")
    for rel in spec.rels:
        relationship = rel_spec(rel.name)
        parts.append(f"`{relationship.type}` relationships ({relationship.start} to {relationship.end})")
    return "; ".join(parts)


def _file(spec: FileSpec) -> str:
    key = ", ".join(f"`{k}`" for k in spec.unique)
    lines = [f"### `{spec.stem}`", "", f"{spec.doc} Key: {key}. Becomes {_graph(spec)}.", "",
             "| column | type | required | refers to | meaning |", "|---|---|---|---|---|"]
    lines += [f"| `{c.name}` | {_type(c)} | {'yes' if c.required else ''} | {c.references or ''} | {c.doc} |"
              for c in spec.columns]
    return "\n".join(lines)


def render_files() -> str:
    """One section per import file."""
    return "\n\n".join(_file(spec) for spec in FILES.values())


def render_needs() -> str:
    """The need codes with their 2021 category and 2022 outcome."""
    lines = ["| code | need | 2021 category | 2022 outcome |", "|---|---|---|---|"]
    for code, need in NEEDS.items():
        category = CATEGORIES_2021.get(need.category_2021 or "", "—")
        outcome = OUTCOMES_2022.get(need.outcome_2022, "—")
        lines.append(f"| `{code}` | {need.name} | {category} | {outcome} |")
    return "\n".join(lines)


def render_sectors() -> str:
    """The sector codes with their usual tier."""
    lines = ["| code | sector | usual tier |", "|---|---|---|"]
    lines += [f"| `{code}` | {s.name} | {s.default_tier.value} |" for code, s in SECTORS.items()]
    return "\n".join(lines)


def render_limits() -> str:
    """The input limits, their defaults and the variables that set them."""
    lines = ["| limit | default | variable |", "|---|---|---|"]
    lines += [f"| {LIMIT_DOCS[f.name]} | {f.default:,} | `FAMILYGRAPH_MAX_{f.name.upper()}` |"
              for f in dataclasses.fields(Limits)]
    return "\n".join(lines)


SECTIONS = {"files": render_files, "needs": render_needs, "sectors": render_sectors, "limits": render_limits}


def render(name: str) -> str:
    """A generated section by name."""
    return SECTIONS[name]()


def updated(text: str) -> str:
    """The doc with every generated section replaced between its markers."""
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"docs/data-format.md has no <!-- generated:{name} --> section")
        body = make()
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)  # noqa: B023 - used at once
    return text


if __name__ == "__main__":
    DOC.write_text(updated(DOC.read_text()))
    sys.exit(0)
