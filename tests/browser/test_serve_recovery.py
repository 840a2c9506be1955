"""A lesson page that never goes silent (issue 11), in Debian's chromium against a real `netwise serve`.

- The websocket drops (a Wi-Fi blip: every TCP connection cut) and the page reconnects to its
  own kernel, answers intact, without a reload.
- A kernel culled while its page is open: the page says so in the lesson language and offers
  to start again.
- Leaving a started lesson asks first, in the lesson language.
- A kernel that stops replying (issue 12's no-reply watchdog): the page says so in the lesson
  language instead of silently giving no feedback, and the notice goes once replies come back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from support.servers import PHONE, TcpProxy, netwise_serve
from support.servers import chromium as phone_profile

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = "scams-real-or-scam"
CHOICE = "section.nw-activity:has(.nw-options)"
VERDICT = "section.nw-activity:has(.nw-verdict-buttons)"


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with phone_profile(tmp_path_factory.mktemp("profile"), **PHONE) as context:
        yield context


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[tuple[str, int]]:
    tmp = tmp_path_factory.mktemp("recovery")
    args = ["--pool", "0", "--lang", "en", "--lang", "vi", "--lessons", LESSON]
    with netwise_serve(args, artifacts / "serve-recovery.log", tmp) as (url, process):
        yield url, process.pid


@pytest.fixture(scope="module")
def server(served: tuple[str, int]) -> str:
    return served[0]


@pytest.fixture(scope="module")
def server_pid(served: tuple[str, int]) -> int:
    return served[1]


def open_lesson(context: Any, url: str) -> Any:
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(".nw-summary-box", state="visible", timeout=60_000)
    page.wait_for_selector("html[data-nw-ready]", timeout=30_000)  # the lean page's kernel connected
    return page


def answer_choice(page: Any) -> None:
    section = page.locator(CHOICE).first
    section.locator("label.nw-option").first.click()
    section.locator("button.nw-primary").click()
    section.locator(".nw-feedback:not([hidden])").first.wait_for(timeout=15_000)


def test_a_dropped_connection_reconnects_to_the_same_kernel_without_a_reload(server: str, chromium: Any) -> None:
    proxy = TcpProxy(int(server.rsplit(":", 1)[1]))
    try:
        page = open_lesson(chromium, f"http://127.0.0.1:{proxy.port}/lesson/en/{LESSON}")
        answer_choice(page)
        page.evaluate(
            """() => { window.nwMarker = 'not reloaded'; window.nwStates = [];
                 window.netwisePage.kernel.onStatus((s) => window.nwStates.push(s)); }"""
        )
        assert proxy.cut() > 0  # every connection of the page, its websocket included
        page.wait_for_function("() => window.nwStates.includes('connecting')", timeout=15_000)
        page.wait_for_function("() => window.netwisePage.kernel.status === 'connected'", timeout=30_000)
        # Feedback still comes, from the same kernel: the earlier answer is still counted.
        verdict = page.locator(VERDICT).first
        verdict.locator(".nw-verdict-buttons button").first.click()
        verdict.locator("article.nw-item").first.locator(".nw-feedback:not([hidden])").wait_for(timeout=15_000)
        assert page.evaluate("window.nwMarker") == "not reloaded"
        assert page.locator(CHOICE).first.locator(".nw-feedback:not([hidden])").count() >= 1
        assert re.search(r"\b1 of \d+", page.locator(".nw-progress").inner_text())  # the answer before the drop
        assert page.locator("#nw-stopped").is_hidden()
        page.close()
    finally:
        proxy.close()


def test_leaving_a_started_lesson_asks_first_in_its_language(server: str, chromium: Any) -> None:
    page = open_lesson(chromium, f"{server}/lesson/vi/{LESSON}")
    back = page.locator("a.back")
    back.click()  # nothing answered yet: leaves at once
    page.wait_for_url(f"{server}/?lang=vi")
    page.go_back()
    page.wait_for_selector(".nw-summary-box", state="visible", timeout=60_000)
    page.wait_for_selector("html[data-nw-ready]", timeout=30_000)
    answer_choice(page)
    page.locator("a.back").click()
    dialog = page.locator("#nw-leave")
    dialog.wait_for(state="visible")
    assert "Rời khỏi bài học này?" in dialog.inner_text()
    dialog.locator("button[value='stay']").click()
    assert dialog.is_hidden() and f"/lesson/vi/{LESSON}" in page.url
    page.locator("a.back").click()
    dialog.locator("button[value='go']").click()
    page.wait_for_url(f"{server}/?lang=vi")
    page.close()


def test_a_culled_kernels_page_says_so_and_offers_to_start_again(
    tmp_path: Path, artifacts: Path, chromium: Any
) -> None:
    # One seat, and a silent page may be culled after 3 s while the class is full: it is.
    args = ["--pool", "0", "--lang", "vi", "--lessons", LESSON, "--max-students", "1",
            "--cull-silent-after", "3", "--cull-interval", "1"]  # fmt: skip
    with netwise_serve(args, artifacts / "serve-recovery-cull.log", tmp_path) as (url, _):
        page = open_lesson(chromium, f"{url}/lesson/vi/{LESSON}")
        stopped = page.locator("#nw-stopped")
        stopped.wait_for(state="visible", timeout=30_000)
        text = stopped.inner_text()
        assert "Bài học này đã dừng" in text and "Bắt đầu lại" in text
        assert page.evaluate("document.activeElement.textContent") == "Bắt đầu lại"
        stopped.locator("a").click()  # start again: a fresh page, and a fresh kernel
        page.wait_for_selector(".nw-summary-box", state="visible", timeout=60_000)
        assert page.locator("#nw-stopped").is_hidden()
        page.close()


def kernel_processes(server_pid: int) -> list[psutil.Process]:
    """The kernels of a `netwise serve`: the children of its fork server (netwise.kernels.fork)."""
    fork_servers = [
        child
        for child in psutil.Process(server_pid).children(recursive=True)
        if "netwise.kernels.fork" in " ".join(child.cmdline())
    ]
    parents = {p.pid for p in fork_servers}
    return [p for p in fork_servers if p.ppid() in parents]


def test_a_kernel_that_stops_replying_is_named_in_the_lesson_language(
    server: str, server_pid: int, chromium: Any
) -> None:
    before = {p.pid for p in kernel_processes(server_pid)}
    page = open_lesson(chromium, f"{server}/lesson/vi/{LESSON}")
    kernels = [p for p in kernel_processes(server_pid) if p.pid not in before]
    assert len(kernels) == 1, kernels  # the kernel started for this page (no pool)
    status = page.locator("#nw-connection")
    assert status.is_hidden()
    section = page.locator(CHOICE).first
    kernels[0].suspend()  # alive, connected, and silent (SIGSTOP)
    try:
        section.locator("label.nw-option").first.click()
        section.locator("button.nw-primary").click()
        status.wait_for(state="visible", timeout=20_000)  # the watchdog: 8 s without a reply
        assert status.inner_text() == "Bài học chưa trả lời. Hãy đợi một chút hoặc tải lại trang."
        assert page.locator("#nw-stopped").is_hidden()  # not "stopped": the kernel is still there
        assert section.locator(".nw-feedback:not([hidden])").count() == 0
    finally:
        kernels[0].resume()
    # Replies come back: the answer's feedback arrives and the notice goes.
    section.locator(".nw-feedback:not([hidden])").first.wait_for(timeout=30_000)
    status.wait_for(state="hidden", timeout=10_000)
    page.close()
