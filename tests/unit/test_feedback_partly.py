"""A partly right answer is told apart by a flag in the feedback, never by its headline's wording.

The page (widgets/static/netwise.js) gives a partly right answer its own calm style (issue 13).
It used to compare the headline's text with ``ui.partly``, which breaks as soon as a language
words "partly right" and "not right" alike, or a headline changes. Now the widget sets
``partly`` where it chooses the headline (widgets/base.py ``judgement``), and the renderer reads
only that flag: on the lean page it no longer even receives the ``partly`` string.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netwise.scoring import record as record_mod
from netwise.scoring.record import AnswerRecord
from netwise.widgets import Lesson, RedFlagsWidget
from netwise.widgets.page_mode import renderer_keys
from support.paths import FIXTURES

FIXTURE = FIXTURES / "widgets"


@pytest.fixture
def lesson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lesson:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(record_mod.MEMORY_ENV, "memory")
    return Lesson("fx-lesson", lang="en", curriculum=FIXTURE)


def red_flags(lesson: Lesson, ui: dict[str, str]) -> RedFlagsWidget:
    activity = next(a for a in lesson.lesson.activities if a.id == "spot")
    record = AnswerRecord(lesson.lesson_id, lesson.lang, None)
    return RedFlagsWidget(activity, lesson_id=lesson.lesson_id, record=record, ui=ui, lang=lesson.lang)


@pytest.mark.parametrize(
    ("marked", "correct", "partly"),
    [
        (["fee"], False, True),  # one of two red flags
        (["greeting"], False, False),  # a false alarm only
        (["fee", "hurry"], True, False),
    ],
)
def test_flag_follows_the_score_not_the_words(lesson: Lesson, marked: list[str], correct: bool, partly: bool) -> None:
    # A language that words "partly right" as "not right": the headlines match, the flags must not.
    ui = {**lesson.ui, "partly": lesson.ui["incorrect"]}
    widget = red_flags(lesson, ui)
    widget.mark(*marked)
    widget.check()
    feedback = widget.state["feedback"]
    assert (feedback["correct"], feedback["partly"]) == (correct, partly)
    assert feedback["headline"] == ui["correct" if correct else "partly" if partly else "incorrect"]


def test_renderer_reads_no_partly_string() -> None:
    # The style comes from the flag: no renderer reads ui.partly, so the lean page does not send it.
    keys = renderer_keys()
    assert keys["red_flags"] and all("partly" not in k for k in keys.values())
