"""The course folder: nbgrader_config.py, source assignments with graded checks, generate.

A NetWise course *is* an nbgrader course directory (``source/``, ``release/``,
``submitted/``, ``autograded/``, ``feedback/`` and a gradebook), so nbgrader's own
commands and the formgrader work on it unchanged. What NetWise adds lives in the same
``nbgrader_config.py`` as the traitlets class :class:`NetwiseCourse` (language,
curriculum, which lessons make up each assignment).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import difflib
import functools
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from traitlets import Dict, List, Unicode
from traitlets.config import Config, Configurable
from traitlets.config.loader import PyFileConfigLoader

from netwise.build.notebooks import build_languages, form_notebook, lesson_notebook, notebook_path, render
from netwise.content import Curriculum, load
from netwise.content.assessment import forms, parse_ref
from netwise.content.model import AGE_BANDS
from netwise.errors import NetwiseError
from netwise.i18n import Translator
from netwise.paths import bundled_curriculum

from . import roster as roster_mod
from .errors import CourseError
from .graded_cells import check_cell
from .units import Unit, unit

CONFIG_FILE = "nbgrader_config.py"
EXECUTE_TIMEOUT = 120  # seconds per notebook cell at autograde; a stuck kernel must not hang the class
ASSIGNMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class NetwiseCourse(Configurable):
    """NetWise settings of a course, kept in nbgrader_config.py beside nbgrader's own."""

    lang = Unicode("en", help="Language of the lessons, feedback and report.").tag(config=True)
    region = Unicode(
        "",
        help="Region profile of the lessons (help lines, money, phone format, local names); "
        "empty means the language's usual one (curriculum.yaml 'regions').",
    ).tag(config=True)
    age_band = Unicode(
        "", help="The class's age band (8-10, 11-13, 14-16): its checks hold no item of an older band."
    ).tag(config=True)
    curriculum = Unicode("", help="Curriculum folder; empty means the one bundled with NetWise.").tag(config=True)
    assignments = Dict(
        value_trait=List(Unicode()), help="Assignment name -> lesson ids, in order (one notebook per lesson)."
    ).tag(config=True)


@dataclass
class Course:
    root: Path
    config: Config
    settings: NetwiseCourse
    _curriculum: Curriculum | None = field(default=None, repr=False)

    @property
    def lang(self) -> str:
        return str(self.settings.lang)

    @property
    def region(self) -> str:
        """The course's region profile: as set at ``course init --region``, else the language's usual one.

        A course made before regions existed has none set, so it keeps the pairing it was made with.
        """
        return str(self.settings.region) or str(self.curriculum.region_id_for(self.lang))

    @property
    def age_band(self) -> str | None:
        return str(self.settings.age_band) or None

    @property
    def db_url(self) -> str:
        return str(self.config.CourseDirectory.db_url)

    @property
    def course_id(self) -> str:
        return str(self.config.CourseDirectory.course_id)

    @property
    def curriculum_root(self) -> Path:
        return Path(self.settings.curriculum) if self.settings.curriculum else bundled_curriculum()

    @property
    def curriculum(self) -> Curriculum:
        if self._curriculum is None:
            self._curriculum = load(self.curriculum_root)
        return self._curriculum

    def lessons(self, assignment: str) -> list[str]:
        if assignment not in self.settings.assignments:
            raise CourseError(unknown_id("assignment", assignment, list(self.settings.assignments)))
        return list(self.settings.assignments[assignment])

    def lesson_assignment(self) -> str:
        """The assignment a teacher means by default: the first made of lessons, not of checks."""
        for name, entries in self.settings.assignments.items():
            if entries and all(parse_ref(entry) is None for entry in entries):
                return str(name)
        return str(next(iter(self.settings.assignments)))

    def notebook_name(self, lesson_id: str) -> str:
        """File name of a lesson's (or assessment form's) notebook in an assignment, without .ipynb."""
        return (
            unit(self.curriculum, lesson_id).notebook_stem or notebook_path(self.curriculum, self.lang, lesson_id).stem
        )

    def record_id(self, entry: str) -> str:
        """What an assignment entry's answer record is named after (lesson id, or <module>-<form>)."""
        return unit(self.curriculum, entry).record_id

    def unit(self, entry: str, translator: Any = None) -> Unit:
        return unit(self.curriculum, entry, translator)

    def path(self, step: str, student: str | None, assignment: str) -> Path:
        if step == "source" or step == "release":
            return self.root / step / assignment
        return self.root / step / str(student) / assignment

    def api(self, **overrides: Any) -> Any:
        """nbgrader's own API on this course (``overrides``: extra config, e.g. a folder)."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        alembic_in_process()

        config = Config(self.config)
        # nbgrader's INFO/WARNING chatter is for nbgrader users; failures are still captured.
        config.NbGraderAPI.log_level = "ERROR"
        config.Application.log_level = "ERROR"
        # Grading kernels talk to nbgrader over local ipc sockets, never TCP: nothing listens on
        # a port, and ipykernel has no "running over TCP without encryption" warning to print.
        # In code rather than in nbgrader_config.py so that courses made earlier get it too.
        if os.name == "posix":  # ZeroMQ has no ipc transport on Windows
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = str(ipc_dir() / "kernel")
        for section, values in overrides.items():
            config[section].update(values)
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    def gradebook(self) -> Any:
        from nbgrader.api import Gradebook

        alembic_in_process()
        return Gradebook(self.db_url, course_id=self.course_id)


@functools.cache
def alembic_in_process() -> None:
    """A new gradebook asks for nbgrader's schema version in this process, not from an ``alembic`` process.

    nbgrader's ``get_alembic_version`` runs the ``alembic`` command (seconds: it imports
    SQLAlchemy, alembic and nbgrader again) only to read the newest revision of nbgrader's own
    migration scripts, which alembic's ScriptDirectory reads here in milliseconds.
    """
    import nbgrader.api
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    def head() -> str:
        config = AlembicConfig()
        config.set_main_option("script_location", ALEMBIC_DIR)
        return str(ScriptDirectory.from_config(config).get_current_head())

    nbgrader.api.get_alembic_version = head


@functools.cache
def ipc_dir() -> Path:
    """A private folder (mode 0700) for this process's kernel sockets, removed at exit.

    An absolute path: nbclient's kernel managers get no connection file before their address
    is chosen, so jupyter_client's default would be "kernel-ipc" relative to each kernel's own
    working folder, where the grader cannot find it. Short (under /tmp), since a socket path
    must stay under ~107 bytes, and one per process, so parallel graders never share a name.
    """
    base = "/tmp" if os.path.isdir("/tmp") else None
    folder = Path(tempfile.mkdtemp(prefix="netwise-grade-", dir=base))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def unknown_id(kind: str, value: str, known: list[str]) -> str:
    """One line for an unknown id: the nearest valid one first ("did you mean"), then all of them.

    A teacher's typo must lead to the right id, not to the folder the curriculum is installed in.
    """
    near = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"no {kind} '{value}'{hint} ({kind}s: {', '.join(sorted(known)) or 'none'})"


def nbgrader_path() -> None:
    """nbgrader runs ``alembic`` by name: make this environment's scripts findable."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


@contextlib.contextmanager
def environment(values: dict[str, str | None]) -> Iterator[None]:
    """Set (or, for None, unset) environment variables for the kernels started inside, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def load_course(directory: str | Path) -> Course:
    root = Path(directory).resolve()
    if not (root / CONFIG_FILE).is_file():
        raise CourseError(f"{root} is not a NetWise course (no {CONFIG_FILE}); create one with 'netwise course init'")
    try:
        config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    except Exception as exc:  # a teacher's edit broke the Python file
        raise CourseError(f"{root / CONFIG_FILE} cannot be read: {type(exc).__name__}: {exc}") from None
    settings = NetwiseCourse(config=config)
    if not settings.assignments:
        raise CourseError(f"{root / CONFIG_FILE} names no NetWise assignments (c.NetwiseCourse.assignments)")
    nbgrader_path()
    return Course(root, config, settings)


def config_text(
    name: str,
    lang: str,
    curriculum: str,
    assignments: dict[str, list[str]],
    db: str | None,
    region: str = "",
    age_band: str = "",
) -> str:
    db_line = (
        f"c.CourseDirectory.db_url = {db!r}"
        if db
        else 'c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_here, "gradebook.db")'
    )
    return f"""# nbgrader configuration of the NetWise course {name!r}, written by `netwise course init`.
# nbgrader's own commands, the formgrader and `netwise course ...` all read this file.
import os

c = get_config()  # noqa: F821
_here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = {name!r}
c.CourseDirectory.root = _here
{db_line}
# A stuck notebook must not hold up the class.
c.Execute.timeout = {EXECUTE_TIMEOUT}
c.Execute.interrupt_on_timeout = True
# The checks keep nothing to flush at exit: stop each kernel at once (saves ~0.4 s a notebook).
c.Execute.shutdown_kernel = "immediate"
# Each notebook still gets a new kernel process of its own, forked from one that has
# already imported IPython, NetWise and the graded checks (0.2 s instead of 1 s a notebook):
# jupyter_client's provisioner "netwise-fork", and a client ready once the kernel answers.
c.KernelProvisionerFactory.default_provisioner_name = "netwise-fork"
c.ForkProvisioner.preload = ["ipywidgets", "anywidget", "netwise.widgets", "netwise.grading.graded_cells"]
c.AsyncKernelManager.client_class = "netwise.kernels.provisioner.QuickReadyClient"
# nbclient gives its kernel managers no parent, so jupyter_client would not read the lines
# above for them; this kernel manager reads them from its own configuration.
c.Execute.kernel_manager_class = "netwise.kernels.fork.ProvisionedKernelManager"
# A student who deletes a graded check gets it back at autograde instead of escaping it.
c.OverwriteCells.add_missing_cells = True
# Only notebooks and answer records are part of a submission.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*.lock", ".*.tmp"]

c.NetwiseCourse.lang = {lang!r}
# The region profile (help lines, money, phone format, local names), chosen apart from the language.
c.NetwiseCourse.region = {region!r}
# The class's age band: its checks hold no item of an older band ("" = the checks as written).
c.NetwiseCourse.age_band = {age_band!r}
c.NetwiseCourse.curriculum = {curriculum!r}
c.NetwiseCourse.assignments = {assignments!r}
"""


def source_notebook(curriculum: Curriculum, lang: str, lesson_id: str, region: str | None = None) -> Any:
    """The lesson notebook with a graded check after each activity worth points.

    An assessment form (``scams:pre``) gets one check after its widget, worth one point
    per item.
    """

    note = Translator(curriculum, lang).ui()["grade_cell_note"]
    found = unit(curriculum, lesson_id)
    if found.form is not None:
        notebook = form_notebook(curriculum, lang, found.form.module_id, found.form.form_id, region)
        points = float(found.activities[0].points)
        notebook.cells.append(check_cell(lesson_id, found.form.form_id, points, note))
        notebook.metadata["netwise"]["graded"] = True
        return notebook
    notebook = lesson_notebook(curriculum, lang, lesson_id, region)
    lesson = curriculum.lesson(lesson_id)
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        activity_id = cell.metadata.get("netwise", {}).get("activity")
        if activity_id:
            activity = lesson.activity(activity_id)
            if activity is not None and activity.points > 0:
                cells.append(check_cell(lesson_id, activity_id, float(activity.points), note))
    notebook.cells = cells
    notebook.metadata["netwise"]["graded"] = True
    return notebook


def write_source(course: Course, assignment: str) -> list[Path]:
    folder = course.path("source", None, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson_id in course.lessons(assignment):
        target = folder / f"{course.notebook_name(lesson_id)}.ipynb"
        target.write_bytes(render(source_notebook(course.curriculum, course.lang, lesson_id, course.region)))
        written.append(target)
    return written


def generate(course: Course, assignment: str) -> Path:
    """nbgrader's generate step: source -> release (hidden tests removed, cells locked)."""
    result = course.api().generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        raise CourseError(f"nbgrader could not generate '{assignment}': {nbgrader_failure(result)}")
    return course.path("release", None, assignment)


def nbgrader_failure(result: dict[str, Any]) -> str:
    """The most telling line of a failed nbgrader step, without the traceback."""
    lines = [line for line in (result.get("log") or "").splitlines() if line.startswith(("[ERROR]", "[CRITICAL]"))]
    if lines:
        return lines[-1].split("] ", 1)[-1]
    error = (result.get("error") or "unknown error").strip().splitlines()
    return error[-1] if error else "unknown error"


def plan_assignments(
    curriculum: Curriculum, modules: list[str] | None, age_band: str | None = None
) -> dict[str, list[str]]:
    """One assignment per chosen module, named by the module id, its lessons in order.

    A module with an item bank also gets its checks, each an assignment of its own so a
    teacher releases them at the right time: ``<module>-pre`` (before the lessons),
    ``<module>-post`` (after) and one per booster (``<module>-booster-2w`` …). For a class of
    ``age_band``, the checks hold no item of an older band (``<module>-pre-8-10`` …).
    """
    known = [m.id for m in curriculum.modules]
    chosen = modules or known
    for module_id in chosen:
        if module_id not in known:
            raise CourseError(unknown_id("module", module_id, known))
    plan = {}
    for module_id in chosen:
        module = curriculum.module(module_id)
        checks = forms(curriculum, module.id, age_band)
        for f in checks[:1]:
            plan[f.record_id] = [f.ref]
        plan[module.id] = list(module.lessons)
        for f in checks[1:]:
            plan[f.record_id] = [f.ref]
    return plan


LESSON_DAYS = 7  # the rhythm assumes one lesson a week, the usual slot for this subject


@dataclass(frozen=True)
class Step:
    """When to release one assignment, counted in days from the course's start."""

    assignment: str
    module_id: str
    kind: str  # "pre", "lesson", "post" or "booster"
    days: int
    weeks: int | None = None  # a booster's weeks after the post-test


def rhythm(curriculum: Curriculum, plan: dict[str, list[str]]) -> list[Step]:
    """Each module's before / lesson / after / boosters rhythm, modules one after another.

    The pre-test and the lessons start together; the post-test comes after the last lesson (one
    lesson a week); each booster its weeks after the post-test; the next module starts when the
    previous one's post-test is taken. Assignments made of lessons from several modules, or a
    custom mix, are placed with the module of their first entry.
    """
    by_module: dict[str, list[tuple[str, list[str]]]] = {}
    for name, entries in plan.items():
        ref = parse_ref(entries[0]) if entries else None
        module_id = ref[0] if ref else curriculum.module_of(entries[0]).id
        by_module.setdefault(module_id, []).append((name, entries))
    steps: list[Step] = []
    start = 0
    for module_id, assignments in by_module.items():
        lessons = sum(len(entries) for _, entries in assignments if parse_ref(entries[0]) is None)
        post = start + LESSON_DAYS * max(lessons, 1)
        for name, entries in assignments:
            found = unit(curriculum, entries[0]).form
            if found is None:
                steps.append(Step(name, module_id, "lesson", start))
            elif found.kind == "pre":
                steps.append(Step(name, module_id, "pre", start))
            elif found.kind == "post":
                steps.append(Step(name, module_id, "post", post))
            else:
                weeks = found.weeks or 0
                steps.append(Step(name, module_id, "booster", post + 7 * weeks, weeks))
        start = post
    return steps


def release_date(start: datetime.date, step: Step) -> datetime.date:
    return start + datetime.timedelta(days=step.days)


def init_course(
    directory: str | Path,
    name: str,
    lang: str,
    modules: list[str] | None = None,
    roster: Path | None = None,
    db: str | None = None,
    curriculum: str | Path | None = None,
    region: str | None = None,
    age_band: str | None = None,
) -> Course:
    """Create the course folder, import the roster, write and generate every assignment.

    ``region`` serves the lessons with another region profile than the language's usual one
    (an English-medium school in Vietnam: ``lang="en", region="vn"``); ``age_band`` gives a
    younger class checks without older items. Both are kept in the course's config.
    """

    root = Path(directory).resolve()
    if (root / CONFIG_FILE).exists():
        raise CourseError(
            f"{root} is already a course ({CONFIG_FILE} exists); use 'netwise course students' to update the roster"
        )
    if not ASSIGNMENT_ID.match(name):
        raise CourseError(f"course name {name!r} must be letters, digits, '.', '_' or '-' (no spaces)")
    if db is not None and "://" not in db:
        raise CourseError(f"--db must be an SQLAlchemy URL such as postgresql+psycopg://user@host/db, not {db!r}")
    curriculum_root = Path(curriculum).resolve() if curriculum else bundled_curriculum()
    loaded = load(curriculum_root)
    build_languages(loaded, [lang])  # raises LanguageError for an incomplete language
    if region is not None:
        loaded.region(region)  # raises UnknownContentError naming the known regions
    if age_band is not None and age_band not in AGE_BANDS:
        raise CourseError(f"--ages {age_band!r} is not an age band; use one of: {', '.join(AGE_BANDS)}")
    plan = plan_assignments(loaded, modules, age_band)
    students = roster_mod.read_roster(roster) if roster is not None else []  # all bad rows before any write
    root.mkdir(parents=True, exist_ok=True)
    (root / CONFIG_FILE).write_text(
        config_text(name, lang, str(curriculum_root) if curriculum else "", plan, db, region or "", age_band or ""),
        encoding="utf-8",
    )
    course = load_course(root)
    course._curriculum = loaded
    try:
        if students:
            roster_mod.import_students(course, students)
        for assignment in plan:
            write_source(course, assignment)
            generate(course, assignment)
    except NetwiseError:
        raise
    except Exception as exc:  # e.g. the database server refused the connection
        raise CourseError(f"course created in {root}, but setting it up failed: {type(exc).__name__}: {exc}") from None
    return course


def add_assignment(course: Course, name: str, lessons: list[str]) -> Path:
    """A custom assignment from any lessons; appended to nbgrader_config.py, then generated."""
    if not ASSIGNMENT_ID.match(name):
        raise CourseError(f"assignment name {name!r} must be letters, digits, '.', '_' or '-' (no spaces, no '+')")
    if name in course.settings.assignments:
        raise CourseError(f"the course already has an assignment '{name}'")
    known = list(course.curriculum.lessons)
    for lesson_id in lessons:
        if parse_ref(lesson_id) is None and lesson_id not in known:
            raise CourseError(unknown_id("lesson", lesson_id, known))
        course.unit(lesson_id)  # a check (``scams:pre``) must exist too: raises UnknownContentError
    with (course.root / CONFIG_FILE).open("a", encoding="utf-8") as handle:
        handle.write(f"c.NetwiseCourse.assignments[{name!r}] = {lessons!r}\n")
    course.settings.assignments = {**course.settings.assignments, name: list(lessons)}
    write_source(course, name)
    return generate(course, name)
