"""The teacher's dashboard never scrolls sideways, however many activities the session holds.

Why: with a module's check before, its lesson and its check after in one session the grid has a
column per activity (some thirty for a real module), wider than a tablet. Only the grid's own box
may scroll sideways (``.grid-scroll``: ``overflow-x: auto``, ``max-width: 100%``); a page that
scrolls sideways hides the buttons beside the grid and drags the whole dashboard under a finger.
Measured in Chromium on a real class-mode server (``netwise serve --course``) at a tablet's
820 px and a phone's 390 px: the document is never wider than the window, and the grid's box is
the one that scrolls.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.classes import ClassCourse, class_server, roster_csv
from support.paths import run_netwise
from support.servers import chromium_browser

SESSION = ("scams-pre", "scams")  # the bundled module's check before and its lessons: some thirty activities


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("dashboard-width")
    roster = base / "roster.csv"
    roster.write_text(roster_csv(), encoding="utf-8")
    root = base / "lop8"
    made = run_netwise("course", "init", str(root), "--name", "lop8", "--lang", "vi", "--students", str(roster))
    assert made.returncode == 0, made.stderr
    assert run_netwise("course", "cards", str(root), "--json").returncode == 0  # serve needs login cards
    with class_server(ClassCourse(base, root, base, {}, {}), SESSION) as running:
        yield f"{running.url}/teacher?key={running.key}"


@pytest.mark.parametrize("width", [820, 390])
def test_only_the_grid_scrolls_sideways(dashboard_url: str, width: int) -> None:
    with chromium_browser() as browser:
        page = browser.new_page(viewport={"width": width, "height": 1180}, has_touch=True)
        page.goto(dashboard_url)
        sizes: dict[str, Any] = page.evaluate(
            """() => {
                const box = document.querySelector('.grid-scroll');
                const root = document.documentElement;
                return {columns: box.querySelectorAll('thead th').length - 1,
                        page: root.scrollWidth, window: root.clientWidth,
                        box: box.clientWidth, grid: box.scrollWidth};
            }"""
        )
    assert sizes["columns"] * 44 > width, sizes  # the grid is wider than the window: the case in question
    assert sizes["page"] <= sizes["window"], f"the dashboard scrolls sideways at {width} px: {sizes}"
    assert sizes["grid"] > sizes["box"] and sizes["box"] <= sizes["window"], sizes  # its own box scrolls
