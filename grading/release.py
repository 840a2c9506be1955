"""The student version of an assignment as one zip (or folder) for USB sticks and LMSs.

The zip holds ``<assignment>/<notebooks>`` and ``<assignment>/netwise-release.json`` (the NetWise
version and curriculum it was made with, see :mod:`netwise.grading.stamp`): a student unzips it, works in that folder
(answers are saved there beside each notebook) and hands the folder back zipped as
``<student-id>.zip``. With JupyterHub, nbgrader's own ``release_assignment``,
``fetch_assignment``, ``submit`` and ``collect`` do the same through the exchange.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from . import stamp
from .course import Course, generate
from .errors import CourseError

ZIP_TIME = (2025, 1, 1, 0, 0, 0)  # fixed entry times: the same release gives the same bytes


def release(course: Course, assignment: str, to: Path | None = None, folder: bool = False) -> Path:
    course.lessons(assignment)  # raises for an unknown assignment
    released = course.path("release", None, assignment)
    if not released.is_dir():
        generate(course, assignment)
    notebooks = sorted(released.rglob("*.ipynb"))
    if not notebooks:
        raise CourseError(f"nbgrader produced no student notebooks in {released}")
    # What the release was made with, so a student's computer with another NetWise says so.
    made = stamp.current(course.curriculum_root, course.curriculum.manifest.title, assignment, course.lang)
    target_dir = Path(to) if to else course.root / "outbound"
    target_dir.mkdir(parents=True, exist_ok=True)
    if folder:
        target = target_dir / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(released, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        (target / stamp.STAMP).write_text(made.to_json(), encoding="utf-8")
        return target
    target = target_dir / f"{assignment}.zip"
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in notebooks:
            info = zipfile.ZipInfo(f"{assignment}/{path.relative_to(released).as_posix()}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
        info = zipfile.ZipInfo(f"{assignment}/{stamp.STAMP}", ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, made.to_json())
    tmp.replace(target)
    return target
