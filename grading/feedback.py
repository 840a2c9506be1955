"""The learner's feedback: one offline HTML page per lesson notebook, in the course language.

Written where nbgrader keeps feedback (``feedback/<student>/<assignment>/<notebook>.html``)
so nbgrader's ``release_feedback``/``fetch_feedback`` deliver it through JupyterHub.
Built from the curriculum and the learner's first answers — never from the executed
notebook — so it holds no test code, no traceback and nothing that loads from outside.
Each activity's part comes from grading's table (activities.FEEDBACK), the page around it
from ``templates/feedback.html.j2``.

The page speaks to the learner in the register of the lesson's age band (Vietnamese *em*
for 8-10, *bạn* for older learners: ``Translator.ui(age_band)``), writes numbers with the
language's decimal separator (1,88 in Vietnamese), and an activity the learner never opened
is "not done", with no verdict on its parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netwise.i18n import Translator

from .activities import FEEDBACK, Context, Fragment
from .course import Course
from .graded_cells import record_status
from .html import decimal, points, render
from .results import StudentResult, opened
from .snapshot import as_graded


@dataclass(frozen=True)
class Section:
    """One activity on the page: its heading, score, state and the type's own fragment."""

    id: str
    heading: str
    prompt: str | None  # shown when the activity has a title (the heading is then the title)
    score: float
    points: float
    mark: str  # ok, partly, bad or muted: the colour of the score and state
    state: str  # interface key: correct, partly, incorrect or fb_not_done
    fragment: Fragment | None  # None for an activity not done: nothing to say about its parts


def _state(score: float, max_score: float, answered: bool) -> tuple[str, str]:
    if not answered:
        return "muted", "fb_not_done"
    if score >= max_score:
        return "ok", "correct"
    return ("partly", "partly") if score > 0 else ("bad", "incorrect")


def issue_text(issue: Any, ui: dict[str, str]) -> str:
    """A problem of the submission, for the learner, in the course language."""
    code, params = issue.code, issue.params
    if code == "record_missing":  # no answers handed in: the lesson is not done
        return ui["fb_lesson_not_done"]
    if code == "record_bad":
        return ui["fb_record_bad"].format(name=params["name"], reason=params["reason"])
    if code == "notebook_bad":
        return ui["fb_notebook_bad"].format(reason=params["reason"])
    if code == "not_graded":
        return ui["fb_not_graded"].format(reason=params["reason"])
    return ui[f"fb_{code}"]


def age_band(course: Course, lesson_id: str) -> str:
    """The age band whose register the page uses: the lesson's, or the class's of an assessment form."""
    found = course.unit(lesson_id)
    return found.form.age_band if found.form is not None else course.curriculum.lesson(lesson_id).age_band


def lesson_page(course: Course, assignment: str, row: StudentResult, lesson_id: str, translator: Translator) -> str:
    ui = translator.ui(age_band(course, lesson_id))
    lang = course.lang
    ctx = Context(ui, lang)
    lesson = course.unit(lesson_id, translator)  # a lesson, or an assessment form as one verdict set
    data, _ = record_status(as_graded(course, assignment, row.student), lesson.record_id)
    answers = data["answers"] if data else {}
    mine = [a for a in row.activities if a.lesson == lesson_id]
    scored = {a.activity: a for a in mine}
    sections = []
    for activity in lesson.activities:
        if activity.id not in scored:
            continue
        result = scored[activity.id]
        own = answers.get(activity.id) or {}
        done = opened(own)
        mark, state = _state(result.score, result.points, done)
        sections.append(
            Section(
                activity.id,
                activity.title or activity.prompt,
                activity.prompt if activity.title else None,
                result.score,
                result.points,
                mark,
                state,
                FEEDBACK[type(activity)](activity, own, ctx) if done else None,
            )
        )
    title = ui["fb_title"].format(assignment=lesson.title)
    own_issues = [i for i in row.issues if i.lesson in (lesson_id, None)]
    if any(i.code == "record_missing" for i in own_issues):  # not done: whether the notebook came is moot
        own_issues = [i for i in own_issues if i.code != "notebook_missing"]
    issues = [issue_text(i, ui) for i in own_issues]
    if data is not None and sections and not any(s.fragment for s in sections):
        issues.insert(0, ui["fb_lesson_not_done"])  # a record handed in with no answer in it
    return render(
        "feedback.html.j2",
        lang=course.lang,
        ui=ui,
        title=title,
        student=row.name or row.student,
        student_id=row.student,
        score=points(sum(a.score for a in mine), lang),
        total=points(sum(a.points for a in mine), lang),
        submitted=row.timestamp.strftime("%Y-%m-%d %H:%M") if row.timestamp else None,
        late=f"{decimal(row.seconds_late / 3600, lang, 1)} h" if row.seconds_late > 0 else None,
        issues=issues,
        sections=sections,
    )


def write_feedback(course: Course, assignment: str, row: StudentResult) -> list[Path]:
    translator = Translator(course.curriculum, course.lang, course.region)
    folder = course.path("feedback", row.student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson_id in course.lessons(assignment):
        target = folder / f"{course.notebook_name(lesson_id)}.html"
        target.write_text(lesson_page(course, assignment, row, lesson_id, translator), encoding="utf-8")
        written.append(target)
    return written
