"""A hostile student against a real `netwise serve` on loopback: one test per hole of issue 11.

Each test speaks HTTP and the Jupyter kernel protocol directly, as a script would, with
bounded loops that stop by themselves. The Chromium cases (a dropped websocket, a culled
kernel's page) are in tests/browser/test_serve_recovery.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import resource
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import voila.app
import voila.notebook_renderer
import zmq
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.serverapp import JUPYTER_SERVICE_HANDLERS, load_handlers
from jupyter_server.services.contents.largefilemanager import LargeFileManager
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect
from traitlets.config import Config

import netwise.app.server as server_module
from netwise.app import config as app_config
from netwise.app import limits, logsafe
from netwise.app.guard import SECURITY_HEADERS, host_allowed, local_names
from netwise.app.pool import pool_sizes
from netwise.app.server import NetwiseVoila
from netwise.content import load
from netwise.i18n import Translator
from netwise.paths import bundled_curriculum
from netwise.scoring.record import AnswerRecord
from netwise.widgets import base, passphrase
from support.paths import FIXTURES
from support.servers import kernel_id, netwise_serve, open_page

pytestmark = pytest.mark.slow

LESSON = "/lesson/en/basics-one"


# --- the protocol, spoken directly -------------------------------------------------------


def message(msg_type: str, content: Any, channel: str = "shell", metadata: dict[str, Any] | None = None) -> str:
    head = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "x", "session": "s",
            "date": "2025-01-01T00:00:00Z", "version": "5.3"}  # fmt: skip
    return json.dumps(
        {"channel": channel, "header": head, "parent_header": {}, "metadata": metadata or {}, "content": content}
    )


def control_open(comm_id: str) -> str:
    """The one comm a page opens: ipywidgets' control comm (its protocol version in the metadata)."""
    return message("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                   metadata={"version": "1.0.0"})  # fmt: skip


def ws_url(url: str, kernel: str, session: str | None = None) -> str:
    return url.replace("http://", "ws://") + f"/api/kernels/{kernel}/channels?session_id={session or uuid.uuid4().hex}"


async def connect(url: str, kernel: str, cookie: str = "", **headers: str) -> WebSocketClientConnection:
    request = HTTPRequest(
        ws_url(url, kernel),
        connect_timeout=30,
        request_timeout=60,
        headers={**({"Cookie": cookie} if cookie else {}), **headers},
    )
    return await websocket_connect(request)


async def shut(*sockets: WebSocketClientConnection) -> None:
    """Close websockets and wait until the server has closed them too (no socket left open)."""
    for ws in sockets:
        ws.close()
    for ws in sockets:
        with contextlib.suppress(Exception):
            while await asyncio.wait_for(ws.read_message(), timeout=5) is not None:
                pass


async def collect(ws: WebSocketClientConnection, seconds: float) -> list[dict[str, Any]]:
    """Every message the page would receive within ``seconds`` (stops early if the socket closes)."""
    got: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        try:
            raw = await asyncio.wait_for(ws.read_message(), timeout=left)
        except TimeoutError:
            break
        if raw is None:
            break
        got.append(json.loads(raw) if isinstance(raw, str) else {"binary": raw})
    return got


def refused(url: str, kernel: str, cookie: str = "") -> int:
    """The HTTP status a websocket handshake gets (101 when it is accepted)."""

    async def attempt() -> int:
        try:
            ws = await connect(url, kernel, cookie)
        except HTTPClientError as exc:
            return exc.code
        await shut(ws)
        return 101

    return asyncio.run(attempt())


def request(url: str, method: str = "GET", cookie: str = "", body: bytes | None = None, **headers: str) -> int:
    req = urllib.request.Request(url, method=method, data=body, headers={**({"Cookie": cookie} if cookie else {}),
                                                                          **headers})  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return int(exc.code)


def xsrf(cookie: str) -> str:
    found = re.search(r"_xsrf=([^;]+)", cookie)
    assert found, cookie
    return found.group(1)


def kernel_rss_mib(server_pid: int) -> float:
    """RSS of the lesson kernels (children of the kernel fork server), in MiB."""
    total = 0.0
    for fork_server in _children(server_pid):
        for kernel in _children(fork_server):
            try:
                for line in Path(f"/proc/{kernel}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
            except OSError:
                pass
    return total


def settled(server_pid: int, timeout: float = 60) -> None:
    """Wait until the number of kernels has not changed for 3 s (pool refills done)."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = len([k for f in _children(server_pid) for k in _children(f)])
        if count != last:
            last, since = count, time.monotonic()
        elif time.monotonic() - since >= 3:
            return
        time.sleep(0.5)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def log_text(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


# --- one server for the tests that need no settings of their own -------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[tuple[str, int, Path]]:
    tmp = tmp_path_factory.mktemp("attacks")
    curriculum = _curriculum(tmp)
    log = artifacts / "serve-attacks.log"
    args = ["--pool", "1", "--lang", "en", "--curriculum", str(curriculum), "--allow-host", "school.example"]
    with netwise_serve(args, log, tmp) as (url, process):
        yield url, process.pid, log


def _curriculum(tmp: Path) -> Path:
    target = tmp / "curriculum"
    shutil.copytree(FIXTURES / "mini", target)
    return target


def page(url: str, cookie: str = "") -> tuple[str, str]:
    """A lesson page's (kernel id, cookies)."""
    status, body, cookies = open_page(url + LESSON, cookie)
    assert status == 200, body[-500:]
    return kernel_id(body), cookies


# --- 2. a kernel belongs to the browser that opened its page ---------------------------


def test_a_client_without_the_pages_cookie_is_refused_everywhere(server: tuple[str, int, Path]) -> None:
    url, _, _ = server
    kernel, cookie = page(url)
    other_kernel, other = page(url)  # another visitor: a real page and cookie of their own
    assert "netwise-owner=" in cookie
    with urllib.request.urlopen(url + LESSON, timeout=60) as response:
        owner = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("netwise-owner="))
    assert "HttpOnly" in owner and "SameSite=Strict" in owner and "Secure" not in owner  # plain http in class

    for attacker in ("", other, re.sub(r"netwise-owner=[^;]+", "netwise-owner=" + "A" * 43, cookie)):
        assert refused(url, kernel, attacker) == 404
        assert request(f"{url}/api/kernels/{kernel}", cookie=attacker) == 404
        token = xsrf(attacker or other)
        assert request(f"{url}/api/kernels/{kernel}", "DELETE", attacker or other, **{"X-XSRFToken": token}) == 404
        body = f"_xsrf={token}".encode()
        assert request(f"{url}/voila/api/shutdown/{kernel}", "POST", attacker or other, body) == 404
        assert request(f"{url}/voila/query/{kernel}", cookie=attacker, Upgrade="websocket") == 404
    # The kernel lived through all of it, and its owner still reaches it.
    assert request(f"{url}/api/kernels/{kernel}", cookie=cookie) == 200
    assert refused(url, kernel, cookie) == 101
    assert request(f"{url}/api/kernels/{kernel}", "DELETE", cookie, **{"X-XSRFToken": xsrf(cookie)}) == 204
    assert request(f"{url}/api/kernels/{kernel}", cookie=cookie) == 404
    assert request(f"{url}/api/kernels/{other_kernel}", cookie=other) == 200


# --- 3. limits on what a visitor can send -------------------------------------------------


def test_comm_open_is_refused_and_the_kernel_stays_small(server: tuple[str, int, Path]) -> None:
    url, pid, log = server
    kernel, cookie = page(url)

    async def attack() -> tuple[list[str], list[str], int | None]:
        ws = await connect(url, kernel, cookie)
        control = uuid.uuid4().hex
        await ws.write_message(control_open(control))
        await ws.write_message(message("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}))
        first = [m["header"]["msg_type"] for m in await collect(ws, 5) if "header" in m]
        # Large widget models, under the size limit, again and again; then a second control comm.
        state = {"_model_name": "DOMWidgetModel", "_model_module": "@jupyter-widgets/base", "value": "x" * 50_000}
        for _ in range(15):
            await ws.write_message(message("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget",
                                                         "data": {"state": state, "buffer_paths": []}}))  # fmt: skip
        second = uuid.uuid4().hex
        await ws.write_message(control_open(second))
        await ws.write_message(message("comm_msg", {"comm_id": second, "data": {"method": "request_states"}}))
        later = [m["header"]["msg_type"] for m in await collect(ws, 3) if "header" in m]
        await ws.write_message(message("comm_msg", {"comm_id": control, "data": {"method": "x" * 2_000_000}}))
        await collect(ws, 3)  # a frame over the size limit: tornado closes the socket
        code = ws.close_code
        await shut(ws)
        return first, later, code

    settled(pid)  # the pool has replaced the kernel this page took
    before = kernel_rss_mib(pid)
    first, later, code = asyncio.run(attack())
    assert "comm_msg" in first  # the page's own control comm works: update_states
    assert "comm_msg" not in later and "comm_open" not in later  # nothing answered the refused comms
    assert code == 1009  # message too big
    assert kernel_rss_mib(pid) - before < 10, "a kernel grew from refused comm_open messages"
    logged = log_text(log)
    assert f"kernel {kernel}: refused comm_open of target 'jupyter.widget'" in logged
    assert logged.count(f"kernel {kernel}: refused") == 3  # the first few, not one line per attempt


def test_websockets_per_kernel_are_limited(server: tuple[str, int, Path]) -> None:
    url, _, _ = server
    kernel, cookie = page(url)
    limit = app_config.NetwiseConfiguration.class_traits()["websockets_per_kernel"].default_value

    async def flood() -> tuple[int, int]:
        held = [await connect(url, kernel, cookie) for _ in range(limit)]
        try:
            await connect(url, kernel, cookie)
            over = 101
        except HTTPClientError as exc:
            over = exc.code
        await shut(held.pop())
        again = await connect(url, kernel, cookie)  # a slot freed by a close is free again
        held.append(again)
        await shut(*held)
        return over, len(held)

    over, held = asyncio.run(flood())
    assert over == 429 and held == limit


def test_websockets_per_address_with_a_trusted_proxy(tmp_path: Path, artifacts: Path) -> None:
    config = tmp_path / "limits.py"
    config.write_text("c.NetwiseConfiguration.websockets_per_address = 2\n", encoding="utf-8")
    args = ["--pool", "0", "--lang", "en", "--curriculum", str(_curriculum(tmp_path)), "--config", str(config),
            "--trusted-proxy", "127.0.0.1"]  # fmt: skip
    with netwise_serve(args, artifacts / "serve-attacks-address.log", tmp_path) as (url, _):
        (a, cookie_a), (b, cookie_b) = page(url), page(url)

        async def scenario() -> list[int]:
            held, codes = [], []
            for kernel, cookie, address in ((a, cookie_a, "10.0.0.5"), (b, cookie_b, "10.0.0.5"),
                                            (b, cookie_b, "10.0.0.5"), (b, cookie_b, "10.0.0.6")):  # fmt: skip
                try:
                    held.append(await connect(url, kernel, cookie, **{"X-Forwarded-For": f"203.0.113.9, {address}"}))
                    codes.append(101)
                except HTTPClientError as exc:
                    codes.append(exc.code)
            await shut(*held)
            return codes

        # Two per address: the third from 10.0.0.5 is refused, another address behind the proxy is not.
        assert asyncio.run(scenario()) == [101, 101, 429, 101]


MALFORMED: list[Any] = [
    message("comm_msg", {"comm_id": "c", "data": "a string"}),
    message("comm_msg", {"comm_id": "c", "data": None}),
    message("comm_msg", {"comm_id": "c", "data": [1, 2]}),
    message("comm_msg", {"comm_id": "WIDGET", "data": {"method": "custom", "content": "text"}}),
    message("comm_msg", {"comm_id": "WIDGET", "data": {"method": "custom", "content": {"action": 5}}}),
    message(
        "comm_msg",
        {"comm_id": "WIDGET", "data": {"method": "custom", "content": {"action": "select", "ids": [{"x": 1}]}}},
    ),  # fmt: skip
    message("comm_msg", {"comm_id": "WIDGET", "data": {"method": "update", "state": {"spec": 1}, "buffer_paths": 3}}),
    message("comm_msg", {"comm_id": "no-such-comm", "data": {"method": "custom", "content": {}}}),
    message("comm_msg", ["not", "an", "object"]),
    message("comm_close", {"comm_id": None}),
    message("execute_request", {"code": "1/0", "silent": False}),
    message("comm_info_request", {"target_name": 7}),
    message("kernel_info_request", {}, channel="iopub"),
    json.dumps({"header": "nope", "content": {}}),
    json.dumps([1, 2, 3]),
    "{not json",
    "null",
]


def test_no_traceback_reaches_the_page(server: tuple[str, int, Path]) -> None:
    url, _, _ = server
    kernel, cookie = page(url)

    async def attack() -> tuple[list[dict[str, Any]], list[str]]:
        ws = await connect(url, kernel, cookie)
        control = uuid.uuid4().hex
        await ws.write_message(control_open(control))
        await ws.write_message(message("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}))
        states = [m for m in await collect(ws, 5) if m.get("header", {}).get("msg_type") == "comm_msg"]
        widgets = [
            model for m in states for model, entry in m["content"]["data"].get("states", {}).items()
            if entry["state"].get("spec", {}).get("type") == "choice"
        ]  # fmt: skip
        assert widgets, "no activity widget on the page"
        got = []
        for payload in MALFORMED:
            await ws.write_message(payload.replace("WIDGET", widgets[0]))
            got += await collect(ws, 0.3)
        got += await collect(ws, 2)
        await ws.write_message(message("kernel_info_request", {}))
        after = [m["header"]["msg_type"] for m in await collect(ws, 3) if "header" in m]
        await shut(ws)
        return got, after

    got, after = asyncio.run(attack())
    text = json.dumps(got)
    for leak in ("Traceback", "site-packages", 'File \\"', "Error", "/usr/", "/tmp/", "netwise/"):
        assert leak not in text, leak
    assert {m["header"]["msg_type"] for m in got if "header" in m} <= {"status", "comm_msg", "comm_info_reply"}
    assert "kernel_info_reply" in after  # the page still works afterwards


def test_answers_are_rate_limited(server: tuple[str, int, Path]) -> None:
    url, _, log = server
    kernel, cookie = page(url)
    burst = app_config.NetwiseConfiguration.class_traits()["answer_burst"].default_value

    async def flood() -> int:
        ws = await connect(url, kernel, cookie)
        for _ in range(burst + 10):  # far faster than any page sends
            await ws.write_message(message("kernel_info_request", {}))
        replies = [m for m in await collect(ws, 5) if m.get("header", {}).get("msg_type") == "kernel_info_reply"]
        await shut(ws)
        return len(replies)

    replies = asyncio.run(flood())
    assert burst - 2 <= replies <= burst + 5  # the burst goes through (plus what the rate refills), not the rest
    assert "refused a message over the rate limit" in log_text(log)


def test_the_passphrase_check_costs_one_estimate_whatever_was_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    curriculum = load(bundled_curriculum())
    translator = Translator(curriculum, "en")
    lesson, activity = next(
        (lid, a) for lid in curriculum.lessons for a in translator.lesson(lid).activities if a.type == "passphrase_lab"
    )
    ui = translator.ui()
    monkeypatch.setenv(base.ATTEMPTS_ENV, "20")
    monkeypatch.setenv(passphrase.ESTIMATE_ENV, "0")  # no throttle here: the cost is what is counted
    record = AnswerRecord(lesson, "en", None)
    widget = passphrase.PassphraseWidget(activity, lesson_id=lesson, record=record, ui=ui)
    estimates = scored = 0
    real_estimate, real_score = widget.estimate, base.scoring.answer

    def counting_estimate(text: str) -> Any:
        nonlocal estimates
        estimates += 1
        return real_estimate(text)

    def counting_score(*args: Any) -> Any:
        nonlocal scored
        scored += 1
        return real_score(*args)

    monkeypatch.setattr(widget, "estimate", counting_estimate)
    monkeypatch.setattr(base.scoring, "answer", counting_score)
    costs = []
    for n in range(1500):  # a script checking weak passwords without end (the goal is never met)
        scored = 0
        widget.handle({"action": "estimate", "text": f"aaaa{n % 7}", "seq": n})
        widget.handle({"action": "check"})
        costs.append(scored)
        if n == 0:
            first = record.attempts(activity.id, "_")[0]
    assert estimates == 1500  # one estimate per check, whatever is stored
    assert len(record.attempts(activity.id, "_")) == 20  # capped: the first (graded) and the latest
    assert max(costs[-100:]) == max(costs[20:40]) <= 5 * 20  # a check costs the same at 1,500 as at 30
    assert record.attempts(activity.id, "_")[0] == first

    monkeypatch.setenv(passphrase.ESTIMATE_ENV, "10")  # one estimate per 10 s: a burst, then throttled
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(widget, "send", lambda content, *a, **k: sent.append(content))
    for n in range(passphrase.ESTIMATE_BURST + 5):
        widget.handle({"action": "estimate", "text": "zzzz", "seq": n})
    assert sum(bool(m.get("throttled")) for m in sent) >= 5
    assert base.ATTEMPTS_ENV == app_config.ATTEMPTS_ENV and passphrase.ESTIMATE_ENV == app_config.ESTIMATE_ENV


# --- 4. fair admission ----------------------------------------------------------------------


def test_simultaneous_arrivals_cannot_pass_the_cap(tmp_path: Path, artifacts: Path) -> None:
    args = ["--pool", "0", "--lang", "en", "--curriculum", str(_curriculum(tmp_path)), "--max-students", "4"]
    with netwise_serve(args, artifacts / "serve-attacks-cap.log", tmp_path) as (url, process):

        async def arrive() -> list[int]:
            client = AsyncHTTPClient(force_instance=True, max_clients=20)
            try:
                responses = await asyncio.gather(
                    *(client.fetch(url + LESSON, raise_error=False, request_timeout=120) for _ in range(16))
                )
            finally:
                client.close()
            return [r.code for r in responses]

        codes = asyncio.run(arrive())
        assert sorted(codes) == [200] * 4 + [503] * 12, codes
        kernels = [k for f in _children(process.pid) for k in _children(f)]
        assert len(kernels) == 4


def test_an_idle_websocket_holder_is_culled_when_a_student_waits(tmp_path: Path, artifacts: Path) -> None:
    args = ["--pool", "0", "--lang", "en", "--curriculum", str(_curriculum(tmp_path)), "--max-students", "2",
            "--cull-silent-after", "4", "--cull-interval", "1"]  # fmt: skip
    log = artifacts / "serve-attacks-idle.log"
    with netwise_serve(args, log, tmp_path) as (url, _):
        (a, cookie_a), (b, cookie_b) = page(url), page(url)

        async def hold() -> tuple[int, int, int]:
            held = [await connect(url, a, cookie_a), await connect(url, b, cookie_b)]  # connected, then silent
            await asyncio.sleep(1)
            early = open_page(url + LESSON)[0]  # full: silent for 1 s is a pause, not a reason
            await asyncio.sleep(4)
            status, body, cookie_c = open_page(url + LESSON)  # full, but a holder has been silent long enough
            later = open_page(url + LESSON)[0]  # the other holder goes too (at the cap, by the culler)
            await shut(*held)
            return early, status, later

        early, status, later = asyncio.run(hold())
        assert early == 503 and status == 200
        assert later in (200, 503)
        logged = log_text(log)
        assert "the class is full and its page was silent" in logged or "a new student is waiting" in logged


# --- 5. nothing internal reaches a visitor ---------------------------------------------------


def test_a_foreign_host_is_refused(server: tuple[str, int, Path]) -> None:
    url, pid, _ = server
    before = len([k for f in _children(pid) for k in _children(f)])
    for host in ("evil.example", "evil.example:8866", "127.0.0.1.nip.io", "localhost.evil.example"):
        assert request(url + LESSON, Host=host) == 421, host
        assert request(url + "/", Host=host) == 421, host
    after = len([k for f in _children(pid) for k in _children(f)])
    assert after <= before  # no kernel was started for them
    for host in ("192.168.1.20:8866", "[::1]:8866", "localhost:8866", "school.example", "SCHOOL.example:80"):
        assert request(url + "/", Host=host) == 200, host
    names = local_names(["school.example"])
    assert host_allowed("10.1.2.3", names) and not host_allowed("", names) and not host_allowed("[zz]:1", names)


def test_log_lines_are_escaped_and_cut(server: tuple[str, int, Path]) -> None:
    url, _, log = server
    kernel, cookie = page(url)
    forged = "x\n[W 2025-01-01 00:00:00.000 NetwiseVoila] FORGED\x1b[31m red" + "y" * 50_000

    async def attack() -> None:
        ws = await connect(url, kernel, cookie)
        await ws.write_message(message(forged, {}))
        await collect(ws, 2)
        await shut(ws)

    size = log.stat().st_size
    asyncio.run(attack())
    time.sleep(0.5)
    text = log.read_bytes()[size:].decode("utf-8", "replace")
    assert "FORGED" in text  # it was logged ...
    assert not any(line.startswith("[W 2025-01-01") for line in text.splitlines())  # ... not as a line of its own
    assert "\x1b" not in text and "\\x1b" in text
    assert len(text) < 5_000  # 50 kB sent, a short line written
    assert logsafe.safe("a\rb\x00c") == "a\\x0db\\x00c" and logsafe.safe("one\ntwo") == "one\n    two"


def test_every_route_the_app_does_not_use_is_a_friendly_404(server: tuple[str, int, Path]) -> None:
    url, _, _ = server
    patterns = _registered_patterns()
    served = _served_patterns()
    assert len(patterns) > 40  # Jupyter Server's and Voilà's
    checked = []
    for pattern in sorted(patterns - served):
        path = _example(pattern)
        for method in ("GET", "POST", "DELETE"):
            req = urllib.request.Request(url + path, method=method, data=b"{}" if method == "POST" else None)
            try:
                with urllib.request.urlopen(req, timeout=30) as response:
                    status, body = response.status, response.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as exc:
                status, body = exc.code, exc.read().decode("utf-8", "replace")
                exc.close()
            assert status == 404, (method, path, pattern, status)
            assert "Page not found" in body and "Traceback" not in body, (method, path)
        checked.append(path)
    assert {"/login", "/logout", "/api/kernels", "/api/contents/x", "/files/x"} <= set(checked)


def _registered_patterns() -> set[str]:
    """Every handler pattern Jupyter Server's services and Voilà register (on a root base URL)."""
    modules = {m for locations in JUPYTER_SERVICE_HANDLERS.values() if locations for m in locations}
    modules |= {"jupyter_server.base.handlers", "jupyter_server.nbconvert.handlers"}
    patterns = {spec[0] for module in modules for spec in load_handlers(module)}
    # /login comes with a token or password (Voilà's own login page), /logout always
    patterns |= {spec[0] for spec in PasswordIdentityProvider(token="secret").get_handlers()} | {"/login"}
    patterns |= {spec[0] for spec in LargeFileManager().get_extra_handlers()}  # /files/
    patterns |= {spec[0] for spec in _app_handlers(voilas_own=True)}
    return {p if p.startswith("/") else "/" + p for p in patterns}


def _served_patterns() -> set[str]:
    return {spec[0] for spec in _app_handlers(voilas_own=False)}


def _app_handlers(voilas_own: bool) -> list[Any]:
    """The app's handlers, or Voilà's own for the same app (an app made in this process, not started)."""
    saved = (voila.notebook_renderer.VoilaExecutor, voila.app.voila_kernel_manager_factory, dict(os.environ),
             voila.notebook_renderer.VoilaExporter)  # fmt: skip
    fork, server_module.FORK_AVAILABLE = server_module.FORK_AVAILABLE, False  # no fork server in this process
    config = Config({"NetwiseConfiguration": {"curriculum": str(FIXTURES / "mini"), "pool": 0, "languages": ["en"]}})
    app = NetwiseVoila(config=config)
    try:
        app.initialize()
        app.init_settings()
        return app.voila_handlers() if voilas_own else app.init_handlers()
    finally:
        shutil.rmtree(app.served_dir, ignore_errors=True)
        voila.notebook_renderer.VoilaExecutor, voila.app.voila_kernel_manager_factory = saved[:2]
        voila.notebook_renderer.VoilaExporter = saved[3]
        os.environ.clear()
        os.environ.update(saved[2])
        server_module.FORK_AVAILABLE = fork


def _example(pattern: str) -> str:
    """A path the pattern matches: each group given a plausible value (checked with the pattern itself)."""
    path = re.sub(r"\(\?P<\w+>\\w\+-\\w\+-\\w\+-\\w\+-\\w\+\)", str(uuid.uuid4()), pattern)
    path = path.replace(r"(?P<path>(?:(?:/[^/]+)+|/?))", "/x")
    while (group := re.search(r"\((?:\?P<\w+>)?([^()]*)\)[?*+]?", path)) is not None:
        choice = group.group(1).split("|")[0]
        pattern_like = re.search(r"\\[wdsWDS]", choice) or any(c in re.sub(r"\\.", "", choice) for c in "[].*+")
        value = "x" if pattern_like else re.sub(r"\\(.)", r"\1", choice)
        path = path[: group.start()] + value + path[group.end() :]
    path = path.replace(".*", "x").replace("\\", "").replace("?", "")
    path = path if path.startswith("/") else "/" + path
    assert re.fullmatch(pattern if pattern.startswith("/") else "/" + pattern, path), (pattern, path)
    return path


def test_security_headers_on_every_response(server: tuple[str, int, Path]) -> None:
    url, _, _ = server
    kernel, cookie = page(url)
    _, landing, _ = open_page(url + "/")
    static = re.search(r'src="(/voila/templates/netwise-lean/static/[^"]+)"', open_page(url + LESSON)[1])
    assert static
    for path, host in [("/", ""), (LESSON, ""), (static.group(1), ""), ("/voila/static/no-such.js", ""),
                       ("/logout", ""), ("/", "evil.example"), (f"/api/kernels/{kernel}", "")]:  # fmt: skip
        req = urllib.request.Request(url + path, headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                headers = response.headers
        except urllib.error.HTTPError as exc:
            headers = exc.headers
            exc.close()
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, (path, name)


def test_the_error_page_renders_for_any_handler(server: tuple[str, int, Path]) -> None:
    url, _, log = server
    # A websocket route asked for with a plain GET (no handshake): a 400, as NetWise's page.
    kernel, cookie = page(url)
    req = urllib.request.Request(f"{url}/api/kernels/{kernel}/channels", headers={"Cookie": cookie})
    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(req, timeout=30).close()
    code, body = refusal.value.code, refusal.value.read().decode("utf-8", "replace")
    refusal.value.close()
    assert code == 400 and "<html" in body and "Something went wrong" in body and "Traceback" not in body
    assert "TemplateNotFound" not in log_text(log)


# --- 1. a year group: the limits that broke, and the race ----------------------------------


def test_websockets_opening_and_closing_together_leave_no_attribute_error(server: tuple[str, int, Path]) -> None:
    url, _, log = server
    kernel, cookie = page(url)
    limit = app_config.NetwiseConfiguration.class_traits()["websockets_per_kernel"].default_value

    async def churn() -> int:
        opened = 0
        for _ in range(8):
            batch = await asyncio.gather(*(connect(url, kernel, cookie) for _ in range(limit)), return_exceptions=True)
            sockets = [ws for ws in batch if isinstance(ws, WebSocketClientConnection)]
            opened += len(sockets)
            await shut(*sockets)
        return opened

    assert asyncio.run(churn()) >= 8 * limit - 4
    time.sleep(1)
    logged = log_text(log)
    assert "_kernel_info_future" not in logged and "AttributeError" not in logged


def test_process_limits_are_raised() -> None:
    soft = limits.raise_open_files()
    assert soft == resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= 1024
    context = zmq.Context()
    try:
        assert limits.raise_zmq_sockets(context, soft) >= min(soft, 4096)
    finally:
        context.term()


def test_the_pool_is_shared_by_the_lessons_and_each_check_gets_one() -> None:
    lessons, checks = ["a.ipynb", "b.ipynb", "c.ipynb"], ["pre.ipynb", "post.ipynb"]
    assert pool_sizes(lessons, checks, 40) == {"a.ipynb": 14, "b.ipynb": 13, "c.ipynb": 13, "pre.ipynb": 1,
                                               "post.ipynb": 1}  # fmt: skip
    assert pool_sizes(lessons, checks, 2) == {"a.ipynb": 1, "b.ipynb": 1, "c.ipynb": 0, "pre.ipynb": 1,
                                              "post.ipynb": 1}  # fmt: skip
    assert set(pool_sizes(lessons, checks, 0).values()) == {0}
    c = app_config.NetwiseConfiguration(pool=3).voila_config({"a.ipynb": 3, "pre.ipynb": 1, "b.ipynb": 0})
    assert c.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 0}, "a.ipynb": {"pool_size": 3}, "pre.ipynb": {"pool_size": 1}}  # fmt: skip
