"""A lesson built for --region vn --lang en and for --region intl --lang en shows that region's
currency, phone format and help lines, and no other's: after nbclient execution, in the markdown
and in the widgets' spec (issue 15, item 4)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from support.notebooks import execute
from support.paths import run_netwise

LESSON = "scams/05-scams-protect-and-report.ipynb"

MARKS: dict[str, dict[str, re.Pattern[str]]] = {
    "vn": {
        "currency": re.compile(r"\d[\d.,]* đ(?!\w)"),
        "phone": re.compile(r"\+84 000 000 \d{3}"),
        "help line": re.compile(r"National Child Protection Hotline"),
    },
    "intl": {
        "currency": re.compile(r"\$\d"),
        "phone": re.compile(r"\+00 0000 \d{4}"),
        "help line": re.compile(r"childhelplineinternational\.org"),
    },
}


def _executed(region: str, tmp_path: Path) -> Any:
    out = tmp_path / "nb"
    built = run_netwise("build", "--lang", "en", "--region", region, "--out", str(out))
    assert built.returncode == 0, built.stderr
    path = out / "en" / LESSON
    assert path.is_file(), sorted(p.name for p in (out / "en" / "scams").iterdir())
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata["netwise"]["region"] == region and notebook.metadata["netwise"]["lang"] == "en"
    execute(notebook, tmp_path, widget_state=True)
    return notebook


def _markdown(notebook: Any) -> str:
    """The lesson's markdown as the learner reads it, and any markdown a cell displayed."""
    parts = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts += [str(v) for k, v in output.get("data", {}).items() if k in ("text/markdown", "text/html")]
    return "\n".join(parts)


def _specs(notebook: Any) -> str:
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    specs = [model["state"]["spec"] for model in state.values() if "spec" in model.get("state", {})]
    assert specs, "no NetWise widget state was saved"
    return json.dumps(specs, ensure_ascii=False)


@pytest.mark.slow
@pytest.mark.parametrize("region", ["vn", "intl"])
def test_lesson_shows_its_region_and_no_other(region: str, tmp_path: Path) -> None:
    notebook = _executed(region, tmp_path)
    markdown, specs = _markdown(notebook), _specs(notebook)
    other = "intl" if region == "vn" else "vn"
    shown = MARKS[region]
    assert shown["help line"].search(markdown), "the closing must show the region's help lines"
    assert shown["currency"].search(specs) and shown["phone"].search(specs), "the scenarios must use the region's"
    for what, pattern in MARKS[other].items():
        assert not pattern.search(markdown), f"{region}: markdown shows {other}'s {what}: {pattern.search(markdown)}"
        assert not pattern.search(specs), f"{region}: a widget shows {other}'s {what}: {pattern.search(specs)}"
    header = [s for s in json.loads(specs) if s.get("type") == "header"]
    assert header and header[0]["region"] == region
    assert "{money:" not in specs + markdown and "{phone:" not in specs + markdown
