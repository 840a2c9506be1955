"""A submission's result: read-only inspection, the gradebook's scores, and the CSV export.

Inspection says, for each submission, whether each notebook is valid JSON, whether the
graded checks are intact and whether the answer record is there and readable, so a
teacher sees the cause of every problem. Nothing under ``submitted/`` is ever written.

An activity the student never opened (no answer to it in the record, or no record at all)
is *not done*: the CSV says so in the course language, and so do the report and feedback.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from netwise.i18n import Translator
from netwise.scoring.record import record_name

from .course import Course
from .graded_cells import CELL_PREFIX, record_status
from .snapshot import as_graded

MESSAGES = {  # English for the command line and CSV; feedback uses the course language
    "notebook_missing": "{notebook}: not handed in (graded from the answer record)",
    "notebook_bad": "{notebook}: {reason} (graded from the answer record)",
    "cell_deleted": "{notebook}: check {cell} was deleted (restored for grading)",
    "cell_edited": "{notebook}: check {cell} was edited (original used)",
    "points_edited": "{notebook}: points of check {cell} were edited (original used)",
    "record_missing": "{lesson}: not done (answer record missing: {name}; 0 points)",
    "record_bad": "{name}: answer record unusable: {reason} (0 points for {lesson})",
    "not_graded": "not graded: {reason}",
}


@dataclass
class Issue:
    code: str
    lesson: str | None
    params: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return MESSAGES[self.code].format(lesson=self.lesson, **self.params)


@dataclass
class ActivityResult:
    lesson: str
    activity: str
    points: float
    score: float
    done: bool = True  # False: the student never opened it (no answer in the record)


@dataclass
class StudentResult:
    student: str
    first_name: str
    last_name: str
    email: str | None
    submitted: bool
    graded: bool = False
    score: float = 0.0
    max_score: float = 0.0
    timestamp: datetime | None = None
    seconds_late: float = 0.0
    activities: list[ActivityResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def percent(self) -> float:
        return round(100.0 * self.score / self.max_score, 1) if self.max_score else 0.0

    def activity_score(self, lesson: str, activity: str) -> float:
        return next((a.score for a in self.activities if a.lesson == lesson and a.activity == activity), 0.0)

    def not_done(self) -> dict[str, list[str]]:
        """Per lesson, the activities not done (lessons with all done are left out)."""
        out: dict[str, list[str]] = {}
        for a in self.activities:
            if not a.done:
                out.setdefault(a.lesson, []).append(a.activity)
        return out


def opened(answers: Any) -> bool:
    """Whether one activity's entry of an answer record holds any attempt."""
    return isinstance(answers, dict) and any(answers.values())


def done_activities(course: Course, assignment: str, student: str) -> set[tuple[str, str]]:
    """(lesson, activity) of every activity the student answered at least once, in the graded snapshot."""
    folder = as_graded(course, assignment, student)
    done: set[tuple[str, str]] = set()
    for lesson in course.lessons(assignment):
        data, _ = record_status(folder, course.record_id(lesson))
        answers = data["answers"] if data else {}
        done.update((lesson, activity) for activity, own in answers.items() if opened(own))
    return done


def problem_labels(row: StudentResult, ui: dict[str, str], titles: dict[str, str]) -> list[str]:
    """A student's problems for the teacher, in the course language: a lesson or activities not
    done, then what inspection found (a missing answer record is the lesson not done)."""
    labels = []
    for lesson, activities in row.not_done().items() if row.graded else ():
        title = titles.get(lesson, lesson)
        if len(activities) == sum(1 for a in row.activities if a.lesson == lesson):
            labels.append(ui["rp_issue_not_done"].format(lesson=title))
        else:
            labels.append(ui["rp_issue_activities_not_done"].format(lesson=title, activities=", ".join(activities)))
    for issue in row.issues:
        if issue.code != "record_missing" or not row.graded:  # graded: said above as "not done"
            labels.append(ui[f"rp_issue_{issue.code}"].format(**issue.params))
    return labels


# --- inspection (read-only) ------------------------------------------------------------


def _checks(notebook: Any) -> dict[str, tuple[str, float]]:
    out = {}
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and str(meta.get("grade_id", "")).startswith(CELL_PREFIX):
            out[meta["grade_id"]] = (str(cell.get("source", "")).strip(), float(meta.get("points", 0)))
    return out


def _read_notebook(path: Path) -> tuple[Any, str | None]:
    import nbformat  # deferred: it pulls in jsonschema (over a second)

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, "the notebook file is not UTF-8 text"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"the notebook file is not valid JSON ({exc.msg}, line {exc.lineno})"
    try:
        return nbformat.reads(text, as_version=4), None
    except Exception as exc:  # valid JSON but not a notebook
        return None, f"the file is not a notebook ({type(exc).__name__})"


def inspect(course: Course, assignment: str, student: str) -> tuple[list[Issue], list[str]]:
    """Problems of one submission (as graded: its snapshot), and the notebooks that need a stand-in."""
    submitted = as_graded(course, assignment, student)
    released = course.path("release", None, assignment)
    issues: list[Issue] = []
    stand_in: list[str] = []
    for lesson in course.lessons(assignment):
        name = f"{course.notebook_name(lesson)}.ipynb"
        path = submitted / name
        if not path.is_file():
            issues.append(Issue("notebook_missing", lesson, {"notebook": name}))
            stand_in.append(name)
        else:
            notebook, problem = _read_notebook(path)
            if problem:
                issues.append(Issue("notebook_bad", lesson, {"notebook": name, "reason": problem}))
                stand_in.append(name)
            else:
                reference, _ = _read_notebook(released / name)
                expected = _checks(reference) if reference is not None else {}
                found = _checks(notebook)
                for cell, (source, points) in expected.items():
                    if cell not in found:
                        issues.append(Issue("cell_deleted", lesson, {"notebook": name, "cell": cell}))
                    elif found[cell][0] != source:
                        issues.append(Issue("cell_edited", lesson, {"notebook": name, "cell": cell}))
                    elif found[cell][1] != points:
                        issues.append(Issue("points_edited", lesson, {"notebook": name, "cell": cell}))
        data, problem = record_status(submitted, course.record_id(lesson))
        if data is None:
            code = "record_missing" if problem == "missing" else "record_bad"
            issues.append(Issue(code, lesson, {"name": record_name(course.record_id(lesson)), "reason": str(problem)}))
    return issues, stand_in


def submitted_students(course: Course, assignment: str) -> list[str]:
    base = course.root / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())


def results(course: Course, assignment: str, failures: dict[str, str] | None = None) -> list[StudentResult]:
    """Every roster student's result for an assignment, from the gradebook and inspection."""
    from nbgrader.api import MissingEntry  # deferred: nbgrader is slow to import

    failures = failures or {}
    lessons = course.lessons(assignment)
    notebook_lesson = {course.notebook_name(lesson): lesson for lesson in lessons}
    plan = [(lesson, a) for lesson in lessons for a in course.unit(lesson).activities if a.points > 0]
    max_score = float(sum(a.points for _, a in plan))
    submitted = set(submitted_students(course, assignment))
    out = []
    with course.gradebook() as gradebook:
        for student in sorted(gradebook.students, key=lambda s: s.id):
            row = StudentResult(student.id, student.first_name or "", student.last_name or "", student.email,
                                submitted=student.id in submitted, max_score=max_score)  # fmt: skip
            scores: dict[tuple[str, str], float] = {}
            if row.submitted:
                row.issues, _ = inspect(course, assignment, student.id)
                try:
                    submission = gradebook.find_submission(assignment, student.id)
                except MissingEntry:
                    submission = None
                if student.id in failures or submission is None:
                    reason = failures.get(student.id, "not autograded yet; run 'netwise course grade'")
                    row.issues.insert(0, Issue("not_graded", None, {"reason": reason}))
                else:
                    row.graded = True
                    row.timestamp = submission.timestamp
                    row.seconds_late = float(submission.total_seconds_late or 0)
                    for notebook in submission.notebooks:
                        lesson = notebook_lesson.get(notebook.name)
                        for grade in notebook.grades:
                            if lesson and grade.cell.name.startswith(CELL_PREFIX):
                                scores[(lesson, grade.cell.name[len(CELL_PREFIX) :])] = float(grade.score or 0.0)
            done = done_activities(course, assignment, student.id) if row.submitted else set()
            row.activities = [
                ActivityResult(lesson, a.id, float(a.points), scores.get((lesson, a.id), 0.0), (lesson, a.id) in done)
                for lesson, a in plan
            ]
            row.score = round(sum(a.score for a in row.activities), 2)
            out.append(row)
    return out


def export_csv(course: Course, assignment: str, rows: list[StudentResult]) -> tuple[Path, Path]:
    """grades/<assignment>.csv (a row per student, a column per activity) and a long per-activity file.

    Scores stay numbers (0 for an activity not done); the problems column and the long file's
    status say "not done" in the course language."""
    translator = Translator(course.curriculum, course.lang, course.region)
    ui = translator.ui()
    titles = {lesson: course.unit(lesson, translator).title for lesson in course.lessons(assignment)}
    folder = course.root / "grades"
    folder.mkdir(exist_ok=True)
    wide, long = folder / f"{assignment}.csv", folder / f"{assignment}-activities.csv"
    columns = [f"{a.lesson}:{a.activity}" for a in rows[0].activities] if rows else []
    with wide.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "first_name", "last_name", "email", "handed_in", "timestamp",
                         "seconds_late", "score", "max_score", "percent", *columns, "problems"])  # fmt: skip
        for r in rows:
            writer.writerow(
                [
                    r.student,
                    r.first_name,
                    r.last_name,
                    r.email or "",
                    "yes" if r.submitted else "no",
                    r.timestamp.isoformat() if r.timestamp else "",
                    f"{r.seconds_late:g}",
                    f"{r.score:g}",
                    f"{r.max_score:g}",
                    f"{r.percent:g}",
                    *(f"{a.score:g}" for a in r.activities),
                    "; ".join(problem_labels(r, ui, titles)),
                ]  # fmt: skip
            )
    with long.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "lesson", "activity", "points", "score", "status"])
        for r in rows:
            if r.submitted:
                for a in r.activities:
                    status = ui["rp_done"] if a.done else ui["rp_not_done"]
                    writer.writerow([r.student, a.lesson, a.activity, f"{a.points:g}", f"{a.score:g}", status])
    return wide, long
