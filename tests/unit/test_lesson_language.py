"""A lesson never silently shows English inside another language's page."""

from __future__ import annotations

from pathlib import Path

import pytest

from netwise.widgets import Lesson


def test_missing_translation_is_announced(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    po = mini / "locale/vi/LC_MESSAGES/basics.po"
    entry = 'msgid "Banks never ask for it."\nmsgstr "VI Banks never ask for it."'
    po.write_text(po.read_text(encoding="utf-8").replace(entry, 'msgid "Banks never ask for it."\nmsgstr ""'), "utf-8")
    lesson = Lesson("basics-one", lang="vi", curriculum=mini)
    assert lesson.warning_text is not None and "Tiếng Việt" in lesson.warning_text
    assert lesson.header.state["warning"] == lesson.warning_text  # shown in the lesson header


def test_complete_translation_has_no_warning(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Lesson("basics-one", lang="vi", curriculum=mini).warning_text is None
