"""Collect submissions from zips, folders or loose files, through nbgrader's zip-collect.

nbgrader's ``ZipCollectApp`` does the work with its own layout
(``downloaded/<assignment>/archive`` -> ``extracted`` -> ``submitted/<student>/<assignment>``);
NetWise stages the teacher's files into ``archive/`` and supplies the collector plugin
that knows NetWise's naming conventions:

- ``<student-id>.zip`` (or a folder ``<student-id>/``) holding the assignment's
  notebooks and answer records, at any depth;
- loose files ``<student-id>_<notebook>.ipynb`` and ``<student-id>_<lesson>.answers.json``,
  or ``<student-id>.ipynb`` when the assignment has a single notebook.

Anything that matches no roster student or no file of the assignment is reported and
left out. An existing submission is never replaced without ``force``. The submission
time (a ``timestamp.txt`` inside the submission, else the newest file in it) is kept
for nbgrader's lateness rules.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Dict, List, Unicode

from .course import Course, generate, nbgrader_failure
from .errors import CollectError
from .stamp import STAMP

ARCHIVES = (".zip",)
SKIP_PARTS = {".ipynb_checkpoints", "__MACOSX", "__pycache__"}


class NetwiseCollector(FileNameCollectorPlugin):
    """Maps each extracted file to (student, file) by NetWise's conventions."""

    valid_ext = List([".ipynb", ".json"]).tag(config=True)
    extracted = Unicode("", help="Absolute path of the extracted folder.").tag(config=True)
    notebooks = List(Unicode(), help="Notebook file names of the assignment.").tag(config=True)
    lessons = List(Unicode(), help="Lesson ids of the assignment (answer record names).").tag(config=True)
    timestamps = Dict(help="Student id -> submission time (ISO 8601).").tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rejected: list[tuple[str, str]] = []
        self._seen: set[tuple[str, str]] = set()

    def _wanted(self, name: str) -> bool:
        if name.endswith(".ipynb"):
            return name in self.notebooks
        return any(
            name == f"{lesson}.answers.json" or name.startswith(f"{lesson}.answers.corrupt-") for lesson in self.lessons
        )

    def collect(self, submitted_file: str) -> dict[str, str] | None:
        path = Path(submitted_file)
        relative = path.relative_to(self.extracted)
        student = relative.parts[0]
        if SKIP_PARTS.intersection(relative.parts) or path.name.startswith(".") or path.name == STAMP:
            return None  # the release's own stamp comes back with the folder: not the student's work
        if path.suffix not in self.valid_ext:
            if path.name != "timestamp.txt":
                self.rejected.append((f"{student}/{relative.name}", "not a notebook or answer record"))
            return None
        if not self._wanted(path.name):
            self.rejected.append((f"{student}/{relative.name}", "not a file of this assignment"))
            return None
        if (student, path.name) in self._seen:
            self.rejected.append((f"{student}/{relative.as_posix()}", "a second copy of the same file (first kept)"))
            return None
        self._seen.add((student, path.name))
        info = {"student_id": student, "file_id": path.name}
        if student in self.timestamps:
            info["timestamp"] = self.timestamps[student]
        return info


@dataclass
class CollectResult:
    collected: dict[str, list[str]] = field(default_factory=dict)  # student -> file names
    existing: list[str] = field(default_factory=list)  # already collected, left alone
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)


@dataclass
class _Input:
    path: Path
    student: str
    file_id: str | None  # loose files: the name inside the submission
    timestamp: datetime | None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _zip_time(archive: zipfile.ZipFile) -> datetime | None:
    for info in archive.infolist():
        if Path(info.filename).name == "timestamp.txt":
            stamp = _parse_stamp(archive.read(info).decode("utf-8", "replace"))
            if stamp:
                return stamp
    times = [datetime(*info.date_time).astimezone() for info in archive.infolist() if not info.is_dir()]
    return max(times) if times else None  # zip times are local clock times of the student's machine


def _parse_stamp(text: str) -> datetime | None:
    from nbgrader.utils import parse_utc  # deferred: nbgrader is slow to import

    try:
        return parse_utc(text.strip())
    except (ValueError, OverflowError):
        return None


def _folder_time(folder: Path) -> datetime | None:
    stamp_file = next(iter(sorted(folder.rglob("timestamp.txt"))), None)
    if stamp_file is not None:
        stamp = _parse_stamp(stamp_file.read_text(encoding="utf-8", errors="replace"))
        if stamp:
            return stamp
    times = [p.stat().st_mtime for p in folder.rglob("*") if p.is_file()]
    return datetime.fromtimestamp(max(times), UTC) if times else None


def _student_of(name: str, students: set[str]) -> tuple[str | None, str]:
    """``<student>_<rest>`` with the longest roster id that fits (ids may contain '_')."""
    best = None
    for sid in students:
        if name.startswith(f"{sid}_") and (best is None or len(sid) > len(best)):
            best = sid
    return (best, name[len(best) + 1 :]) if best else (None, name)


def _classify(course: Course, assignment: str, path: Path, students: set[str], notebooks: list[str]) -> _Input | str:
    if not path.exists():
        return "no such file or folder"
    if path.is_dir():
        if path.name not in students:
            return f"no student '{path.name}' on the roster (a folder must be named by student id)"
        return _Input(path, path.name, None, _folder_time(path))
    if path.suffix.lower() in ARCHIVES:
        if path.stem not in students:
            return f"no student '{path.stem}' on the roster (a zip must be named <student-id>.zip)"
        try:
            with zipfile.ZipFile(path) as archive:
                if archive.testzip() is not None:
                    return "the zip file is damaged"
                stamp = _zip_time(archive)
        except (zipfile.BadZipFile, OSError) as exc:
            return f"not a readable zip file ({exc})"
        return _Input(path, path.stem, None, stamp)
    if path.suffix in (".ipynb", ".json"):
        student, rest = _student_of(path.name, students)
        if student is None and path.suffix == ".ipynb" and path.stem in students and len(notebooks) == 1:
            student, rest = path.stem, notebooks[0]
        if student is None:
            return "the name starts with no roster student id (<student-id>_<notebook>.ipynb)"
        return _Input(path, student, rest, datetime.fromtimestamp(path.stat().st_mtime, UTC))
    return "not a zip, folder, notebook or answer record"


def collect(course: Course, assignment: str, inputs: list[Path], force: bool = False) -> CollectResult:
    # deferred: nbgrader takes about a second to import
    from nbgrader.apps import ZipCollectApp
    from nbgrader.utils import capture_log  # deferred, as above

    # Answer records are named after the lesson, or <module>-<form> for a check.
    lessons = [course.record_id(entry) for entry in course.lessons(assignment)]
    released = course.path("release", None, assignment)
    if not released.is_dir():
        generate(course, assignment)
    notebooks = sorted(p.name for p in released.glob("*.ipynb"))
    with course.gradebook() as gradebook:
        students = {s.id for s in gradebook.students}
    if not students:
        raise CollectError("the course has no students; import the roster first with 'netwise course students'")
    result = CollectResult()
    chosen: dict[str, list[_Input]] = {}
    for path in inputs:
        found = _classify(course, assignment, Path(path), students, notebooks)
        if isinstance(found, str):
            result.unmatched.append((str(path), found))
            continue
        target = course.path("submitted", found.student, assignment)
        if target.is_dir() and any(target.iterdir()) and not force:
            if found.student not in result.existing:
                result.existing.append(found.student)
            continue
        chosen.setdefault(found.student, []).append(found)
    if not chosen:
        return result

    # Stage into nbgrader's zip-collect layout; these two folders are NetWise's working area.
    base = course.root / "downloaded" / assignment
    archive, extracted = base / "archive", base / "extracted"
    for folder in (archive, extracted):
        if folder.exists():
            shutil.rmtree(folder)
    archive.mkdir(parents=True)
    timestamps: dict[str, str] = {}
    for student, items in chosen.items():
        stamps = [i.timestamp for i in items if i.timestamp is not None]
        if stamps:
            timestamps[student] = _iso(max(stamps))
        for item in items:
            if item.path.is_dir():
                shutil.copytree(item.path, archive / student, dirs_exist_ok=True)
            elif item.file_id is None:
                shutil.copyfile(item.path, archive / f"{student}.zip")
            else:
                (archive / student).mkdir(exist_ok=True)
                shutil.copyfile(item.path, archive / student / item.file_id)

    api = course.api(
        ZipCollectApp={"collector_plugin": NetwiseCollector, "force": force, "strict": True},
        ExtractorPlugin={"force": True, "zip_ext": [".zip"]},
        NetwiseCollector={
            "extracted": str(extracted),
            "notebooks": notebooks,
            "lessons": lessons,
            "timestamps": timestamps,
        },
    )
    coursedir = api.coursedir
    coursedir.assignment_id = assignment
    app = ZipCollectApp(coursedir=coursedir, parent=api)
    outcome = capture_log(app)
    rejected = list(getattr(app.collector_plugin_inst, "rejected", []) or [])
    result.unmatched.extend(rejected)
    if not outcome.get("success"):
        raise CollectError(f"nbgrader zip-collect failed: {nbgrader_failure(outcome)}")
    for student in chosen:
        target = course.path("submitted", student, assignment)
        files = (
            sorted(p.name for p in target.glob("*") if p.is_file() and p.name != "timestamp.txt")
            if target.is_dir()
            else []
        )
        if files:
            result.collected[student] = files
        else:
            result.unmatched.append((student, "nothing in it belongs to this assignment"))
    return result
