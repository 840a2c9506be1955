"""Phone submissions (class mode) are graded like notebook ones, from a snapshot taken when grading starts.

A class session leaves, per student, ``submitted/<id>/<assignment>/`` in nbgrader's layout: the
released notebooks (copied on the first sign-in), the answer record the student's kernel wrote
and ``timestamp.txt`` (nbgrader's format, UTC). Here three students' folders are made by class
mode's own ``ClassRoom`` (``ensure_submission`` on sign-in, ``touch`` on each answer), their
answers written through the same ``AnswerRecord`` the widgets use; one answers everything
right, one partly, one nothing. ``netwise course grade`` (installed command, real nbgrader, real
kernels) must give each the exact score per activity in the gradebook and the CSV, and a
feedback page. While grading runs the third student answers (the session goes on): that answer
is not in this grading but is in the next one.
"""

from __future__ import annotations

import csv
import subprocess
import time
from pathlib import Path

import pytest

from netwise.app.classroom import open_classroom
from support.coursework import Answer, class_answers, gradebook_scores, init_course, ok, tree_digest
from support.paths import NETWISE, run_netwise

pytestmark = pytest.mark.slow

ASSIGNMENT = "basics"
LESSON = "basics-one"
ACTIVITIES = ["quiz", "judge", "flags", "chat"]
ROSTER = (
    "id,first_name,last_name\nan.nguyen,An,Nguyễn Văn\nbinh.tran,Bình,Trần Thị\nchi.vo,Chi,Võ\ndung.pham,Dũng,Phạm\n"
)

# (activity, part, value) in the order a student gives them; values as the widgets record them.
ALL_RIGHT: list[Answer] = [
    ("quiz", "_", {"selected": ["scammer"]}),
    ("judge", "otp", {"verdict": "scam"}),
    ("judge", "parcel", {"verdict": "legit"}),
    ("flags", "_", {"marked": ["from", "hurry"]}),
    ("chat", "_", {"path": ["ask", "check", "safe"]}),
]
PARTLY: list[Answer] = [
    ("quiz", "_", {"selected": ["scammer"]}),
    ("judge", "otp", {"verdict": "scam"}),
    ("judge", "parcel", {"verdict": "scam"}),
    ("flags", "_", {"marked": ["from"]}),
    ("chat", "_", {"path": ["ask", "gave"]}),  # the first ending counts: the safe second path gains nothing
    ("chat", "_", {"path": ["ask", "check", "safe"]}),
]
EXPECTED = {"an.nguyen": [1.0, 1.0, 1.0, 1.0], "binh.tran": [1.0, 0.5, 0.5, 0.0], "chi.vo": [0.0, 0.0, 0.0, 0.0]}


def csv_scores(course_dir: Path) -> dict[str, dict[str, str]]:
    with (course_dir / "grades" / f"{ASSIGNMENT}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course of four; three signed in on phones and answered, one never came."""
    folder = init_course(tmp_path_factory.mktemp("phones"), "lop6", "en", ROSTER)
    room = open_classroom(folder, [ASSIGNMENT])
    for student in ("an.nguyen", "binh.tran", "chi.vo"):  # each signs in: class mode makes their folder
        room.ensure_submission(student, ASSIGNMENT)
    class_answers(room, "an.nguyen", ASSIGNMENT, LESSON, ALL_RIGHT)
    class_answers(room, "binh.tran", ASSIGNMENT, LESSON, PARTLY)  # chi.vo opened nothing
    return folder


def test_phone_submissions_grade_to_exact_scores_from_a_snapshot(session: Path) -> None:
    folder = session
    before = tree_digest(folder / "submitted")

    # Grading starts while the session goes on; one worker, so chi.vo (last by id) is graded last.
    grading = subprocess.Popen(
        [NETWISE, "course", "grade", str(folder), ASSIGNMENT, "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    snapped = folder / ".netwise" / "snapshot" / "chi.vo" / ASSIGNMENT
    deadline = time.monotonic() + 120
    while not ((snapped / "timestamp.txt").is_file() and any(snapped.glob("*.ipynb"))):
        assert grading.poll() is None and time.monotonic() < deadline, "grading never took its snapshot"
        time.sleep(0.02)
    # The session goes on: chi.vo answers before her submission is graded.
    assert not (folder / "autograded" / "chi.vo").exists(), "too late to test the snapshot"
    class_answers(open_classroom(folder, [ASSIGNMENT]), "chi.vo", ASSIGNMENT, LESSON, ALL_RIGHT)
    out, err = grading.communicate(timeout=600)
    assert grading.returncode == 0, f"stdout: {out}\nstderr: {err}"

    # Exact scores per student and per activity, in the gradebook and in the CSV.
    scores = gradebook_scores(folder, ASSIGNMENT)
    assert set(scores) == set(EXPECTED)
    rows = csv_scores(folder)
    for sid, expected in EXPECTED.items():
        total, cells = scores[sid]
        assert [cells[a] for a in ACTIVITIES] == expected, sid
        assert total == sum(expected), sid
        assert [float(rows[sid][f"{LESSON}:{a}"]) for a in ACTIVITIES] == expected, sid
        assert rows[sid]["handed_in"] == "yes" and rows[sid]["timestamp"], sid
        page = folder / "feedback" / sid / ASSIGNMENT / "01-basics-one.html"
        assert page.is_file(), sid
    assert rows["dung.pham"]["handed_in"] == "no"
    # chi.vo's answer came after grading started: graded as "not done", in the CSV as on her page.
    assert "not done" in rows["chi.vo"]["problems"].lower()
    # Grading never writes into submitted/ (beyond the session's own write to chi.vo's record).
    after = tree_digest(folder / "submitted")
    assert {k: v for k, v in after.items() if not k.startswith("chi.vo/")} == {
        k: v for k, v in before.items() if not k.startswith("chi.vo/")
    }

    # The next grading grades what chi.vo answered meanwhile.
    ok(run_netwise("course", "grade", str(folder), ASSIGNMENT, "--student", "chi.vo"))
    total, cells = gradebook_scores(folder, ASSIGNMENT)["chi.vo"]
    assert [cells[a] for a in ACTIVITIES] == [1.0, 1.0, 1.0, 1.0] and total == 4.0
    assert [float(csv_scores(folder)["chi.vo"][f"{LESSON}:{a}"]) for a in ACTIVITIES] == [1.0, 1.0, 1.0, 1.0]
    assert gradebook_scores(folder, ASSIGNMENT)["binh.tran"][0] == 2.0  # the others keep their grades
