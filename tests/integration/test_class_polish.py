"""Class mode's polish (task K6 of issue 14) on real servers: the dashboard off the event loop, the
kind message for a name with no card yet, and a teacher whose tablet outlives a server SIGKILL.

Why these: the dashboard's build of a large class took 100-470 ms on the server's event loop, the
loop that carries every student's answers, so a child's feedback waited for the teacher's poll; a
newcomer on the roster without a card was told to "choose your name from the list", which they
had done; and a teacher's tablet must keep its dashboard across a restart while the key printed
before it no longer opens anything.

The large class is real: ``course init`` and ``course cards`` for three students, then ``course
students`` with a roster of :data:`LARGE` (newcomers with no card yet), and answer records written
by the widgets' own ``AnswerRecord`` (three students' worth, copied to the others as their kernels
would have written them, so the setup stays quick).
"""

from __future__ import annotations

import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape

from netwise.app.sessions import MAX_FAILURES, SessionStore
from netwise.content import load
from netwise.content.assessment import forms
from netwise.scoring import record as record_mod
from netwise.scoring.record import AnswerRecord
from support.classes import ClassCourse, ClassServer, Client, class_server, make_course, roster_csv, ui
from support.paths import run_netwise

LARGE = 600  # students: enough for a cold build of several hundred milliseconds on this machine
FIRST = (("hoa.le", "Hoa", "Lê"), ("minh.do", "Minh", "Đỗ"), ("thu.vu", "Thu", "Vũ"))  # the ones with cards
ASSIGNMENTS = ("basics-pre", "basics", "basics-post")


def newcomers(count: int) -> tuple[tuple[str, str, str], ...]:
    return tuple((f"hs{n:03d}", f"Bình {n}", "Nguyễn") for n in range(count))


def write_answers(folder: Path, variant: int, curriculum: Path) -> None:
    """One student's answers to the session, written by the widgets' own record (what a kernel does)."""
    tree = load(curriculum)
    truth = {i.id: i.answer for i in tree.assessments["basics"].items}
    other = {"scam": "legit", "legit": "scam"}
    for name in ("basics-pre", "basics", "basics-post"):
        (folder / name).mkdir(parents=True)
    with pytest.MonkeyPatch.context() as env:
        env.delenv(record_mod.MEMORY_ENV, raising=False)
        for check in (f for f in forms(tree, "basics") if f.kind in ("pre", "post")):
            record = AnswerRecord.open(check.record_id, "vi", folder / check.record_id)
            for n, item in enumerate(check.items):  # a third of them wrong, a different third per variant
                record.add(check.form_id, item, {"verdict": truth[item] if (n + variant) % 3 else other[truth[item]]})
        lesson = AnswerRecord.open("basics-one", "vi", folder / "basics")
        lesson.add("quiz", "_", {"selected": ["bank" if variant else "scammer"]})
        lesson.add("quiz", "_", {"selected": ["scammer"]})
        lesson.add("judge", "otp", {"verdict": "legit"})


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> ClassCourse:
    base = tmp_path_factory.mktemp("large-class")
    course = make_course(base, "lop9", students=FIRST)
    roster = base / "large-roster.csv"
    roster.write_text(roster_csv(FIRST + newcomers(LARGE - len(FIRST))), encoding="utf-8")
    added = run_netwise("course", "students", str(course.root), str(roster))
    assert added.returncode == 0, added.stderr
    variants = base / "answers"
    for variant in range(3):
        write_answers(variants / str(variant), variant, course.curriculum)
    sids = [sid for sid, _, _ in FIRST] + [sid for sid, _, _ in newcomers(LARGE - len(FIRST))]
    for n, sid in enumerate(sids):
        shutil.copytree(variants / str(n % 3), course.root / "submitted" / sid, dirs_exist_ok=True)
    return course


@pytest.fixture(scope="module")
def large_server(large: ClassCourse) -> Iterator[ClassServer]:
    with class_server(large, ASSIGNMENTS) as running:
        yield running


def test_the_dashboard_builds_off_the_event_loop(large_server: ClassServer) -> None:
    """While the first, cold build of a large class runs, the server still answers a student's request."""
    tablet = Client(large_server.port)
    status, _, _ = tablet.get(f"/teacher?key={large_server.key}")  # the cookie only: nothing built yet
    assert status == 303
    build: dict[str, float | int] = {}

    def poll() -> None:
        build["sent"] = time.monotonic()
        build["status"] = tablet.get("/teacher/data.json")[0]
        build["done"] = time.monotonic()

    poller = threading.Thread(target=poll)
    poller.start()
    pings: list[tuple[float, float]] = []  # (sent, answered), after the build had time to start
    while "sent" not in build:
        time.sleep(0.005)
    time.sleep(0.1)
    while poller.is_alive():
        phone = Client(large_server.port)
        sent = time.monotonic()
        assert phone.get("/class")[0] == 302  # not signed in: sent to the join page, by a handler on the loop
        pings.append((sent, time.monotonic()))
        time.sleep(0.02)
    poller.join()
    assert build["status"] == 200
    took = build["done"] - build["sent"]
    assert took > 0.25, f"the build took {took:.3f} s: too quick to tell whether it blocks the loop"
    during = [(sent, answered) for sent, answered in pings if answered < build["done"]]
    # On the loop, a build keeps every request that arrives during it waiting until it is over.
    assert during, f"no request was answered during a {took:.3f} s build"
    slowest = max(answered - sent for sent, answered in during)
    assert slowest < took / 2, (slowest, took)


def test_a_name_with_no_card_is_told_to_ask_the_teacher(large_server: ClassServer) -> None:
    phone = Client(large_server.port)
    status, _, page = phone.join("hs007", "any words")
    assert status == 403
    assert str(escape(ui("vi")["class_no_card"])) in page
    assert str(escape(ui("vi")["class_unknown"])) not in page
    # A name that is not on the roster at all is still asked to choose one from the list.
    status, _, page = phone.post("/join", student="not.here", secret="any words")
    assert status == 400 and str(escape(ui("vi")["class_unknown"])) in page


def test_the_teachers_cookie_and_the_wrong_tries_outlive_a_sigkill(tmp_path: Path) -> None:
    """A restarted server prints a new key; the tablet's cookie still opens the dashboard, the old key
    opens nothing, and a wrong try made before the kill still counts (a restart gives no try back)."""
    course = make_course(tmp_path, "class5", lang="en", students=FIRST)
    roster = tmp_path / "with-newcomer.csv"
    roster.write_text(roster_csv((*FIRST, ("nam.ho", "Nam", "Hồ"))), encoding="utf-8")
    assert run_netwise("course", "students", str(course.root), str(roster)).returncode == 0
    running = ClassServer(course.base, course.root)
    running.start()
    try:
        tablet = running.teacher()
        old_key = running.key
        guesser = Client(running.port)
        status, _, page = guesser.join("minh.do", "wrong words")
        assert status == 401 and str(escape(ui("en")["class_wrong"].format(tries=2))) in page
        status, _, page = Client(running.port).join("nam.ho", "any words")  # in English too
        assert status == 403 and str(escape(ui("en")["class_no_card"])) in page
        running.kill(signal.SIGKILL)
        running.start()
        assert running.key != old_key
        status, _, page = tablet.get("/teacher")
        assert status == 200 and "Minh" in page and 'name="_xsrf"' in page
        assert tablet.get("/teacher/data.json")[0] == 200
        assert Client(running.port).get(f"/teacher?key={old_key}")[0] == 404
        fresh = Client(running.port)
        assert fresh.get(f"/teacher?key={running.key}")[0] == 303
        assert fresh.get("/teacher")[0] == 200
        # Two tries left before the kill; after it, the next wrong one leaves one, then the name locks.
        status, _, page = guesser.join("minh.do", "wrong words")
        assert status == 401 and str(escape(ui("en")["class_wrong"].format(tries=1))) in page
        status = 429
        while status == 429:  # the second's pause after a wrong try
            time.sleep(0.3)
            status, _, page = guesser.post("/join", student="minh.do", secret="wrong words")
        assert status == 403 and str(escape(ui("en")["class_locked"])) in page
    finally:
        running.kill(signal.SIGTERM)


def test_a_name_with_no_card_counts_no_try(tmp_path: Path) -> None:
    """Nothing to guess without a card: asking again and again never locks the newcomer out of the card
    the teacher is about to give."""
    store = SessionStore(tmp_path / "class", {}, ["nam.ho"], pause=0.0)
    for _ in range(MAX_FAILURES + 1):
        assert store.sign_in("nam.ho", "any words", "device").status == "no_card"
    assert not store.locked("nam.ho")
    assert not (tmp_path / "class" / "sessions.json").exists()  # nothing of the newcomer was stored
    assert store.sign_in("not.here", "any words", "device").status == "unknown"
