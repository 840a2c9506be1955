"""The end-of-lesson summary shows the score the teacher will see (issue 13).

The score is the grading's: the first attempt of each part counts, so a learner who gets an
activity right only on the second try sees the same total that the teacher's report shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netwise.scoring import activity_score
from netwise.scoring import record as record_mod
from netwise.widgets import Lesson
from netwise.widgets.lesson import points
from support.paths import FIXTURES

FIXTURE = FIXTURES / "widgets"


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(record_mod.MEMORY_ENV, raising=False)
    return tmp_path


def test_summary_score_follows_first_attempts(cwd: Path) -> None:
    lesson = Lesson("fx-lesson", lang="en", curriculum=FIXTURE)
    summary = lesson.summary()
    most = sum(a.points for a in lesson.lesson.activities)
    assert summary.state["score"] == lesson.ui["fb_total"].format(score="0", max=points(most, "en"))

    prize = lesson.lesson.activity("prize")
    assert prize is not None and prize.points > 0
    widget = lesson.show("prize")
    widget.select("ask")  # right at the first attempt: full points, live in the summary
    widget.check()
    assert lesson.score() == (prize.points, most)
    assert summary.state["score"] == lesson.ui["fb_total"].format(
        score=points(prize.points, "en"), max=points(most, "en")
    )

    # The same total as grading computes from the record, activity by activity.
    graded = sum(activity_score(a, lesson.record.answers(a.id)).score for a in lesson.lesson.activities)
    assert lesson.score()[0] == round(graded, 2)


def test_summary_score_wrong_first_attempt_counts(cwd: Path) -> None:
    lesson = Lesson("fx-lesson", lang="en", curriculum=FIXTURE)
    widget = lesson.show("prize")
    widget.select("pay")
    widget.check()
    widget.select("ask")
    widget.check()  # right now, but the first attempt is what the teacher's grade counts
    assert lesson.score()[0] == 0
    assert lesson.summary().state["score"].startswith(lesson.ui["fb_total"].split("{")[0])


def test_summary_score_in_vietnamese_uses_a_decimal_comma(cwd: Path) -> None:
    lesson = Lesson("fx-lesson", lang="vi", curriculum=FIXTURE)
    assert points(1.5, "vi") == "1,5" and points(2.25, "en") == "2.25" and points(3.0, "vi") == "3"
    most = sum(a.points for a in lesson.lesson.activities)
    assert lesson.summary().state["score"] == lesson.ui["fb_total"].format(score="0", max=points(most, "vi"))
