"""`netwise serve --config FILE`: a config file cannot turn on code execution, file access or tracebacks.

A config file that tries everything Voilà would allow (files, sources, tracebacks,
templates, execute requests, its own voila.json, tornado settings, another provisioner)
is given to a real server and to the app in this process: the hardened values are the ones
in force, and over HTTP the notebooks and files stay unreachable and execute requests do
nothing. Also: the kernel provisioner as the lesson app and a course use it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
import voila.app
import voila.notebook_renderer
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader
from traitlets.utils.importstring import import_item

from netwise.app.config import ALLOWED_MESSAGE_TYPES, KERNEL_PRELOAD
from netwise.app.executor import NetwiseExecutor
from netwise.app.handlers import CONTENT_SECURITY_POLICY
from netwise.app.pool import RefillWhenQuiet
from netwise.app.server import NetwiseVoila
from netwise.grading.course import config_text
from netwise.kernels.fork import ForkServer
from netwise.kernels.provisioner import QuickReadyClient
from netwise.paths import CURRICULUM_ENV
from netwise.scoring.record import MEMORY_ENV
from support.paths import FIXTURES
from support.servers import netwise_serve, open_page

pytestmark = pytest.mark.slow

# Everything a Voilà config file could say to open the server up.
HOSTILE = """
c.VoilaConfiguration.file_allowlist = [".*"]
c.VoilaConfiguration.file_denylist = []
c.VoilaConfiguration.strip_sources = False
c.VoilaConfiguration.show_tracebacks = True
c.VoilaConfiguration.template = "lab"
c.VoilaConfiguration.allow_template_override = "YES"
c.VoilaConfiguration.allow_theme_override = "YES"
c.VoilaConfiguration.extension_allowlist = []
c.VoilaConfiguration.progressive_rendering = True
c.Voila.VoilaConfiguration.strip_sources = False  # nested: applies to the app's VoilaConfiguration
c.NetwiseVoila.VoilaConfiguration.file_allowlist = [".*"]
c.Voila.root_dir = "/"
c.Voila.autoreload = True
c.Voila.open_browser = True
c.Voila.tornado_settings = {"serve_traceback": True, "headers": {"Content-Security-Policy": "default-src *"}}
c.NetwiseVoila.config_file_paths = [VOILA_JSON_DIR]
c.MappingKernelManager.allowed_message_types = ["execute_request", "comm_msg", "kernel_info_request"]
c.KernelProvisionerFactory.default_provisioner_name = "local-provisioner"
c.ForkProvisioner.preload = ["netwise.grading.graded_cells"]
"""


def hostile_config(folder: Path, **netwise: Any) -> Path:
    """The hostile config file, plus a voila.json it points Voilà at, plus NetWise settings."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "voila.json").write_text(json.dumps({"VoilaConfiguration": {"strip_sources": False}}), encoding="utf-8")
    lines = [HOSTILE.replace("VOILA_JSON_DIR", repr(str(folder)))]
    lines += [f"c.NetwiseConfiguration.{name} = {value!r}" for name, value in netwise.items()]
    path = folder / "serve_config.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


def try_to_execute(url: str, kernel: str, target: Path, cookie: str) -> list[str]:
    """Send an execute request (writing ``target``) and a kernel_info request over the page's socket
    (with the page's cookie: the kernel answers its own page only)."""

    def message(msg_type: str, content: dict[str, Any]) -> str:
        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "x", "session": "s",
                  "date": "2025-01-01T00:00:00Z", "version": "5.3"}  # fmt: skip
        return json.dumps(
            {"channel": "shell", "header": header, "parent_header": {}, "metadata": {}, "content": content}
        )

    async def talk() -> list[str]:
        ws_url = url.replace("http://", "ws://") + f"/api/kernels/{kernel}/channels"
        ws = await websocket_connect(HTTPRequest(ws_url, headers={"Cookie": cookie}))
        code = f"open({str(target)!r}, 'w').write('x')"
        execute = {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True}  # fmt: skip
        await ws.write_message(message("execute_request", execute))
        await ws.write_message(message("kernel_info_request", {}))
        got: list[str] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while (left := deadline - loop.time()) > 0:
            try:
                raw = await asyncio.wait_for(ws.read_message(), timeout=left)
            except TimeoutError:
                break
            if raw is None:
                break
            got.append(json.loads(raw)["header"]["msg_type"])
        ws.close()
        return got

    return asyncio.run(talk())


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    except OSError:
        return []


def test_a_config_file_cannot_open_the_server_up_over_http(tmp_path: Path, artifacts: Path) -> None:
    curriculum = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "mini", curriculum)
    # max_students = 1 shows the file was read: the second page finds the class full.
    config = hostile_config(tmp_path / "etc", max_students=1)
    target = tmp_path / "pwned.txt"
    log = artifacts / "serve-config.log"
    args = ["--config", str(config), "--pool", "0", "--lang", "en", "--curriculum", str(curriculum), "--debug"]
    with netwise_serve(args, log, tmp_path) as (url, process):  # its --port wins over the file's
        status, headers, _ = get(f"{url}/")
        assert status == 200 and headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        status, page, cookie = open_page(f"{url}/lesson/en/basics-one")
        assert status == 200 and "nw-" in page
        assert "from netwise" not in page and "basics-one" in page  # the lesson, without its sources
        kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page)
        assert kernel, "no kernel id in the page"

        replies = try_to_execute(url, kernel.group(1), target, cookie)
        assert "kernel_info_reply" in replies and "execute_reply" not in replies, replies
        assert not target.exists()

        served = next(tmp_path.glob("netwise-serve-*"))
        notebook = next(served.rglob("*.ipynb")).relative_to(served).as_posix()
        for path in (
            f"/voila/files/{notebook}", f"/{notebook}", f"/voila/render/{notebook}", "/voila/tree",
            "/voila/api/contents/en", "/api/contents", "/voila/files/etc/passwd", "/etc/passwd",
            "/voila/static/../../../../etc/passwd", "/voila/files/" + str(config).lstrip("/"),
        ):  # fmt: skip
            status, _, body = get(url + path)
            assert status in (403, 404), path
            assert '"cells"' not in body and "root:" not in body and "Traceback" not in body, path

        status, _, full = get(f"{url}/lesson/en/basics-one")
        assert status == 503 and "The class is full" in full

        # The lesson's kernel was forked by the lesson app's own fork server: widgets, no checks.
        fork_servers = [p for p in children(process.pid) if "netwise.kernels.fork" in cmdline(p)]
        assert len(fork_servers) == 1 and children(fork_servers[0])
        assert cmdline(fork_servers[0])[-len(KERNEL_PRELOAD) :] == KERNEL_PRELOAD
    logged = log.read_text(encoding="utf-8", errors="replace")
    assert "with kernel provisioner: netwise-fork" in logged  # --debug shows it; not local-provisioner
    assert "[NetwiseVoila] Searching path [] for config files" in logged


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever an app made in this process changes, put back afterwards."""
    for name in (MEMORY_ENV, CURRICULUM_ENV, "JUPYTER_PATH"):
        monkeypatch.setenv(name, os.environ.get(name, ""))
    monkeypatch.setattr(voila.notebook_renderer, "VoilaExecutor", voila.notebook_renderer.VoilaExecutor)
    monkeypatch.setattr(voila.app, "voila_kernel_manager_factory", voila.app.voila_kernel_manager_factory)


@pytest.mark.usefixtures("app_env")
def test_the_hardened_values_are_the_ones_in_force(tmp_path: Path) -> None:
    config = PyFileConfigLoader("serve_config.py", path=str(hostile_config(tmp_path).parent)).load_config()
    config.merge(Config({"NetwiseConfiguration": {"curriculum": str(FIXTURES / "mini"), "pool": 0}}))
    app = NetwiseVoila(config=config)
    app.initialize()
    try:
        v = app.voila_configuration
        assert (v.strip_sources, v.show_tracebacks, v.file_allowlist, v.file_denylist) == (True, False, [], [".*"])
        assert (v.template, v.allow_template_override, v.allow_theme_override) == ("netwise-lean", "NO", "NO")
        assert v.extension_allowlist and not v.progressive_rendering
        assert app.template_paths[0].endswith("templates/netwise-lean")
        assert (app.root_dir, app.config_file_paths) == (str(app.served_dir), [])
        assert (app.autoreload, app.open_browser, app.port_retries, app.tornado_settings) == (False, False, 0, {})
        assert app.config.KernelProvisionerFactory.default_provisioner_name == "netwise-fork"
        assert app.config.ForkProvisioner.preload == KERNEL_PRELOAD
        app.init_settings()
        assert app.kernel_manager.allowed_message_types == ALLOWED_MESSAGE_TYPES
        assert "execute_request" not in app.kernel_manager.allowed_message_types
        assert app.contents_manager.root_dir == str(app.served_dir)

        # The two patches are in place, and they are this app's.
        executor = voila.notebook_renderer.VoilaExecutor(new_notebook())
        assert isinstance(executor, NetwiseExecutor) and executor.log is app.log  # the app's logger
        factory = voila.app.voila_kernel_manager_factory
        assert issubclass(factory(AsyncMappingKernelManager, True, 1), RefillWhenQuiet)
        assert not issubclass(factory(AsyncMappingKernelManager, False, 0), RefillWhenQuiet)
    finally:
        shutil.rmtree(app.served_dir, ignore_errors=True)


def test_a_course_config_forks_kernels_with_its_graded_checks_preloaded(tmp_path: Path) -> None:
    # The lines `netwise course init` writes, read as nbgrader reads them; nbclient's manager has no parent.
    (tmp_path / "nbgrader_config.py").write_text(config_text("demo", "en", "", {"a": ["x"]}, None), encoding="utf-8")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()
    manager = import_item(config.Execute.kernel_manager_class)
    assert manager(config=config).client_factory is QuickReadyClient
    notebook = new_notebook(
        cells=[new_code_cell("import os, sys\nprint(os.getppid(), 'netwise.grading' in sys.modules)")]
    )
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(
        notebook,
        config=config,
        kernel_manager_class=manager,
        timeout=60,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # as nbgrader's Execute does: the manager gets the config, and no parent
    parent, preloaded = "".join(o.get("text", "") for o in notebook.cells[0].outputs).split()
    course_server = ForkServer.get(config.ForkProvisioner.preload)
    assert int(parent) == course_server.process.pid and preloaded == "True"
    assert course_server is not ForkServer.get(KERNEL_PRELOAD)  # the lesson app's preloads no checks
