"""``netwise course forget DIR ID``: remove everything the course folder holds of one student.

A family or a school may ask that a child's data be deleted. The course folder is the only place
NetWise keeps anything (README, "Running a class on phones"), so forgetting a student is: their
class-session files, kept by the lesson app in ``DIR/class/`` — the hash of their sign-in secret
(``secrets.json``, through :mod:`netwise.app.logins`) and their session tokens
(``sessions.json``) — and their login card in a cards page; then all their answers, submissions,
feedback and grades, the gradebook row and the class-wide files naming them
(:mod:`netwise.grading.forget`). It is a ``netwise course`` action registered from here because
``grading`` may not import the lesson app.

Run it when no class session of the course is running: a running ``netwise serve --course``
holds its signed-in students in memory and would write their session back.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from netwise.errors import NetwiseError

SESSIONS_FILE = Path("class") / "sessions.json"  # class_spec.md: {"version": 1, "students": {id: ...}, ...}


def forget_sessions(course_root: Path, student: str) -> int | None:
    """Drop the student's entry from ``class/sessions.json``; returns how many tokens it held (None: no entry)."""
    path = course_root / SESSIONS_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entry = data["students"].pop(student, None)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NetwiseError(f"{path}: not a sessions file NetWise wrote ({type(exc).__name__}: {exc})") from None
    if entry is None:
        return None
    # mkstemp makes the file 0600, like the server's own writes; a crash leaves the old file whole
    fd, tmp = tempfile.mkstemp(prefix=".sessions-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    tokens = entry.get("tokens", {}) if isinstance(entry, dict) else {}
    return len(tokens) if isinstance(tokens, dict) else 0


def session_ids(course_root: Path) -> set[str]:
    path = course_root / SESSIONS_FILE
    try:
        return set(json.loads(path.read_text(encoding="utf-8"))["students"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()  # missing or unreadable: forget_sessions says which, if it matters


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
    # deferred import: the app's modules are not needed by other netwise commands
    from netwise.app.logins import load_secrets, save_secrets

    # deferred import: nbgrader and SQLAlchemy take about a second to import
    from netwise.grading.course import load_course, unknown_id

    # deferred import: nbgrader again (the gradebook)
    from netwise.grading.forget import forget_student, student_ids

    course = load_course(args.dir)
    student = args.student
    stored = load_secrets(course.root)
    known = set(student_ids(course)) | set(stored) | session_ids(course.root)
    if student not in known:
        print(f"netwise: error: {unknown_id('student', student, sorted(known))}; nothing was removed", file=sys.stderr)
        return 2
    done = []
    if stored.pop(student, None) is not None:
        save_secrets(course.root, stored)
        done.append("removed the sign-in secret's hash from class/secrets.json")
    tokens = forget_sessions(course.root, student)
    if tokens is not None:
        done.append(f"removed the class session ({tokens} sign-in token(s)) from class/sessions.json")
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
