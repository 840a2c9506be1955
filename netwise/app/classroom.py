"""A class session's course: its students, the pages of the session, and each student's submission folder.

``netwise serve --course DIR --assignment NAME ...`` serves an nbgrader course (grading/course.py)
to students signed in on phones (issue 14). This module holds what the server needs to know of
that course, and the one place that writes into it:

- the roster (id -> display name, as on the login cards), the course's language, region and
  whether its secrets are pictures (ages 8-10, as netwise/app/cards.py decides);
- the pages of the session in order: each assignment's lessons and checks, with the served
  notebook each is rendered from and the answer record it writes;
- ``DIR/submitted/<id>/<assignment>/`` in nbgrader's layout: the released notebooks (copied on
  the student's first sign-in for that assignment), ``timestamp.txt`` (nbgrader's format, UTC),
  and the answer records.

Who writes the answers: the *kernel* does, as the widgets do outside the lesson app
(netwise.scoring.record.AnswerRecord: atomic, fsynced, before the feedback shows). A class page
is never preheated: it is rendered once the student is known, and its kernel is started with
its working folder set to that student's submission folder (netwise/app/admission.py
``KERNEL_HOME``, read by the kernel manager's ``cwd_for_path``). So a kernel learns whose answers
it holds from its working folder, fixed when it starts, and what lands in ``submitted/`` is the
same answer record a notebook writes; ``netwise course grade`` grades both alike. The server
itself only copies the released notebooks and rewrites ``timestamp.txt`` when it passes an
answer to the kernel.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netwise.app.cards import roster, uses_pictures
from netwise.build.notebooks import form_path, notebook_path
from netwise.errors import NetwiseError
from netwise.grading.course import Course, load_course, unknown_id
from netwise.i18n import Translator
from netwise.scoring.record import CorruptRecord, parse, record_name

log = logging.getLogger(__name__)

TIMESTAMP_FILE = "timestamp.txt"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's (nbgrader.utils.parse_utc reads it)


@dataclass(frozen=True)
class ClassPage:
    """One page of the session: a lesson, or a check (an assessment form) of an assignment."""

    assignment: str
    kind: str  # "lesson" or "check"
    page_id: str  # lesson id, or form record id such as "scams-pre"
    record_id: str  # the answer record's name: <record_id>.answers.json
    title: str
    path: str  # the served notebook, relative to the lesson app's served folder
    module_id: str
    entry: str  # the course's assignment entry ("scams-today" or "scams:pre")

    @property
    def url(self) -> str:
        return f"/class/lesson/{self.page_id}"


@dataclass
class ClassRoom:
    """The course a class session serves (see the module's docstring)."""

    root: Path
    course: Course
    assignments: list[str]
    students: dict[str, str]  # id -> display name, roster order
    pages: list[ClassPage]
    pictures: bool
    by_id: dict[str, ClassPage] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.by_id = {page.page_id: page for page in self.pages}

    @property
    def lang(self) -> str:
        return self.course.lang

    @property
    def region(self) -> str:
        return self.course.region

    @property
    def course_id(self) -> str:
        return self.course.course_id

    def page(self, page_id: str) -> ClassPage | None:
        return self.by_id.get(page_id)

    @property
    def lesson_ids(self) -> list[str]:
        """The lessons the lesson app must build: the session's, and one of each checked module's
        (a module's checks are served with any of its lessons, netwise/app/site.py)."""
        curriculum = self.course.curriculum
        wanted: list[str] = []
        for page in self.pages:
            lesson_id = page.page_id if page.kind == "lesson" else curriculum.module(page.module_id).lessons[0]
            if lesson_id not in wanted:
                wanted.append(lesson_id)
        return wanted

    def submission_dir(self, sid: str, assignment: str) -> Path:
        if sid not in self.students or assignment not in self.assignments:
            raise KeyError(f"{sid}/{assignment}")  # never a path built from anything else
        return self.root / "submitted" / sid / assignment

    def ensure_submission(self, sid: str, assignment: str) -> Path:
        """The student's submission folder for the assignment, made on first use with the released notebooks."""
        folder = self.submission_dir(sid, assignment)
        for level in (folder.parent.parent, folder.parent, folder):
            level.mkdir(mode=0o700, exist_ok=True)
        released = self.root / "release" / assignment
        for source in sorted(released.glob("*.ipynb")):
            target = folder / source.name
            if not target.exists():  # a notebook the student already has is theirs
                shutil.copyfile(source, target)
        if not (folder / TIMESTAMP_FILE).exists():
            self.touch(sid, assignment)
        return folder

    def touch(self, sid: str, assignment: str) -> None:
        """Rewrite timestamp.txt (an answer passed to the kernel now), atomically: nbgrader reads it at collect."""
        folder = self.submission_dir(sid, assignment)
        stamp = datetime.now(UTC).strftime(TIMESTAMP_FORMAT)
        fd, tmp = tempfile.mkstemp(prefix=".timestamp-", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(stamp)  # 0600: mkstemp makes it so
            os.replace(tmp, folder / TIMESTAMP_FILE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def record(self, sid: str, page: ClassPage) -> dict[str, Any] | None:
        """The student's answer record of a page, or None when not started (a damaged one: None, logged)."""
        path = self.submission_dir(sid, page.assignment) / record_name(page.record_id)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("cannot read %s: %s", path, exc.strerror)
            return None
        try:
            return parse(text, page.record_id)
        except CorruptRecord as exc:  # parse says so of bad JSON too
            log.warning("%s: %s", path, exc)
            return None


def open_classroom(course_dir: Path, assignments: list[str]) -> ClassRoom:
    """The course at ``course_dir`` for a session of ``assignments``; a one-line NetwiseError if it cannot be."""
    course = load_course(course_dir)
    known = list(course.settings.assignments)
    if not assignments:
        raise NetwiseError(f"name the assignment(s) of the session with --assignment (assignments: {', '.join(known)})")
    translator = Translator(course.curriculum, course.lang, course.region)
    ui = translator.ui()
    pages: list[ClassPage] = []
    assignments = list(dict.fromkeys(assignments))  # each once, in the order given
    for assignment in assignments:
        if assignment not in known:
            raise NetwiseError(unknown_id("assignment", assignment, known))
        released = course.root / "release" / assignment
        if not any(released.glob("*.ipynb")):
            raise NetwiseError(
                f"assignment '{assignment}' is not released in {course.root} (no notebooks in {released}); "
                f"run 'netwise course init' again or nbgrader's generate_assignment"
            )
        for entry in course.lessons(assignment):
            found = course.unit(entry)
            if found.form is not None:
                chosen = found.form
                label = {"pre": ui["check_before"], "post": ui["check_after"]}.get(chosen.kind)
                title = label or ui["check_booster"].format(weeks=chosen.weeks or 0)
                module_title = translator.module(chosen.module_id).title
                page = ClassPage(
                    assignment, "check", found.record_id, found.record_id, f"{title}: {module_title}",
                    form_path(course.curriculum, course.lang, chosen.module_id, chosen.form_id).as_posix(),
                    chosen.module_id, entry,
                )  # fmt: skip
            else:
                page = ClassPage(
                    assignment, "lesson", entry, found.record_id, translator.lesson(entry).title,
                    notebook_path(course.curriculum, course.lang, entry).as_posix(),
                    course.curriculum.module_of(entry).id, entry,
                )  # fmt: skip
            if any(p.page_id == page.page_id for p in pages):
                raise NetwiseError(f"'{page.page_id}' is in more than one assignment of the session")
            pages.append(page)
    students = dict(roster(course))
    if not students:
        raise NetwiseError(f"course '{course.course_id}' has no students; add them with 'netwise course students'")
    return ClassRoom(
        root=course.root,
        course=course,
        assignments=assignments,
        students=students,
        pages=pages,
        pictures=uses_pictures(course),
    )
