"""The classroom cycle on real nbgrader, a real gradebook (SQLite and PostgreSQL) and real kernels.

init with a six-student Vietnamese roster -> release -> six students answer through the
widgets in real kernels (perfect, all wrong, partial, never answered, edited checks,
corrupt notebook) -> collect from zips -> grade -> exact scores, feedback, CSV, report.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.coursework import (
    ACTIVITIES,
    EXPECTED,
    ROSTER,
    do_lesson,
    hand_in,
    postgres_server,
    roster_csv,
    tree_digest,
)
from support.paths import FIXTURES, run_netwise
from support.servers import chromium

pytestmark = pytest.mark.slow

OUTSIDE_URL = re.compile(r"https?://(?![\w.-]*\.(?:example|test|invalid)\b)(?!localhost\b)(?!127\.)[\w.-]+")


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def handed_in(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Six students' zips, made once from a release of the mini curriculum (the release is
    the same bytes for any course with the same lessons and language)."""
    base = tmp_path_factory.mktemp("class")
    curriculum = base / "curriculum"
    import shutil

    shutil.copytree(FIXTURES / "mini", curriculum)
    course = base / "course"
    ok(run_netwise("course", "init", str(course), "--name", "probe", "--lang", "vi", "--curriculum", str(curriculum)))
    ok(run_netwise("course", "release", str(course), "basics", "--to", str(base / "usb")))
    release_zip = base / "usb" / "basics.zip"
    zips = base / "zips"
    zips.mkdir()
    out = {"_curriculum": curriculum, "_release": release_zip}
    for sid, _, _, behaviour in ROSTER:
        folder = do_lesson(release_zip, base / "students" / sid, behaviour, curriculum)
        out[sid] = hand_in(folder, sid, zips)
    (zips / "stranger.zip").write_bytes(out["an.nguyen"].read_bytes())  # not on the roster
    return out


def grades_csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def run_cycle(tmp_path: Path, handed_in: dict[str, Path], db: str | None) -> Path:
    curriculum = handed_in["_curriculum"]
    course = tmp_path / "course"
    roster = roster_csv(tmp_path / "roster.csv")
    extra = ["--db", db] if db else []
    out = ok(run_netwise("course", "init", str(course), "--name", "an-toan-7a", "--lang", "vi",
                         "--students", str(roster), "--curriculum", str(curriculum), *extra))  # fmt: skip
    assert "6 students" in out and "netwise course release" in out

    # The released zip is the student version: checks present but their hidden tests gone.
    ok(run_netwise("course", "release", str(course), "basics"))
    released = (course / "release" / "basics" / "01-basics-one.ipynb").read_text(encoding="utf-8")
    assert "check-quiz" in released and "BEGIN HIDDEN TESTS" not in released and "score(" not in released

    zips = [handed_in[sid] for sid, *_ in ROSTER] + [handed_in["an.nguyen"].parent / "stranger.zip"]
    out = ok(run_netwise("course", "collect", str(course), "basics", *map(str, zips)))
    assert "6 submission(s) collected" in out
    assert "stranger.zip: no student 'stranger' on the roster" in out
    for sid, *_ in ROSTER:
        assert (course / "submitted" / sid / "basics" / "timestamp.txt").is_file()
    assert (course / "submitted" / "an.nguyen" / "basics" / "basics-one.answers.json").is_file()
    assert not (course / "submitted" / "dung.pham" / "basics" / "basics-one.answers.json").exists()

    # Collecting again never replaces a submission without --force.
    before = tree_digest(course / "submitted")
    out = ok(run_netwise("course", "collect", str(course), "basics", str(handed_in["an.nguyen"])))
    assert "kept an.nguyen: already collected" in out
    assert tree_digest(course / "submitted") == before

    result = run_netwise("course", "grade", str(course), "basics")
    out = ok(result)
    assert "Traceback" not in result.stderr
    assert tree_digest(course / "submitted") == before, "grading modified submitted/"
    summary = {line.split()[0]: line for line in out.splitlines() if line.split() and line.split()[0] in EXPECTED}
    for sid, scores in EXPECTED.items():
        assert f"{sum(scores):g}/4" in summary[sid], summary[sid]
    assert "answer record missing" in summary["dung.pham"]
    assert "not valid JSON" in summary["hai.vu"]
    for cause in ("check-chat was edited", "points of check check-quiz were edited", "check-flags was deleted"):
        assert cause in summary["giang.hoang"]

    # The real gradebook holds the same scores, per activity.
    from nbgrader.api import Gradebook

    url = db or f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(url, course_id="an-toan-7a") as gradebook:
        for sid, scores in EXPECTED.items():
            for activity, expected in zip(ACTIVITIES, scores, strict=True):
                grade = gradebook.find_grade(f"check-{activity}", "01-basics-one", "basics", sid)
                assert grade.score == pytest.approx(expected), (sid, activity)
                assert grade.max_score == 1
            assert gradebook.find_submission("basics", sid).score == pytest.approx(sum(scores))

    # CSV: one row per student, one column per activity.
    rows = grades_csv(course / "grades" / "basics.csv")
    assert set(rows) == set(EXPECTED)
    for sid, scores in EXPECTED.items():
        assert [float(rows[sid][f"basics-one:{a}"]) for a in ACTIVITIES] == scores
        assert float(rows[sid]["score"]) == sum(scores) and rows[sid]["max_score"] == "4"
    assert rows["an.nguyen"]["last_name"] == "Nguyễn Văn" and rows["hai.vu"]["first_name"] == "Hải"
    with (course / "grades" / "basics-activities.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 6 * 4

    # Feedback: Vietnamese, each activity explained, causes shown, no test code, nothing from outside.
    for sid, *_ in ROSTER:
        page = (course / "feedback" / sid / "basics" / "01-basics-one.html").read_text(encoding="utf-8")
        assert '<html lang="vi">' in page and "Nhận xét" in page
        for forbidden in (
            "BEGIN HIDDEN TESTS",
            "score(",
            "netwise.grading",
            "Traceback",
            "<script",
            "mathjax",
            "MathJax",
        ):
            assert forbidden not in page, (sid, forbidden)
        assert not OUTSIDE_URL.findall(page), (sid, OUTSIDE_URL.findall(page))
        assert page.count('class="activity"') == 4
    fb = lambda sid: (course / "feedback" / sid / "basics" / "01-basics-one.html").read_text(encoding="utf-8")  # noqa: E731
    assert "Bạn chưa làm bài này" in fb("dung.pham")
    assert "Không đọc được tệp sổ tay" in fb("hai.vu")
    assert "Một ô chấm điểm đã bị sửa" in fb("giang.hoang") and "Một ô chấm điểm đã bị xoá" in fb("giang.hoang")
    assert "VI A bank never asks for a code." in fb("an.nguyen")  # the fixture's Vietnamese explanation
    assert "Tổng điểm: 4 trên 4 điểm" in fb("an.nguyen") and "Tổng điểm: 2 trên 4 điểm" in fb("cuong.le")

    # Importing the roster again updates names and keeps every grade.
    changed = [(sid, first + ("" if sid != "binh.tran" else "h"), last, b) for sid, first, last, b in ROSTER]
    out = ok(run_netwise("course", "students", str(course), str(roster_csv(tmp_path / "again.csv", changed))))
    assert "0 student(s) added, 1 updated" in out
    with Gradebook(url, course_id="an-toan-7a") as gradebook:
        assert gradebook.find_student("binh.tran").first_name == "Bìnhh"
        assert gradebook.find_submission("basics", "cuong.le").score == pytest.approx(2)

    # Report and its CSV.
    out = ok(run_netwise("course", "report", str(course), "basics"))
    report = course / "reports" / "basics.html"
    assert report.is_file()
    with (course / "reports" / "basics.students.csv").open(encoding="utf-8") as handle:
        report_rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert {sid: float(r["score"]) for sid, r in report_rows.items()} == {s: sum(v) for s, v in EXPECTED.items()}
    with (course / "reports" / "basics.activities.csv").open(encoding="utf-8") as handle:
        percents = {r["activity"]: float(r["percent_correct"]) for r in csv.DictReader(handle)}
    for index, activity in enumerate(ACTIVITIES):
        mean = sum(scores[index] for scores in EXPECTED.values()) / 6
        assert percents[activity] == pytest.approx(round(100 * mean, 1))
    return course


def test_full_cycle_sqlite(tmp_path: Path, handed_in: dict[str, Path]) -> None:
    course = run_cycle(tmp_path, handed_in, None)
    html = (course / "reports" / "basics.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and "Những điều cả lớp còn hiểu sai" in html
    # The most common misconception: judging the parcel notice a scam (binh.tran, cuong.le).
    assert "bị đánh giá là “Lừa đảo”" in html and "2 trên 6 em chọn" in html

    # nbgrader's own tools (which the formgrader uses) see the course from its folder.
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    listing = subprocess.run(
        [nbgrader, "db", "assignment", "list"], cwd=course, capture_output=True, text=True, timeout=120
    )
    assert listing.returncode == 0 and "basics" in listing.stdout + listing.stderr
    students = subprocess.run(
        [nbgrader, "db", "student", "list"], cwd=course, capture_output=True, text=True, timeout=120
    )
    assert "hai.vu" in students.stdout + students.stderr and "Vũ Đức" in students.stdout + students.stderr


@pytest.mark.browser
def test_report_in_chromium(tmp_path: Path, handed_in: dict[str, Path]) -> None:
    """A compact cycle (three students) whose report must render its charts offline."""
    course = tmp_path / "course"
    few = ROSTER[:3]
    ok(run_netwise("course", "init", str(course), "--name", "bao-cao", "--lang", "vi", "--students",
                   str(roster_csv(tmp_path / "r.csv", few)), "--curriculum", str(handed_in["_curriculum"])))  # fmt: skip
    ok(run_netwise("course", "collect", str(course), "basics", *(str(handed_in[sid]) for sid, *_ in few)))
    ok(run_netwise("course", "grade", str(course), "basics"))
    ok(run_netwise("course", "report", str(course), "basics", "--out", str(tmp_path / "out" / "lop.html")))
    report = tmp_path / "out" / "lop.html"
    requests: list[str] = []
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == "vi"
        bars = page.locator("#chart-distribution rect.bar")
        assert bars.count() == 10
        assert page.locator("#chart-activities rect.bar").count() == 4
        box = page.locator("#chart-activities").bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 50
        widest = max(page.locator("#chart-activities rect.bar").nth(i).bounding_box()["width"] for i in range(4))
        assert widest > 50  # an.nguyen's perfect answers make real bars, not zero-width ones
        assert page.locator("#students tbody tr").count() == 3
        assert "Nguyễn Văn An" in page.locator("#students").inner_text()
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert requests and all(url.startswith(("file:", "data:")) for url in requests), requests
    assert (tmp_path / "out" / "lop.students.csv").is_file()


def test_full_cycle_postgresql(tmp_path: Path, handed_in: dict[str, Path]) -> None:
    with postgres_server() as url:
        course = run_cycle(tmp_path, handed_in, url)
        config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
        assert "postgresql+psycopg://" in config and not (course / "gradebook.db").exists()
