"""A simulated class for the course tests: students answering in real kernels, and PostgreSQL.

Each student unzips the released assignment, runs the notebook in a fresh kernel and
answers through the widgets' own Python interface (the same handler the page uses),
so the answer record is written by the widgets exactly as in class.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from netwise.app.classroom import ClassRoom
from netwise.grading.course import environment, load_course
from netwise.scoring.record import AnswerRecord, record_name
from support.paths import FIXTURES, run_netwise
from support.servers import free_port

NOTEBOOK = "01-basics-one.ipynb"
RECORD = "basics-one.answers.json"

# id, first name, last name, what the student does (code run after the lesson's cells)
ROSTER = [
    ("an.nguyen", "An", "Nguyễn Văn", "perfect"),
    ("binh.tran", "Bình", "Trần Thị", "all_wrong"),
    ("cuong.le", "Cường", "Lê Mạnh", "partial"),
    ("dung.pham", "Dũng", "Phạm Tiến", "never"),
    ("giang.hoang", "Giang", "Hoàng Thu", "edited"),
    ("hai.vu", "Hải", "Vũ Đức", "corrupt"),
]

ANSWERS = {
    "perfect": """
q = lesson.show("quiz"); q.select("scammer"); q.check()
j = lesson.show("judge"); j.judge("otp", "scam"); j.judge("parcel", "legit")
f = lesson.show("flags"); f.mark("from", "hurry"); f.check()
c = lesson.show("chat"); c.choose(1); c.choose(0)
""",
    "all_wrong": """
q = lesson.show("quiz"); q.select("bank"); q.check()
j = lesson.show("judge"); j.judge("otp", "legit"); j.judge("parcel", "scam")
f = lesson.show("flags"); f.mark("hello"); f.check()
c = lesson.show("chat"); c.choose(0)
""",
    # first attempts count: the second, correct tries change nothing
    "partial": """
q = lesson.show("quiz"); q.select("scammer"); q.check()
j = lesson.show("judge"); j.judge("otp", "scam"); j.judge("parcel", "scam")
f = lesson.show("flags"); f.mark("from"); f.check()
c = lesson.show("chat"); c.choose(0); c.restart(); c.choose(1); c.choose(0)
""",
    "never": "",
    "edited": """
q = lesson.show("quiz"); q.select("scammer"); q.check()
j = lesson.show("judge"); j.judge("otp", "scam"); j.judge("parcel", "legit")
f = lesson.show("flags"); f.mark("from", "hurry"); f.check()
c = lesson.show("chat"); c.choose(0)
""",
    "corrupt": """
q = lesson.show("quiz"); q.select("bank"); q.check()
j = lesson.show("judge"); j.judge("otp", "scam"); j.judge("parcel", "legit")
c = lesson.show("chat"); c.choose(1); c.choose(0)
""",
}

# Expected points per activity (quiz, judge, flags, chat), each worth 1.
EXPECTED = {
    "an.nguyen": [1, 1, 1, 1],
    "binh.tran": [0, 0, 0, 0],
    "cuong.le": [1, 0.5, 0.5, 0],
    "dung.pham": [0, 0, 0, 0],
    "giang.hoang": [1, 1, 1, 0],
    "hai.vu": [0, 1, 0, 1],
}
ACTIVITIES = ["quiz", "judge", "flags", "chat"]


def roster_csv(path: Path, rows: list[tuple[str, str, str, str]] = ROSTER) -> Path:
    lines = ["id,first_name,last_name,email"] + [
        f"{sid},{first},{last},{sid}@school.example" for sid, first, last, _ in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tamper(notebook_path: Path) -> None:
    """What the 'edited' student does: rewrite one check, raise the points of another, delete a third."""
    data = json.loads(notebook_path.read_text(encoding="utf-8"))
    kept = []
    for cell in data["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id == "check-chat":
            cell["source"] = "1.0  # full marks please"
        elif grade_id == "check-quiz":
            cell["metadata"]["nbgrader"]["points"] = 10
        elif grade_id == "check-flags":
            continue
        kept.append(cell)
    data["cells"] = kept
    notebook_path.write_text(json.dumps(data), encoding="utf-8")


def do_lesson(release_zip: Path, work: Path, behaviour: str, curriculum: Path) -> Path:
    """Unzip the release, answer in a real kernel, save; returns the student's folder."""
    with zipfile.ZipFile(release_zip) as archive:
        archive.extractall(work)
    folder = next(p.parent for p in work.rglob(NOTEBOOK))
    path = folder / NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    code = ANSWERS[behaviour].strip()
    if code:
        notebook.cells.append(new_code_cell(code))
    with environment({"NETWISE_CURRICULUM": str(curriculum), "NETWISE_ANSWERS": None}):
        NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(folder)}}).execute()
    if code:
        notebook.cells.pop()  # the student's own answering code is not part of the handed-in notebook
    nbformat.write(notebook, path)
    if behaviour == "edited":
        tamper(path)
    elif behaviour == "corrupt":
        path.write_bytes(path.read_bytes()[:300])  # a half-written file: not valid JSON
    return folder


def hand_in(folder: Path, student: str, out: Path) -> Path:
    """Zip the assignment folder as ``<student>.zip``, as a student hands it in."""
    target = out / f"{student}.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return target


def tree_digest(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """A command's output once it succeeded; else the failure shows its exit code and both streams."""
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result.stdout


def init_course(base: Path, name: str, lang: str, roster: str, curriculum: Path = FIXTURES / "mini") -> Path:
    """``base/course``, made by the installed ``netwise course init`` from a roster's CSV text."""
    roster_file = base / "roster.csv"
    roster_file.write_text(roster, encoding="utf-8")
    folder = base / "course"
    ok(run_netwise("course", "init", str(folder), "--name", name, "--lang", lang, "--students", str(roster_file),
                   "--curriculum", str(curriculum)))  # fmt: skip
    return folder


# (activity, part, value): one answer as a widget records it
Answer = tuple[str, str, dict[str, Any]]


def class_answers(room: ClassRoom, student: str, assignment: str, lesson: str, answers: list[Answer]) -> None:
    """Answers (activity, part, value) as a class session gives them: the server stamps the submission
    (``touch``), the student's kernel writes the widgets' own answer record in its working folder, the
    submission folder (made on sign-in by ``ensure_submission``)."""
    folder = room.submission_dir(student, assignment)
    record = AnswerRecord(lesson, room.lang, folder / record_name(lesson), room.region)
    for activity, part, value in answers:
        room.touch(student, assignment)
        record.add(activity, part, value)


def gradebook_scores(course_dir: Path, assignment: str) -> dict[str, tuple[float, dict[str, float]]]:
    """Per student: (the submission's score, the score of each activity's check) from nbgrader's gradebook."""
    out = {}
    with load_course(course_dir).gradebook() as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            cells = {
                grade.cell.name.removeprefix("check-"): float(grade.score or 0.0)
                for notebook in submission.notebooks
                for grade in notebook.grades
            }
            out[submission.student_id] = (float(submission.score), cells)
    return out


# --- PostgreSQL ------------------------------------------------------------------------


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed; run 'bash tests/run.sh' (it installs it)")
    return Path(found[-1]).parent


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on a free loopback port; yields an SQLAlchemy URL."""
    bindir = _pg_bin()
    base = Path(tempfile.mkdtemp(prefix="netwise-pg-"))
    as_user: Callable[[list[str]], list[str]] = lambda cmd: cmd  # noqa: E731
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres", "postgres")
        as_user = lambda cmd: ["runuser", "-u", "postgres", "--", *cmd]  # noqa: E731
    data, port = base / "data", free_port()
    run = lambda cmd: subprocess.run(as_user(cmd), check=True, capture_output=True, text=True, timeout=120)  # noqa: E731
    run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "netwise", "-E", "UTF8", "--locale=C"])
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-o", options, "-w", "start"])
    try:
        run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "netwise", "gradebook"])
        yield f"postgresql+psycopg://netwise@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(
            as_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True
        )
        time.sleep(0.1)
        shutil.rmtree(base, ignore_errors=True)
