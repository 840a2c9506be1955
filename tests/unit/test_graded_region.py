"""A graded check scores a link answer against the names of the region the lesson was shown with.

Names in an activity (a newspaper's site is ``{cast:news-web}.example``) differ between region
profiles: Vietnam's "tinsang", the international "dailylantern". The answer record names the
region its lesson used, so a site that is right only in another region earns nothing for the site.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netwise.grading.graded_cells import score
from netwise.scoring.record import AnswerRecord, read, record_name
from netwise.widgets import Lesson

LESSON = "misinformation-check-the-source"
ITEM = "real-article"  # genuine: the newspaper's own site


def _activity_id() -> str:
    lesson = Lesson(LESSON, lang="en", region="intl")
    return next(a.id for a in lesson.lesson.activities if a.type == "link_inspector")


def _earned(folder: Path, monkeypatch: pytest.MonkeyPatch, region: str | None, domain: str) -> float:
    """Points for the link activity with one item answered: ``domain``, and "genuine" (right)."""
    folder.mkdir()
    monkeypatch.chdir(folder)  # Lesson() opens its record in the working folder
    activity_id = _activity_id()
    if region is None:  # a record written before regions were recorded
        record = AnswerRecord(LESSON, "en", folder / record_name(LESSON))
        assert "region" not in record.data
    else:
        record = Lesson(LESSON, lang="en", region=region).record
    record.add(activity_id, ITEM, {"domain": domain, "genuine": True})
    if region is not None:
        assert read(folder / record_name(LESSON), LESSON)["region"] == region
    return score(LESSON, activity_id, folder)


@pytest.mark.parametrize(
    ("region", "right", "other"), [("intl", "dailylantern", "tinsang"), ("vn", "tinsang", "dailylantern")]
)
def test_a_link_answer_counts_in_the_region_it_was_shown_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, region: str, right: str, other: str
) -> None:
    full = _earned(tmp_path / "right", monkeypatch, region, f"{right}.example")
    half = _earned(tmp_path / "other", monkeypatch, region, f"{other}.example")
    assert full > half > 0  # the other region's site: only "genuine" counts


def test_a_record_without_a_region_counts_in_the_region_it_fits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vn = _earned(tmp_path / "vn", monkeypatch, None, "tinsang.example")
    intl = _earned(tmp_path / "intl", monkeypatch, None, "dailylantern.example")
    wrong = _earned(tmp_path / "wrong", monkeypatch, None, "tin-hot.test")
    assert vn == intl > wrong
