"""Class mode of `netwise serve` (issue 14): signing in on phones, answers into submitted/, a SIGKILL survived.

A real nbgrader course (``course init``, Vietnamese, four students, one of them "Đặng Đức") gets
its login cards (``course cards --json``), and the installed ``netwise serve --course`` runs its
check before and its lesson. Phones are plain HTTP clients here (the browser side is
tests/browser/test_class_phones.py): the no-JavaScript form sign-in with ``_xsrf``, the kind
message for a wrong secret, the lock after three and the teacher's unlock, a second device that
waits until the teacher releases the first, the LAN case (a non-loopback ``Host`` header, the
server still on 127.0.0.1), and what a student may not load. Then a student answers through
the real widget's comm messages over the kernel websocket, the server is SIGKILLed and started
again with the same command: the answer is on disk and the same cookie opens the page again,
whose new kernel restores the answer from ``submitted/``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import json
import re
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from netwise.app.logins import fold
from netwise.i18n.ui_text import UI_TEXT
from support.classes import ClassCourse, ClassServer, Client, class_server, make_course, ui
from support.paths import run_netwise
from support.servers import kernel_id, kernel_message


@functools.cache
def vi() -> dict[str, str]:
    """The interface strings in Vietnamese, as the course's pages show them."""
    strings = ui("vi")
    assert strings["class_wrong"] != UI_TEXT["class_wrong"]  # translated: the pages are not in English
    return strings


def shown(key: str, **values: Any) -> str:
    """A Vietnamese interface string as it appears in a page's HTML."""
    return str(escape(vi()[key].format(**values)))


LAN_HOST = "192.168.1.23"  # what a phone on the school Wi-Fi puts in Host; the test never leaves 127.0.0.1


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> ClassCourse:
    made = make_course(tmp_path_factory.mktemp("class"), url=f"http://{LAN_HOST}:8866/")
    assert len(made.secrets) == 4
    return made


@pytest.fixture(scope="module")
def server(course: ClassCourse) -> Iterator[ClassServer]:
    with class_server(course, ("basics-pre", "basics")) as running:
        yield running


def test_course_flags_clash_is_one_line_and_exit_2(course: ClassCourse) -> None:
    for extra in (["--lang", "vi"], ["--lessons", "basics-one"], ["--curriculum", "x"], ["--region", "vn"]):
        result = run_netwise("serve", "--course", str(course.root), "--assignment", "basics", *extra)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert extra[0] in result.stderr and "--course" in result.stderr
    unknown = run_netwise("serve", "--course", str(course.root), "--assignment", "basic")
    assert unknown.returncode != 0 and "did you mean 'basics'" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1


def test_no_javascript_sign_in_on_the_lan_address(server: ClassServer, course: ClassCourse) -> None:
    banner = server.log.read_text(encoding="utf-8")
    assert f"Students join at: http://127.0.0.1:{server.port}/" in banner and "█" in banner  # the QR code

    phone = Client(server.port, host=LAN_HOST)  # a phone on the school Wi-Fi
    status, _, page = phone.get("/")
    assert status == 200 and '<html lang="vi">' in page
    for name in ("Đặng Đức", "Nguyễn Văn An", "Trần Thị Bình", "Phạm Lan"):
        assert name in page
    # The name is found without diacritics: the option carries its folded form for the script.
    assert f'data-search="{fold("Đặng Đức")} dang.duc"' in page and "dang duc" in fold("Đặng Đức")
    assert server.key not in page and "teacher" not in page.lower()
    assert re.search(r'<select id="student" name="student"', page) and 'name="secret"' in page
    assert 'name="_xsrf"' in page and "nw_device" in phone.jar

    # Without _xsrf the form is refused (Jupyter Server's check stays on).
    assert phone.request("POST", "/join", {"student": "dang.duc", "secret": "x"})[0] == 403

    status, headers, _ = phone.post("/join", student="dang.duc", secret=course.secrets["dang.duc"].upper())
    assert status == 303 and headers["Location"] == "/class"
    cookie = next(c for c in phone.set_cookies if c.startswith("nw_class="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    token = phone.jar["nw_class"]
    stored = (course.root / "class" / "sessions.json").read_text(encoding="utf-8")
    assert token not in stored and "dang.duc" in stored  # only the token's hash is kept

    status, _, home = phone.get("/class")
    assert status == 200 and "Đặng Đức" in home
    assert re.findall(r'data-page="([^"]+)"', home) == ["basics-pre", "basics-one"]
    assert shown("class_not_started") in home  # "not started", in the course's language
    assert server.key not in home


def test_wrong_secret_is_kind_then_three_lock_until_the_teacher_unlocks(
    server: ClassServer, course: ClassCourse
) -> None:
    phone = Client(server.port)
    status, _, page = phone.join("lan.pham", "sai bét")
    assert status == 401
    assert shown("class_wrong", tries=2) in page  # kind, and how many tries are left
    assert 'value="lan.pham" data-search' in page and "selected" in page  # the name stays chosen
    # At once again: rate-limited, even with the right secret.
    status, headers, page = phone.post("/join", student="lan.pham", secret=course.secrets["lan.pham"])
    assert status == 429 and int(headers["Retry-After"]) >= 1 and shown("class_slow") in page
    time.sleep(1.1)
    assert shown("class_wrong", tries=1) in phone.post("/join", student="lan.pham", secret="sai nữa")[2]
    time.sleep(1.1)
    status, _, page = phone.post("/join", student="lan.pham", secret="sai lần ba")
    assert status == 403 and shown("class_locked") in page  # locked: ask your teacher
    time.sleep(1.1)
    status, _, page = phone.post("/join", student="lan.pham", secret=course.secrets["lan.pham"])
    assert status == 403 and shown("class_locked") in page and "nw_class" not in phone.jar
    stored = json.loads((course.root / "class" / "sessions.json").read_text(encoding="utf-8"))
    assert stored["students"]["lan.pham"]["locked"] is True

    tablet = server.teacher()
    assert tablet.post("/teacher/unlock", student="lan.pham")[0] in (200, 302, 303)
    status, headers, _ = phone.post("/join", student="lan.pham", secret=course.secrets["lan.pham"])
    assert status == 303 and headers["Location"] == "/class"


def test_a_second_device_waits_until_the_teacher_releases_the_first(server: ClassServer, course: ClassCourse) -> None:
    first, second = Client(server.port), Client(server.port)
    assert first.join("binh.tran", course.secrets["binh.tran"])[0] == 303
    status, headers, _ = second.join("binh.tran", course.secrets["binh.tran"])
    assert status == 303 and headers["Location"] == "/join/wait"
    status, headers, page = second.get("/join/wait")
    assert status == 200 and headers["Refresh"] and 'http-equiv="refresh"' in page  # retries without JS
    assert shown("class_wait_title") in page and "nw_class" not in second.jar
    assert first.get("/class")[0] == 200

    tablet = server.teacher()
    assert tablet.post("/teacher/release", student="binh.tran")[0] in (200, 302, 303)
    status, headers, _ = second.get("/join/wait")  # the next look of the waiting page gets in
    assert status in (302, 303) and headers["Location"] == "/class"
    assert second.get("/class")[0] == 200
    status, headers, _ = first.get("/class")  # the released device is signed out
    assert status == 302 and headers["Location"] == "/"


def test_a_student_reaches_neither_the_dashboard_nor_anothers_feedback(
    server: ClassServer, course: ClassCourse
) -> None:
    root: Path = course.root
    for sid in ("an.nguyen", "dang.duc"):  # as `netwise course grade` lays feedback out
        folder = root / "feedback" / sid / "basics"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "01-basics-one.html").write_text(f"<html><body>feedback of {sid}</body></html>", encoding="utf-8")
    phone = Client(server.port)
    assert phone.join("an.nguyen", course.secrets["an.nguyen"])[0] == 303
    status, _, home = phone.get("/class")
    assert re.findall(r'href="(/class/feedback/[^"]+)"', home) == ["/class/feedback/basics/01-basics-one.html"]
    assert shown("class_feedback_for", title="VI Lesson one") in home  # titled as the lesson, in vi
    status, _, own = phone.get("/class/feedback/basics/01-basics-one.html")
    assert status == 200 and "feedback of an.nguyen" in own and "dang.duc" not in own
    for path in (
        "/class/feedback/basics/..%2F..%2Fdang.duc%2Fbasics%2F01-basics-one.html",
        "/class/feedback/../dang.duc/basics/01-basics-one.html",
        "/class/feedback/basics-post/01-basics-one.html",
        "/feedback/dang.duc/basics/01-basics-one.html",
        "/submitted/dang.duc/basics/timestamp.txt",
        "/teacher", "/teacher/data.json", "/teacher/class.csv", "/teacher/projector",
    ):  # fmt: skip
        status, _, page = phone.get(path)
        assert status == 404 and "feedback of dang.duc" not in page, path
    status, _, _ = phone.post("/teacher/release", student="dang.duc")
    assert status in (403, 404)
    stranger = Client(server.port)  # not signed in at all
    status, headers, _ = stranger.get("/class/feedback/basics/01-basics-one.html")
    assert status == 302 and headers["Location"] == "/"
    assert stranger.get("/class/lesson/basics-one")[0] == 302


def test_one_live_lesson_kernel_per_student(server: ClassServer, course: ClassCourse) -> None:
    server.teacher().post("/teacher/release", student="an.nguyen")  # signed in on another phone above
    phone = Client(server.port)
    assert phone.join("an.nguyen", course.secrets["an.nguyen"])[1]["Location"] == "/class"
    status, _, check = phone.get("/class/lesson/basics-pre")  # the module's check before, as a page
    assert status == 200
    first = kernel_id(check)
    assert phone.get(f"/api/kernels/{first}")[0] == 200  # its owner reads it
    assert Client(server.port).get(f"/api/kernels/{first}")[0] == 404  # nobody else does
    status, _, lesson = phone.get("/class/lesson/basics-one")
    second = kernel_id(lesson)
    assert status == 200 and second != first
    assert phone.get(f"/api/kernels/{second}")[0] == 200
    deadline = time.monotonic() + 30
    while phone.get(f"/api/kernels/{first}")[0] != 404:  # the previous page's kernel is shut down
        assert time.monotonic() < deadline, "the first page's kernel is still there"
        time.sleep(0.2)
    assert phone.get("/class/lesson/nope")[0] == 404
    # Two pages opened at once (a double tap): still exactly one live kernel, the later started one's.
    # The later kernel's start shuts the earlier one down, maybe while its page is still rendering:
    # that page then gets the friendly error page (the browser, gone on to the later page, never
    # shows it), so not both pages need name a kernel. Which kernels the tap started, the server's
    # log says ("Kernel started: <id>"): every one of them but one is shut down.
    log_from = server.log.stat().st_size
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        tapped = list(pool.map(phone.get, ["/class/lesson/basics-pre", "/class/lesson/basics-one"]))
    rendered = [found.group(1) for _, _, text in tapped if (found := re.search(r'"kernelId": "([0-9a-f-]{36})"', text))]
    assert rendered, [status for status, _, _ in tapped]  # at least the later page is there
    for status, _, text in tapped:
        assert (status == 200 and '"kernelId"' in text) or status == 500, status  # a page, or the friendly error
    logged = server.log.read_bytes()[log_from:].decode("utf-8")
    started = re.findall(r"Kernel started: ([0-9a-f-]{36})", logged)
    assert len(started) == 2 and set(rendered) <= set(started), (started, rendered)  # a kernel per page
    assert "failed to render" not in logged  # a page whose kernel was stopped on purpose is no fault
    deadline = time.monotonic() + 30
    while True:
        live = [kid for kid in [*started, second] if phone.get(f"/api/kernels/{kid}")[0] == 200]
        if len(live) == 1 and live[0] in rendered:
            break
        assert time.monotonic() < deadline, f"not exactly one live kernel for the student: {live}"
        time.sleep(0.2)
    # Signing out frees the device and stops the student's kernel (its answers are on disk).
    status, headers, _ = phone.post("/class/leave")
    assert status == 303 and headers["Location"] == "/" and "nw_class" not in phone.jar
    deadline = time.monotonic() + 30
    while phone.get(f"/api/kernels/{live[0]}")[0] != 404:
        assert time.monotonic() < deadline, "the student's kernel is still there"
        time.sleep(0.2)
    assert Client(server.port).join("an.nguyen", course.secrets["an.nguyen"])[1]["Location"] == "/class"


def test_picture_secrets_for_ages_8_to_10_sign_in_without_javascript(course: ClassCourse) -> None:
    young_course = make_course(course.base, name="lop3", ages="8-10")
    secret = young_course.secrets["dang.duc"]
    assert young_course.kinds["dang.duc"] == "pictures"
    with class_server(young_course) as young:
        phone = Client(young.port)
        status, _, page = phone.get("/")
        assert status == 200 and 'name="secret"' not in page
        for n in (1, 2):  # two groups of nine pictures, each a real radio group with a visible name
            assert len(re.findall(rf'<input type="radio" id="picture{n}-[a-z]+" name="picture{n}"', page)) == 9
        assert "<svg" in page and "mặt trời" in page  # the picture's Vietnamese name (logins.PICTURES)
        first, second = secret.split()
        wrong = next(p for p in ("sun", "moon") if p != first)
        status, _, page = phone.post("/join", student="dang.duc", picture1=wrong, picture2=second)
        assert status == 401 and shown("class_wrong", tries=2) in page
        time.sleep(1.1)
        status, headers, _ = phone.post("/join", student="dang.duc", picture1=first, picture2=second)
        assert status == 303 and headers["Location"] == "/class"
        assert phone.get("/class/lesson/basics-one")[0] == 200


# --- answering through the real widget, then a SIGKILL ----------------------------------


def message(msg_type: str, content: dict[str, Any], session: str) -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "", "session": session, "date": "",
              "version": "5.3"}  # fmt: skip
    metadata = {"version": "1.0.0"} if msg_type == "comm_open" else {}
    return json.dumps({"channel": "shell", "header": header, "parent_header": {}, "metadata": metadata,
                       "content": content, "buffers": []})  # fmt: skip


async def choice_states(phone: Client, page: str, answer: bool) -> dict[str, Any]:
    """Open the page's kernel as the page does; with ``answer``, pick the first choice activity's first option
    and check it (the page's own custom messages). Returns that activity's state once the kernel replied."""
    session = uuid.uuid4().hex
    url = f"ws://127.0.0.1:{phone.port}/api/kernels/{kernel_id(page)}/channels?session_id={session}"
    cookies = "; ".join(f"{k}={v}" for k, v in phone.jar.items())
    ws = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookies}, request_timeout=60))
    control = uuid.uuid4().hex
    ws.write_message(message("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                             session))  # fmt: skip
    ws.write_message(message("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, session))
    model_id, state = "", {}
    while not model_id:
        data = kernel_message(await asyncio.wait_for(ws.read_message(), 60))
        content = data["content"].get("data", {}) if data["header"]["msg_type"] == "comm_msg" else {}
        if content.get("method") == "update_states":
            for mid, entry in content["states"].items():
                if entry["state"].get("spec", {}).get("type") == "choice":
                    model_id, state = mid, entry["state"]
                    break
    if answer:
        option = state["spec"]["options"][0]["id"]
        for action in ({"action": "select", "ids": [option]}, {"action": "check"}):
            ws.write_message(message("comm_msg", {"comm_id": model_id, "data": {"method": "custom",
                                                                               "content": action}}, session))  # fmt: skip
            while True:  # the feedback: the widget's state update, sent after the record is on disk
                data = kernel_message(await asyncio.wait_for(ws.read_message(), 30))
                content = data["content"].get("data", {}) if data["header"]["msg_type"] == "comm_msg" else {}
                if data["content"].get("comm_id") == model_id and content.get("method") == "update":
                    state = {**state, **content["state"]}
                    break
    ws.close()
    with contextlib.suppress(asyncio.TimeoutError):  # until the server closed it too: no socket left open
        while await asyncio.wait_for(ws.read_message(), 5) is not None:
            pass
    return dict(state)


def test_answers_land_in_submitted_and_survive_a_sigkill(server: ClassServer, course: ClassCourse) -> None:
    root: Path = course.root
    server.teacher().post("/teacher/release", student="dang.duc")  # signed in on another phone above
    phone = Client(server.port)
    assert phone.join("dang.duc", course.secrets["dang.duc"])[1]["Location"] == "/class"
    assert not (root / "submitted" / "dang.duc").exists()  # nothing before the student opens a page
    status, _, page = phone.get("/class/lesson/basics-one")
    assert status == 200 and server.key not in page
    folder = root / "submitted" / "dang.duc" / "basics"
    assert (folder / "01-basics-one.ipynb").read_bytes() == (
        root / "release" / "basics" / "01-basics-one.ipynb"
    ).read_bytes()
    stamp_before = (folder / "timestamp.txt").read_text(encoding="utf-8")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} UTC", stamp_before)
    answered = asyncio.run(choice_states(phone, page, answer=True))
    record = json.loads((folder / "basics-one.answers.json").read_text(encoding="utf-8"))  # on disk at feedback
    assert record["lesson"] == "basics-one" and record["answers"], record
    attempts = [a for parts in record["answers"].values() for tries in parts.values() for a in tries]
    assert len(attempts) >= 1
    assert (folder / "timestamp.txt").read_text(encoding="utf-8") > stamp_before  # rewritten on the answer
    # The student's own page shows it; nobody else's submission folder was made.
    progress = re.search(r'data-page="basics-one" data-done="(\d+)" data-total="(\d+)"', phone.get("/class")[2])
    assert progress and progress.group(1) == "1" and int(progress.group(2)) >= 1  # the one answered activity
    assert sorted(p.name for p in (root / "submitted").iterdir()) == ["an.nguyen", "dang.duc"]  # who opened pages

    server.kill(signal.SIGKILL)  # mid-class: no clean shutdown at all
    assert json.loads((folder / "basics-one.answers.json").read_text(encoding="utf-8")) == record
    server.start()  # the same command again
    status, _, home = phone.get("/class")  # the same cookie: no new sign-in
    assert status == 200 and "Đặng Đức" in home
    status, _, page = phone.get("/class/lesson/basics-one")
    assert status == 200
    restored = asyncio.run(choice_states(phone, page, answer=False))
    given, back = answered["state"], restored["state"]
    assert given["selected"] and given["feedback"]  # the answer and its feedback, as shown
    assert back["selected"] == given["selected"] and back["feedback"] == given["feedback"]
