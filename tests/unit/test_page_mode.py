"""Page mode (netwise/widgets/page_mode.py): on the lean page a widget carries no renderer and few strings."""

from __future__ import annotations

import json

import pytest

from netwise.app import config
from netwise.widgets import Lesson, page_mode


@pytest.fixture
def lesson(monkeypatch: pytest.MonkeyPatch) -> Lesson:
    monkeypatch.setenv("NETWISE_ANSWERS", "memory")
    return Lesson("scams-real-or-scam", "en")


def test_the_app_and_the_widgets_name_the_same_variable() -> None:
    assert config.PAGE_MODE_ENV == page_mode.PAGE_MODE_ENV
    assert config.PAGE_MODE == page_mode.LEAN


def test_notebooks_keep_the_renderer_and_every_string(lesson: Lesson, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(page_mode.PAGE_MODE_ENV, raising=False)
    widget = lesson.show("judge-messages")
    state = widget.get_state()
    assert "function renderChoice" in state["_esm"] and state["_css"]
    assert state["ui"] == lesson.ui


def test_lean_page_widgets_carry_a_stub_and_their_strings(lesson: Lesson, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(page_mode.PAGE_MODE_ENV, page_mode.LEAN)
    widget = lesson.show("what-to-do")
    state = widget.get_state()
    assert state["_esm"] == page_mode.STUB_ESM and state["_css"] == ""
    assert set(state["ui"]) == page_mode.renderer_keys()["choice"]
    assert len(json.dumps(state)) < 3000  # was ~75 KB: the module, the CSS and 331 strings
    assert widget.ui == lesson.ui  # Python still composes feedback from every string
    widget.handle({"action": "select", "ids": ["ask"]})
    widget.handle({"action": "check"})
    assert widget.state["feedback"]["correct"]
