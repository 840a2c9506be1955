"""The class report and a feedback page fit the window: at 390 px (a phone) and 1,280 px (a
laptop) the page never scrolls sideways, whatever the width of its tables (each scrolls inside
its own box), and axe-core finds no serious or critical violation.

The course is the real cycle on the bundled curriculum: the scams module as one assignment
(five lessons, 22 activities: the widest report a module makes), in Vietnamese, one student
with every activity answered and one who did only the first lesson, so the problems column is
long and "not done" fills most of the score tables.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netwise.content import load
from netwise.paths import bundled_curriculum
from netwise.scoring.record import AnswerRecord
from support.axe import axe
from support.coursework import hand_in, roster_csv
from support.paths import run_netwise
from support.servers import chromium_browser

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ASSIGNMENT = "scams"
WIDTHS = (390, 1280)
ROSTER = [("an.nguyen", "Thị An", "Nguyễn", ""), ("binh.tran", "Văn Bình", "Trần", "")]


def first_answers(activity: Any) -> dict[str, dict[str, Any]]:
    """Plausible first answers (part -> value) to the activity types of the scams module."""
    kind = activity.type
    if kind == "choice":
        return {"_": {"selected": [activity.options[0].id]}}
    if kind == "verdict":
        return {item.id: {"verdict": item.answer} for item in activity.items}
    if kind == "red_flags":
        return {"_": {"marked": [activity.parts[0].id]}}
    if kind == "branching":
        nodes = {node.id: node for node in activity.nodes}
        path = [activity.start]
        while nodes[path[-1]].choices:
            path.append(nodes[path[-1]].choices[0].goto)
        return {"_": {"path": path}}
    return {}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("report-fit")
    root = base / "course"
    curriculum = load(bundled_curriculum())
    ok(run_netwise("course", "init", str(root), "--name", "lop-4a", "--lang", "vi", "--modules", "scams",
                   "--students", str(roster_csv(base / "roster.csv", ROSTER))))  # fmt: skip
    lessons = list(curriculum.module("scams").lessons)
    zips = []
    for sid, *_ in ROSTER:
        folder = base / "students" / sid / ASSIGNMENT
        shutil.copytree(root / "release" / ASSIGNMENT, folder)
        for lesson_id in lessons if sid == "an.nguyen" else lessons[:1]:
            record = AnswerRecord.open(lesson_id, "vi", folder)
            for activity in curriculum.lesson(lesson_id).activities:
                for part, value in first_answers(activity).items():
                    record.add(activity.id, part, value)
        zips.append(str(hand_in(folder, sid, base)))
    ok(run_netwise("course", "collect", str(root), ASSIGNMENT, *zips))
    ok(run_netwise("course", "grade", str(root), ASSIGNMENT))
    ok(run_netwise("course", "report", str(root), ASSIGNMENT))
    return root


def ok(result: Any) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return str(result.stdout)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as launched:
        yield launched


def open_page(browser: Any, width: int) -> Any:
    # bypass_csp: the pages' CSP forbids every script, axe-core's too
    return browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)


def pages(course: Path) -> dict[str, Path]:
    feedback = sorted((course / "feedback" / "binh.tran" / ASSIGNMENT).glob("*.html"))
    return {"report": course / "reports" / f"{ASSIGNMENT}.html", "feedback": feedback[0],
            "feedback, not done": feedback[-1]}  # fmt: skip


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_axe_finds_nothing_serious(
    course: Path, browser: Any, width: int, tmp_path: Path
) -> None:
    requests: list[str] = []
    for name, path in pages(course).items():
        page = open_page(browser, width)
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert scroll <= width, f"{name} at {width} px is {scroll} px wide"
        assert axe(page) == [], f"{name} at {width} px"
        page.close()
    assert all(url.startswith(("file:", "data:")) for url in requests), requests


def test_wide_tables_scroll_inside_their_own_box_and_bars_are_grouped(course: Path, browser: Any) -> None:
    page = open_page(browser, 390)
    page.goto(pages(course)["report"].as_uri())
    assert page.locator("h1").inner_text() == f"Báo cáo của lớp: {ASSIGNMENT}"
    assert page.title() == f"Báo cáo của lớp: {ASSIGNMENT}"
    # Five lessons: five score tables, five groups of bars, a bar per graded activity.
    curriculum = load(bundled_curriculum())
    graded = [a for lid in curriculum.module("scams").lessons for a in curriculum.lesson(lid).activities if a.points]
    assert page.locator("section.lesson-scores").count() == 5
    assert page.locator("#chart-activities text.lesson").count() == 5
    assert page.locator("#chart-activities rect.bar").count() == len(graded)
    # A table wider than the phone scrolls inside its box, which a keyboard can reach.
    boxes = page.locator("div.scroll")
    wide = [i for i in range(boxes.count()) if boxes.nth(i).evaluate("e => e.scrollWidth > e.clientWidth")]
    assert wide, "at 390 px some table should need its own scroll box"
    for i in wide:
        assert boxes.nth(i).get_attribute("tabindex") == "0" and boxes.nth(i).get_attribute("role") == "region"
    binh = page.locator("section.lesson-scores").nth(1).locator("tbody tr", has_text="Trần Văn Bình")
    assert "chưa làm" in binh.inner_text()
    page.close()
