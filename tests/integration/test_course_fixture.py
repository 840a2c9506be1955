"""A course folder made by an earlier NetWise still grades, to the same scores.

The folder under ``fixtures/course-0.1`` was made by ``netwise course init``/``collect`` of
version 0.1.0; its ``nbgrader_config.py`` names the kernel manager by its old class path.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from support.paths import FIXTURES, run_netwise

pytestmark = pytest.mark.slow

EXPECTED = {"an.nguyen": [1.0, 1.0, 1.0, 1.0], "cuong.le": [1.0, 0.5, 0.5, 0.0]}
ACTIVITIES = ["quiz", "judge", "flags", "chat"]


def test_an_old_course_folder_grades_to_the_same_scores(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "course-0.1", course)
    config = course / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    assert "netwise.kernel_fork.ForkingKernelManager" in text  # the old path stays valid
    config.write_text(
        re.sub(r"c\.NetwiseCourse\.curriculum = .*", f"c.NetwiseCourse.curriculum = {str(FIXTURES / 'mini')!r}", text),
        encoding="utf-8",
    )
    result = run_netwise("course", "grade", str(course), "basics")
    assert result.returncode == 0, result.stderr
    with (course / "grades" / "basics.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(EXPECTED)
    for sid, scores in EXPECTED.items():
        assert [float(rows[sid][f"basics-one:{a}"]) for a in ACTIVITIES] == scores, sid
    assert rows["cuong.le"]["first_name"] == "Cường"
    assert (course / "feedback" / "an.nguyen" / "basics" / "01-basics-one.html").is_file()
