"""A student's side of a class, exactly as the README prints it, through JupyterLab in chromium.

The teacher releases the ``scams`` lessons; in a fresh folder (``netwise-env`` is the suite's own
environment, as the README's offline install makes it) the README's ``student-flow`` blocks run
verbatim: ``lab --open`` starts JupyterLab on the unzipped folder (the browser it would open is a
no-op here; chromium, driven by Playwright, opens the printed address instead), the student
answers one activity with the mouse, stops JupyterLab and zips the folder. The teacher collects
and grades that zip: the activity scores its full points, every other one is not done.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from netwise.content import load
from netwise.paths import bundled_curriculum
from support.paths import run_netwise
from support.servers import chromium, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

README = Path(__file__).resolve().parents[2] / "README.md"
MARK = re.compile(r"<!-- tested: student-flow -->\n(?P<indent>[ \t]*)```[\w-]*\n")
LESSON, ACTIVITY = "scams-red-flags", "which-are-red-flags"
STUDENT = "an.nguyen"
ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/lab\?token=\w+")


def student_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    out = []
    for match in MARK.finditer(text):
        indent = match.group("indent")
        end = text.index(f"\n{indent}```", match.end() - 1)
        out.append("\n".join(line.removeprefix(indent) for line in text[match.end() : end].splitlines()))
    return out


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result.stdout


def wait_for(predicate: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def run_all(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=90_000)
    for _ in range(3):  # a fresh JupyterLab may still be settling when the menu is first used
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_selector(".nw-activity", state="attached", timeout=30_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError("running the lesson showed no activity widget")


def test_a_student_follows_the_readme(tmp_path: Path, artifacts: Path) -> None:
    open_block, zip_block = student_blocks()
    assert "lab --open scams" in open_block and f"{STUDENT}.zip" in zip_block

    # The teacher: a course of one student, the lessons of scams released as a zip.
    teacher = tmp_path / "teacher"
    teacher.mkdir()
    (teacher / "roster.csv").write_text(f"id,first_name,last_name\n{STUDENT},Văn An,Nguyễn\n", encoding="utf-8")
    course = teacher / "lop"
    ok(run_netwise("course", "init", str(course), "--name", "lop", "--lang", "en", "--modules", "scams",
                   "--students", str(teacher / "roster.csv")))  # fmt: skip
    ok(run_netwise("course", "release", str(course), "scams", "--to", str(teacher / "usb")))

    # The student: a fresh folder with NetWise installed as netwise-env, the zip unpacked there.
    student = tmp_path / "student"
    student.mkdir()
    (student / "netwise-env").symlink_to(Path(sys.executable).parent.parent)
    with zipfile.ZipFile(teacher / "usb" / "scams.zip") as archive:
        archive.extractall(student)
    released = sorted(p.name for p in (student / "scams").iterdir())
    state = tmp_path / "lab-state"
    env = {
        **os.environ,
        "BROWSER": "true",  # the browser JupyterLab would open: nothing here, Playwright opens the page
        "JUPYTER_PORT": str(free_port()),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
    }
    log = artifacts / "student-lab.log"
    with log.open("wb") as handle:
        lab = subprocess.Popen(["bash", "-c", open_block], cwd=student, env=env, stdout=handle,
                               stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        address = wait_for(lambda: ADDRESS.search(log.read_text(errors="replace")), 90, "JupyterLab's address").group(0)
        assert lab.poll() is None
        lesson = load(bundled_curriculum()).lesson(LESSON)
        choice = lesson.activity(ACTIVITY)
        notebook = next(p.name for p in (student / "scams").glob(f"*-{LESSON}.ipynb"))
        with chromium(tmp_path / "profile") as browser:
            page = browser.new_page()
            run_all(page, address.replace("/lab?", f"/lab/tree/{notebook}?reset&"))
            group = page.locator("fieldset.nw-options").last
            group.scroll_into_view_if_needed()
            for option_id in choice.correct:
                group.locator(f'label.nw-option[data-key="{option_id}"]').click()
            section = page.locator(".nw-activity").filter(has=group)
            section.get_by_role("button", name="Check my answer").click()
            section.locator(".nw-feedback:not([hidden])").first.wait_for(timeout=30_000)
            page.screenshot(path=str(artifacts / "student-flow.png"))
            record = student / "scams" / f"{LESSON}.answers.json"
            wait_for(lambda: record.is_file() and ACTIVITY in record.read_text(encoding="utf-8"), 30, "the answers")
            page.close()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(lab.pid, signal.SIGTERM)  # the student's Ctrl-C
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()
    # lab --open copied no lesson into the folder: what is there is the release and the answers.
    added = {p.name for p in (student / "scams").iterdir()} - set(released)
    assert f"{LESSON}.answers.json" in added
    assert all(LESSON in name or name == ".ipynb_checkpoints" for name in added), added  # its record and lock

    ok(subprocess.run(["bash", "-c", zip_block], cwd=student, env=env, capture_output=True, text=True, timeout=60))
    handed_in = student / f"{STUDENT}.zip"
    assert handed_in.is_file()

    # The teacher again: the zip collects and grades to the points of the one activity answered.
    ok(run_netwise("course", "collect", str(course), "scams", str(handed_in)))
    ok(run_netwise("course", "grade", str(course), "scams"))
    with (course / "grades" / "scams.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["student_id"] == STUDENT
    assert float(row[f"{LESSON}:{ACTIVITY}"]) == choice.points > 0
    assert float(row["score"]) == choice.points
