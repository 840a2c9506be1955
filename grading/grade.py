"""Grade an assignment: inspect, autograde with nbgrader, feedback, CSV export.

For every submission NetWise first *inspects* it read-only (is each notebook valid
JSON, are the graded checks intact, is the answer record there and readable) so a
teacher sees the cause of every problem. nbgrader's ``autograde`` then runs each
notebook in a fresh kernel; the checks restore themselves (``add_missing_cells`` and
nbgrader's overwrite of locked cells), so an edited or deleted check still scores
what the answer record deserves. A notebook that is not valid JSON or is missing is
graded through a stand-in: a copy of the submission under ``.netwise/repaired/`` with
the released notebook in its place — the answers live in the record, not in the
notebook. Nothing under ``submitted/`` is ever written.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SAWarning

from netwise.record import record_name

from .course import Course, environment, generate, nbgrader_failure
from .errors import CourseError
from .graded_cells import CELL_PREFIX, record_status

REPAIRED = ".netwise/repaired"  # nbgrader "submitted" folder for stand-in submissions
MESSAGES = {  # English for the command line and CSV; feedback uses the course language
    "notebook_missing": "{notebook}: not handed in (graded from the answer record)",
    "notebook_bad": "{notebook}: {reason} (graded from the answer record)",
    "cell_deleted": "{notebook}: check {cell} was deleted (restored for grading)",
    "cell_edited": "{notebook}: check {cell} was edited (original used)",
    "points_edited": "{notebook}: points of check {cell} were edited (original used)",
    "record_missing": "{name}: answer record missing (0 points for {lesson})",
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


# --- inspection (read-only) ------------------------------------------------------------


def _checks(notebook: Any) -> dict[str, tuple[str, float]]:
    out = {}
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and str(meta.get("grade_id", "")).startswith(CELL_PREFIX):
            out[meta["grade_id"]] = (str(cell.get("source", "")).strip(), float(meta.get("points", 0)))
    return out


def _read_notebook(path: Path) -> tuple[Any, str | None]:
    import nbformat

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
    """Problems of one submission, and the notebooks that need a stand-in."""
    submitted = course.path("submitted", student, assignment)
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


def _stand_in(course: Course, assignment: str, student: str, notebooks: list[str]) -> None:
    """A copy of the submission with the released notebooks in place of unreadable ones."""
    target = course.root / REPAIRED / student / assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(course.path("submitted", student, assignment), target)
    for name in notebooks:
        shutil.copyfile(course.path("release", None, assignment) / name, target / name)


# --- grading ---------------------------------------------------------------------------


def submitted_students(course: Course, assignment: str) -> list[str]:
    base = course.root / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())


def autograde(course: Course, assignment: str, student: str, stand_in: list[str]) -> str | None:
    """nbgrader autograde for one student; returns why it failed, or None."""
    overrides: dict[str, Any] = {}
    if stand_in:
        _stand_in(course, assignment, student, stand_in)
        overrides["CourseDirectory"] = {"submitted_directory": REPAIRED}
    kernel_env = {"NETWISE_CURRICULUM": str(course.curriculum_root.resolve()), "NETWISE_ANSWERS": "memory"}
    with environment(kernel_env), warnings.catch_warnings():
        # nbgrader's own SQLAlchemy session use warns on every re-grade; it means nothing here.
        warnings.simplefilter("ignore", SAWarning)
        result = course.api(**overrides).autograde(assignment, student, force=True, create=True)
    return None if result.get("success") else nbgrader_failure(result)


def _use_wal(course: Course) -> None:
    """Let parallel autogrades share a SQLite gradebook: readers never block the writer."""
    import sqlite3

    url = course.db_url
    if not url.startswith("sqlite:///"):
        return  # PostgreSQL and other servers handle concurrent sessions themselves
    with contextlib.closing(sqlite3.connect(url[len("sqlite:///") :], timeout=30)) as db:
        db.execute("PRAGMA journal_mode=WAL")


def autograde_timed(
    course: Course, assignment: str, student: str, stand_in: list[str]
) -> tuple[str, str | None, float]:
    """(student, failure or None, seconds) of one autograde."""
    tick = time.perf_counter()
    return student, autograde(course, assignment, student, stand_in), time.perf_counter() - tick


def autograde_all(
    course: Course, assignment: str, work: list[tuple[str, list[str]]], jobs: int = 0
) -> Iterator[tuple[str, str | None, float]]:
    """Autograde submissions ``jobs`` at a time, yielding (student, failure or None, seconds).

    Each worker is a process of its own (``python -m netwise.grading.worker``) running
    nbgrader's autograde, since nbgrader is not thread-safe; one worker's kernels run
    while the other does its bookkeeping, which is where two workers on two cores gain.
    A submission that failed in parallel (it may have lost a race for the gradebook) is
    graded again, alone, at the end, and that result stands.
    """
    from .worker import Workers

    jobs = min(jobs or os.cpu_count() or 1, len(work))
    if jobs <= 1:
        yield from (autograde_timed(course, assignment, student, stand_in) for student, stand_in in work)
        return
    _use_wal(course)
    retry = []
    with Workers(course.root, assignment, jobs) as workers:
        for student, why, seconds in workers.run(work):
            if why:  # maybe a lost race for the gradebook: its final word comes from a retry alone
                retry.append(student)
            else:
                yield student, why, seconds
    again = dict(work)
    yield from (autograde_timed(course, assignment, student, again[student]) for student in retry)


def results(course: Course, assignment: str, failures: dict[str, str] | None = None) -> list[StudentResult]:
    """Every roster student's result for an assignment, from the gradebook and inspection."""
    from nbgrader.api import MissingEntry

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
            row.activities = [
                ActivityResult(lesson, a.id, float(a.points), scores.get((lesson, a.id), 0.0)) for lesson, a in plan
            ]
            row.score = round(sum(a.score for a in row.activities), 2)
            out.append(row)
    return out


def export_csv(course: Course, assignment: str, rows: list[StudentResult]) -> tuple[Path, Path]:
    """grades/<assignment>.csv (a row per student, a column per activity) and a long per-activity file."""
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
                    "; ".join(str(i) for i in r.issues),
                ]  # fmt: skip
            )
    with long.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "lesson", "activity", "points", "score"])
        for r in rows:
            if r.submitted:
                for a in r.activities:
                    writer.writerow([r.student, a.lesson, a.activity, f"{a.points:g}", f"{a.score:g}"])
    return wide, long


@dataclass
class GradeRun:
    rows: list[StudentResult]
    failures: dict[str, str]
    feedback: list[Path]
    csv: tuple[Path, Path]
    seconds: float


def grade(
    course: Course,
    assignment: str,
    progress: Callable[[int, int, str, float], None] | None = None,
    students: list[str] | None = None,
    jobs: int = 0,
) -> GradeRun:
    """Autograde every submission (``jobs`` at a time; 0 = one per CPU), then feedback and CSV."""
    from .feedback import write_feedback

    started = time.perf_counter()
    course.lessons(assignment)
    if not course.path("release", None, assignment).is_dir():
        generate(course, assignment)
    todo = [s for s in submitted_students(course, assignment) if students is None or s in students]
    if not todo:
        raise CourseError(
            f"no submissions for '{assignment}' in {course.root / 'submitted'}; run 'netwise course collect' first"
        )
    with course.gradebook() as gradebook:
        known = {s.id for s in gradebook.students}
    failures = {s: "not on the roster" for s in todo if s not in known}
    work = [(s, inspect(course, assignment, s)[1]) for s in todo if s in known]
    done = len(failures)
    for student in failures:
        if progress:
            progress(done, len(todo), student, 0.0)
    for student, why, seconds in autograde_all(course, assignment, work, jobs):
        done += 1
        if why:
            failures[student] = why
        if progress:
            progress(done, len(todo), student, seconds)
    rows = results(course, assignment, failures)
    feedback = [path for row in rows if row.submitted and (students is None or row.student in students)
                for path in write_feedback(course, assignment, row)]  # fmt: skip
    paths = export_csv(course, assignment, rows)
    return GradeRun(rows, failures, feedback, paths, time.perf_counter() - started)
