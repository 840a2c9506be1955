"""Forget one student: every file and gradebook row of theirs in the course folder (``netwise course forget``).

A school or NGO must be able to honour "delete my child's data". What the course folder holds of
a student, besides the class-session files the lesson app keeps (``class/``, handled by
``netwise/cli/classroom.py``, since grading may not import the app):

- ``submitted/<id>/``, ``autograded/<id>/``, ``feedback/<id>/``: nbgrader's per-student folders
  (answers, notebooks, feedback pages), and NetWise's copies of them, ``.netwise/snapshot/<id>/``
  (what grading graded) and ``.netwise/repaired/<id>/`` (stand-ins for unreadable notebooks);
- ``downloaded/<assignment>/archive|extracted``: what the last ``course collect`` staged
  (``<id>.zip``, ``<id>/``, ``<id>_<file>``);
- the gradebook: the student, their submissions and grades (nbgrader's ``remove_student``); an
  SQLite gradebook is then vacuumed, since a deleted row stays readable in the file's free pages;
- class-wide files naming the student: ``grades/<assignment>.csv`` and the reports in
  ``reports/``, which are written again without them.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

from .autograde import REPAIRED
from .course import Course
from .gains import modules_in, write_learning_report
from .report import write_report
from .results import export_csv, results
from .snapshot import SNAPSHOT

STUDENT_FOLDERS = ("submitted", "autograded", "feedback", SNAPSHOT, REPAIRED)


def _remove(path: Path) -> bool:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
        return True
    if path.exists() or path.is_symlink():
        path.unlink()
        return True
    return False


def _owner(name: str, ids: list[str]) -> str | None:
    """Whose a staged collect input is: ``<id>``, ``<id>.zip`` or ``<id>_<file>`` (the longest id that fits)."""
    if name in ids:
        return name
    if name.endswith(".zip") and name[:-4] in ids:
        return name[:-4]
    fits = [sid for sid in ids if name.startswith(f"{sid}_")]
    return max(fits, key=len) if fits else None


def student_ids(course: Course) -> list[str]:
    """Every student the course holds anything of: the gradebook's, and any folder named by a student."""
    with course.gradebook() as gradebook:
        ids = {s.id for s in gradebook.students}
    for step in STUDENT_FOLDERS:
        folder = course.root / step
        if folder.is_dir():
            ids.update(p.name for p in folder.iterdir() if p.is_dir())
    return sorted(ids)


def forget_student(course: Course, student: str) -> list[str]:
    """Remove everything of ``student`` from the course folder and gradebook; returns what was done, a line each."""
    done: list[str] = []
    ids = student_ids(course)
    for step in STUDENT_FOLDERS:
        if _remove(course.root / step / student):
            done.append(f"removed {step}/{student}/")
    staged = course.root / "downloaded"
    for folder in sorted(staged.glob("*/*")) if staged.is_dir() else []:
        for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
            if _owner(entry.name, ids) == student and _remove(entry):
                done.append(f"removed {entry.relative_to(course.root)}")

    with course.gradebook() as gradebook:
        if student in {s.id for s in gradebook.students}:
            count = len(gradebook.find_student(student).submissions)
            gradebook.remove_student(student)
            done.append(f"removed {student} from the gradebook and the roster, with {count} graded submission(s)")
    if _vacuum(course):
        done.append("compacted the gradebook (no deleted row stays in the file)")

    # Class-wide files that list every student: written again from the gradebook, without them.
    modules: list[str] = []
    for assignment in course.settings.assignments:
        if (course.root / "grades" / f"{assignment}.csv").is_file():
            paths = export_csv(course, assignment, results(course, assignment))
            done.extend(f"rewrote {p.relative_to(course.root)}" for p in paths)
        if (course.root / "reports" / f"{assignment}.html").is_file():
            html, csvs = write_report(course, assignment)
            done.extend(f"rewrote {p.relative_to(course.root)}" for p in [html, *csvs])
        modules.extend(m for m in modules_in(course, assignment) if m not in modules)
    for module_id in modules:
        if (course.root / "reports" / f"{module_id}-learning.html").is_file():
            html, csvs = write_learning_report(course, module_id)
            done.extend(f"rewrote {p.relative_to(course.root)}" for p in [html, *csvs])
    return done


def _vacuum(course: Course) -> bool:
    """Rewrite an SQLite gradebook so deleted rows leave no trace in the file (or its WAL)."""
    url = course.db_url
    if not url.startswith("sqlite:///"):
        return False  # a database server: its own retention rules apply, outside the course folder
    with contextlib.closing(sqlite3.connect(url[len("sqlite:///") :], timeout=30)) as db:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True
