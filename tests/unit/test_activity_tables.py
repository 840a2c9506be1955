"""Every layer's table of activity types covers every type of the model's union.

The tables are the ones docs/architecture.md lists under "Adding an activity type": the test
reads that list, so the document and the code cannot drift apart either.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from netwise.content.model import ACTIVITY_CLASSES, ACTIVITY_TYPES, AnyActivity

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"


def documented_tables() -> list[tuple[str, str, str]]:
    """(layer, file, table) rows of the doc's "Adding an activity type" table."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Adding an activity type", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\w[\w ]*?) \| `([^`]+)` \| `([^`]+)` \|$", section, flags=re.MULTILINE)
    return [(layer.strip(), file, table) for layer, file, table in rows]


def js_keys(path: Path, name: str) -> set[str]:
    source = path.read_text(encoding="utf-8")
    body = re.search(rf"const {name} = \{{(.*?)\n\}};", source, flags=re.DOTALL)
    assert body, f"{path}: no 'const {name} = {{...}};'"
    return set(re.findall(r"^\s*(\w+):", body.group(1), flags=re.MULTILINE))


def test_the_union_is_the_list_of_types() -> None:
    assert len(ACTIVITY_CLASSES) == len(set(ACTIVITY_CLASSES)) == len(ACTIVITY_TYPES) >= 8
    assert set(ACTIVITY_CLASSES) == set(AnyActivity.__args__)
    for cls, kind in zip(ACTIVITY_CLASSES, ACTIVITY_TYPES, strict=True):
        assert cls.model_fields["type"].annotation.__args__ == (kind,)


def test_the_doc_names_a_table_in_every_layer() -> None:
    layers = {layer for layer, _, _ in documented_tables()}
    assert layers == {"content", "scoring", "widgets", "grading", "front end", "static site"}


@pytest.mark.parametrize(("layer", "file", "table"), documented_tables(), ids=lambda v: str(v))
def test_every_table_covers_every_type(layer: str, file: str, table: str) -> None:
    assert (ROOT / file).is_file(), f"docs/architecture.md names {file}, which does not exist"
    if file.endswith(".js"):
        missing = set(ACTIVITY_TYPES) - js_keys(ROOT / file, table)
        assert not missing, f"{file}: {table} has no entry for {sorted(missing)}"
        return
    module, name = table.rsplit(".", 1)
    entries = getattr(importlib.import_module(module), name)
    missing = [cls.__name__ for cls in ACTIVITY_CLASSES if cls not in entries]
    assert not missing, f"{table} has no entry for {missing}"
    assert set(entries) <= set(ACTIVITY_CLASSES), f"{table} has entries for classes outside the union"
