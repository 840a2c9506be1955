"""The teacher's dashboard on a real class-mode server (`netwise serve --course`), as a teacher and a student use it.

A real nbgrader course (``course init``, Vietnamese, four students, one of them "Đặng Đức") gets
its login cards, then the installed ``netwise serve --course`` runs it with the module's check
before, its lesson and its check after. Answers are written into ``submitted/`` by the widgets'
own ``AnswerRecord`` (what a student's kernel does in class mode), and the dashboard is read over
HTTP: the printed key swapped for a cookie and a redirect, no key = the friendly "not found", a
signed-in student's cookies open nothing of it, the CSV, the projector view and the actions.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from netwise.app.cards import lan_address
from netwise.app.dashboard import join_url
from netwise.app.logins import PICTURES
from netwise.content import load
from netwise.content.assessment import forms
from netwise.i18n import Translator
from netwise.scoring import record as record_mod
from netwise.scoring.record import AnswerRecord
from support.classes import NAMES, Client, class_server, make_course


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    course = make_course(tmp_path_factory.mktemp("dashboard"), url="http://192.168.1.23:8866/")
    with class_server(course, ("basics-pre", "basics", "basics-post")) as running:
        yield {"url": running.url, "port": running.port, "key": running.key, "base": course.base,
               "root": course.root, "secrets": course.secrets}  # fmt: skip


@pytest.fixture(scope="module")
def teacher(server: dict[str, Any]) -> Client:
    client = Client(server["port"])
    status, headers, _ = client.get(f"/teacher?key={server['key']}")
    assert status == 303 and headers["Location"] == "/teacher"
    cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("nw_teacher="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/teacher" in cookie
    assert server["key"] not in cookie
    assert client.get("/teacher")[0] == 200  # the dashboard page gives the _xsrf its forms send back
    return client


def student(server: dict[str, Any], sid: str, secret: str | None = None) -> Client:
    """A phone signed in through the plain form (POST /join with _xsrf)."""
    client = Client(server["port"])
    status, headers, _ = client.join(sid, secret or server["secrets"][sid])
    assert status == 303 and headers["Location"] == "/class", status
    return client


def data(teacher: Client) -> dict[str, Any]:
    status, _, text = teacher.get("/teacher/data.json")
    assert status == 200
    return dict(json.loads(text))


def answer(
    root: Path, sid: str, assignment: str, record_id: str, activity: str, part: str, value: dict[str, Any]
) -> None:
    """What a student's kernel does in class mode: the widgets' AnswerRecord in the submission folder."""
    folder = root / "submitted" / sid / assignment
    folder.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as env:
        env.delenv(record_mod.MEMORY_ENV, raising=False)
        AnswerRecord.open(record_id, "vi", folder).add(activity, part, value)


def test_key_swap_redirects_and_opens_the_dashboard(server: dict[str, Any], teacher: Client) -> None:
    status, headers, page = teacher.get("/teacher")
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert server["key"] not in page
    assert 'lang="vi"' in page and "Bảng theo dõi của giáo viên" in page
    for name in NAMES.values():
        assert name in page
    assert 'name="_xsrf"' in page  # the action forms
    # The key can be swapped again (the printed line is the teacher's), but a wrong one opens nothing.
    assert Client(server["port"]).get("/teacher?key=not-the-key")[0] == 404


@pytest.mark.parametrize(
    "path",
    ["/teacher", "/teacher/", "/teacher/data.json", "/teacher/class.csv", "/teacher/projector?activity=basics/quiz"],
)
def test_without_the_cookie_every_teacher_page_is_not_found(server: dict[str, Any], path: str) -> None:
    status, _, page = Client(server["port"]).get(path)
    # Exactly the page of an address that does not exist: a student learns nothing, not even that it exists.
    assert (status, page) == Client(server["port"]).get("/no-such-page")[::2]


def test_a_students_cookies_open_nothing_of_the_dashboard(server: dict[str, Any]) -> None:
    phone = student(server, "binh.tran")
    assert phone.get("/class")[0] == 200
    for path in ("/teacher", "/teacher/data.json", "/teacher/class.csv", "/teacher/projector?activity=basics/quiz"):
        status, _, page = phone.get(path)
        assert status == 404, path
        assert server["key"] not in page
    # A valid _xsrf of the student's own is not enough to act either.
    for action in ("release", "unlock", "reset", "end"):
        assert phone.post(f"/teacher/{action}", student="an.nguyen")[0] == 404
    assert phone.get("/class")[0] == 200  # nothing happened to anyone


def test_grid_distribution_and_csv_follow_the_records(server: dict[str, Any], teacher: Client) -> None:
    root: Path = server["root"]
    answer(root, "an.nguyen", "basics", "basics-one", "quiz", "_", {"selected": ["scammer"]})
    answer(root, "dang.duc", "basics", "basics-one", "quiz", "_", {"selected": ["bank"]})
    answer(root, "dang.duc", "basics", "basics-one", "quiz", "_", {"selected": ["scammer"]})
    answer(root, "dang.duc", "basics", "basics-one", "judge", "otp", {"verdict": "legit"})
    now = data(teacher)
    keys = [a["key"] for a in now["activities"]]
    quiz, judge = keys.index("basics-one/quiz"), keys.index("basics-one/judge")
    cells = {s["id"]: s["cells"] for s in now["students"]}
    assert cells["an.nguyen"][quiz] == {"status": "right_first", "tries": 1}
    assert cells["dang.duc"][quiz] == {"status": "several_tries", "tries": 2}
    assert cells["dang.duc"][judge]["status"] == "in_progress"
    assert cells["lan.pham"][quiz]["status"] == "not_done"
    activity = now["activities"][quiz]
    assert activity["answered"] == 2
    assert {(d["answer"], d["count"]) for d in activity["distribution"]} == {("bank", 1), ("scammer", 1)}
    assert activity["most_common"]["key"] == "option:bank"
    # The cue the wrong verdict missed, in the course language (the fixture's Vietnamese).
    lesson = Translator(load(server["base"] / "curriculum"), "vi").lesson("basics-one")
    otp = next(i for i in lesson.activity("judge").items if i.id == "otp")
    assert now["activities"][judge]["most_common"]["cues"] == list(otp.cues) != []
    # Nothing changed: the poll gets only the version back.
    status, _, same = teacher.get(f"/teacher/data.json?since={now['version']}")
    assert json.loads(same) == {"version": now["version"], "same": True}
    status, headers, text = teacher.get("/teacher/class.csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["student_id", "name"] and "basics-one/quiz" in rows[0]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["dang.duc"][1] == "Đặng Đức"
    assert by_id["dang.duc"][rows[0].index("basics-one/quiz")] == "Cần thử nhiều lần (2)"
    # The bytes start with the byte-order mark spreadsheet apps need for UTF-8.
    connection = http.client.HTTPConnection("127.0.0.1", server["port"])
    connection.request("GET", "/teacher/class.csv", headers={"Cookie": f"nw_teacher={teacher.jar['nw_teacher']}"})
    assert connection.getresponse().read().startswith("\ufeff".encode())
    connection.close()


def test_projector_is_anonymous_with_the_join_code(server: dict[str, Any], teacher: Client) -> None:
    answer(server["root"], "binh.tran", "basics", "basics-one", "quiz", "_", {"selected": ["bank"]})
    status, _, page = teacher.get("/teacher/projector?activity=basics-one/quiz")
    assert status == 200
    assert "<svg" in page and server["url"].split(":")[-1] in page  # the QR code and the join address
    for name in NAMES.values():
        assert name not in page
    assert teacher.get("/teacher/projector?activity=basics-one/nothing")[0] == 404
    status, _, text = teacher.get("/teacher/data.json?activity=basics-one/quiz")
    assert "students" not in json.loads(text)  # the projector's poll carries no roster
    projected = json.loads(text)["html"]["projected"]
    assert "Your bank" in projected and not any(name in projected for name in NAMES.values())


def test_before_and_after_from_the_checks(server: dict[str, Any], teacher: Client) -> None:
    curriculum = load(server["base"] / "curriculum")
    pre, post = (next(f for f in forms(curriculum, "basics") if f.kind == kind) for kind in ("pre", "post"))
    assessment = curriculum.assessments["basics"]
    truth = {i.id: i.answer for i in assessment.items}
    other = {"scam": "legit", "legit": "scam"}
    for n, item in enumerate(pre.items):  # half right before, all right after
        verdict = truth[item] if n % 2 == 0 else other[truth[item]]
        answer(server["root"], "lan.pham", pre.record_id, pre.record_id, pre.form_id, item, {"verdict": verdict})
    for item in post.items:
        answer(server["root"], "lan.pham", post.record_id, post.record_id, post.form_id, item, {"verdict": truth[item]})
    learning = data(teacher)["learning"]
    assert [m["module"] for m in learning] == ["basics"]
    by_kind = {f["kind"]: f for f in learning[0]["forms"]}
    expected_before = sum(1 for n in range(len(pre.items)) if n % 2 == 0) / len(pre.items)
    assert by_kind["pre"]["measured"] == 1 and by_kind["pre"]["accuracy"] == pytest.approx(expected_before)
    assert by_kind["post"]["accuracy"] == pytest.approx(1.0)
    assert by_kind["post"]["gain_accuracy"] == pytest.approx(1.0 - expected_before)
    page = teacher.get("/teacher")[2]
    assert "Trước và sau" in page


def test_actions_release_unlock_reset_end(server: dict[str, Any], teacher: Client) -> None:
    people = lambda: {s["id"]: s for s in data(teacher)["students"]}  # noqa: E731
    phone = student(server, "an.nguyen")
    assert people()["an.nguyen"]["signed_in"]
    # Without the form's _xsrf the action is refused before anything happens.
    assert teacher.request("POST", "/teacher/release", {"student": "an.nguyen"})[0] == 403
    status, headers, _ = teacher.post("/teacher/release", student="an.nguyen")
    assert status == 303 and headers["Location"].startswith("/teacher")
    assert not people()["an.nguyen"]["signed_in"]
    assert phone.get("/class")[0] != 200  # the released device is signed out
    # Three wrong secrets lock the name; the dashboard shows it and unlocks it.
    guesser = Client(server["port"])
    guesser.get("/")
    for _ in range(3):
        status = guesser.post("/join", student="dang.duc", secret="sai bí mật")[0]
        while status == 429:  # a pause after each wrong try
            time.sleep(0.5)
            status = guesser.post("/join", student="dang.duc", secret="sai bí mật")[0]
    assert people()["dang.duc"]["locked"]
    assert teacher.post("/teacher/unlock", student="dang.duc")[0] == 303
    assert not people()["dang.duc"]["locked"]
    # A lost card: the new secret is shown once, works, and the old one does not.
    status, headers, page = teacher.post("/teacher/reset", student="lan.pham")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    new = re.search(r'<p class="secret-words">([^<]+)</p>', page)
    assert new and new.group(1) != server["secrets"]["lan.pham"]
    assert "Phạm Lan" in page
    old = Client(server["port"])
    old.get("/")
    assert old.post("/join", student="lan.pham", secret=server["secrets"]["lan.pham"])[0] == 401
    time.sleep(1.1)  # the pause after a wrong try
    student(server, "lan.pham", new.group(1))
    # End: everyone is signed out.
    assert teacher.post("/teacher/end")[0] == 303
    assert not any(s["signed_in"] for s in data(teacher)["students"])


def test_a_lost_picture_card_gets_new_pictures_shown_once(tmp_path: Path) -> None:
    """A class of ages 8-10 (taught in English) signs in with two pictures: a reset shows the two new ones,
    named in the course language, and they work."""
    young = make_course(tmp_path, name="lop3", lang="en", ages="8-10", students=(("mai.le", "Mai", "Lê"),
                        ("nam.vo", "Nam", "Võ")))  # fmt: skip
    with class_server(young) as running:
        teacher = running.teacher()
        assert 'lang="en"' in teacher.get("/teacher")[2]
        status, _, page = teacher.post("/teacher/reset", student="mai.le")
        assert status == 200 and "New secret for Mai Lê" in page  # English: given name first
        shown = re.findall(r'<span class="picture-name">([^<]+)</span>', page)
        assert len(shown) == 2 and page.count("<svg") >= 2
        names = {names["en"]: pid for pid, names in PICTURES.items()}
        phone = Client(running.port)
        phone.get("/")
        status, headers, _ = phone.post("/join", student="mai.le", secret=" ".join(names[n] for n in shown))
        assert status == 303 and headers["Location"] == "/class"


@pytest.mark.parametrize(
    ("host", "lan"),
    [("127.0.0.1:8866", True), ("localhost:8866", True), ("[::1]:8866", True), ("192.168.1.5:8866", False),
     ("laptop.local:8866", False)],
)  # fmt: skip
def test_the_projectors_join_address_is_never_loopback(host: str, lan: bool) -> None:
    """A phone cannot reach the teacher's 127.0.0.1: the projector's code then names the LAN address."""
    url = join_url(SimpleNamespace(host=host, protocol="http"))
    port = host.rsplit(":", 1)[1]
    assert url == (f"http://{lan_address()}:{port}/" if lan else f"http://{host}/")
