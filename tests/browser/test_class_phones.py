"""A class session on a phone (issue 14), in Debian's chromium at 390x844 against a real `netwise serve --course`.

A student finds their name by typing it without diacritics ("dang duc" finds "Đặng Đức"), signs
in with the secret from their card, opens the lesson from their class page and answers a real
widget; the answer is in ``submitted/<id>/<assignment>/`` when its feedback shows. Then the
server is SIGKILLed: the open page says it is reconnecting, and when the same command runs again
it reloads itself, still signed in, and the new kernel shows the answer restored from disk.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.axe import axe
from support.classes import STUDENTS, ClassCourse, ClassServer, make_course, ui
from support.servers import PHONE, chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

THREE = STUDENTS[:3]  # Đặng Đức, An, Bình
CHOICE = "section.nw-activity:has(.nw-options)"
VI = ui("vi")  # the course's pages are in Vietnamese


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> ClassCourse:
    return make_course(tmp_path_factory.mktemp("phones"), students=THREE)


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("profile"), **PHONE) as context:
        yield context


def test_a_student_signs_in_answers_and_continues_after_a_sigkill(
    course: ClassCourse, phone: Any, tmp_path: Path
) -> None:
    secrets = course.secrets
    server = ClassServer(tmp_path, course.root)
    url = server.url
    record = course.root / "submitted" / "dang.duc" / "basics" / "basics-one.answers.json"
    server.start()
    try:
        page = phone.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{url}/")
        assert axe(page) == []  # the join page: no serious or critical WCAG violation
        page.locator("#find").fill("dang duc")  # no diacritics, as on a phone without Vietnamese input
        assert page.locator("#student").input_value() == "dang.duc"
        assert page.locator("#student option:checked").inner_text() == "Đặng Đức"
        page.locator("#secret").fill(secrets["dang.duc"].upper())
        page.get_by_role("button", name=VI["class_sign_in"]).click()
        page.wait_for_url(f"{url}/class")
        assert page.get_by_role("heading", level=1).inner_text() == VI["class_hello"].format(name="Đặng Đức")
        assert axe(page) == []

        page.locator('a[data-page="basics-one"]').click()
        page.wait_for_url(f"{url}/class/lesson/basics-one")
        page.wait_for_selector("html[data-nw-ready]", timeout=30_000)
        section = page.locator(CHOICE).first
        section.locator("label.nw-option").first.click()
        section.locator("button.nw-primary").click()
        feedback = section.locator(".nw-feedback:not([hidden])").first
        feedback.wait_for(timeout=15_000)
        shown = feedback.inner_text()
        # The feedback shows after the answer is on disk, in the student's own submission folder.
        answers = json.loads(record.read_text(encoding="utf-8"))["answers"]
        assert answers and all(parts["_"] for parts in answers.values())

        page.evaluate("window.beforeTheCrash = true")  # gone once the page has reloaded
        server.kill(signal.SIGKILL)  # mid-class
        status = page.locator("#nw-connection")
        status.wait_for(state="visible", timeout=15_000)
        assert status.inner_text() == VI["class_reconnecting"]  # reconnecting, answers saved

        server.start()  # the same command again, on the same port
        # The page reloads itself once its server is back, still signed in (the same cookie).
        page.wait_for_function("!window.beforeTheCrash && document.documentElement.dataset.nwReady", timeout=60_000)
        assert page.url == f"{url}/class/lesson/basics-one"
        restored = page.locator(CHOICE).first.locator(".nw-feedback:not([hidden])").first
        restored.wait_for(timeout=15_000)
        assert restored.inner_text() == shown
        assert page.locator("#nw-stopped").is_hidden()
        # Its answers are saved, so leaving asks nothing: back to the class page, its progress shown.
        page.locator("a.back").click()
        page.wait_for_url(f"{url}/class")
        assert page.locator('a[data-page="basics-one"]').get_attribute("data-done") != "0"
    finally:
        server.kill(signal.SIGTERM)
    others = [u for u in requested if not u.startswith((f"{url}/", f"ws://127.0.0.1:{server.port}/", "data:"))]
    assert requested and others == []  # nothing from, or to, any other host
