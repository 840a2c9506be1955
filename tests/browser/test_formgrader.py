"""nbgrader's formgrader, in a real JupyterLab, shows a NetWise course: its assignments and its students.

`netwise course init` makes a course (the mini curriculum, three students with Vietnamese names),
`netwise course assignment` adds one more, and one student's work is collected and graded. Then
JupyterLab is started in the course folder, as the README tells teachers to (with a token), and
nbgrader's own server extension must list exactly that course: its API, and its Manage Assignments
and Manage Students pages in Debian's chromium. Started from any other folder, nbgrader would not
find the course's nbgrader_config.py and every assertion on names would fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from support.coursework import ROSTER, do_lesson, hand_in, roster_csv
from support.paths import FIXTURES, run_netwise
from support.servers import chromium, free_port, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COURSE_ID = "lop-7a"
STUDENTS = ROSTER[:3]  # an.nguyen (Nguyễn Văn An), binh.tran (Trần Thị Bình), cuong.le (Lê Mạnh Cường)
EXTRA = "on-tap"  # an assignment added after init, made of any lessons
CHECKS = 4  # the mini lesson has four activities, each with a check worth one point


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A course with three students and two assignments, an.nguyen's work graded in 'basics'."""
    base = tmp_path_factory.mktemp("formgrader")
    curriculum = base / "curriculum"
    shutil.copytree(FIXTURES / "mini", curriculum)
    root = base / "course"
    out = ok(run_netwise("course", "init", str(root), "--name", COURSE_ID, "--lang", "vi", "--students",
                         str(roster_csv(base / "roster.csv", STUDENTS)), "--curriculum", str(curriculum)))  # fmt: skip
    assert f"with {len(STUDENTS)} students" in out
    created = re.findall(r"^  (\S+)\s+week \d+", out, flags=re.MULTILINE)  # init's release rhythm
    assert created == ["basics"], out  # one assignment per module, named after the module
    ok(run_netwise("course", "assignment", str(root), EXTRA, "basics-one"))

    ok(run_netwise("course", "release", str(root), "basics", "--to", str(base / "usb")))
    folder = do_lesson(base / "usb" / "basics.zip", base / "students" / "an.nguyen", "perfect", curriculum)
    zips = base / "zips"
    zips.mkdir()
    ok(run_netwise("course", "collect", str(root), "basics", str(hand_in(folder, "an.nguyen", zips))))
    graded = ok(run_netwise("course", "grade", str(root), "basics"))
    assert re.search(rf"^an\.nguyen\s+{CHECKS}/{CHECKS}\b", graded, flags=re.MULTILINE), graded
    return root, [*created, EXTRA]


@contextlib.contextmanager
def lab_in(folder: Path, token: str, log: Path) -> Iterator[str]:
    """`jupyter lab` started in ``folder`` (its working directory and root), as a teacher runs it."""
    port = free_port()
    state = Path(tempfile.mkdtemp(prefix="formgrader-lab-"))
    env = {
        **os.environ,
        # No user-level Jupyter or nbgrader configuration: only the course's nbgrader_config.py.
        "JUPYTER_CONFIG_DIR": str(state / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
    }
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--ServerApp.root_dir={folder}", f"--IdentityProvider.token={token}", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--allow-root",
    ]  # fmt: skip
    try:
        with serving(command, f"http://127.0.0.1:{port}/api/status?token={token}", log, env=env, cwd=folder):
            yield f"http://127.0.0.1:{port}"
    finally:
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def lab(course: tuple[Path, list[str]], artifacts: Path) -> Iterator[tuple[str, str]]:
    token = secrets.token_hex(16)
    with lab_in(course[0], token, artifacts / "formgrader-jupyterlab.log") as url:
        yield url, token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def api(url: str, token: str | None) -> Any:
    """GET a formgrader API path; the JSON it answers, or the HTTP status if it refused."""
    headers = {"Authorization": f"token {token}"} if token else {}
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
            # nbgrader writes its JSON as text/html: read the body, not the header.
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return error.code


def test_formgrader_api_lists_the_course(course: tuple[Path, list[str]], lab: tuple[str, str]) -> None:
    _, assignments = course
    url, token = lab
    assert api(f"{url}/formgrader/api/assignments", None) in (302, 403), "the formgrader answered without the token"

    listed = api(f"{url}/formgrader/api/assignments", token)
    assert isinstance(listed, list), listed
    assert sorted(a["name"] for a in listed) == sorted(assignments)
    for assignment in listed:
        name = assignment["name"]
        assert assignment["id"] is not None, f"{name} is not in the course's gradebook"
        assert assignment["source_path"] == f"source/{name}"
        assert assignment["max_score"] == CHECKS, assignment
    by_name = {a["name"]: a for a in listed}
    assert by_name["basics"]["num_submissions"] == 1 and by_name["basics"]["average_score"] == CHECKS
    assert by_name[EXTRA]["num_submissions"] == 0

    students = api(f"{url}/formgrader/api/students", token)
    assert isinstance(students, list), students
    assert {s["id"]: (s["first_name"], s["last_name"]) for s in students} == {
        sid: (first, last) for sid, first, last, _ in STUDENTS
    }
    scores = {s["id"]: (s["score"], s["max_score"]) for s in students}
    assert scores["an.nguyen"] == (CHECKS, CHECKS * len(assignments)) and scores["binh.tran"][0] == 0

    submissions = api(f"{url}/formgrader/api/submissions/basics", token)
    assert [(s["student"], s["last_name"], s["autograded"], s["score"]) for s in submissions] == [
        ("an.nguyen", "Nguyễn Văn", True, CHECKS)
    ]

    # nbgrader's JupyterLab extension is served by the same server, beside the formgrader.
    extensions = api(f"{url}/lab/api/extensions?token={token}", None)
    assert "jupyter-nbgrader" in [e["name"] for e in extensions]


def test_formgrader_pages_in_chromium(
    course: tuple[Path, list[str]], lab: tuple[str, str], tmp_path: Path, artifacts: Path
) -> None:
    root, assignments = course
    url, token = lab
    hosts: set[str] = set()
    errors: list[str] = []
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
        page.on("pageerror", lambda error: errors.append(str(error)))

        # /formgrader (with the token, as JupyterLab's Nbgrader menu opens it) leads to Manage Assignments.
        page.goto(f"{url}/formgrader?token={token}")
        page.wait_for_url(re.compile(r"/formgrader/manage_assignments$"))
        names = page.locator("#main-table td.name a")
        names.nth(len(assignments) - 1).wait_for(timeout=30_000)  # rows are drawn from the API by script
        assert sorted(names.all_inner_texts()) == sorted(assignments)
        basics = page.locator("#main-table tr", has=page.locator("td.name a", has_text=re.compile("^basics$")))
        assert basics.locator("td.num-submissions").inner_text().strip() == "1"
        # The configuration nbgrader loaded is the course's own file.
        config = page.locator("#collapseConfig pre").text_content() or ""
        assert f"'course_id': '{COURSE_ID}'" in config and f"'root': '{root}'" in config
        page.screenshot(path=str(artifacts / "formgrader-assignments.png"), full_page=True)

        page.goto(f"{url}/formgrader/manage_students")
        students = page.locator("#main-table td.name a")
        students.nth(len(STUDENTS) - 1).wait_for(timeout=30_000)
        assert sorted(students.all_inner_texts()) == sorted(f"{last}, {first}" for _, first, last, _ in STUDENTS)
        assert page.get_by_role("link", name="Nguyễn Văn, An", exact=True).count() == 1
        row = page.locator("#main-table tr", has=page.get_by_role("link", name="Nguyễn Văn, An", exact=True))
        assert row.locator("td.id").inner_text().strip() == "an.nguyen"
        assert row.locator("td.score").inner_text().strip() == f"{CHECKS} / {CHECKS * len(assignments)}"
        page.screenshot(path=str(artifacts / "formgrader-students.png"), full_page=True)

    assert not errors, errors
    assert hosts == {urlparse(url).netloc}, f"the formgrader loaded from other hosts: {hosts}"
