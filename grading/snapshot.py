"""The snapshot a grading run grades: each submission as it was when grading started.

In a class session (``netwise serve --course``) the students' kernels keep writing answer
records into ``submitted/<student>/<assignment>/`` while the teacher may be grading. So
``netwise course grade`` first copies every submission it grades to
``.netwise/snapshot/<student>/<assignment>/`` and nbgrader grades that copy: one consistent
submission per student, taken when grading started; an answer written meanwhile is graded
the next time. The snapshot is kept until the next grading: it is what the gradebook's scores
were computed from, so inspection, the feedback pages and the class report read the answer
records from it (:func:`as_graded`), and "not done" never disagrees with a score.
Zips and folders collected by ``netwise course collect`` are graded the same way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .course import Course

SNAPSHOT = ".netwise/snapshot"  # nbgrader "submitted" folder: the submissions as grading started


def snapshot(course: Course, assignment: str, student: str) -> Path:
    """Copy one submission as it is now to ``.netwise/snapshot/<student>/<assignment>/``; returns it.

    Hidden files are left out: the answer record's lock file and the temporary files of a write
    under way (``.<record>.*.tmp``, which may vanish while copying). A record is replaced by a
    rename, so each copy is one whole version of it, the old or the new.
    """
    source = course.path("submitted", student, assignment)
    target = course.root / SNAPSHOT / student / assignment
    if target.exists():
        shutil.rmtree(target)
    (course.root / SNAPSHOT).mkdir(mode=0o700, parents=True, exist_ok=True)  # children's answers
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))
    return target


def as_graded(course: Course, assignment: str, student: str) -> Path:
    """The submission the gradebook's scores came from: its snapshot, or ``submitted/`` if never graded."""
    graded = course.root / SNAPSHOT / student / assignment
    return graded if graded.is_dir() else course.path("submitted", student, assignment)
