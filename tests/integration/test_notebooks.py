"""Every built notebook, in every language, runs headless in a real kernel without error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netwise.paths import bundled_notebooks
from support.notebooks import execute

NOTEBOOKS = sorted(bundled_notebooks().rglob("*.ipynb"))


def test_assessment_notebooks_are_built() -> None:
    """Every module with an item bank has its pre, post and booster checks beside its lessons."""
    forms = [
        p
        for p in NOTEBOOKS
        if json.loads(p.read_text(encoding="utf-8"))["metadata"]["netwise"].get("kind") == "assessment"
    ]
    stems = {p.stem for p in forms}
    assert {"00-check-before", "90-check-after"} <= stems
    assert {p.relative_to(bundled_notebooks()).parts[0] for p in forms} >= {"en", "vi"}


def test_notebooks_exist_for_both_languages() -> None:
    langs = {path.relative_to(bundled_notebooks()).parts[0] for path in NOTEBOOKS}
    assert {"en", "vi"} <= langs
    for lang in ("en", "vi"):
        assert len([p for p in NOTEBOOKS if p.relative_to(bundled_notebooks()).parts[0] == lang]) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: "/".join(p.parts[-3:]))
def test_notebook_executes(path: Path, tmp_path: Path) -> None:
    notebook = execute(path, tmp_path)
    lang = notebook.metadata["netwise"]["lang"]
    # Each activity cell displays a widget (its view), never a traceback or plain text.
    for cell in notebook.cells:
        if cell.cell_type == "code" and ("lesson.show(" in cell.source or "AssessmentWidget(" in cell.source):
            kinds = [o.get("data", {}).keys() for o in cell.outputs]
            assert any("application/vnd.jupyter.widget-view+json" in k for k in kinds), cell.source
    # Opening a lesson creates its answer record beside the notebook, in the notebook's language.
    records = list(tmp_path.glob("*.answers.json"))
    if records:
        assert json.loads(records[0].read_text(encoding="utf-8"))["lang"] == lang
