"""nbgrader's autograde for one submission, from its snapshot, with a stand-in for unreadable notebooks.

nbgrader grades the snapshot ``grade`` took of each submission (:mod:`.snapshot`), never
``submitted/`` itself, which a class session may be writing to meanwhile.
nbgrader's ``autograde`` runs each notebook in a fresh kernel; the checks restore
themselves (``add_missing_cells`` and nbgrader's overwrite of locked cells), so an
edited or deleted check still scores what the answer record deserves. A notebook that
is not valid JSON or is missing is graded through a stand-in: a copy of the snapshot
under ``.netwise/repaired/`` with the released notebook in its place — the answers live
in the record, not in the notebook.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import time
import warnings
from typing import Any

from sqlalchemy.exc import SAWarning

from .course import Course, environment, nbgrader_failure
from .snapshot import SNAPSHOT, as_graded

REPAIRED = ".netwise/repaired"  # nbgrader "submitted" folder for stand-in submissions


def _stand_in(course: Course, assignment: str, student: str, notebooks: list[str]) -> None:
    """A copy of the snapshot with the released notebooks in place of unreadable ones."""
    target = course.root / REPAIRED / student / assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(as_graded(course, assignment, student), target)
    for name in notebooks:
        shutil.copyfile(course.path("release", None, assignment) / name, target / name)


def autograde(course: Course, assignment: str, student: str, stand_in: list[str]) -> str | None:
    """nbgrader autograde for one student; returns why it failed, or None."""
    # The snapshot grade() took (see the module docstring), or its repaired copy.
    overrides: dict[str, Any] = {"CourseDirectory": {"submitted_directory": SNAPSHOT}}
    if stand_in:
        _stand_in(course, assignment, student, stand_in)
        overrides["CourseDirectory"] = {"submitted_directory": REPAIRED}
    kernel_env: dict[str, str | None] = {
        "NETWISE_CURRICULUM": str(course.curriculum_root.resolve()),
        "NETWISE_ANSWERS": "memory",
    }
    with environment(kernel_env), warnings.catch_warnings():
        # nbgrader's own SQLAlchemy session use warns on every re-grade; it means nothing here.
        warnings.simplefilter("ignore", SAWarning)
        result = course.api(**overrides).autograde(assignment, student, force=True, create=True)
    return None if result.get("success") else nbgrader_failure(result)


def _use_wal(course: Course) -> None:
    """Let parallel autogrades share a SQLite gradebook: readers never block the writer."""
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
