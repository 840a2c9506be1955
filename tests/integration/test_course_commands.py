"""The course commands as a teacher meets them: the assignment rhythm, defaults, errors, quiet logs.

One small course (the ``assess`` fixture: one module with one lesson and its checks) with two
students; real ``netwise course`` commands on real nbgrader and real kernels.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from netwise import __version__
from netwise.content import load
from netwise.content.assessment import forms
from netwise.grading.stamp import STAMP, curriculum_hash
from support.coursework import tree_digest
from support.paths import FIXTURES, run_netwise

pytestmark = pytest.mark.slow

START = datetime.date(2026, 9, 7)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result.stdout


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """A refused command: non-zero exit and a single ``netwise: error:`` line, no traceback."""
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netwise: error: "), result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(course folder, curriculum copy, init's output) of a course started on START."""
    base = tmp_path_factory.mktemp("commands")
    curriculum = base / "curriculum"
    shutil.copytree(FIXTURES / "assess", curriculum)
    roster = base / "roster.csv"
    roster.write_text("id,first_name,last_name\nan.nguyen,An,Nguyễn\nbinh.tran,Bình,Trần\n", encoding="utf-8")
    folder = base / "course"
    out = ok(run_netwise("course", "init", str(folder), "--name", "lop", "--lang", "en", "--students", str(roster),
                         "--curriculum", str(curriculum), "--start", START.isoformat()))  # fmt: skip
    return folder, curriculum, out


def test_init_prints_each_assignment_with_its_release_date(course: tuple[Path, Path, str]) -> None:
    _, curriculum, out = course
    loaded = load(curriculum)
    module = loaded.modules[0]
    checks = {f.kind: f for f in forms(loaded, module.id)}
    post = START + datetime.timedelta(weeks=len(module.lessons))  # one lesson a week
    expected = {
        f"{module.id}-pre": START,
        module.id: START,
        f"{module.id}-post": post,
    }
    for booster in (f for f in forms(loaded, module.id) if f.kind == "booster"):
        expected[booster.record_id] = post + datetime.timedelta(weeks=booster.weeks or 0)
    assert "booster" in checks and len(expected) == 2 + len(forms(loaded, module.id)) - 1
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and len(line.split()) > 1}
    for assignment, date in expected.items():
        assert date.isoformat() in lines[assignment], (assignment, lines.get(assignment))
    assert "pre-test" in lines[f"{module.id}-pre"] and "post-test" in lines[f"{module.id}-post"]
    # The rhythm is named, and the next steps start with the lesson assignment, not the pre-test.
    assert "<module>-pre" in out and "<module>-booster-6w" in out
    assert f"netwise course release {course[0]} {module.id} " in out.split("next:")[1]


def test_init_without_start_prints_weeks_and_help_tells_the_rhythm(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    out = ok(run_netwise("course", "init", str(folder), "--name", "tuan", "--lang", "en",
                         "--curriculum", str(FIXTURES / "assess")))  # fmt: skip
    weeks = {line.split()[0]: line.split()[2] for line in out.splitlines() if " week " in line}
    assert weeks["basics-pre"] == "0" and weeks["basics"] == "0" and weeks["basics-post"] == "1"
    assert weeks["basics-booster-2w"] == "3"
    helptext = ok(run_netwise("course", "init", "--help"))
    assert "-booster-6w" in helptext and "--start" in helptext and "one assignment each" not in helptext
    refused = run_netwise("course", "init", str(tmp_path / "x"), "--name", "x", "--lang", "en", "--start", "7/9/2026")
    assert refused.returncode == 2 and "YYYY-MM-DD" in refused.stderr


def test_unknown_ids_suggest_the_nearest(course: tuple[Path, Path, str], tmp_path: Path) -> None:
    folder, curriculum, _ = course
    line = one_error_line(run_netwise("course", "init", str(tmp_path / "c"), "--name", "c", "--lang", "en",
                                      "--curriculum", str(curriculum), "--modules", "basic"))  # fmt: skip
    assert "did you mean 'basics'?" in line and str(curriculum) not in line
    assert not (tmp_path / "c").exists()
    line = one_error_line(run_netwise("course", "assignment", str(folder), "week1", "basics-on"))
    assert "no lesson 'basics-on'; did you mean 'basics-one'?" in line and str(curriculum) not in line
    line = one_error_line(run_netwise("course", "release", str(folder), "basics-psot"))
    assert "did you mean 'basics-post'?" in line and "basics-booster-2w" in line
    line = one_error_line(run_netwise("course", "assignment", str(folder), "week1", "zzzz"))
    assert "did you mean" not in line and "basics-one" in line  # nothing near: the valid ids only


def test_release_stamp_open_collect_grade_report(course: tuple[Path, Path, str], tmp_path: Path) -> None:
    folder, curriculum, _ = course
    ok(run_netwise("course", "release", str(folder), "basics", "--to", str(tmp_path / "usb")))
    with zipfile.ZipFile(tmp_path / "usb" / "basics.zip") as archive:
        made = json.loads(archive.read(f"basics/{STAMP}"))
        archive.extractall(tmp_path / "student")
    assert made["netwise"] == __version__ and made["curriculum"]["hash"] == curriculum_hash(curriculum)

    # The student opens the unzipped folder: nothing is copied into it, no version note.
    work = tmp_path / "student" / "basics"
    before = tree_digest(work)
    out = ok(run_netwise("lab", "--open", str(work), "--curriculum", str(curriculum), "--dry-run", "--no-browser"))
    assert tree_digest(work) == before and "note:" not in out
    assert f"--ServerApp.root_dir={work}" in out

    # The student rewrote a graded check: nbgrader restores it, and its checksum warning stays out
    # of the teacher's terminal (the summary names the edit instead).
    notebook = next(work.glob("*.ipynb"))
    data = json.loads(notebook.read_text(encoding="utf-8"))
    checks = [
        c for c in data["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "").startswith("check-")
    ]
    checks[0]["source"] = "1.0  # full marks please"
    notebook.write_text(json.dumps(data), encoding="utf-8")

    # Handed back with the stamp inside: the stamp is no "file not matched".
    shutil.make_archive(str(tmp_path / "an.nguyen"), "zip", tmp_path / "student", "basics")
    out = ok(run_netwise("course", "collect", str(folder), "basics", str(tmp_path / "an.nguyen.zip")))
    assert "collected an.nguyen" in out and "not collected" not in out

    # Nothing matched: the error line and a non-zero exit.
    (tmp_path / "nobody.zip").write_bytes((tmp_path / "an.nguyen.zip").read_bytes())
    line = one_error_line(run_netwise("course", "collect", str(folder), "basics", str(tmp_path / "nobody.zip")))
    assert "nothing collected" in line

    # Grading is quiet: ipc kernels, so no warning about TCP without encryption.
    result = run_netwise("course", "grade", str(folder), "basics")
    ok(result)
    assert "without encryption" not in result.stdout + result.stderr
    assert "checksum" not in (result.stdout + result.stderr).lower() and "was edited" in result.stdout

    # The report's default is the lesson assignment, not the pre-test.
    out = ok(run_netwise("course", "report", str(folder)))
    assert (folder / "reports" / "basics.html").is_file() and not (folder / "reports" / "basics-pre.html").exists()
    assert f"report: {folder / 'reports' / 'basics.html'}" in out
