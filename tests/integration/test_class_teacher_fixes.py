"""Class mode as a teacher found it (task K7 of issue 14): what the footer says, and a card reset mid-class.

Why these: every class page carried the lesson app's footer, "your answers are not saved on the
server", which is false in class mode, where each answer is saved for the teacher; and a teacher
who followed the README for a lost card (``netwise course cards DIR --reset ID``) while the class
was running issued a secret the running server did not know, so the child was told "wrong".

Both on a real class-mode server (the installed ``netwise serve --course``) with a course made by
``course init`` and ``course cards``, in Vietnamese, the strings read from the catalogs.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from markupsafe import escape

from netwise.i18n.ui_text import UI_TEXT
from support.classes import ClassCourse, ClassServer, Client, class_server, make_course, ui
from support.paths import run_netwise


def shown(key: str, lang: str = "vi", **values: Any) -> str:
    """An interface string as a page's HTML carries it."""
    return str(escape(ui(lang)[key].format(**values)))


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> ClassCourse:
    return make_course(tmp_path_factory.mktemp("class-fixes"))


@pytest.fixture(scope="module")
def server(course: ClassCourse) -> Iterator[ClassServer]:
    with class_server(course, ("basics-pre", "basics")) as running:
        yield running


def test_every_class_page_says_the_answers_are_saved_for_the_teacher(server: ClassServer, course: ClassCourse) -> None:
    saved, not_saved = shown("class_footer_note"), shown("footer_note")
    assert ui("vi")["class_footer_note"] != UI_TEXT["class_footer_note"]  # translated, not English
    assert "máy chủ" in ui("vi")["footer_note"] and "máy tính của thầy cô" in ui("vi")["class_footer_note"]
    phone = Client(server.port)
    pages = {"join": phone.get("/")[2]}
    assert phone.post("/join", student="an.nguyen", secret=course.secrets["an.nguyen"])[0] == 303
    pages["home"] = phone.get("/class")[2]
    pages["check"] = phone.get("/class/lesson/basics-pre")[2]  # the module's check before (a lean page)
    pages["lesson"] = phone.get("/class/lesson/basics-one")[2]  # the lesson (a lean page)
    status, _, pages["missing"] = phone.get("/class/lesson/nope")  # the lesson app's own message page
    assert status == 404
    for name, page in pages.items():
        footer = re.search(r'<footer class="site-footer">(.*?)</footer>', page, re.S)
        assert footer, f"{name}: no footer"
        assert saved in footer.group(1) and not_saved not in page, f"{name}: {footer.group(1)}"
    assert '"kernelId"' in pages["lesson"] and '"kernelId"' in pages["check"]  # rendered, not an error page


def test_a_card_reset_while_the_class_runs_is_accepted_at_once(server: ClassServer, course: ClassCourse) -> None:
    root = course.root
    # Before the reset: one student signed in, one locked by three wrong tries.
    signed_in = Client(server.port)
    assert signed_in.join("dang.duc", course.secrets["dang.duc"])[0] == 303
    guesser = Client(server.port)
    assert guesser.join("lan.pham", "sai một")[0] == 401
    for wrong in ("sai hai", "sai ba"):
        time.sleep(1.1)  # past the pause after a wrong try
        status = guesser.post("/join", student="lan.pham", secret=wrong)[0]
    assert status == 403  # locked

    reset = run_netwise("course", "cards", str(root), "--json", "--reset", "binh.tran")  # the README's lost card
    assert reset.returncode == 0, reset.stderr
    new = {row["id"]: row["secret"] for row in json.loads(reset.stdout)}
    assert list(new) == ["binh.tran"] and new["binh.tran"] != course.secrets["binh.tran"]

    phone = Client(server.port)
    status, _, page = phone.join("binh.tran", course.secrets["binh.tran"])  # the lost card
    assert status == 401 and shown("class_wrong", tries=2) in page
    time.sleep(1.1)
    status, headers, _ = phone.post("/join", student="binh.tran", secret=new["binh.tran"])  # the new card
    assert status == 303 and headers["Location"] == "/class"
    assert phone.get("/class")[0] == 200
    # Only the secrets were read again: the session and the lock stay as they were.
    assert signed_in.get("/class")[0] == 200
    status, _, page = Client(server.port).join("lan.pham", course.secrets["lan.pham"])
    assert status == 403 and shown("class_locked") in page
    stored = json.loads((root / "class" / "sessions.json").read_text(encoding="utf-8"))
    assert stored["students"]["lan.pham"]["locked"] is True
    assert stored["students"]["binh.tran"]["failures"] == 0  # the new card's sign-in cleared the wrong try
