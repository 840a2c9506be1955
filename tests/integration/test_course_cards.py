"""`netwise course cards`: sign-in secrets issued once, kept, reset one at a time, and the cards page.

A real course (nbgrader gradebook, made by ``course init``) of four students with Vietnamese
names, one of them "Đặng Đức", is given cards through the installed command, as a teacher would.
A second course for ages 8-10 gets picture secrets instead of words.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import stat
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from netwise.app.logins import PICTURES, WORDS, fold, load_secrets, secret_matches
from netwise.cli.main import main
from support.paths import FIXTURES, run_netwise

ROSTER = (
    "id,first_name,last_name\ndang.duc,Đức,Đặng\nan.nguyen,An,Nguyễn Văn\nbinh.tran,Bình,Trần Thị\nlan.pham,Lan,Phạm\n"
)
URL = "http://192.168.1.23:8866/"


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def make_course(base: Path, name: str, *extra: str) -> Path:
    curriculum = base / "curriculum"
    if not curriculum.exists():
        shutil.copytree(FIXTURES / "assess", curriculum)
    roster = base / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    folder = base / name
    ok(run_netwise("course", "init", str(folder), "--name", name, "--lang", "vi", "--students", str(roster),
                   "--curriculum", str(curriculum), *extra))  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def courses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a course of ages 11-13, as the fixture's lessons are; the same for ages 8-10)."""
    base = tmp_path_factory.mktemp("cards")
    return make_course(base, "lop7"), make_course(base, "lop3", "--ages", "8-10")


def cards(*args: str) -> str:
    """``netwise course cards ...`` in this process: the same parser and command, without a second
    of nbgrader import per run (the subprocess runs below check the command line as installed)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["course", "cards", *args]) == 0
    return out.getvalue()


def cards_json(course: Path, *extra: str) -> dict[str, dict[str, Any]]:
    rows = json.loads(cards(str(course), "--json", "--url", URL, *extra))
    return {row["id"]: row for row in rows}


def bare(text: str) -> str:
    """What a child types on a keyboard without Vietnamese input: no diacritics, "đ" as "d", capitals."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).upper()


def test_cards_issue_keep_and_reset_word_secrets(courses: tuple[Path, Path]) -> None:
    course, _ = courses
    first = cards_json(course)
    assert sorted(first) == ["an.nguyen", "binh.tran", "dang.duc", "lan.pham"]
    assert first["dang.duc"]["name"] == "Đặng Đức"  # family name first, as Vietnamese names are said
    for row in first.values():
        words = row["secret"].split()
        assert row["kind"] == "words" and len(words) == 2 and set(words) <= set(WORDS["vi"]), row
    stored = course / "class" / "secrets.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    # Only salted hashes are kept: no secret, in any form a child types, is in the course folder.
    kept_text = stored.read_text(encoding="utf-8")
    for row in first.values():
        for form in (row["secret"], fold(row["secret"]), *row["secret"].split()):
            assert form not in kept_text, form
    hashed = load_secrets(course)
    assert len({h.salt for h in hashed.values()}) == 4  # a salt each

    # A second run keeps every secret, issues no card, and says so.
    out = ok(run_netwise("course", "cards", str(course), "--url", URL))  # as installed, once
    assert "no new login card: 4 secret(s) kept" in out, out
    assert cards_json(course) == {} and load_secrets(course) == hashed

    # --reset issues a new secret to that student only: the old one stops working.
    after = cards_json(course, "--reset", "dang.duc")
    assert list(after) == ["dang.duc"]
    now = load_secrets(course)
    assert [sid for sid in hashed if now[sid] != hashed[sid]] == ["dang.duc"]

    # The secret a child types without diacritics, in capitals, matches; another child's does not.
    secret = after["dang.duc"]["secret"]
    assert now["dang.duc"].matches(bare(secret)) and now["dang.duc"].matches(secret.upper())
    assert secret_matches(bare(secret), secret)
    others = [row["secret"] for sid, row in first.items() if sid != "dang.duc" and row["secret"] != secret]
    assert others and not any(now["dang.duc"].matches(other) for other in others)
    for sid in ("an.nguyen", "binh.tran", "lan.pham"):
        assert now[sid].matches(first[sid]["secret"])


def test_cards_page_holds_each_card_in_the_course_language(tmp_path: Path) -> None:
    course = make_course(tmp_path, "lop7b")
    secrets = cards_json(course)
    assert (course / "cards.html").is_file()  # the --json run wrote the page too
    out = course.parent / "lop7-cards.html"
    reissued = cards_json(course, "--reset", "lan.pham", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert html.count('<article class="card"') == 1  # only the card issued now
    html = (course / "cards.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and "Thẻ đăng nhập" in html and "Login cards" not in html
    assert html.count('<article class="card"') == 4 and html.count('class="sheet"') == 1
    for row in secrets.values():
        card = html.split(f'data-student="{row["id"]}"', 1)[1].split("</article>", 1)[0]
        assert row["name"] in card and row["secret"] in card and URL in card and "lop7b" in card
        assert card.count("<svg") == 1  # the QR code, inline
    assert "<script" not in html and "default-src 'none'" in html
    assert reissued["lan.pham"]["secret"] in out.read_text(encoding="utf-8")


def test_unknown_reset_id_is_one_line_naming_the_students(courses: tuple[Path, Path]) -> None:
    course, _ = courses
    before = (course / "class" / "secrets.json").read_bytes() if (course / "class").exists() else None
    result = run_netwise("course", "cards", str(course), "--reset", "dang.du")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no student 'dang.du'; did you mean 'dang.duc'?" in lines[0]
    assert "an.nguyen, binh.tran, dang.duc, lan.pham" in lines[0]
    if before is not None:
        assert (course / "class" / "secrets.json").read_bytes() == before


def test_a_class_of_ages_8_to_10_gets_picture_secrets_kept_on_roster_import(courses: tuple[Path, Path]) -> None:
    _, course = courses
    rows = cards_json(course)
    assert len(rows) == 4
    for row in rows.values():
        pictures = row["secret"].split()
        assert row["kind"] == "pictures" and len(pictures) == 2 and set(pictures) <= set(PICTURES), row
    hashed = load_secrets(course)
    assert all(hashed[sid].matches(row["secret"]) for sid, row in rows.items())
    html = (course / "cards.html").read_text(encoding="utf-8")
    for row in rows.values():
        card = html.split(f'data-student="{row["id"]}"', 1)[1].split("</article>", 1)[0]
        first, second = row["secret"].split()
        # the two pictures in order, each named in the course language (for screen readers too)
        names = [PICTURES[first]["vi"], PICTURES[second]["vi"]]
        at = [card.index(f"<span>{name}</span>") for name in names]
        assert at == sorted(at) and card.count("<svg") == 3  # the QR code and the two pictures

    # A roster import (a new student joins) keeps every secret; the next run issues the newcomer one.
    roster = course.parent / "roster-more.csv"
    roster.write_text(ROSTER + "minh.bui,Minh,Bùi\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["course", "students", str(course), str(roster)]) == 0
    out = cards(str(course), "--url", URL)
    assert "1 login card(s)" in out and "1 new secret(s)" in out and "4 kept" in out, out
    assert {sid: load_secrets(course)[sid] for sid in rows} == hashed
    assert load_secrets(course)["minh.bui"].kind == "pictures"
    assert 'data-student="minh.bui"' in (course / "cards.html").read_text(encoding="utf-8")


def test_course_help_lists_cards() -> None:
    out = ok(run_netwise("course", "--help"))
    assert "cards" in out and "login cards" in out
