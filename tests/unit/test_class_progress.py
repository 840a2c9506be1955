"""The dashboard's numbers (netwise/app/progress.py) on answer records the widgets themselves wrote.

Three students of the fixture lesson answer through the widgets' Python interface (the handler the
page uses), each in a folder of their own as class mode gives them (``submitted/<id>/<assignment>/``):
one right first time everywhere, one with wrong first answers and a half-judged item set, one not at
all. The grid's statuses, the answer distribution (the class report's REPORT rows), the missed cue
and the CSV are read back from those files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from netwise.app import progress
from netwise.content import load
from netwise.grading.activities import Context
from netwise.i18n import Translator
from netwise.scoring import record as record_mod
from netwise.scoring.record import read, record_name
from netwise.widgets import Lesson
from support.paths import FIXTURES

CURRICULUM = FIXTURES / "assess"
LESSON = "basics-one"
STUDENTS = {"an.nguyen": "Nguyễn Văn An", "dang.duc": "Đặng Đức", "lan.pham": "Phạm Lan"}


def answer_as(folder: Path, monkeypatch: pytest.MonkeyPatch, script: Any) -> None:
    """Open the lesson in ``folder`` (the kernel's working directory in class mode) and answer."""
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    script(Lesson(LESSON, lang="en", curriculum=CURRICULUM))


def perfect(lesson: Lesson) -> None:
    q: Any = lesson.show("quiz")
    q.select("scammer")
    q.check()
    j: Any = lesson.show("judge")
    j.judge("otp", "scam")
    j.judge("parcel", "legit")
    f: Any = lesson.show("flags")
    f.mark("from", "hurry")
    f.check()
    c: Any = lesson.show("chat")
    c.choose(1)
    c.choose(0)


def struggling(lesson: Lesson) -> None:
    q: Any = lesson.show("quiz")
    q.select("bank")
    q.check()
    q.select("scammer")  # the second try is right: it does not count for marks
    q.check()
    j: Any = lesson.show("judge")
    j.judge("otp", "legit")  # one item of two judged, wrongly
    c: Any = lesson.show("chat")
    c.choose(0)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[progress.SessionActivity], progress.Records]:
    base = tmp_path_factory.mktemp("class")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv(record_mod.MEMORY_ENV, raising=False)
        answer_as(base / "an.nguyen" / "basics", monkeypatch, perfect)
        answer_as(base / "dang.duc" / "basics", monkeypatch, struggling)
        (base / "lan.pham" / "basics").mkdir(parents=True)  # signed in, opened nothing
    curriculum = load(CURRICULUM)
    lesson = Translator(curriculum, "en").lesson(LESSON)
    activities = [
        progress.SessionActivity(LESSON, LESSON, "basics", lesson.title, a, a.title or a.prompt)
        for a in lesson.activities
    ]
    records: dict[str, dict[str, dict[str, Any] | None]] = {}
    for sid in STUDENTS:
        path = base / sid / "basics" / record_name(LESSON)
        records[sid] = {LESSON: read(path, LESSON) if path.exists() else None}
    return activities, records


def test_grid_statuses_follow_first_answers(session: tuple[list[progress.SessionActivity], progress.Records]) -> None:
    activities, records = session
    assert [a.key for a in activities] == [f"{LESSON}/{a}" for a in ("quiz", "judge", "flags", "chat")]
    cells = progress.grid(activities, STUDENTS, records)
    assert [c.status for c in cells["an.nguyen"]] == ["right_first"] * 4
    duc = cells["dang.duc"]
    assert [c.status for c in duc] == ["several_tries", "in_progress", "not_done", "several_tries"]
    assert duc[0].tries == 2  # wrong, then right
    assert (duc[1].answered, duc[1].parts) == (1, 2)
    assert [c.status for c in cells["lan.pham"]] == ["not_done"] * 4
    assert progress.status_counts(duc) == {"not_done": 1, "in_progress": 1, "right_first": 0, "several_tries": 2}


def test_distribution_and_missed_cue_come_from_the_report_rows(
    session: tuple[list[progress.SessionActivity], progress.Records],
) -> None:
    activities, records = session
    ctx = Context(Translator(load(CURRICULUM), "en").ui(), "en")
    quiz, judge = activities[0], activities[1]
    report = progress.class_report(quiz, STUDENTS, records, ctx)
    assert report.answered == 2
    assert {row.key: row.count for row in report.groups[0].rows} == {"bank": 1, "scammer": 1}
    assert report.most_common is not None and report.most_common.key == "option:bank"
    assert report.most_common.explanation == "Banks never ask for it."
    verdicts = progress.class_report(judge, STUDENTS, records, ctx)
    otp = next(g for g in verdicts.groups if g.id == "otp")
    assert {row.key: row.count for row in otp.rows} == {"scam": 1, "legit": 1}
    wrong = verdicts.most_common
    assert wrong is not None and wrong.key == "item:otp:legit"
    assert progress.missed_cues(judge.activity, wrong) == ["It asks for a code."]
    assert progress.missed_cues(quiz.activity, report.most_common) == []  # a choice has no items


def test_csv_has_bom_names_and_statuses(session: tuple[list[progress.SessionActivity], progress.Records]) -> None:
    activities, records = session
    cells = progress.grid(activities, STUDENTS, records)
    labels = {s: s.replace("_", " ") for s in progress.STATUSES}
    text = progress.grid_csv(activities, STUDENTS, cells, labels)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["student_id", "name", f"{LESSON}/quiz"]
    duc = next(r for r in rows if r[0] == "dang.duc")
    assert duc[1] == "Đặng Đức"
    assert duc[2:6] == ["several tries (2)", "in progress", "not done", "several tries"]
    assert duc[6:] == ["1", "1", "0", "2"]


def test_a_missing_or_foreign_block_is_not_done() -> None:
    curriculum = load(CURRICULUM)
    quiz = next(a for a in curriculum.lesson(LESSON).activities if a.id == "quiz")
    assert progress.cell(quiz, {}).status == "not_done"
    assert progress.answers_of(None, "quiz") == {}
    assert progress.answers_of({"answers": {"quiz": ["not a dict"]}}, "quiz") == {}
    # an attempt that is not an object (a hand-edited record) is not an answer
    assert progress.cell(quiz, {"_": ["x"]}).status == "not_done"  # type: ignore[list-item]
