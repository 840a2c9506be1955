"""Server limits of `netwise serve`: culling, the class-size cap, errors, port and Ctrl-C."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support.paths import FIXTURES, NETWISE, run_netwise
from support.servers import free_port, netwise_serve, open_page

pytestmark = pytest.mark.slow


def get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def kernel_of(page: str) -> str:
    match = re.search(r'"kernelId": "([0-9a-f-]{36})"', page)
    assert match, "no kernel id in the page"
    return match.group(1)


def alive(url: str, kernel: str, cookie: str) -> bool:
    """Whether the kernel runs, asked with its page's cookie (a kernel answers its owner only)."""
    return get(f"{url}/api/kernels/{kernel}", cookie)[0] == 200


def test_bare_get_is_culled_and_the_class_fills_up(tmp_path: Path, artifacts: Path) -> None:
    args = ["--pool", "0", "--max-students", "1", "--cull-after", "3", "--cull-interval", "1", "--lang", "en"]
    with netwise_serve(args, artifacts / "serve-limits.log", tmp_path) as (url, _):
        status, page, cookie = open_page(f"{url}/lesson/en/scams-real-or-scam")  # a bare GET: no websocket
        assert status == 200
        kernel = kernel_of(page)
        assert alive(url, kernel, cookie)
        status, full = get(f"{url}/lesson/en/scams-red-flags")
        assert status == 503 and "The class is full" in full and "try again in a minute" in full
        assert 'lang="en"' in full and "Traceback" not in full
        deadline = time.monotonic() + 20
        while alive(url, kernel, cookie) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not alive(url, kernel, cookie), "the bare GET's kernel was not culled"
        status, page = get(f"{url}/lesson/en/scams-red-flags")  # room again
        assert status == 200 and 'class="nw-lesson-error" role="alert"' not in page


def test_landing_lists_every_lesson_of_each_language(tmp_path: Path, artifacts: Path) -> None:
    from netwise.content import load
    from netwise.i18n import complete_languages
    from netwise.paths import bundled_curriculum

    curriculum = load(bundled_curriculum())
    with netwise_serve(["--pool", "0"], artifacts / "serve-landing.log", tmp_path) as (url, _):
        for lang in ("en", "vi"):
            status, page = get(f"{url}/?lang={lang}")
            assert status == 200 and f'<html lang="{lang}">' in page
            served = re.findall(rf'href="/lesson/{lang}/([a-z0-9-]+)"', page)
            # every lesson completely translated into the language (a translation in progress waits)
            ready = [lid for lid in curriculum.lessons if lang in complete_languages(curriculum, lid)]
            assert sorted(served) == sorted(ready) and served


def test_a_failing_lesson_shows_a_friendly_message_and_logs_details(tmp_path: Path, artifacts: Path) -> None:
    curriculum = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "mini", curriculum)
    log = artifacts / "serve-error.log"
    with netwise_serve(["--pool", "0", "--curriculum", str(curriculum), "--lang", "en"], log, tmp_path) as (url, _):
        status, landing = get(f"{url}/")
        lesson = re.search(r'href="(/lesson/en/[a-z0-9-]+)"', landing)
        assert status == 200 and lesson
        # The curriculum breaks while the server runs: the kernel cannot load the lesson.
        for path in (curriculum / "modules").rglob("*.yaml"):
            path.write_text("not: [valid", encoding="utf-8")
        status, page = get(url + lesson.group(1))
        assert 'class="nw-lesson-error" role="alert"><p>This lesson could not be opened' in page
        assert "Traceback" not in page and "ExecutionError" not in page and "yaml" not in page.lower()
    logged = log.read_text(encoding="utf-8", errors="replace")
    assert "lesson cell failed" in logged and "Traceback" in logged


def test_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = run_netwise("serve", "--port", str(port), cwd=tmp_path, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"netwise: error: port {port} is already in use on 127.0.0.1; choose another with --port"
    ]


def test_ctrl_c_stops_the_server_and_every_kernel(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [NETWISE, "serve", "--port", str(port), "--pool", "1", "--lang", "vi", "--lessons", "scams-red-flags"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline().decode()
        assert f"http://127.0.0.1:{port}/" in first
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _children(process.pid):
            time.sleep(0.5)
        assert _children(process.pid), "no preheated kernel started"
        time.sleep(2)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        time.sleep(0.5)
        assert _children(process.pid) == []
        assert not list(tmp_path.glob("netwise-serve-*")), "served notebooks left behind"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _children(pid: int) -> list[int]:
    """Child processes of the server: its kernels."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split() if int(p) != pid]
