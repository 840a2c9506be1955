"""The teacher's dashboard in Chromium at tablet size: a student's answer on a phone shows within 2 s.

A real course (``course init``, Vietnamese, three students) runs under the installed
``netwise serve --course``. The teacher opens the printed ``/teacher?key=...`` at 820x1180 (a
tablet) and lands on ``/teacher`` without the key. A student signs in on a 390x844 phone with the
join form, opens the lesson and answers a verdict through the real widget; the dashboard,
asking every second, marks that student's cell within 2 s of the feedback showing. axe-core finds
no serious or critical violation on the dashboard nor on the projector view.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.axe import axe
from support.classes import STUDENTS, class_server, make_course
from support.servers import chromium_browser

THREE = tuple(s for s in STUDENTS if s[0] != "binh.tran")  # Đặng Đức, An, Lan
TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    course = make_course(tmp_path_factory.mktemp("dashboard-page"), students=THREE, url="http://192.168.1.23:8866/")
    with class_server(course) as running:
        yield {"url": running.url, "key": running.key, "secrets": course.secrets, "root": course.root}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as launched:
        yield launched


def cell_status(page: Any, sid: str, activity: str) -> str | None:
    """The status the dashboard's grid shows for a student and an activity (``page/activity``)."""
    return page.evaluate(
        """([sid, key]) => {
            const keys = [...document.querySelectorAll('section.answer')].map((s) => s.dataset.activity);
            const row = document.querySelector(`tr[data-student="${sid}"]`);
            const cell = row && row.querySelectorAll('td')[keys.indexOf(key)];
            return cell ? cell.dataset.status : null;
        }""",
        [sid, activity],
    )


def test_a_phone_answer_reaches_the_tablet_within_two_seconds(server: dict[str, Any], browser: Any) -> None:
    tablet = browser.new_context(viewport=TABLET, has_touch=True)
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        dash = tablet.new_page()
        dash.goto(f"{server['url']}/teacher?key={server['key']}")
        assert dash.url == f"{server['url']}/teacher"  # the key left the address bar
        assert server["key"] not in dash.evaluate("location.href + document.documentElement.outerHTML")
        assert cell_status(dash, "dang.duc", "basics-one/judge") == "not_done"
        # The grid fits the tablet's width by scrolling inside its own box, not the page.
        assert dash.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert axe(dash) == []

        student = phone.new_page()
        student.goto(f"{server['url']}/")
        student.select_option("select#student", "dang.duc")
        student.fill("input#secret", server["secrets"]["dang.duc"])
        with student.expect_navigation():
            student.locator("form.join button[type=submit]").click()
        assert re.search(r"/class/?$", student.url), student.locator("main").inner_text()
        student.goto(f"{server['url']}/class/lesson/basics-one")
        student.wait_for_selector("html[data-nw-ready]", timeout=60_000)
        student.locator("section.nw-activity .nw-verdict").first.tap()
        student.wait_for_selector("section.nw-activity .nw-feedback:not([hidden])", timeout=15_000)
        shown = time.monotonic()
        dash.wait_for_function(
            """() => document.querySelector('tr[data-student="dang.duc"] td:not([data-status="not_done"])')""",
            timeout=5_000,
        )
        late = time.monotonic() - shown
        assert late <= 2.0, f"the dashboard showed the answer {late:.1f} s after its feedback"
        assert cell_status(dash, "dang.duc", "basics-one/judge") in ("in_progress", "right_first", "several_tries")
        assert cell_status(dash, "an.nguyen", "basics-one/judge") == "not_done"
        # The teacher frees the phone with the dashboard's own button (a plain form with _xsrf).
        people = dash.locator('[data-section="people"] li[data-student="dang.duc"]')
        with dash.expect_navigation():
            people.get_by_role("button", name=re.compile("Giải phóng thiết bị")).click()
        assert dash.url.endswith("/teacher?done=release#people")
        assert "on" not in (people.get_attribute("class") or "").split()

        dash.goto(f"{server['url']}/teacher/projector?activity=basics-one/judge")
        assert dash.locator("svg").first.is_visible()  # the join code
        assert "Đặng Đức" not in dash.content()
        assert axe(dash) == []
    finally:
        phone.close()
        tablet.close()


def test_answers_file_is_where_the_dashboard_read_it(server: dict[str, Any]) -> None:
    """The cell above came from the student's kernel's record in submitted/ (nothing else is read)."""
    record = Path(server["root"]) / "submitted" / "dang.duc" / "basics" / "basics-one.answers.json"
    assert record.is_file()
    assert "judge" in json.loads(record.read_text(encoding="utf-8"))["answers"]
