"""The README's class section runs as printed: its marked blocks, verbatim, in a fresh folder.

README.md marks the teacher's command blocks with ``<!-- tested: teacher-flow -->`` (and the
roster example with ``file=roster.csv``, written as the file it shows). This test runs exactly
those blocks with bash, in order, in a temporary folder holding ``.venv`` (the suite's own
environment, which the README's install block makes; ``tests/run.sh`` covers that block), with
the students' zips handed in between release and collect. Every block must exit 0, and every
file the section promises (each backticked ``lop-7a/...`` or report path) must exist, with the
report folder holding exactly the files the README names, no more and no fewer.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from support.paths import TESTS

pytestmark = pytest.mark.slow

README = TESTS.parent / "README.md"
MARK = re.compile(r"<!-- tested: (?P<flow>[\w-]+)(?: file=(?P<file>[\w.-]+))? -->\n(?P<indent>[ \t]*)```[\w-]*\n")
SKIPPED = ("git clone ", "cd netwise")  # the placeholder clone of the install block, if marked


def blocks(flow: str, text: str | None = None) -> list[tuple[str | None, str]]:
    """(file name or None, the block's text) of every block marked for ``flow``, in README order."""
    text = text if text is not None else README.read_text(encoding="utf-8")
    found = []
    for match in MARK.finditer(text):
        if match.group("flow") != flow:
            continue
        indent = match.group("indent")
        end = text.index(f"\n{indent}```", match.end() - 1)
        body = textwrap.dedent(text[match.end() : end + 1])
        found.append((match.group("file"), body))
    return found


def section(heading: str, until: str) -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(heading, 1)[1].split(until, 1)[0]


def hand_in(root: Path, release: Path, students: list[str]) -> None:
    """What the students do: unzip the release and hand the folder back as ``<id>.zip``."""
    zips = root / "zips"
    zips.mkdir(exist_ok=True)
    for student in students:
        work = root / "students" / student
        with zipfile.ZipFile(release) as archive:
            archive.extractall(work)
        shutil.make_archive(str(zips / student), "zip", work)


def test_marked_blocks_are_found() -> None:
    sample = "x\n<!-- tested: teacher-flow -->\n```bash\na b\n```\n  <!-- tested: teacher-flow file=r.csv -->\n  ```csv\n  id\n  ```\n"
    assert blocks("teacher-flow", sample) == [(None, "a b\n"), ("r.csv", "id\n")]
    assert blocks("student-flow", sample) == []


def test_the_teacher_flow_runs_as_printed(tmp_path: Path) -> None:
    marked = blocks("teacher-flow")
    commands = [body for name, body in marked if name is None]
    assert (
        len(commands) >= 3 and any("course init" in b for b in commands) and any("course report" in b for b in commands)
    )
    for body in commands:  # as a reader types them: from the checkout, through .venv/bin/
        for line in body.splitlines():
            if line.strip() and not line.startswith(SKIPPED):
                assert line.startswith(".venv/bin/"), line
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("NETWISE_CURRICULUM", None)
    # The files first: the section asks the reader to save the roster before step 1.
    students: list[str] = []
    for name, body in marked:
        if name is not None:
            (tmp_path / name).write_text(body, encoding="utf-8")
            if name.endswith(".csv"):
                with (tmp_path / name).open(encoding="utf-8", newline="") as handle:
                    students = [row["id"] for row in csv.DictReader(handle)]
    for body in commands:
        if "zips/" in body:
            hand_in(tmp_path, next((tmp_path / "lop-7a" / "outbound").glob("*.zip")), students)
        script = "\n".join(line for line in body.splitlines() if not line.startswith(SKIPPED))
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"{script}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        assert "Traceback" not in result.stderr
    assert len(students) >= 2

    # Every file the class section promises is there.
    text = section("## For a teacher: running a class", "### On a student's computer")
    tokens = re.findall(r"`([^`\s]+)`", text)
    course = tmp_path / "lop-7a"
    promised_reports = set()
    for token in tokens:
        if token.startswith("lop-7a/"):
            for student in students if "<student-id>" in token else [""]:
                path = tmp_path / token.replace("<student-id>", student)
                assert path.exists(), token
                if token.endswith("/"):
                    assert any(path.iterdir()), token
        if token.startswith(("lop-7a/reports/", "reports/")):
            promised_reports.add(token.rsplit("/", 1)[1])
        elif re.fullmatch(r"scams[.-][\w.-]+\.(csv|html)", token) and not (course / "grades" / token).exists():
            promised_reports.add(token)
    # The report folder holds exactly what the README says `report` writes.
    assert promised_reports == {p.name for p in (course / "reports").iterdir()}
