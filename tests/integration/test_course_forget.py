"""`netwise course forget DIR ID` leaves nothing of that student in the course folder, and only that.

A real course (``course init``, nbgrader gradebook in SQLite) where the student to forget has
everything a student can leave: a login card and its secret's hash (``course cards``), a class
session, answers on a phone in ``submitted/``, a zip handed in through ``course collect``, a graded
submission with feedback, and lines in the grades and the class report. After ``forget`` no file
in the course folder — the gradebook's SQLite file included — holds their id or any part of their
name, in UTF-8 or as JSON escapes, while a classmate keeps all of theirs.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import zipfile
from pathlib import Path

import pytest

from netwise.app.classroom import open_classroom
from netwise.app.logins import load_secrets
from netwise.app.sessions import SessionStore
from netwise.grading.course import load_course
from netwise.scoring.record import AnswerRecord, record_name
from support.coursework import class_answers, init_course, ok, tree_digest
from support.paths import run_netwise

pytestmark = pytest.mark.slow

ASSIGNMENT = "basics"
GONE = ("yen.quach", "Yến", "Quách Thị")
KEPT = ("an.nguyen", "An", "Nguyễn Văn")
ROSTER = f"id,first_name,last_name\n{','.join(GONE)}\n{','.join(KEPT)}\n"


def traces(student: tuple[str, str, str]) -> list[bytes]:
    """Every way a file may hold the student: the id, each word of the name, in UTF-8 and as JSON escapes."""
    words = [student[0], *student[1].split(), *student[2].split()]
    forms = {w.encode("utf-8") for w in words} | {json.dumps(w)[1:-1].encode("ascii") for w in words}
    return sorted(forms)


def holding(root: Path, student: tuple[str, str, str]) -> dict[str, list[bytes]]:
    """Files under ``root`` (path relative) that hold a trace of the student, or are named by their id."""
    found: dict[str, list[bytes]] = {}
    marks = traces(student)
    for path in sorted(root.rglob("*")):
        relative = str(path.relative_to(root))
        if student[0] in relative:
            found.setdefault(relative, []).append(b"<path>")
        if path.is_file():
            data = path.read_bytes()
            hits = [m for m in marks if m in data]
            if hits:
                found.setdefault(relative, []).extend(hits)
    return found


def mentions(root: Path, needle: bytes) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("forget")
    folder = init_course(base, "lop8", "vi", ROSTER)
    issued = json.loads(ok(run_netwise("course", "cards", str(folder), "--json", "--url", "http://10.0.0.5:8866/")))
    assert {card["id"] for card in issued} == {GONE[0], KEPT[0]}
    # Both sign in on their phones: class mode's own session store keeps their tokens' hashes.
    store = SessionStore(folder / "class", load_secrets(folder), [GONE[0], KEPT[0]], pause=0)
    for card in issued:
        assert store.sign_in(card["id"], card["secret"], secrets.token_urlsafe(16)).status == "ok"
    assert store.swap_teacher_key(store.issue_teacher_key())  # the teacher's tablet, kept hashed too
    region = load_course(folder).region
    room = open_classroom(folder, [ASSIGNMENT])  # class mode's own submission folders
    room.ensure_submission(KEPT[0], ASSIGNMENT)
    class_answers(room, KEPT[0], ASSIGNMENT, "basics-one", [("quiz", "_", {"selected": ["scammer"]})])

    # The student to forget hands in a zip (collect stages it under downloaded/) ...
    answered = base / "answered" / ASSIGNMENT
    answered.mkdir(parents=True)
    for notebook in (folder / "release" / ASSIGNMENT).glob("*.ipynb"):
        shutil.copyfile(notebook, answered / notebook.name)
    AnswerRecord("basics-one", "vi", answered / record_name("basics-one"), region).add(
        "quiz", "_", {"selected": ["bank"]}
    )
    with zipfile.ZipFile(base / f"{GONE[0]}.zip", "w") as archive:
        for path in answered.iterdir():
            archive.write(path, f"{ASSIGNMENT}/{path.name}")
    ok(run_netwise("course", "collect", str(folder), ASSIGNMENT, str(base / f"{GONE[0]}.zip")))
    # ... then also answers on a phone in class, and everything is graded and reported.
    room.ensure_submission(GONE[0], ASSIGNMENT)
    class_answers(room, GONE[0], ASSIGNMENT, "basics-one", [("judge", "otp", {"verdict": "scam"})])
    ok(run_netwise("course", "grade", str(folder), ASSIGNMENT))
    ok(run_netwise("course", "report", str(folder), ASSIGNMENT))
    return folder


def test_forget_leaves_nothing_of_the_student_and_keeps_the_classmate(course: Path) -> None:
    before = holding(course, GONE)
    # The fixture left the student everywhere a student can be.
    for place in ("class/secrets.json", "class/sessions.json", "cards.html", "gradebook.db", f"grades/{ASSIGNMENT}.csv",
                  f"reports/{ASSIGNMENT}.html", f"submitted/{GONE[0]}", f"autograded/{GONE[0]}",
                  f"feedback/{GONE[0]}", f".netwise/snapshot/{GONE[0]}", f"downloaded/{ASSIGNMENT}/archive/{GONE[0]}.zip"):  # fmt: skip
        assert any(path == place or path.startswith(place + "/") for path in before), place
    kept_before = mentions(course, KEPT[0].encode())

    out = ok(run_netwise("course", "forget", str(course), GONE[0]))
    assert "class/secrets.json" in out and "class/sessions.json" in out and "gradebook" in out
    assert f"submitted/{GONE[0]}/" in out and "cards.html" in out

    assert holding(course, GONE) == {}
    assert GONE[0] not in load_secrets(course) and KEPT[0] in load_secrets(course)
    sessions = json.loads((course / "class" / "sessions.json").read_text(encoding="utf-8"))
    assert set(sessions["students"]) == {KEPT[0]} and sessions["teacher"]
    assert os.stat(course / "class" / "sessions.json").st_mode & 0o077 == 0
    with load_course(course).gradebook() as gradebook:
        assert [s.id for s in gradebook.students] == [KEPT[0]]
        assert gradebook.find_submission(ASSIGNMENT, KEPT[0]).score == 1.0  # the classmate's grade stays
    # The classmate is still everywhere they were (the cards page, grades, report, folders).
    assert mentions(course, KEPT[0].encode()) == kept_before


def test_an_unknown_id_changes_nothing_and_exits_2(course: Path) -> None:
    before = tree_digest(course)
    result = run_netwise("course", "forget", str(course), "an.nguyenn")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netwise: error: no student 'an.nguyenn'"), result.stderr
    assert "did you mean 'an.nguyen'" in lines[0]
    assert tree_digest(course) == before
