"""On the lesson app's lean page the notebook's heading is the one title (issue 13).

There a lesson header and a check's form say ``page_heading`` so the renderer draws neither
the title again nor (for a form) the instruction the notebook text above already gives; in
JupyterLab and nbgrader (no ``NETWISE_PAGE``) nothing changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netwise.scoring import record as record_mod
from netwise.widgets import AssessmentWidget, Lesson, page_mode
from support.paths import FIXTURES


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(record_mod.MEMORY_ENV, raising=False)
    return tmp_path


@pytest.mark.parametrize("lean", [False, True])
def test_header_and_form_leave_the_heading_to_the_page_only_on_the_lean_page(
    cwd: Path, monkeypatch: pytest.MonkeyPatch, lean: bool
) -> None:
    if lean:
        monkeypatch.setenv(page_mode.PAGE_MODE_ENV, page_mode.LEAN)
    else:
        monkeypatch.delenv(page_mode.PAGE_MODE_ENV, raising=False)
    lesson = Lesson("fx-lesson", lang="en", curriculum=FIXTURES / "widgets")
    assert lesson.header.spec["page_heading"] is lean
    assert lesson.header.spec["title"] == lesson.lesson.title  # the data stays; only the drawing differs
    form = AssessmentWidget("basics", "pre", lang="en", curriculum=FIXTURES / "assess", directory=cwd)
    assert form.spec["page_heading"] is lean
    assert form.spec["title"]
