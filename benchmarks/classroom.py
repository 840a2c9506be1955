"""A classroom on one `netwise serve`, without browsers: the Jupyter protocol spoken directly.

N students arrive within 10 s. Each requests a lesson page, opens its kernel websocket
with the page's cookie (a kernel answers the browser its page was given to only), asks for
the widget states (as the page's widget manager does), answers every activity with the same
custom comm messages the page sends, and waits for each feedback update. "The class is full"
is an error here: the server's --max-students is kept above the number of students.

    python benchmarks/classroom.py --students 40 [--lesson scams-red-flags --lang en --pool 2]

``--course``: a class session (issue 14). A fresh course of N students is made (``course init``
with the lesson's module, ``course cards --json`` for their secrets) and served with
``netwise serve --course``. Each student fetches the join page (its ``_xsrf`` and device
cookies), signs in with a POST to ``/join``, opens the lesson's class page and answers as
above; each answer's feedback now comes after the kernel wrote it durably (fsync) into
``submitted/<id>/<assignment>/``. Meanwhile a teacher polls ``/teacher/data.json`` as the
dashboard page does (every second) with the teacher cookie swapped for the printed key, and
the benchmark measures how long after an activity's last feedback the dashboard shows it done
(staleness). At the end every answered activity must be in the student's record on disk.

    python benchmarks/classroom.py --course --students 40 [--lesson scams-red-flags --lang en]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPResponse
from tornado.websocket import websocket_connect

from netwise.app.dashboard import POLL_MS
from netwise.content import load
from netwise.paths import bundled_curriculum
from netwise.scoring.record import record_name

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.servers import free_port, kernel_message, netwise_serve, wait_http  # noqa: E402

DONE = ("right_first", "several_tries")  # a dashboard cell whose activity the student finished


def msg(msg_type: str, content: dict[str, Any], session: str, metadata: dict[str, Any] | None = None) -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "student", "session": session,
              "date": "", "version": "5.3"}  # fmt: skip
    return json.dumps({"channel": "shell", "header": header, "parent_header": {}, "metadata": metadata or {},
                       "content": content, "buffers": []})  # fmt: skip


class Student:
    def __init__(self, base: str, path: str, think: float = 0.0) -> None:
        self.base, self.path, self.think = base, path, think
        self.session = uuid.uuid4().hex
        self.first_state: float | None = None
        self.latencies: list[float] = []
        self.states: dict[str, dict[str, Any]] = {}
        self.reader: asyncio.Future[None] | None = None
        self.updates: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self.done_at: dict[str, float] = {}  # activity id -> when its last answer's feedback came

    async def open_page(self) -> tuple[str, str]:
        """The lesson page and the cookies to send back with its websocket."""
        response = await AsyncHTTPClient().fetch(self.base + self.path, request_timeout=120)
        return response.body.decode(), "; ".join(c.split(";")[0] for c in response.headers.get_list("Set-Cookie"))

    async def run(self) -> None:
        start = time.perf_counter()
        page, cookies = await self.open_page()
        kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page).group(1)  # type: ignore[union-attr]
        ws_url = f"{self.base.replace('http', 'ws')}/api/kernels/{kernel}/channels?session_id={self.session}"
        ws = await websocket_connect(_request(ws_url, cookies))
        reader = self.reader = asyncio.ensure_future(self._read(ws))
        control = uuid.uuid4().hex
        ws.write_message(msg("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                           "data": {}}, self.session,
                             {"version": "1.0.0"}))  # ipywidgets' control protocol  # fmt: skip
        ws.write_message(msg("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, self.session))
        await asyncio.wait_for(self._wait_states(), 60)
        self.first_state = time.perf_counter() - start
        for model_id, state in list(self.states.items()):
            await asyncio.sleep(random.uniform(0.5, 1.5) * self.think)  # reading before answering
            spec = state.get("spec", {})
            await self._answer(ws, model_id, spec)
            self.done_at[str(spec.get("id"))] = time.perf_counter()
        reader.cancel()
        ws.close()

    async def _wait_states(self) -> None:
        while not self.states:
            if self.reader is not None and self.reader.done():
                self.reader.result()  # re-raise what stopped the reader
                raise RuntimeError("the kernel websocket closed")
            await asyncio.sleep(0.01)

    async def _read(self, ws: Any) -> None:
        while True:
            raw = await ws.read_message()
            if raw is None:
                return
            data = kernel_message(raw)
            if os.environ.get("CLASSROOM_DEBUG"):
                print(data["header"]["msg_type"], str(data["content"])[-400:])
            if data["header"]["msg_type"] != "comm_msg":
                continue
            content = data["content"]["data"]
            if content.get("method") == "update_states":
                for model_id, entry in content["states"].items():
                    if entry["state"].get("spec", {}).get("type") in ("choice", "verdict", "red_flags", "branching"):
                        self.states[model_id] = entry["state"]
            elif content.get("method") == "update" and "state" in content.get("state", {}):
                await self.updates.put((data["content"]["comm_id"], content["state"]["state"]))

    async def _send(self, ws: Any, model_id: str, action: dict[str, Any]) -> dict[str, Any]:
        sent = time.perf_counter()
        ws.write_message(msg("comm_msg", {"comm_id": model_id, "data": {"method": "custom", "content": action}},
                             self.session))  # fmt: skip
        while True:
            comm, state = await asyncio.wait_for(self.updates.get(), 30)
            if comm == model_id:
                self.latencies.append(time.perf_counter() - sent)
                return state

    async def _answer(self, ws: Any, model_id: str, spec: dict[str, Any]) -> None:
        kind = spec["type"]
        if kind == "choice":
            await self._send(ws, model_id, {"action": "select", "ids": [spec["options"][0]["id"]]})
            await self._send(ws, model_id, {"action": "check"})
        elif kind == "verdict":
            for item in spec["items"]:
                await self._send(
                    ws, model_id, {"action": "judge", "item": item["id"], "verdict": spec["choices"][0]["value"]}
                )
        elif kind == "red_flags":
            part = _first_part(spec["artifact"])
            await self._send(ws, model_id, {"action": "toggle", "ids": [part]})
            await self._send(ws, model_id, {"action": "check"})
        elif kind == "branching":
            state = self.states[model_id]
            for _ in range(20):
                if not state.get("choices"):
                    break
                state = await self._send(ws, model_id, {"action": "choose", "index": state["choices"][0]["index"]})


def _request(url: str, cookies: str) -> Any:
    return HTTPRequest(url, headers={"Cookie": cookies} if cookies else {}, connect_timeout=60, request_timeout=120)


class ClassStudent(Student):
    """A student of a class session: the join page, a sign-in POST, then the lesson's class page."""

    def __init__(self, base: str, path: str, sid: str, secret: str, think: float = 0.0) -> None:
        super().__init__(base, path, think)
        self.sid, self.secret = sid, secret
        self.jar: dict[str, str] = {}
        self.sign_in: float | None = None

    async def _get(self, url: str, **kwargs: Any) -> HTTPResponse:
        cookie = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        response = await AsyncHTTPClient().fetch(
            url, headers={"Cookie": cookie} if cookie else {}, request_timeout=120, raise_error=False,
            follow_redirects=False, **kwargs,
        )  # fmt: skip
        for line in response.headers.get_list("Set-Cookie"):
            name, _, value = line.split(";", 1)[0].partition("=")
            self.jar[name.strip()] = value.strip()
        return response

    async def open_page(self) -> tuple[str, str]:
        tick = time.perf_counter()
        join = await self._get(self.base + "/")
        found = re.search(r'name="_xsrf" value="([^"]+)"', join.body.decode())
        if join.code != 200 or not found:
            raise RuntimeError(f"join page: HTTP {join.code}, _xsrf field {'found' if found else 'missing'}")
        form = urllib.parse.urlencode({"student": self.sid, "secret": self.secret, "_xsrf": found.group(1)})
        signed = await self._get(self.base + "/join", method="POST", body=form)
        if signed.code != 303 or signed.headers.get("Location") != "/class" or "nw_class" not in self.jar:
            raise RuntimeError(f"sign-in of {self.sid}: HTTP {signed.code} to {signed.headers.get('Location')}")
        self.sign_in = time.perf_counter() - tick
        page = await self._get(self.base + self.path)
        if page.code != 200:
            raise RuntimeError(f"class page of {self.sid}: HTTP {page.code}")
        return page.body.decode(), "; ".join(f"{k}={v}" for k, v in self.jar.items())


class Teacher:
    """The dashboard's poll: ``/teacher/data.json`` as the page asks for it, noting when each cell shows done."""

    def __init__(self, base: str, key_url: str, interval: float) -> None:
        self.base, self.key_url, self.interval = base, key_url, interval
        self.cookie = ""
        self.seen: dict[tuple[str, str], float] = {}  # (student, "<page>/<activity>") -> first seen done
        self.polls = 0
        self.changed: list[float] = []  # seconds each answer with new data took (built on the server's event loop)
        self.errors: list[str] = []

    async def sign_in(self) -> None:
        response = await AsyncHTTPClient().fetch(self.key_url, follow_redirects=False, raise_error=False)
        cookies = [c.split(";")[0] for c in response.headers.get_list("Set-Cookie") if c.startswith("nw_teacher=")]
        if response.code != 303 or not cookies:
            raise RuntimeError(f"the dashboard key was refused: HTTP {response.code}")
        self.cookie = cookies[0]

    async def watch(self, stop: asyncio.Event) -> None:
        version = ""
        while not stop.is_set():
            query = f"?since={version}" if version else ""
            try:
                sent = time.perf_counter()
                response = await AsyncHTTPClient().fetch(
                    f"{self.base}/teacher/data.json{query}", headers={"Cookie": self.cookie}, request_timeout=30
                )
                now = time.perf_counter()
                self.polls += 1
                data = json.loads(response.body)
                version = data["version"]
                if not data.get("same"):
                    self.changed.append(now - sent)
                    keys = [a["key"] for a in data["activities"]]
                    for student in data["students"]:
                        for key, cell in zip(keys, student["cells"], strict=True):
                            if cell["status"] in DONE:
                                self.seen.setdefault((student["id"], key), now)
            except Exception as exc:
                self.errors.append(f"dashboard: {type(exc).__name__}: {exc}")
            with contextlib.suppress(TimeoutError):  # the next poll, or the end of the class
                await asyncio.wait_for(stop.wait(), self.interval)


def make_course(
    base: Path, students: int, lesson: str, lang: str, curriculum: str | None, url: str
) -> tuple[Path, str, list[dict[str, str]]]:
    """A fresh course of ``students`` for the lesson's module; (folder, assignment, ``cards --json``)."""
    netwise = str(Path(sys.executable).parent / "netwise")
    module = load(Path(curriculum) if curriculum else bundled_curriculum()).module_of(lesson).id
    roster = base / "roster.csv"
    rows = [f"hs{n:02d},Học Sinh {n},Nguyễn" for n in range(1, students + 1)]
    roster.write_text("id,first_name,last_name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    folder = base / "course"
    extra = ["--curriculum", curriculum] if curriculum else []
    _run([netwise, "course", "init", str(folder), "--name", "bench", "--lang", lang, "--students", str(roster),
          "--modules", module, *extra])  # fmt: skip
    cards = _run([netwise, "course", "cards", str(folder), "--json", "--url", url])
    return folder, module, list(json.loads(cards))


def _run(command: list[str]) -> str:
    """A netwise command's output; its failure as one line (the command's own error line)."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"classroom: '{' '.join(command[1:4])} ...' failed: {last}")
    return done.stdout


def on_disk(folder: Path, assignment: str, lesson: str, crowd: list[ClassStudent]) -> list[str]:
    """Every activity a student got feedback for is in their answer record on disk (the durable write)."""
    missing = []
    for student in crowd:
        path = folder / "submitted" / student.sid / assignment / record_name(lesson)
        try:
            answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
        except (OSError, ValueError, KeyError) as exc:
            missing.append(f"{student.sid}: no answer record ({type(exc).__name__})")
            continue
        missing.extend(
            f"{student.sid}/{activity}: not on disk" for activity in student.done_at if activity not in answers
        )
    return missing


S = TypeVar("S", bound=Student)  # a plain visitor or a class session's student


async def arrive_all(crowd: Sequence[S], arrival: float, name: Callable[[S], str] = lambda _: "") -> list[str]:
    """The crowd arriving as a class does, each at a random moment within ``arrival`` seconds, all at once
    afterwards; each student's failure one line (``name`` says whose), the others carrying on."""
    errors: list[str] = []

    async def arrive(student: S) -> None:
        await asyncio.sleep(random.uniform(0, arrival))
        try:
            await student.run()
        except Exception as exc:
            errors.append(f"{name(student)}{type(exc).__name__}: {exc}")

    await asyncio.gather(*(arrive(s) for s in crowd))
    return errors


async def class_session(
    base: str, key_url: str, lesson: str, cards: list[dict[str, str]], arrival: float, think: float, poll: float
) -> tuple[list[ClassStudent], Teacher, list[str]]:
    crowd = [ClassStudent(base, f"/class/lesson/{lesson}", c["id"], c["secret"], think) for c in cards]
    teacher = Teacher(base, key_url, poll)
    await teacher.sign_in()
    stop = asyncio.Event()
    watching = asyncio.ensure_future(teacher.watch(stop))
    errors = await arrive_all(crowd, arrival, lambda student: f"{student.sid}: ")
    wanted = {(s.sid, f"{lesson}/{a}") for s in crowd for a in s.done_at}
    deadline = time.perf_counter() + 10  # the dashboard's last changes, at most this late
    while not wanted <= set(teacher.seen) and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    stop.set()
    await watching
    errors.extend(
        f"{sid}/{key}: not shown done on the dashboard within 10 s" for sid, key in sorted(wanted - set(teacher.seen))
    )
    return crowd, teacher, errors


def course_main(args: argparse.Namespace) -> int:
    """``--course``: a class session of ``args.students`` signed in, answering, and watched from the dashboard."""
    work = Path(tempfile.mkdtemp(prefix="classroom-course-"))
    port_hint = "http://127.0.0.1:8866/"  # the cards' address: the benchmark signs in by POST, not by QR code
    folder, assignment, cards = make_course(work, args.students, args.lesson, args.lang, args.curriculum, port_hint)
    log = work / "serve.log"
    with netwise_serve(["--course", str(folder), "--assignment", assignment], log, work) as (base, server):
        found = re.search(r"Teacher dashboard: (\S+)", log.read_text(encoding="utf-8", errors="replace"))
        if not found:
            raise RuntimeError(f"no 'Teacher dashboard:' line in {log}")
        key_url = base + found.group(1)[found.group(1).index("/teacher") :]  # the printed host may be the LAN's
        idle = memory(server.pid)
        cpu_before = cpu_seconds(server.pid)
        started = time.perf_counter()
        crowd, teacher, errors = asyncio.run(
            class_session(base, key_url, args.lesson, cards, args.arrival, args.think, args.poll)
        )
        wall = time.perf_counter() - started
        loaded = memory(server.pid)
        cpu_after = cpu_seconds(server.pid)
    missing = on_disk(folder, assignment, args.lesson, crowd)
    sign_in = [s.sign_in * 1000 for s in crowd if s.sign_in is not None]
    first = [s.first_state for s in crowd if s.first_state is not None]
    ms = [x * 1000 for s in crowd for x in s.latencies]
    stale = [
        max(0.0, teacher.seen[(s.sid, f"{args.lesson}/{a}")] - at)
        for s in crowd
        for a, at in s.done_at.items()
        if (s.sid, f"{args.lesson}/{a}") in teacher.seen
    ]
    print(f"classroom --course: {args.students} students signed in, course lesson {args.lang}/{args.lesson} "
          f"(assignment {assignment}), arrivals over {args.arrival:.0f} s, think {args.think:g} s, "
          f"wall {wall:.1f} s, {len(ms)} answers, dashboard polled every {args.poll:g} s ({teacher.polls} polls)")  # fmt: skip
    _percentiles(
        44,
        [
            ("sign-in: join page + POST /join (ms)", sign_in, 1),
            ("time to first widget state (s)", first, 3),
            ("answer to feedback, durable write (ms)", ms, 1),
            ("dashboard staleness (s)", stale, 2),
            ("dashboard data.json with new data (ms)", [x * 1000 for x in teacher.changed], 1),
        ],
    )
    all_errors = errors + teacher.errors + missing
    print(f"{'errors (incl. answers not on disk)':<44}{len(all_errors):>10}")
    print(f"{'answers not on disk':<44}{len(missing):>10}")
    _memory_rows(44, [("server idle", idle), ("server with the class", loaded)])
    _cpu_rows(44, cpu_before, cpu_after)
    for error in all_errors[:5]:
        print("error:", error)
    print(f"course and server log: {work}")
    return 1 if all_errors else 0


def _first_part(artifact: Any) -> str:
    found = re.search(r'"part": "([^"]+)"', json.dumps(artifact))
    assert found, "no markable part"
    return found.group(1)


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; PSS splits shared pages between their sharers."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def memory(pid: int) -> dict[str, Any]:
    """Memory of the server, its kernel fork server and its kernels, in MiB.

    Forked kernels share the pages their fork server preloaded: summing RSS counts those
    pages once per kernel, PSS (proportional set size) counts each page once in all.
    """
    out = {"kernels": 0, "rss": 0.0, "pss": 0.0, "kernel_rss": 0.0, "kernel_pss": 0.0}
    fork_servers = [p for p in _children(pid) if b"netwise.kernels.fork" in _cmdline(p)]
    for proc in [pid, *_descendants(pid)]:
        rss, pss = _memory_kib(proc)
        out["rss"] += rss / 1024
        out["pss"] += pss / 1024
        if proc != pid and proc not in fork_servers:
            out["kernels"] += 1
            out["kernel_rss"] += rss / 1024
            out["kernel_pss"] += pss / 1024
    return out


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system) of the server process itself and of all its descendants."""
    tick = os.sysconf("SC_CLK_TCK")

    def own(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    return own(pid), sum(own(k) for k in _descendants(pid))


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _descendants(pid: int) -> list[int]:
    kids = _children(pid)
    return kids + [g for k in kids for g in _descendants(k)]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _percentiles(width: int, measures: list[tuple[str, list[float], int]]) -> None:
    """The report's p50/p95/max table: (label, values, decimals) per row."""
    print(f"{'measure':<{width}}{'p50':>10}{'p95':>10}{'max':>10}")
    for label, values, digits in measures:
        print(f"{label:<{width}}{pct(values, 0.5):>10.{digits}f}{pct(values, 0.95):>10.{digits}f}"
              f"{max(values, default=float('nan')):>10.{digits}f}")  # fmt: skip


def _memory_rows(width: int, rows: list[tuple[str, dict[str, Any]]]) -> None:
    """The report's memory table: one row per ``memory()`` reading."""
    print(f"{'memory (MiB)':<{width}}{'RSS sum':>10}{'PSS':>10}")
    for label, m in rows:
        print(f"{'  ' + label + ' (' + str(m['kernels']) + ' kernels)':<{width}}{m['rss']:>10.0f}{m['pss']:>10.0f}")


def _cpu_rows(width: int, before: tuple[float, float], after: tuple[float, float]) -> None:
    """CPU seconds the server and its kernels spent between two ``cpu_seconds()`` readings."""
    print(f"{'CPU s during the class: server':<{width}}{after[0] - before[0]:>10.1f}")
    print(f"{'CPU s during the class: kernels':<{width}}{after[1] - before[1]:>10.1f}")


async def classroom(
    base: str, path: str, students: int, arrival: float, think: float
) -> tuple[list[Student], list[str]]:
    crowd = [Student(base, path, think) for _ in range(students)]
    return crowd, await arrive_all(crowd, arrival)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--lesson", default="scams-red-flags")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--curriculum", help="curriculum folder (default: the bundled one)")
    parser.add_argument("--arrival", type=float, default=10.0, help="seconds over which students arrive")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a student reads before each activity (0: answer at once)")  # fmt: skip
    parser.add_argument("--course", action="store_true",
                        help="a class session: a fresh course of --students, signed in with login-card secrets, "
                             "served by 'netwise serve --course', watched from the teacher dashboard")  # fmt: skip
    parser.add_argument("--poll", type=float, default=POLL_MS / 1000,
                        help="with --course: seconds between the dashboard's polls (default: the page's); an "
                             "interval over 10 s leaves answers unseen, counted as errors")  # fmt: skip
    args = parser.parse_args()
    AsyncHTTPClient.configure(None, max_clients=args.students + 5)
    if args.course:
        return course_main(args)
    port = free_port()
    netwise = str(Path(sys.executable).parent / "netwise")
    log = tempfile.NamedTemporaryFile(prefix="classroom-", suffix=".log", delete=False)  # noqa: SIM115  (kept to read)
    server = subprocess.Popen(
        [netwise, "serve", "--port", str(port), "--lang", args.lang, "--lessons", args.lesson, "--pool", str(args.pool),
         "--max-students", str(args.students + 10), *(["--curriculum", args.curriculum] if args.curriculum else [])],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/", server)
        time.sleep(3 + args.pool)  # let the pool fill
        idle = memory(server.pid)
        cpu_before = cpu_seconds(server.pid)
        client_before = time.process_time()
        started = time.perf_counter()
        crowd, errors = asyncio.run(
            classroom(base, f"/lesson/{args.lang}/{args.lesson}", args.students, args.arrival, args.think)
        )
        wall = time.perf_counter() - started
        loaded = memory(server.pid)
        cpu_after = cpu_seconds(server.pid)
        client_cpu = time.process_time() - client_before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    first = [s.first_state for s in crowd if s.first_state is not None]
    lat = [x for s in crowd for x in s.latencies]
    print(f"classroom: {args.students} students, lesson {args.lang}/{args.lesson}, pool {args.pool}, "
          f"arrivals over {args.arrival:.0f} s, think {args.think:g} s, wall {wall:.1f} s, {len(lat)} answers")  # fmt: skip
    _percentiles(
        36, [("time to first widget state (s)", first, 3), ("answer to feedback (ms)", [x * 1000 for x in lat], 1)]
    )
    print(f"{'errors':<36}{len(errors):>10}")
    _memory_rows(36, [("server idle, pool ready", idle), ("server with the class", loaded)])
    per_rss, per_pss = loaded["kernel_rss"] / loaded["kernels"], loaded["kernel_pss"] / loaded["kernels"]
    print(f"{'  per kernel':<36}{per_rss:>10.1f}{per_pss:>10.1f}")
    print(f"{'  per student (all / students)':<36}{loaded['rss'] / args.students:>10.1f}"
          f"{loaded['pss'] / args.students:>10.1f}")  # fmt: skip
    _cpu_rows(36, cpu_before, cpu_after)
    print(f"{'CPU s during the class: load client':<36}{client_cpu:>10.1f}")
    for error in errors[:5]:
        print("error:", error)
    print(f"server log: {log.name}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
