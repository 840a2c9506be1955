"""A class session as the class-mode tests set it up: one helper instead of a copy per test file.

Class mode (issue 14) is tested through the real commands a teacher runs: ``netwise course init``
makes an nbgrader course from a roster of Vietnamese names, ``netwise course cards --json`` gives
each student a secret, and the installed ``netwise serve --course ... --assignment ...`` runs the
session (a real server the test may SIGKILL and start again). ``Client`` is a phone or a tablet
as plain HTTP: its cookie jar, redirects seen rather than followed, the join page's ``_xsrf``
posted back, any ``Host`` header (the LAN case on 127.0.0.1). ``ClassServer.teacher`` swaps the
printed dashboard key for the teacher's cookie, as the tablet's first visit does.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netwise.content import load
from netwise.i18n import Translator
from support.paths import FIXTURES, run_netwise
from support.servers import free_port, wait_http

# Four students with Vietnamese names, one of them "Đặng Đức" (issue 14's "tests that must exist").
STUDENTS = (
    ("dang.duc", "Đức", "Đặng"),
    ("an.nguyen", "An", "Nguyễn Văn"),
    ("binh.tran", "Bình", "Trần Thị"),
    ("lan.pham", "Lan", "Phạm"),
)
# As a Vietnamese page shows a name: family name first.
NAMES = {sid: f"{last} {first}" for sid, first, last in STUDENTS}
CURRICULUM = FIXTURES / "assess"  # one module "basics": check before, lesson "basics-one", check after
TEACHER_LINE = re.compile(r"Teacher dashboard: \S+/teacher\?key=(\S+)")


def roster_csv(students: tuple[tuple[str, str, str], ...] = STUDENTS) -> str:
    return "id,first_name,last_name\n" + "".join(f"{sid},{first},{last}\n" for sid, first, last in students)


def ui(lang: str = "vi") -> dict[str, str]:
    """The interface strings the course's pages show, from the catalog (never copied into a test)."""
    return Translator(load(CURRICULUM), lang).ui()


@dataclass(frozen=True)
class ClassCourse:
    """A course made by ``course init`` with login cards made by ``course cards --json``."""

    base: Path  # the test's folder: roster, a copy of the curriculum, server logs
    root: Path  # the course folder (DIR)
    curriculum: Path
    secrets: dict[str, str]  # student id -> the secret printed on their card
    kinds: dict[str, str]  # student id -> "words" or "pictures"


def make_course(
    base: Path,
    name: str = "lop7",
    lang: str = "vi",
    ages: str | None = None,
    students: tuple[tuple[str, str, str], ...] = STUDENTS,
    url: str | None = None,
) -> ClassCourse:
    """A course of ``students`` in ``base/name`` through the installed commands, and its cards' secrets."""
    curriculum = base / "curriculum"
    if not curriculum.exists():
        shutil.copytree(CURRICULUM, curriculum)
    roster = base / f"{name}-roster.csv"
    roster.write_text(roster_csv(students), encoding="utf-8")
    root = base / name
    args = ["course", "init", str(root), "--name", name, "--lang", lang, "--students", str(roster),
            "--curriculum", str(curriculum)]  # fmt: skip
    if ages:
        args += ["--ages", ages]
    made = run_netwise(*args)
    assert made.returncode == 0, made.stderr
    cards = run_netwise("course", "cards", str(root), "--json", *(["--url", url] if url else []))
    assert cards.returncode == 0, cards.stderr
    rows = json.loads(cards.stdout)
    assert sorted(row["id"] for row in rows) == sorted(s[0] for s in students)  # a secret per student
    return ClassCourse(
        base, root, curriculum, {row["id"]: row["secret"] for row in rows}, {row["id"]: row["kind"] for row in rows}
    )


class Client:
    """One browser as plain HTTP: its cookies, redirects seen (not followed), any ``Host`` header."""

    def __init__(self, port: int, host: str = "") -> None:
        self.port = port
        self.host = host
        self.jar: dict[str, str] = {}
        self.set_cookies: list[str] = []

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, Any, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())} if self.jar else {}
        if self.host:
            headers["Host"] = f"{self.host}:{self.port}"
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            # A CSV starts with the byte-order mark spreadsheet apps need: read past it.
            codec = "utf-8-sig" if urllib.parse.urlsplit(path).path.endswith(".csv") else "utf-8"
            text = response.read().decode(codec, "replace")
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(line)
            name, _, value = line.split(";", 1)[0].partition("=")
            if value.strip('"'):  # tornado clears a cookie as "" (expired)
                self.jar[name.strip()] = value.strip()
            else:
                self.jar.pop(name.strip(), None)
        return response.status, response.headers, text

    def get(self, path: str) -> tuple[int, Any, str]:
        return self.request("GET", path)

    def post(self, path: str, **fields: str) -> tuple[int, Any, str]:
        """A form post with the ``_xsrf`` the pages gave (Jupyter Server's check stays on)."""
        return self.request("POST", path, {**fields, "_xsrf": self.jar.get("_xsrf", "")})

    def join(self, sid: str, secret: str) -> tuple[int, Any, str]:
        """The no-JavaScript sign-in: the join page (its _xsrf and device cookies), then ``POST /join``."""
        assert self.get("/")[0] == 200
        return self.post("/join", student=sid, secret=secret)


class ClassServer:
    """`netwise serve --course ...` as a teacher runs it, which a test may SIGKILL and run again."""

    def __init__(self, base: Path, course: Path, assignments: tuple[str, ...] = ("basics",)) -> None:
        self.base = base
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [str(Path(sys.executable).parent / "netwise"), "serve", "--course", str(course),
                     "--port", str(self.port)]  # fmt: skip
        for name in assignments:
            self.args += ["--assignment", name]
        self.process: subprocess.Popen[bytes] | None = None
        self.runs = 0
        self.key = ""

    @property
    def log(self) -> Path:
        return self.base / f"serve-{self.port}-{self.runs}.log"

    def start(self) -> None:
        self.runs += 1
        tmp = self.base / f"tmp-{self.port}-{self.runs}"  # its served notebooks and kernel files
        tmp.mkdir(parents=True)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                self.args, cwd=tmp, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "TMPDIR": str(tmp)},
            )  # fmt: skip
        wait_http(f"{self.url}/", self.process, timeout=120)
        match = TEACHER_LINE.search(self.log.read_text(encoding="utf-8"))
        assert match, self.log.read_text(encoding="utf-8")
        self.key = match.group(1)

    def kill(self, sig: int = signal.SIGTERM) -> None:
        """Signal the server's whole process group (its kernels too) and wait for it."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def teacher(self) -> Client:
        """The tablet: the printed key swapped for the HttpOnly cookie, then the dashboard (its _xsrf)."""
        tablet = Client(self.port)
        status, headers, _ = tablet.get(f"/teacher?key={self.key}")
        assert status in (302, 303) and headers["Location"] == "/teacher", status
        assert tablet.get("/teacher")[0] == 200
        return tablet


@contextlib.contextmanager
def class_server(course: ClassCourse, assignments: tuple[str, ...] = ("basics",)) -> Iterator[ClassServer]:
    """A running class-mode server for ``course``, stopped with its kernels at the end."""
    running = ClassServer(course.base, course.root, assignments)
    running.start()
    try:
        yield running
    finally:
        running.kill(signal.SIGTERM)
