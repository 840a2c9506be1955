"""Roster import: every bad row is named with its row number and nothing is imported."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from netwise.grading.graded_cells import record_status, score
from netwise.grading.roster import parse_roster
from support.paths import FIXTURES, run_netwise

GOOD = "id,first_name,last_name,email\nan.nguyen,An,Nguyễn Văn,an@school.example\nbinh.tran,Bình,Trần Thị,\n"

BAD = {
    "duplicate id": (
        "id,first_name,last_name\nan.nguyen,An,Nguyễn\nhoa.do,Hoa,Đỗ\nan.nguyen,Ân,Nguyễn\n",
        ["row 4: id 'an.nguyen' repeats row 2"],
    ),
    "empty id": ("id,first_name,last_name\nan.nguyen,An,Nguyễn\n,Hoa,Đỗ\n", ["row 3: empty id"]),
    "id with accents and space": (
        "id,first_name,last_name\nNguyễn An,An,Nguyễn\n",
        ["row 2: id 'Nguyễn An' cannot be used by nbgrader"],
    ),
    "id with plus": (
        "id,first_name,last_name\nan.nguyen,An,Nguyễn\nok.one,Hoa,Đỗ\nhoa+do,Hoa,Đỗ\n",
        ["row 4: id 'hoa+do' cannot be used"],
    ),
    "wrong encoding": (None, ["row 2: not UTF-8 text", "row 3: not UTF-8 text"]),
    "wrong header": ("student,first,last\nan.nguyen,An,Nguyễn\n", ["row 1: header is"]),
    "missing column": ("id,first_name,last_name\nan.nguyen,An,Nguyễn\nhoa.do,Hoa\n", ["row 3: 2 columns, expected 3"]),
    "two bad rows": (
        "id,first_name,last_name\n,An,Nguyễn\nok,Hoa,Đỗ\nx y,Mai,Lê\n",
        ["row 2: empty id", "row 4: id 'x y'"],
    ),
}


def bad_bytes(case: str) -> bytes:
    text = BAD[case][0]
    if text is None:  # saved by a spreadsheet in the Windows Vietnamese code page
        text = "id,first_name,last_name\nan.nguyen,An,Nguyễn Văn\nbinh.tran,Bình,Trần Thị\n"
        return unicodedata.normalize("NFD", text).encode("cp1258", errors="replace")
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("roster")
    shutil.copytree(FIXTURES / "mini", base / "curriculum")
    (base / "roster.csv").write_text(GOOD, encoding="utf-8")
    result = run_netwise("course", "init", str(base / "course"), "--name", "lop-7a", "--lang", "vi",
                         "--students", str(base / "roster.csv"), "--curriculum", str(base / "curriculum"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    return base / "course"


def students(course: Path) -> list[tuple[str, str, str]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="lop-7a") as gradebook:
        return sorted((s.id, s.first_name, s.last_name) for s in gradebook.students)


def test_good_roster_keeps_diacritics(course: Path) -> None:
    assert students(course) == [("an.nguyen", "An", "Nguyễn Văn"), ("binh.tran", "Bình", "Trần Thị")]


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_roster_names_rows_and_imports_nothing(course: Path, tmp_path: Path, case: str) -> None:
    roster = tmp_path / "roster.csv"
    # the bad file also holds new, valid students: none of them may arrive
    roster.write_bytes(bad_bytes(case))
    before = students(course)
    result = run_netwise("course", "students", str(course), str(roster))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing was changed" in result.stderr
    for expected in BAD[case][1]:
        assert expected in result.stdout, result.stdout
    assert students(course) == before


def test_bad_roster_at_init_creates_no_course(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_bytes(bad_bytes("duplicate id"))
    result = run_netwise("course", "init", str(tmp_path / "c"), "--name", "x", "--lang", "vi", "--students", str(roster),
                         "--curriculum", str(FIXTURES / "mini"))  # fmt: skip
    assert result.returncode == 1 and "row 4" in result.stdout and "no course was created" in result.stderr
    assert not (tmp_path / "c").exists()


def test_parse_accepts_bom_and_blank_lines() -> None:
    parsed = parse_roster(("\ufeff" + GOOD + "\n\n").encode("utf-8"))
    assert [s.id for s in parsed] == ["an.nguyen", "binh.tran"] and parsed[1].email is None


def test_check_scores_zero_for_foreign_or_corrupt_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The graded check itself: a record of another lesson, or garbage, earns nothing."""
    monkeypatch.setenv("NETWISE_CURRICULUM", str(FIXTURES / "mini"))
    record = tmp_path / "basics-one.answers.json"
    answers = {"quiz": {"_": [{"value": {"selected": ["scammer"]}, "at": "2025-01-01T00:00:00Z"}]}}
    foreign = {"kind": "netwise-answers", "schema": 1, "lesson": "other-lesson", "lang": "vi", "answers": answers}
    import json

    record.write_text(json.dumps({**foreign, "lesson": "basics-one"}), encoding="utf-8")
    assert score("basics-one", "quiz", tmp_path) == 1.0
    record.write_text(json.dumps(foreign), encoding="utf-8")
    assert score("basics-one", "quiz", tmp_path) == 0.0
    assert "belongs to lesson 'other-lesson'" in str(record_status(tmp_path, "basics-one")[1])
    record.write_text("{not json", encoding="utf-8")
    assert score("basics-one", "quiz", tmp_path) == 0.0


# Excel on a computer with Vietnamese regional settings saves "CSV" with semicolons (and CRLF).
# Họ (the family name) is last_name; tên đệm + tên is first_name: "Nguyễn Thị Lan".
SEMICOLON = "id;first_name;last_name;email\r\nlan.nguyen;Thị Lan;Nguyễn;lan@school.example\r\nminh.do;Văn Minh;Đỗ;\r\n"


def test_semicolon_roster_is_accepted() -> None:
    parsed = parse_roster(SEMICOLON.encode("utf-8"))
    assert [(s.id, s.first_name, s.last_name, s.email) for s in parsed] == [
        ("lan.nguyen", "Thị Lan", "Nguyễn", "lan@school.example"),
        ("minh.do", "Văn Minh", "Đỗ", None),
    ]
    # a semicolon inside a quoted field of a comma file stays text
    assert parse_roster(b'id,first_name,last_name\nx,"A; B",C\n')[0].first_name == "A; B"


def test_semicolon_roster_imports_and_an_unchanged_reimport_updates_nothing(course: Path, tmp_path: Path) -> None:
    roster = tmp_path / "lop.csv"
    roster.write_text(SEMICOLON, encoding="utf-8")
    first = run_netwise("course", "students", str(course), str(roster))
    assert first.returncode == 0, first.stderr
    assert "2 student(s) added, 0 updated" in first.stdout
    assert ("lan.nguyen", "Thị Lan", "Nguyễn") in students(course)
    again = run_netwise("course", "students", str(course), str(roster))
    assert again.returncode == 0 and "0 student(s) added, 0 updated" in again.stdout, again.stdout
    roster.write_text(SEMICOLON.replace("Văn Minh", "Văn Minh Anh"), encoding="utf-8")
    changed = run_netwise("course", "students", str(course), str(roster))
    assert "0 student(s) added, 1 updated" in changed.stdout, changed.stdout


def test_a_missing_roster_file_is_one_line(course: Path, tmp_path: Path) -> None:
    before = students(course)
    result = run_netwise("course", "students", str(course), str(tmp_path / "lop-7a.csv"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "lop-7a.csv: no such file" in lines[0] and "bad row" not in lines[0], lines
    assert students(course) == before
    init = run_netwise("course", "init", str(tmp_path / "c"), "--name", "x", "--lang", "vi",
                       "--students", str(tmp_path / "nope.csv"), "--curriculum", str(FIXTURES / "mini"))  # fmt: skip
    assert init.returncode == 1 and "nope.csv: no such file" in init.stderr and "bad row" not in init.stderr
    assert not (tmp_path / "c").exists()
