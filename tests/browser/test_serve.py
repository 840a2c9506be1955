"""The lesson app: a real `netwise serve` (standalone Voilà) driven by Debian's chromium.

One server for the whole module (preheated kernels, both languages) and, with its lessons,
the module's checks (before, after, reminders). Every page any test opens logs its
requests; none may go to another host.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from netwise.content import load
from netwise.paths import bundled_curriculum
from support.axe import AXE, axe
from support.servers import CHROMIUM, CHROMIUM_ARGS, netwise_serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


def listing(lang: str, only: list[str] | None = None) -> list[dict[str, Any]]:
    netwise = str(Path(sys.executable).parent / "netwise")
    out = subprocess.run([netwise, "list", "--json", "--lang", lang], capture_output=True, text=True, check=True)
    lessons = [lesson for module in json.loads(out.stdout)["modules"] for lesson in module["lessons"]]
    return [lesson for lesson in lessons if only is None or lesson["id"] in only]


# The module's lessons: every activity type, in both languages. Preheating one kernel for
# every lesson of a growing curriculum would cost more than these tests need.
SCAMS = ["scams-real-or-scam", "scams-red-flags", "scams-hacked-friend", "scams-protect-and-report"]
# Served with any lesson of their module, in teaching order around the lessons.
CHECKS_BEFORE, CHECKS_AFTER = ["scams-pre"], ["scams-post", "scams-booster-2w", "scams-booster-6w"]
CHECK_LABELS = {
    "en": ["Check before", "Check after", "Reminder quiz, 2 weeks later", "Reminder quiz, 6 weeks later"],
    "vi": ["Kiểm tra trước", "Kiểm tra sau", "Bài ôn tập, 2 tuần sau", "Bài ôn tập, 6 tuần sau"],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("serve")
    with netwise_serve(["--pool", "1", "--lessons", ",".join(SCAMS)], artifacts / "serve.log", tmp) as (url, _process):
        yield url, tmp


class Browser:
    """A phone-sized chromium; every request of every page is recorded."""

    def __init__(self, playwright: Any, profile: Path) -> None:
        self.requests: list[str] = []
        self.context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport=PHONE, has_touch=True, is_mobile=True,
        )  # fmt: skip
        self.context.on("request", lambda request: self.requests.append(request.url))

    def page(self) -> Any:
        return self.context.new_page()

    def foreign(self) -> list[str]:
        hosts = {"127.0.0.1", "localhost"}
        return [
            u
            for u in self.requests
            if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname not in hosts
        ]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        b = Browser(playwright, tmp_path_factory.mktemp("profile"))
        try:
            yield b
        finally:
            b.context.close()
    assert b.foreign() == [], "requests to other hosts"


def open_lesson(browser: Browser, url: str) -> Any:
    page = browser.page()
    page.goto(url)
    try:
        # The lean page: activities drawn, kernel connected and its states received.
        page.wait_for_selector("html[data-nw-ready]", timeout=60_000)
        page.wait_for_selector(".nw-summary-box", state="visible", timeout=60_000)
        # ... and laid out to its end (off-screen blocks are laid out after the first screen).
        page.wait_for_selector("html[data-nw-laid-out]", timeout=60_000)
    except Exception as exc:
        raise AssertionError(f"{url} never showed its lesson: {page.locator('main').inner_text()[-300:]!r}") from exc
    return page


def no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# --- answering, by touch or keyboard ------------------------------------------------------


def tap(target: Any) -> None:
    box = target.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44, f"target smaller than 44 px: {box}"
    target.tap()


def answer_by_touch(page: Any) -> set[str]:
    """Answer every activity of the page by tapping; returns the activity types met."""
    kinds: set[str] = set()
    sections = page.locator("section.nw-activity")
    for i in range(sections.count()):
        section = sections.nth(i)
        section.scroll_into_view_if_needed()
        if section.locator(".nw-options").count():
            kinds.add("choice")
            tap(section.locator("label.nw-option").first)
            tap(section.locator("button.nw-primary"))
            section.locator(".nw-feedback:not([hidden])").first.wait_for()
        elif section.locator(".nw-verdict-buttons").count():
            kinds.add("verdict")
            groups = section.locator(".nw-verdict-buttons")
            for j in range(groups.count()):
                tap(groups.nth(j).locator("button").first)
                section.locator("article.nw-item").nth(j).locator(".nw-feedback:not([hidden])").wait_for()
        elif section.locator("button.nw-part").count():
            kinds.add("red_flags")
            tap(section.locator("button.nw-part").first)
            tap(section.locator("button.nw-primary"))
            section.locator(".nw-feedback:not([hidden])").first.wait_for()
        elif section.locator(".nw-choices").count():
            kinds.add("branching")
            ending = section.locator(".nw-feedback[class*='nw-outcome']:not([hidden])")
            for _ in range(20):
                if ending.count():
                    break
                replies = section.locator(".nw-choices:not([hidden]) button")
                replies.first.wait_for()
                before = section.locator(".nw-log .nw-bubble").count()
                tap(replies.first)
                page.wait_for_function(
                    "([el, n]) => el.querySelectorAll('.nw-log .nw-bubble').length > n",
                    arg=[section.element_handle(), before],
                )
            assert ending.count(), "the conversation never ended"
    return kinds


def tab_to(page: Any, target: Any, limit: int = 400) -> None:
    """Press Tab until the focus is on (or, for an option group, inside) the target."""
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("el => el === document.activeElement || el.contains(document.activeElement)", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError("Tab never reached the control")


def answer_by_keyboard(page: Any) -> set[str]:
    kinds: set[str] = set()
    sections = page.locator("section.nw-activity")
    for i in range(sections.count()):
        section = sections.nth(i)
        if section.locator(".nw-options").count():
            kinds.add("choice")
            tab_to(page, section.locator("fieldset.nw-options"))
            page.keyboard.press("Space")  # selects the focused option (a radio or a checkbox)
            tab_to(page, section.locator("button.nw-primary"))
            page.keyboard.press("Enter")
            section.locator(".nw-feedback:not([hidden])").first.wait_for()
        elif section.locator(".nw-verdict-buttons").count():
            kinds.add("verdict")
            groups = section.locator(".nw-verdict-buttons")
            for j in range(groups.count()):
                tab_to(page, groups.nth(j).locator("button").last)
                page.keyboard.press("Enter")
                section.locator("article.nw-item").nth(j).locator(".nw-feedback:not([hidden])").wait_for()
    return kinds


def summary_done(page: Any) -> None:
    page.locator(".nw-summary-done:not([hidden])").wait_for(timeout=10_000)


# --- tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_landing_lists_every_lesson(server: tuple[str, Path], browser: Browser, lang: str) -> None:
    url, _ = server
    page = browser.page()
    page.goto(f"{url}/?lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    links = page.locator("a.lesson-card")
    expected = listing(lang, SCAMS)  # every lesson served (tests/test_serve_limits.py: all lessons)
    assert links.count() == len(expected)
    for lesson in expected:
        card = page.locator(f"a.lesson-card[data-lesson='{lesson['id']}']")
        assert card.get_attribute("href") == f"/lesson/{lang}/{lesson['id']}"
        text = card.inner_text()
        assert lesson["title"] in text and lesson["age_band"] in text and str(lesson["duration_min"]) in text
    # The module's checks frame its lessons: before first, then the lessons, then after and reminders.
    order = page.locator("ul.lesson-list > li > a").evaluate_all(
        "els => els.map(a => a.dataset.check || a.dataset.lesson)"
    )
    assert order == [*CHECKS_BEFORE, *(lesson["id"] for lesson in expected), *CHECKS_AFTER]
    checks = page.locator("a.check-card")
    assert checks.evaluate_all("els => els.map(a => a.getAttribute('href'))") == [
        f"/check/{lang}/{cid}" for cid in [*CHECKS_BEFORE, *CHECKS_AFTER]
    ]
    assert checks.locator(".lesson-title").all_inner_texts() == CHECK_LABELS[lang]
    for role in ("banner", "navigation", "main", "contentinfo"):
        assert page.get_by_role(role).count() >= 1
    switch = page.locator(".site-nav a")
    assert sorted(switch.evaluate_all("els => els.map(e => e.lang)")) == ["en", "vi"]
    no_horizontal_scroll(page)
    assert axe(page) == []
    page.close()


def test_lesson_pages_by_touch_cover_every_activity_type(
    server: tuple[str, Path], browser: Browser, artifacts: Path
) -> None:
    url, _ = server
    kinds: set[str] = set()
    for lesson_id in ("scams-red-flags", "scams-hacked-friend", "scams-real-or-scam"):
        page = open_lesson(browser, f"{url}/lesson/en/{lesson_id}")
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator(".jp-InputArea pre, .jp-CodeMirrorEditor, .jp-InputPrompt:visible").count() == 0
        assert "lesson.show" not in page.content()
        no_horizontal_scroll(page)
        kinds |= answer_by_touch(page)
        summary_done(page)
        no_horizontal_scroll(page)
        assert axe(page) == [], lesson_id
        page.screenshot(path=str(artifacts / f"serve-{lesson_id}-phone.png"), full_page=True)
        page.close()
    assert kinds == {"choice", "verdict", "red_flags", "branching"}


def test_lesson_by_keyboard_alone(server: tuple[str, Path], browser: Browser) -> None:
    url, _ = server
    page = open_lesson(browser, f"{url}/lesson/vi/scams-real-or-scam")
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.locator("body").focus()
    kinds = answer_by_keyboard(page)
    assert kinds == {"choice", "verdict"}
    summary_done(page)
    assert "Bạn đã trả lời 3 trên 3 hoạt động." in page.locator(".nw-summary-text").inner_text()
    page.close()


def test_every_lesson_page_passes_axe_before_answering(server: tuple[str, Path], browser: Browser) -> None:
    url, _ = server
    for lang in ("en", "vi"):
        for lesson in listing(lang, SCAMS):
            page = open_lesson(browser, f"{url}/lesson/{lang}/{lesson['id']}")
            assert page.locator(".nw-root").count() >= 2
            assert axe(page) == [], f"{lang}/{lesson['id']}"
            assert "Traceback" not in page.content()
            page.close()


def test_execute_request_over_the_page_websocket_has_no_effect(
    server: tuple[str, Path], browser: Browser, tmp_path: Path
) -> None:
    url, _ = server
    page = open_lesson(browser, f"{url}/lesson/en/scams-real-or-scam")
    kernel = json.loads(page.locator("#nw-page").text_content())["kernelId"]
    target = tmp_path / "pwned.txt"
    replies = page.evaluate(
        """async ([kernel, code]) => {
          const ws = new WebSocket(`ws://${location.host}/api/kernels/${kernel}/channels`);
          const got = [];
          ws.onmessage = (e) => { try { got.push(JSON.parse(e.data).header.msg_type); } catch (err) {} };
          await new Promise((ok) => { ws.onopen = ok; });
          const msg = (type, content) => JSON.stringify({channel: 'shell', header: {msg_id: type + Math.random(),
            msg_type: type, username: 'x', session: 's', date: new Date().toISOString(), version: '5.3'},
            parent_header: {}, metadata: {}, content, buffers: []});
          ws.send(msg('execute_request', {code, silent: false, store_history: false, user_expressions: {},
                                          allow_stdin: false, stop_on_error: true}));
          ws.send(msg('kernel_info_request', {}));
          await new Promise((ok) => setTimeout(ok, 3000));
          ws.close();
          return got;
        }""",
        [kernel, f"open({str(target)!r}, 'w').write('x')"],
    )
    assert "kernel_info_reply" in replies  # the socket works: the execute request was filtered
    assert "execute_reply" not in replies
    assert not target.exists()
    page.close()


@pytest.mark.parametrize(
    "path",
    [
        "/voila/files/en/scams/01-scams-real-or-scam.ipynb",
        "/en/scams/01-scams-real-or-scam.ipynb",
        "/voila/render/en/scams/01-scams-real-or-scam.ipynb",
        "/voila/files/en/scams/scams-real-or-scam.answers.json",
        "/scams-real-or-scam.answers.json",
        "/voila/static/../../../../etc/passwd",
        "/voila/labextensions/@jupyter/nbgrader/package.json",
        "/voila/tree",
        "/voila/api/contents/en",
        "/api/kernels",
        "/api/contents",
        "/netwise/app.py",
        "/voila/templates/netwise/static/../app.css",
        "/lesson/en/no-such-lesson",
        "/check/en/scams-real-or-scam",
        "/check/en/no-such-module-pre",
        "/lesson/en/scams-pre",
        "/voila/files/en/scams/00-check-before.ipynb",
        "/en/scams/90-check-after.ipynb",
    ],
)
def test_sources_and_server_files_are_not_served(server: tuple[str, Path], path: str) -> None:
    url, _ = server
    try:
        with urllib.request.urlopen(url + path, timeout=10) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read().decode("utf-8", "replace")
    assert status in (403, 404)
    assert "Traceback" not in body and '"cells"' not in body and "root:" not in body


def test_two_visitors_see_only_their_own_answers(server: tuple[str, Path], browser: Browser) -> None:
    url, tmp = server
    lesson = f"{url}/lesson/en/scams-hacked-friend"
    total = len(load(bundled_curriculum()).lesson("scams-hacked-friend").activities)
    first, second = open_lesson(browser, lesson), open_lesson(browser, lesson)
    choice = "section.nw-activity:has(.nw-options)"
    first.locator(choice).locator("label.nw-option").nth(0).tap()
    second.locator(choice).locator("label.nw-option").nth(1).tap()
    for page, index in ((first, 0), (second, 1)):
        page.locator(choice).locator("button.nw-primary").tap()
        page.locator(choice).locator(".nw-feedback:not([hidden])").wait_for()
        checked = page.locator(choice).locator("input").evaluate_all("els => els.map(e => e.checked)")
        assert checked.index(True) == index and checked.count(True) == 1
        assert f"1 of {total}" in page.locator(".nw-progress").inner_text()
    third = open_lesson(browser, lesson)  # a new visitor starts from nothing
    assert third.locator(choice).locator("input").evaluate_all("els => els.some(e => e.checked)") is False
    assert f"0 of {total}" in third.locator(".nw-progress").inner_text()
    for page in (first, second, third):
        page.close()
    time.sleep(0.5)
    assert list(tmp.rglob("*.answers.json")) == []
    assert not any(p.name.endswith(".answers.json") for p in Path.cwd().iterdir())


def test_closing_a_tab_shuts_its_kernel_down(server: tuple[str, Path], browser: Browser, artifacts: Path) -> None:
    url, _ = server
    page = open_lesson(browser, f"{url}/lesson/vi/scams-red-flags")
    kernel = json.loads(page.locator("#nw-page").text_content())["kernelId"]
    # The page's cookie: its kernel answers that browser only.
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.context.cookies(url))
    status = urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels/{kernel}", headers={"Cookie": cookie}))
    assert status.status == 200
    status.close()
    page.close(run_before_unload=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"{url}/api/kernels/{kernel}", headers={"Cookie": cookie})
            urllib.request.urlopen(request, timeout=5).close()
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
            return
        time.sleep(0.3)
    raise AssertionError("the closed tab's kernel is still running")


def test_axe_is_available_for_the_suite() -> None:
    if shutil.which("npm") is None and not AXE.is_file():
        pytest.skip("npm not available")
    assert AXE.is_file()


# --- checks: the learner's own before/after, kept in the browser tab ----------------------


def take_check(page: Any, choice: int) -> str:
    """Answer every item of the check on the page by clicking button ``choice``; returns its result text."""
    items = page.locator("article.nw-item")
    for j in range(items.count()):
        button = items.nth(j).locator(".nw-verdict-buttons button").nth(choice)
        button.scroll_into_view_if_needed()
        button.click()
        items.nth(j).locator(".nw-verdict-buttons button[aria-pressed='true'][aria-disabled='true']").wait_for()
    end = page.locator(".nw-summary-box:not([hidden])")
    end.wait_for(timeout=15_000)
    return " ".join(end.locator("p.nw-summary").all_inner_texts())


def open_check(page: Any, url: str, check_id: str) -> None:
    """From the landing page, follow the check's card (same tab) and wait for its items."""
    page.goto(f"{url}/?lang=en")
    page.locator(f"a.check-card[data-check='{check_id}']").click()
    page.wait_for_url(f"**/check/en/{check_id}")
    page.locator("article.nw-item .nw-verdict-buttons button").first.wait_for(timeout=60_000)
    page.wait_for_selector("html[data-nw-laid-out]", timeout=60_000)  # all of it, not the first screen only
    assert page.locator(".nw-summary-text").count() == 0, "a check page has no lesson summary"
    assert page.locator(".jp-InputArea pre, .jp-CodeMirrorEditor").count() == 0


def test_check_before_and_after_in_one_tab_show_the_learners_own_change(
    server: tuple[str, Path], browser: Browser, artifacts: Path
) -> None:
    url, tmp = server
    start = len(browser.requests)
    page = browser.page()
    open_check(page, url, "scams-pre")
    assert axe(page) == [], "check before, unanswered"
    before = take_check(page, 0)  # "Scam" every time: every scam spotted, no real message trusted
    got = re.fullmatch(r"You spotted (\d+) of (\d+) scams and trusted 0 of (\d+) real messages\.", before)
    assert got and got[1] == got[2], before
    signal, noise = int(got[2]), int(got[3])
    assert "Before:" not in before
    assert axe(page) == [], "check before, answered"

    open_check(page, url, "scams-post")  # the same tab: its sessionStorage holds the four counts
    assert axe(page) == [], "check after, unanswered"
    after = take_check(page, 1)  # "Legit" every time
    now = re.search(r"You spotted 0 of (\d+) scams and trusted (\d+) of (\d+) real messages\.", after)
    assert now and now[2] == now[3], after
    assert (
        f"Before: {signal} of {signal} scams, 0 of {noise} real; now: 0 of {now[1]} and {now[2]} of {now[3]}." in after
    )
    assert axe(page) == [], "check after, answered"
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / "serve-check-after-phone.png"), full_page=True)
    page.close()

    time.sleep(0.5)
    assert list(tmp.rglob("*.answers.json")) == [], "an answer file on the server"
    assert not any(p.name.endswith(".answers.json") for p in Path.cwd().iterdir())
    hosts = {
        urlparse(u).hostname for u in browser.requests[start:] if urlparse(u).scheme in ("http", "https", "ws", "wss")
    }
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
