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

Submissions made on phones in a class session (``netwise serve --course``) are in the same
layout — the released notebooks, the answer record the kernel wrote and ``timestamp.txt`` —
and are graded the same way. Since a session may still be writing answers, every submission
is first copied to a snapshot (``.netwise/snapshot/``) and graded from there: grading grades
what was there when it started.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .autograde import _use_wal, autograde_timed
from .course import Course, generate
from .errors import CourseError
from .feedback import write_feedback
from .results import StudentResult, export_csv, inspect, results, submitted_students
from .snapshot import snapshot
from .worker import Workers


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
    # Every submission as it is now, before any is graded: a class session may be writing
    # answers meanwhile (autograde.py's docstring); those are graded the next time.
    for student in todo:
        if student in known:
            snapshot(course, assignment, student)
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
