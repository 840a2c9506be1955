"""``netwise course forget DIR ID``: remove everything the course folder holds of one student.

A family or a school may ask that a child's data be deleted. The course folder is the only place
NetWise keeps anything (README, "Running a class on phones"), so forgetting a student is: their
class-session files, kept by the lesson app in ``DIR/class/`` — the hash of their sign-in secret
(``secrets.json``, through :mod:`netwise.app.logins`) and their session tokens
(``sessions.json``, through :class:`netwise.app.sessions.SessionStore`) — and their login card in a cards page; then all their answers, submissions,
feedback and grades, the gradebook row and the class-wide files naming them
(:mod:`netwise.grading.forget`). It is a ``netwise course`` action registered from here because
``grading`` may not import the lesson app.

Run it when no class session of the course is running: a running ``netwise serve --course``
holds its signed-in students in memory and would write their session back.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from netwise.app.logins import load_secrets, save_secrets
from netwise.app.sessions import SESSIONS_FILE, SessionStore

CLASS_DIR = "class"  # the lesson app's class-session files in the course folder


def session_ids(course_root: Path) -> set[str]:
    """The students ``class/sessions.json`` has an entry for (none when there is no such file yet)."""
    path = course_root / CLASS_DIR / SESSIONS_FILE
    try:
        return set(json.loads(path.read_text(encoding="utf-8"))["students"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()  # missing, or unreadable: SessionStore then says why in one line


def forget_cards(course_root: Path, student: str) -> list[Path]:
    """Take the student's card (name and secret) out of every cards page in the course folder."""
    card = re.compile(rf'<article class="card" data-student="{re.escape(student)}">.*?</article>\s*', re.DOTALL)
    changed = []
    for page in sorted(course_root.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if 'class="card" data-student=' not in text:
            continue
        kept, removed = card.subn("", text)
        if removed:
            page.write_text(kept, encoding="utf-8")
            changed.append(page)
    return changed


def cmd_forget(args: argparse.Namespace) -> int:
    # deferred import: nbgrader and SQLAlchemy take about a second to import
    from netwise.grading.course import load_course, unknown_id

    # deferred import: nbgrader again (the gradebook)
    from netwise.grading.forget import forget_student, student_ids

    course = load_course(args.dir)
    student = args.student
    stored = load_secrets(course.root)
    in_sessions = session_ids(course.root)
    known = set(student_ids(course)) | set(stored) | in_sessions
    if student not in known:
        print(f"netwise: error: {unknown_id('student', student, sorted(known))}; nothing was removed", file=sys.stderr)
        return 2
    # Read before anything is removed: an unreadable sessions file stops here, in one line.
    has_sessions = (course.root / CLASS_DIR / SESSIONS_FILE).exists()
    sessions = SessionStore(course.root / CLASS_DIR, stored, known) if has_sessions else None
    done = []
    if stored.pop(student, None) is not None:
        save_secrets(course.root, stored)
        done.append("removed the sign-in secret's hash from class/secrets.json")
    if sessions is not None and student in in_sessions:
        sessions.forget(student)
        done.append(f"removed the class session (sign-in tokens, wrong tries) from {CLASS_DIR}/{SESSIONS_FILE}")
    for page in forget_cards(course.root, student):
        done.append(f"removed the login card from {page.relative_to(course.root)}")
    done.extend(forget_student(course, student))
    for line in done:
        print(line)
    print(f"{student} forgotten from the course in {course.root}")
    return 0


def register(course_actions: Any) -> None:
    """Add ``forget`` to the actions of ``netwise course`` (grading/cli.py's ``register`` returns them)."""
    p = course_actions.add_parser(
        "forget",
        help="remove everything the course holds of one student (secret, sessions, answers, grades, gradebook)",
        description="Remove one student from the course: the hash of their sign-in secret and their class "
        "sessions (DIR/class/), their login card, every answer, submission, feedback page and grade "
        "(submitted/, autograded/, feedback/, the snapshots grading took), their row in the gradebook and "
        "roster, and their lines in grades/ and reports/ (written again without them). Run it when no class "
        "session of this course is running. An unknown id changes nothing and exits with status 2.",
    )
    p.add_argument("dir", metavar="DIR")
    p.add_argument("student", metavar="ID", help="the student's id on the roster")
    p.set_defaults(func=cmd_forget)
