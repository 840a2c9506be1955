"""Real servers and a real browser for integration tests: JupyterLab and Debian's chromium."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def serving(
    command: list[str], url: str, log: Path, *, env: dict[str, str], cwd: Path | None = None,
    timeout: float = 90, stop_timeout: float = 20,
) -> Iterator[subprocess.Popen[bytes]]:  # fmt: skip
    """A server command in a session of its own: ready once ``url`` answers, stopped with its whole group."""
    with log.open("wb") as handle:
        process = subprocess.Popen(
            command, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        try:
            wait_http(url, process, timeout)
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def jupyterlab(root: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A JupyterLab server on loopback with no token, serving ``root``."""
    port = free_port()
    # Fresh workspace and settings: a restored layout from an earlier run would hide tabs.
    state = Path(tempfile.mkdtemp(prefix="lab-state-"))
    env = {
        **(env or {}),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
    }
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--ServerApp.root_dir={root}", "--IdentityProvider.token=", "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--allow-root",
    ]  # fmt: skip
    with serving(command, f"http://127.0.0.1:{port}/api/status", log, env={**os.environ, **env}):
        yield f"http://127.0.0.1:{port}"


# A phone's context options for ``chromium(profile, **PHONE)`` or ``browser.new_context(**PHONE)``.
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@contextlib.contextmanager
def chromium(profile: Path, **options: Any) -> Iterator[Any]:
    """Playwright driving Debian's chromium with a fresh profile: one persistent context, 1280x900 unless
    ``options`` (Playwright's context options: ``**PHONE``, ``bypass_csp`` for axe-core...) say otherwise."""
    from playwright.sync_api import sync_playwright  # deferred: Playwright starts a driver process

    options.setdefault("viewport", {"width": 1280, "height": 900})
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **options
        )
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def chromium_browser() -> Iterator[Any]:
    """Debian's chromium as a Playwright ``Browser``, for a test that opens several contexts (sizes,
    visitors, a teacher and students), each a fresh incognito profile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def netwise_serve(
    args: list[str], log: Path, tmp: Path, timeout: float = 120
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`netwise serve` on loopback; its temporary files (served notebooks, kernels) live in ``tmp``."""
    port = free_port()
    netwise = str(Path(sys.executable).parent / "netwise")
    env = {**os.environ, "TMPDIR": str(tmp)}
    command = [netwise, "serve", "--port", str(port), *args]
    url = f"http://127.0.0.1:{port}"
    with serving(command, f"{url}/", log, env=env, cwd=tmp, timeout=timeout, stop_timeout=30) as process:
        yield url, process


def open_page(url: str, cookie: str = "", timeout: float = 60) -> tuple[int, str, str]:
    """GET a page as a browser would: (status, body, the cookies to send back, merged with ``cookie``)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read()
        exc.close()
    jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
    for line in headers.get_all("Set-Cookie") or []:
        name, _, value = line.split(";", 1)[0].partition("=")
        jar[name.strip()] = value.strip()
    return status, body.decode("utf-8", "replace"), "; ".join(f"{k}={v}" for k, v in jar.items())


def kernel_id(page: str) -> str:
    """The kernel id a lesson page was given."""
    match = re.search(r'"kernelId": "([0-9a-f-]{36})"', page)
    assert match, "no kernel id in the page"
    return match.group(1)


def kernel_message(raw: str | bytes) -> dict[str, Any]:
    """A kernel websocket frame as a message: JSON text, or jupyter_server's legacy binary frame
    (a count, offsets, the JSON message, then buffers)."""
    if isinstance(raw, str):
        return dict(json.loads(raw))
    count = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(count)]
    return dict(json.loads(raw[offsets[0] : offsets[1]].decode("utf-8")))


class TcpProxy:
    """A loopback TCP relay to ``port`` whose connections can all be cut at once (a Wi-Fi blip)."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
                with self.lock:
                    self.open.discard(sock)

    def cut(self) -> int:
        """Reset every open connection; returns how many there were."""
        with self.lock:
            victims = list(self.open)
        for sock in victims:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.shutdown(socket.SHUT_RDWR)  # wakes the relay thread reading it
        return len(victims)

    def close(self) -> None:
        self.closed = True
        self.server.close()
        self.cut()
