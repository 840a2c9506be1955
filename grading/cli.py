"""``netwise course ...``: the classroom workflow on nbgrader, for a teacher.

Each command imports its grading module when it runs: nbgrader and SQLAlchemy take
about a second to import, and ``netwise check`` or ``netwise serve`` need neither.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Any

from netwise.errors import NetwiseError

from .errors import RosterError


def _course(args: argparse.Namespace) -> Any:
    # deferred import: nbgrader and SQLAlchemy are slow to import (module docstring)
    from .course import load_course

    return load_course(args.dir)


def _print_roster_problems(exc: RosterError) -> None:
    for problem in exc.problems:
        print(problem)


def cmd_init(args: argparse.Namespace) -> int:
    # deferred import: nbgrader and SQLAlchemy are slow to import (module docstring)
    from .course import init_course

    modules = [m.strip() for m in args.modules.split(",") if m.strip()] if args.modules else None
    start: datetime.date | None = args.start
    try:
        course = init_course(args.dir, args.name, args.lang, modules, Path(args.students) if args.students else None,
                             args.db, args.curriculum, args.region, args.ages)  # fmt: skip
    except RosterError as exc:
        _print_roster_problems(exc)
        raise NetwiseError(f"roster not imported ({len(exc.problems)} bad row(s)); no course was created") from None
    with course.gradebook() as gradebook:
        count = len(gradebook.students)
    band = f", ages {course.age_band}" if course.age_band else ""
    print(
        f"course '{course.course_id}' ({course.lang}, region {course.region}{band}) created in {course.root} "
        f"with {count} students"
    )
    print_rhythm(course, start)
    first = course.lesson_assignment()
    print("next:")
    print(f"  netwise course release {args.dir} {first}            # a zip for USB sticks or the LMS")
    print(f"  netwise course collect {args.dir} {first} ZIPS...    # students' zips named <student-id>.zip")
    print(f"  netwise course grade {args.dir} {first}")
    print(f"  netwise course report {args.dir} {first}")
    return 0


KIND_TEXT = {
    "pre": "pre-test: before the first lesson",
    "lesson": "the lessons, one a week",
    "post": "post-test: after the last lesson",
    "booster": "booster: {weeks} weeks after the post-test",
}


def print_rhythm(course: Any, start: datetime.date | None) -> None:
    """Each assignment with when to release it: a date from ``--start``, else the week from the start."""
    # deferred import: nbgrader and SQLAlchemy are slow to import (module docstring)
    from .course import release_date, rhythm

    steps = rhythm(course.curriculum, dict(course.settings.assignments))
    modules = {step.module_id for step in steps}
    checked = {step.module_id for step in steps if step.kind != "lesson"}
    if checked:
        print(
            f"{len(steps)} assignments for {len(modules)} module(s); a module with checks has five: "
            "<module>-pre (pre-test), <module> (its lessons), <module>-post (post-test), "
            "<module>-booster-2w and <module>-booster-6w (boosters)"
        )
        print(
            "  the learning report (reports/<module>-learning.html) fills in once the pre- and post-test "
            "are collected and graded"
        )
    else:
        print(f"{len(steps)} assignment(s), one per module")
    print(
        "release" + (f" from {start.isoformat()}:" if start else " (weeks from the start; --start DATE gives dates):")
    )
    width = max(len(step.assignment) for step in steps)
    for step in steps:
        when = release_date(start, step).isoformat() if start else f"week {step.days // 7}"
        what = KIND_TEXT[step.kind].format(weeks=step.weeks)
        print(f"  {step.assignment:<{width}}  {when:<10}  {what}")
    print(f"student versions in {course.root / 'release'}/<assignment>/")


def start_date(text: str) -> datetime.date:
    """``--start``: a calendar date, YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD, e.g. 2026-09-07") from None


def cmd_students(args: argparse.Namespace) -> int:
    # deferred import: nbgrader and SQLAlchemy are slow to import (module docstring)
    from .roster import import_students, read_roster

    course = _course(args)
    try:
        students = read_roster(args.roster)
    except RosterError as exc:
        _print_roster_problems(exc)
        raise NetwiseError(f"roster not imported ({len(exc.problems)} bad row(s)); nothing was changed") from None
    added, updated = import_students(course, students)
    print(f"{added} student(s) added, {updated} updated; grades kept")
    return 0


def cmd_assignment(args: argparse.Namespace) -> int:
    # deferred import: nbgrader and SQLAlchemy are slow to import (module docstring)
    from .course import add_assignment

    course = _course(args)
    released = add_assignment(course, args.name, args.lessons)
    print(f"assignment {args.name}: {len(args.lessons)} lesson(s); student version in {released}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    # deferred import: nbgrader and SQLAlchemy are slow to import (module docstring)
    from .release import release

    course = _course(args)
    target = release(course, args.assignment, Path(args.to) if args.to else None, folder=args.folder)
    print(f"student version of '{args.assignment}': {target}")
    print("students unzip it, answer in that folder, and hand the folder back zipped as <student-id>.zip")
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    # deferred import: nbgrader and SQLAlchemy are slow to import (module docstring)
    from .collect import collect

    course = _course(args)
    result = collect(course, args.assignment, [Path(f) for f in args.files], force=args.force)
    for student, files in sorted(result.collected.items()):
        print(f"collected {student}: {', '.join(files)}")
    for student in result.existing:
        print(f"kept {student}: already collected (use --force to replace)")
    for item, reason in result.unmatched:
        print(f"not collected: {item}: {reason}")
    print(
        f"{len(result.collected)} submission(s) collected, {len(result.existing)} kept, {len(result.unmatched)} file(s) not matched"
    )
    if not result.collected and not result.existing:
        raise NetwiseError(
            f"nothing collected for '{args.assignment}': name each zip, folder or notebook by a student id "
            "on the roster (<student-id>.zip)"
        )
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    # deferred import: nbgrader and SQLAlchemy are slow to import (module docstring)
    from .grade import grade

    if args.jobs < 0:
        raise NetwiseError("--jobs must be 0 (one per CPU) or more")
    course = _course(args)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, student: str, seconds: float) -> None:
        if tty:
            bar = "#" * int(30 * done / total)
            print(f"\r[{bar:<30}] {done}/{total} {student[:30]:<30}", end="", file=sys.stderr, flush=True)
        else:
            print(f"graded {done}/{total} {student} ({seconds:.1f} s)", file=sys.stderr, flush=True)

    run = grade(course, args.assignment, progress=progress, students=args.student or None, jobs=args.jobs)
    if tty:
        print(file=sys.stderr)
    width = max([len(r.student) for r in run.rows] + [7])
    print(f"{'student':<{width}}  {'score':>11}  problems")
    for row in run.rows:
        if not row.submitted:
            print(f"{row.student:<{width}}  {'—':>11}  not handed in")
            continue
        score = f"{row.score:g}/{row.max_score:g}"
        problems = "; ".join(str(i) for i in row.issues)
        print(f"{row.student:<{width}}  {score:>11}  {problems}")
    graded = [r for r in run.rows if r.graded]
    if graded:
        mean = sum(r.percent for r in graded) / len(graded)
        print(
            f"{len(graded)} graded, class average {mean:.1f}%, {len(run.failures)} not graded, in {run.seconds:.1f} s"
        )
    print(f"feedback: {course.root / 'feedback'}  grades: {run.csv[0]}")
    return 1 if run.failures else 0


def cmd_report(args: argparse.Namespace) -> int:
    # deferred import: nbgrader and SQLAlchemy are slow to import (module docstring)
    from .gains import modules_in, write_learning_report
    from .report import write_report  # deferred, as above

    course = _course(args)
    html, csvs = write_report(
        course, args.assignment or course.lesson_assignment(), Path(args.out) if args.out else None
    )
    print(f"report: {html}")
    for path in csvs:
        print(f"data: {path}")
    # A module's checks (or its lessons, when the course has its checks): pre -> post -> booster gains.
    assignment = args.assignment or course.lesson_assignment()
    for module_id in modules_in(course, assignment):
        html, csvs = write_learning_report(course, module_id)
        print(f"learning report: {html}")
        for path in csvs:
            print(f"data: {path}")
    return 0


def register(subparsers: Any) -> Any:
    """Add ``netwise course`` and its subcommands to the main parser; returns its actions, to which
    ``netwise.cli`` adds those of the lesson app (``cards``), which grading may not import."""
    course = subparsers.add_parser(
        "course", help="classroom workflow on nbgrader: roster, release, collect, grade, report"
    )
    sub = course.add_subparsers(dest="course_command", metavar="ACTION", required=True)

    p = sub.add_parser(
        "init",
        help="create an nbgrader course from lessons and a roster",
        description="Create an nbgrader course. Each module gives up to five assignments, released in this "
        "rhythm: <module>-pre (pre-test, at the start), <module> (the lessons, one a week), <module>-post "
        "(post-test, after the last lesson), <module>-booster-2w and <module>-booster-6w (boosters, 2 and 6 "
        "weeks after the post-test). init prints each one's week, or its date with --start.",
    )
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--name", required=True, help="course id (letters, digits, '.', '_', '-')")
    p.add_argument("--lang", required=True, help="language of the lessons, feedback and report")
    p.add_argument(
        "--region",
        metavar="ID",
        help="region profile (help lines, money, phone format, local names), chosen apart from the language; "
        "default: the language's usual one (vi -> vn, en -> intl)",
    )
    p.add_argument(
        "--ages",
        metavar="BAND",
        choices=["8-10", "11-13", "14-16"],
        help="the class's age band (8-10, 11-13, 14-16): its checks hold no item of an older band",
    )
    p.add_argument(
        "--modules",
        metavar="IDS",
        help="comma-separated module ids (default: all). Each module gives its lessons as one assignment "
        "(<module>) and, if it has an item bank, four checks: <module>-pre, <module>-post, "
        "<module>-booster-2w and <module>-booster-6w",
    )
    p.add_argument(
        "--start",
        metavar="YYYY-MM-DD",
        type=start_date,
        help="first day of the course: init prints each assignment's suggested release date",
    )
    p.add_argument("--students", metavar="ROSTER.csv", help="UTF-8 CSV: id,first_name,last_name[,email]")
    p.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: SQLite file in DIR)")
    p.add_argument("--curriculum", metavar="DIR", help="curriculum folder (default: the bundled one)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("students", help="import or update the roster (all or nothing; grades kept)")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("roster", metavar="ROSTER.csv")
    p.set_defaults(func=cmd_students)

    p = sub.add_parser("assignment", help="add an assignment made of any lessons")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("name")
    p.add_argument("lessons", nargs="+", metavar="LESSON")
    p.set_defaults(func=cmd_assignment)

    p = sub.add_parser("release", help="the student version as one zip (or folder) for USB or an LMS")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("assignment")
    p.add_argument("--to", metavar="FOLDER", help="where to put it (default: DIR/outbound)")
    p.add_argument("--folder", action="store_true", help="a folder instead of a zip")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("collect", help="collect student zips, folders or notebooks named by student id")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("assignment")
    p.add_argument("files", nargs="+", metavar="FILES")
    p.add_argument("--force", action="store_true", help="replace submissions collected before")
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser("grade", help="autograde, write feedback and export grades (CSV)")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("assignment")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--jobs", type=int, default=0, help="submissions graded at once (default: one per CPU)")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("report", help="class report: one offline HTML file with charts, plus CSV")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("assignment", nargs="?", help="default: the course's first lesson assignment (not a check)")
    p.add_argument("--out", metavar="FILE", help="HTML file to write (default: DIR/reports/ASSIGNMENT.html)")
    p.set_defaults(func=cmd_report)
    return sub
