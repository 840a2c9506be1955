"""The static lesson site in Chromium (issue 17): lessons completed with no kernel and no server code.

``netwise export-site`` writes English and Vietnamese pages of four lessons that hold every
activity type between them; a plain static server on loopback (Python's http.server) serves
them. A phone-sized page (390×844, touch) completes every activity by touch in English and by
keyboard in Vietnamese. Then the answers the page kept are handed to the Python widgets: each
activity's state in the page must equal the Python widget's state for the same answers, and
the feedback on screen must be the Python widget's feedback text. No request may leave the
loopback server. A reload restores the answers, "clear my answers" removes them, axe-core finds
no serious or critical violation, and a visited lesson opens offline through the service worker.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from netwise.scoring import record as record_mod
from netwise.scoring.discernment import first_answers
from netwise.site.export import export_site
from netwise.widgets import AssessmentWidget, Lesson
from netwise.widgets.assessment import storage_key
from support.axe import axe
from support.servers import PHONE, chromium_browser
from support.static_site import complete, complete_lesson, serve_folder, shown_texts

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSONS = [
    "misinformation-check-the-source",  # choice, link inspector, rating
    "account-security-passphrases",  # passphrase lab, verdict
    "privacy-location-photos",  # privacy settings, red flags
    "scams-hacked-friend",  # branching
]
TYPES = {
    "choice",
    "verdict",
    "red_flags",
    "branching",
    "passphrase_lab",
    "privacy_settings",
    "link_inspector",
    "rating",
}
# What the page's session did, not what the answers are: a widget rebuilt from the same record
# starts these afresh (the count of messages handled, the live region's last words).
SESSION_KEYS = ("seq", "announce")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("static") / "site"
    export_site(out, langs=["en", "vi"], lessons=LESSONS)
    with serve_folder(out) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as chromium:
        yield chromium


class Visit:
    """One phone-sized browser context: its page, and every URL it asked for."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.context = browser.new_context(**PHONE)
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path)
        self.page.wait_for_selector("html[data-nw-ready]", timeout=20_000)
        return self.page

    def outside(self) -> list[str]:
        return [url for url in self.requests if not url.startswith((self.base + "/", "data:"))]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Browser, site: str) -> Iterator[Visit]:
    one = Visit(browser, site)
    try:
        yield one
        assert one.errors == [], one.errors
        assert one.outside() == [], f"requests to other hosts: {one.outside()}"
    finally:
        one.close()


def without(state: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in state.items() if key not in keys}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def render_all(page: Page) -> None:
    """Let innerText see every part: the page skips rendering parts far off screen (content-visibility)."""
    page.add_style_tag(content="* { content-visibility: visible !important; }")


def assert_python_agrees(page: Page, lesson_id: str, lang: str) -> None:
    """The page's answers, given to the Python widgets: same state, and its feedback on screen."""
    render_all(page)
    data = page.evaluate("netwisePage.record.data")
    states = page.evaluate("Object.fromEntries([...netwisePage.engines].map(([id, e]) => [id, e.getState()]))")
    saved = os.environ.get(record_mod.MEMORY_ENV)
    os.environ[record_mod.MEMORY_ENV] = "memory"
    try:
        lesson = Lesson(lesson_id, lang=lang)
        lesson.record.data = data
        sections = page.locator("section.nw-activity")
        for index, activity_id in enumerate(states):
            widget = lesson.show(activity_id)
            assert without(states[activity_id], SESSION_KEYS) == without(widget.state, SESSION_KEYS), activity_id
            shown = squash(sections.nth(index).inner_text())
            texts = list(shown_texts({"feedback": widget.state.get("feedback") or widget.state.get("ending")}))
            for item in widget.state.get("items") or []:
                texts += shown_texts({"feedback": item.get("feedback") if isinstance(item, dict) else None})
            assert texts, activity_id  # every activity was answered: Python has feedback to show
            for text in texts:
                assert squash(text) in shown, (activity_id, text)
    finally:
        if saved is None:
            del os.environ[record_mod.MEMORY_ENV]
        else:
            os.environ[record_mod.MEMORY_ENV] = saved


@pytest.mark.parametrize(("lang", "keyboard"), [("en", False), ("vi", True)], ids=["en-touch", "vi-keyboard"])
def test_every_activity_type_is_completed_as_python_scores_it(visit: Visit, lang: str, keyboard: bool) -> None:
    seen: set[str] = set()
    for lesson_id in LESSONS:
        page = visit.open(f"/{lang}/{lesson_id}.html")
        assert page.evaluate("document.documentElement.lang") == lang
        seen.update(complete_lesson(page, keyboard))
        summary = page.locator(".nw-summary-box").last
        assert summary.locator(".nw-summary-done:not([hidden])").count() == 1, summary.inner_text()
        assert_python_agrees(page, lesson_id, lang)
    assert seen == TYPES
    assert any("/assets/estimator." in url for url in visit.requests)  # loaded once the lab was used


def python_check(form_id: str, lang: str, data: dict[str, Any], before: Any) -> dict[str, Any]:
    """The Python form widget's state for the same first verdicts (and the same counts from before)."""
    saved = os.environ.get(record_mod.MEMORY_ENV)
    os.environ[record_mod.MEMORY_ENV] = "memory"
    try:
        widget = AssessmentWidget("scams", form_id, lang=lang)
        if before is not None:  # the served page sends them first, as this page does
            widget.tell_before(before)
        for item_id, verdict in first_answers(data["answers"], form_id).items():
            assert verdict is not None
            widget.judge(item_id, verdict)
        return dict(widget.state)
    finally:
        if saved is None:
            del os.environ[record_mod.MEMORY_ENV]
        else:
            os.environ[record_mod.MEMORY_ENV] = saved


def test_before_and_after_checks_compare_as_in_the_app(visit: Visit) -> None:
    before = None
    for form_id in ("pre", "post"):
        page = visit.open(f"/en/check-scams-{form_id}.html")
        section = page.locator("section.nw-activity")
        for item in section.locator(".nw-item").all():
            item.locator(".nw-verdict").first.tap()
        section.locator(".nw-summary-box:not([hidden])").wait_for(timeout=10_000)
        state = page.evaluate("netwisePage.check.getState()")
        data = page.evaluate("netwisePage.record.data")
        render_all(page)
        assert without(state, SESSION_KEYS) == without(python_check(form_id, "en", data, before), SESSION_KEYS)
        shown = squash(section.inner_text())
        assert squash(state["summary"]) in shown
        if form_id == "post":
            assert state["before_after"] and squash(state["before_after"]) in shown
        # What this tab kept of the pre check, as the served page keeps it (sessionStorage).
        before = page.evaluate("(key) => JSON.parse(sessionStorage.getItem(key) || 'null')", storage_key("scams"))
        assert before is not None


def test_the_estimator_loads_only_with_the_lab(visit: Visit) -> None:
    page = visit.open(f"/en/{LESSONS[0]}.html")
    page.wait_for_timeout(300)
    assert not any("/assets/estimator." in url for url in visit.requests)
    page = visit.open(f"/en/{LESSONS[1]}.html")
    assert not any("/assets/estimator." in url for url in visit.requests), "fetched before the lab was used"


def test_reload_restores_and_clear_removes(visit: Visit) -> None:
    page = visit.open(f"/en/{LESSONS[3]}.html")
    sections = page.locator("section.nw-activity")
    complete(page, sections.nth(0), page.evaluate("[...netwisePage.engines.values()][0].activity.type"), False)
    states = "[...netwisePage.engines.values()].map((e) => e.getState())"
    before = [without(state, SESSION_KEYS) for state in page.evaluate(states)]
    progress = page.locator(".nw-header .nw-progress").text_content()
    assert progress and "1" in progress  # one activity answered
    page.reload()
    page.wait_for_selector("html[data-nw-ready]")
    assert [without(state, SESSION_KEYS) for state in page.evaluate(states)] == before
    assert page.locator(".nw-header .nw-progress").text_content() == progress
    assert page.locator("section.nw-activity").nth(0).locator(".nw-feedback:not([hidden])").count() >= 1
    page.locator("#nw-clear").tap()
    page.wait_for_selector("html[data-nw-ready]")
    page.wait_for_function("document.getElementById('nw-site-status').textContent.length > 0")
    assert page.locator("section.nw-activity .nw-feedback:not([hidden])").count() == 0
    assert page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('netwise-site:'))") == []
    assert page.evaluate("netwisePage.record.data.answers") == {}


def test_pages_pass_axe(visit: Visit) -> None:
    for path in ("/index.html", f"/vi/{LESSONS[2]}.html", "/en/check-scams-pre.html"):
        page = visit.page
        page.goto(visit.base + path)
        if path != "/index.html":
            page.wait_for_selector("html[data-nw-ready]")
        assert axe(page) == [], path


def test_a_visited_lesson_opens_offline(visit: Visit) -> None:
    path = f"/en/{LESSONS[0]}.html"
    page = visit.open(path)
    page.wait_for_selector("html[data-nw-offline='ready']", timeout=15_000)
    visit.context.set_offline(True)
    try:
        page.goto(visit.base + path)
        page.wait_for_selector("html[data-nw-ready]", timeout=15_000)
        assert page.locator("section.nw-activity").count() >= 3
    finally:
        visit.context.set_offline(False)
