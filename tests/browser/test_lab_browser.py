"""A real JupyterLab in Debian's chromium: run built lessons and answer with mouse and keyboard."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from netwise.content import load
from netwise.paths import bundled_curriculum, bundled_notebooks
from support.paths import ARTIFACTS
from support.servers import chromium, jupyterlab

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _notebook(lesson_id: str) -> str:
    """The built file name (NN-lesson.ipynb) of a lesson: numbers follow the module order."""
    return next((bundled_notebooks() / "en").rglob(f"[0-9][0-9]-{lesson_id}.ipynb")).name


LESSON_FLAGS = _notebook("scams-red-flags")
LESSON_JUDGE = _notebook("scams-real-or-scam")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("lab")
    for name in (LESSON_FLAGS, LESSON_JUDGE):
        shutil.copyfile(bundled_notebooks() / "en" / "scams" / name, root / name)
    with jupyterlab(root, artifacts / "jupyterlab.log") as url:
        yield url, root


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("profile")) as context:
        yield context


def _open_and_run(browser: Any, url: str, name: str, hosts: set[str]) -> Any:
    page = browser.new_page()

    def log(request: Any) -> None:
        address = urlparse(request.url)
        if address.scheme not in ("data", "blob"):  # in-page resources are not network requests
            hosts.add(f"{address.scheme}://{address.hostname}")

    page.on("request", log)
    page.goto(f"{url}/lab/tree/{name}?reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=90_000)
    # A fresh JupyterLab may still be settling when the menu is first used: retry.
    for _ in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_selector(".nw-activity", state="attached", timeout=30_000)
            return page
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    page.screenshot(path=str(ARTIFACTS / f"lab-run-failed-{name}.png"))
    raise AssertionError(f"running {name} showed no activity widget; see test-artifacts/")


def _record(root: Path, lesson_id: str) -> dict[str, Any]:
    return json.loads((root / f"{lesson_id}.answers.json").read_text(encoding="utf-8"))


def test_red_flags_and_choice_with_the_mouse(lab: tuple[str, Path], browser: Any, artifacts: Path) -> None:
    url, root = lab
    hosts: set[str] = set()
    page = _open_and_run(browser, url, LESSON_FLAGS, hosts)
    lesson = load(bundled_curriculum()).lesson("scams-red-flags")
    flags = lesson.activity("flags-fake-bank")
    suspicious = [part.id for part in flags.parts if part.suspicious]

    activity = page.locator(".nw-activity").filter(has=page.locator('.nw-part[data-key="otp-request"]')).first
    activity.scroll_into_view_if_needed()
    for part_id in suspicious:
        button = activity.locator(f'.nw-part[data-key="{part_id}"]')
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44  # touch-sized target
        button.click()
        page.wait_for_function("b => b.getAttribute('aria-pressed') === 'true'", arg=button.element_handle())
    activity.get_by_role("button", name="Check my answer").click()
    feedback = activity.locator(".nw-feedback:not([hidden])").first
    feedback.wait_for(timeout=30_000)
    total = len(suspicious)
    assert f"You found {total} of {total} red flags and marked 0 innocent parts." in feedback.inner_text()
    live = activity.locator('[role="status"][aria-live="polite"]')
    page.wait_for_function("el => el.textContent.trim().length > 0", arg=live.element_handle())
    assert f"{total} of {total}" in live.text_content()  # what a screen reader announces

    # A choice (multiple answers): a real labelled group of native checkboxes.
    choice = lesson.activity("which-are-red-flags")
    group = page.locator("fieldset.nw-options").last
    group.scroll_into_view_if_needed()
    assert (group.locator("legend").text_content() or "").strip()  # the group has a name
    for option_id in choice.correct:
        group.locator(f'label.nw-option[data-key="{option_id}"]').click()
    section = page.locator(".nw-activity").filter(has=group)
    section.get_by_role("button", name="Check my answer").click()
    section.locator(".nw-feedback:not([hidden])").first.wait_for(timeout=30_000)
    assert "Correct" in section.locator(".nw-feedback").first.inner_text()
    page.screenshot(path=str(artifacts / "lab-red-flags.png"), full_page=False)

    record = _record(root, "scams-red-flags")
    assert sorted(record["answers"]["flags-fake-bank"]["_"][0]["value"]["marked"]) == sorted(suspicious)
    assert sorted(record["answers"]["which-are-red-flags"]["_"][0]["value"]["selected"]) == sorted(choice.correct)
    assert hosts <= {"http://127.0.0.1", "ws://127.0.0.1"}, hosts  # the lesson made no request to any other host
    page.close()


def test_verdict_with_the_keyboard_alone(lab: tuple[str, Path], browser: Any, artifacts: Path) -> None:
    url, root = lab
    hosts: set[str] = set()
    page = _open_and_run(browser, url, LESSON_JUDGE, hosts)
    verdict = load(bundled_curriculum()).lesson("scams-real-or-scam").activity("judge-messages")
    first = verdict.items[0]
    label = {"scam": "Scam", "legit": "Legit"}[first.answer]
    page.locator(".nw-verdict").first.wait_for(state="attached", timeout=30_000)
    # Select the cell just before the widget (command mode), then use only keys.
    before = (
        page.locator(".jp-Cell").filter(has=page.locator(".nw-verdict")).first.locator("xpath=preceding-sibling::*[1]")
    )
    before.scroll_into_view_if_needed()
    before.locator(".jp-Cell-inputWrapper").click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    target = None
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement; "
            "return a && a.classList.contains('nw-verdict') ? a.textContent.trim() : null }"
        )
        if focused == label:
            target = focused
            break
        if focused is not None:  # on the first item's other button: move within the group
            continue
    assert target == label, "could not reach the verdict buttons with Tab"
    page.keyboard.press("Enter")
    item = page.locator("article.nw-item").first
    item.locator(".nw-feedback:not([hidden])").wait_for(timeout=30_000)
    text = item.locator(".nw-feedback").inner_text()
    assert "Correct" in text and first.explanation.split(".")[0] in text
    pressed = item.locator('.nw-verdict[aria-pressed="true"]')
    assert pressed.inner_text().strip() == label
    # Focus stays on the button that was pressed, so a keyboard user is not lost.
    assert page.evaluate("() => document.activeElement.getAttribute('aria-pressed')") == "true"
    live = page.locator(".nw-activity").first.locator('[role="status"]')
    page.wait_for_function("el => el.textContent.trim().length > 0", arg=live.element_handle())
    page.screenshot(path=str(artifacts / "lab-verdict-keyboard.png"))
    record = _record(root, "scams-real-or-scam")
    assert record["answers"]["judge-messages"][first.id][0]["value"] == {"verdict": first.answer}
    assert hosts <= {"http://127.0.0.1", "ws://127.0.0.1"}, hosts
    page.close()
