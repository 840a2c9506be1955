"""Kernels forked from a preloaded parent instead of started from scratch.

A fresh ``python -m ipykernel_launcher`` spends most of a second importing IPython,
ipykernel, ipywidgets and NetWise before it runs a single cell, and holds its own
copy of all of that (~60 MiB). A class of forty arriving together, or a grader
running 120 notebooks, pays that again and again. Here one *fork server* process
imports all of it once and forks a child per kernel: the child is an ordinary
ipykernel process with its own connection file, environment, working directory,
process group and memory (nothing is shared between kernels after the fork), but it
starts in tens of milliseconds and shares the preloaded pages copy-on-write.

jupyter_client launches kernels through a *provisioner*; ours, ``netwise-fork``
(:class:`netwise.kernels.provisioner.ForkProvisioner`, registered under the
``jupyter_client.kernel_provisioners`` entry point), asks the fork server here. Any
kernel that is not this interpreter's own ipykernel, or asks for pipes on its output,
starts the usual way, and so does every kernel when the fork server fails. The owner
says what the fork server preloads (``c.ForkProvisioner.preload``): the lesson app its
widgets, a course its graded checks too; one fork server runs per list.

jupyter_client reads ``c.KernelProvisionerFactory.default_provisioner_name`` from a
kernel manager's *parent*; Jupyter Server and Voilà give their managers one, nbclient
(and so nbgrader) does not. For those, :class:`ProvisionedKernelManager` reads it from
its own configuration, and :class:`ForkingKernelManager` (the class course configs of
netwise 0.1 name) chooses ``netwise-fork`` unless configured otherwise.

The fork server belongs to the process that started it: it reads a pipe from its
owner and, when the owner exits, stops its remaining kernels and exits too.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import KernelProvisionerFactory
from traitlets import DottedObjectName, default
from traitlets.config import Config
from traitlets.utils.importstring import import_item

# What every ipykernel imports: always loaded once in the fork server. The second half is
# imported only while a kernel starts (its completer, debugger, logger, history and event
# loop): a seventh of a forked kernel's start, in every kernel, before this list had them.
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    "ipykernel.debugger",  # debugpy: the biggest single import of a kernel
    "IPython.core.completer",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.history",
    "sqlite3",
    "pdb",
    "tornado.platform.asyncio",
)
# Set for every forked kernel, before its own arguments (which may say otherwise): a kernel
# that runs lessons or grades notebooks keeps no input history, so it opens no SQLite file
# and starts no thread to write one.
KERNEL_ARGS = ("--HistoryManager.enabled=False",)
# What a NetWise lesson kernel imports anyway: the fork server's preload unless its owner names
# others (``c.ForkProvisioner.preload``). With ``netwise.widgets`` come the content, i18n and
# scoring layers that graded cells use too.
DEFAULT_PRELOAD = ("ipywidgets", "anywidget", "netwise.widgets")
PROVISIONER_NAME = "netwise-fork"  # its entry point in the group jupyter_client.kernel_provisioners
QUICK_READY_CLIENT = "netwise.kernels.provisioner.QuickReadyClient"
LAUNCHER = ("-m", "ipykernel_launcher")
ENV_FIXED_AT_START = ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONNOUSERSITE")
READY = b"ready\n"
FORK_AVAILABLE = hasattr(os, "fork") and hasattr(socket, "send_fds")  # POSIX only


class ForkServerError(RuntimeError):
    """The fork server could not be started or did not answer."""


# --- the fork server (runs as ``python -m netwise.kernels.fork SOCKET``) ------------------


# Hooks of preloaded modules (e.g. netwise/kernels/warm.py): in the fork server once its
# imports are done, and in each forked kernel before it starts.
_HOOKS: dict[str, list[Callable[[], None]]] = {"after_preload": [], "after_fork": []}


def _register_import_hooks() -> None:
    """Redo what preloaded modules do at import only when a kernel is already running."""
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        # ipywidgets registers its comm targets (how a page asks for widget states) at
        # import, if there is a shell; the fork server imported it before there was one.
        widgets._handle_ipython()


def _warm_caches() -> None:
    """Fill, once, the caches every kernel fills as it runs its first cell (inherited by each fork).

    IPython splits each cell with the tokenize module, whose regular expressions are compiled
    on first use: a few milliseconds of every kernel's first cell otherwise.
    """
    with contextlib.suppress(Exception):
        import io
        import tokenize

        list(tokenize.generate_tokens(io.StringIO('x = f"{1}"  # warm\n').readline))


def _run_kernel(request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: become the kernel the request describes. Never returns."""
    code = 1
    try:
        os.setsid()  # its own process group, as jupyter_client starts kernels
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)  # in place of the owner's lifeline pipe
        if null != 0:
            os.dup2(null, 0)
            os.close(null)
        for fd, target in zip(fds, (1, 2), strict=False):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for hook in _HOOKS["after_fork"]:
            hook()
        # ipykernel read JPY_PARENT_PID when the fork server imported it: name the fork
        # server as the parent whose death ends the kernel (and silence the console banner).
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        argv = request["argv"]
        sys.argv = [argv[0], *KERNEL_ARGS, *argv[3:], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.path[0] = os.getcwd()  # what ``python -m`` puts first
        # The preloaded objects stay frozen: a collection in the kernel would otherwise
        # touch every one of them and copy the pages this kernel shares with the others.
        # (Imported here, in the child: the fork server preloaded it; owners never need it.)
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize()
        _register_import_hooks()
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _fork_for(conn: socket.socket, listener: socket.socket, children: set[int]) -> None:
    """Read one request (JSON and the kernel's stdout/stderr), fork its kernel, answer its pid."""
    conn.settimeout(10)
    message, fds, _, _ = socket.recv_fds(conn, 1 << 16, 2)
    try:
        while chunk := conn.recv(1 << 16):  # the owner closes its side once all is sent
            message += chunk
        request = json.loads(message.decode("utf-8"))
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            listener.close()
            conn.close()
            _run_kernel(request, fds)
        children.add(pid)
    finally:
        for fd in fds:
            os.close(fd)
    conn.sendall(json.dumps({"pid": pid}).encode("utf-8"))


def serve(socket_path: str, preload: Sequence[str] = DEFAULT_PRELOAD) -> None:
    """Preload, then fork a kernel for each request until the owner's pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the owner, who stops us
    # debugpy warns at import about frozen modules; kernels set their own environment.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name in dict.fromkeys([*KERNEL_MODULES, *preload]):
        with contextlib.suppress(ImportError):
            module = importlib.import_module(name)
            # A preloaded module may prepare more (after_preload) and check it in each kernel (after_fork).
            for kind in _HOOKS:
                if callable(hook := getattr(module, kind, None)):
                    _HOOKS[kind].append(hook)
    for hook in _HOOKS["after_preload"]:
        hook()
    _warm_caches()
    children: set[int] = set()

    def reap(*_: Any) -> None:
        with contextlib.suppress(ChildProcessError):
            while True:
                pid, _status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                children.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    gc.collect()
    gc.freeze()  # keep the collector off preloaded objects, so their pages stay shared
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    lifeline = sys.stdin.fileno()
    try:
        while True:
            readable, _, _ = select.select([listener, lifeline], [], [])
            if lifeline in readable and not os.read(lifeline, 1024):
                return  # the owner is gone
            if listener in readable:
                conn, _ = listener.accept()
                with conn:
                    try:
                        _fork_for(conn, listener, children)
                    except (OSError, ValueError, KeyError) as exc:  # one bad request; keep serving
                        print(f"netwise kernel fork server: {exc}", file=sys.stderr, flush=True)
    finally:
        for pid in list(children):
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.unlink(socket_path)
            os.rmdir(os.path.dirname(socket_path))  # the owner's private folder for it


# --- the owner's side ------------------------------------------------------------------


class ForkServer:
    """A running fork server of this process, one per preload list, started on demand."""

    _lock = threading.Lock()
    _instances: ClassVar[dict[tuple[str, ...], ForkServer]] = {}

    def __init__(self, preload: Sequence[str] = DEFAULT_PRELOAD) -> None:
        self.preload = tuple(preload)
        # 0700: only this user connects. A socket path must fit in 107 bytes, so keep it short.
        short = "/tmp" if len(tempfile.gettempdir()) > 40 and os.path.isdir("/tmp") else None
        self.folder = tempfile.mkdtemp(prefix="netwise-fork-", dir=short)
        self.socket_path = os.path.join(self.folder, "fork.sock")
        self.env = {k: os.environ[k] for k in ENV_FIXED_AT_START if k in os.environ}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "netwise.kernels.fork", self.socket_path, *self.preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line != READY:
            self.process.kill()
            self._discard()
            raise ForkServerError(f"the kernel fork server did not start (said {line!r})")

    @classmethod
    def get(cls, preload: Sequence[str] = DEFAULT_PRELOAD) -> ForkServer:
        """The fork server preloading ``preload``, started now if none runs."""
        key = tuple(preload)
        with cls._lock:
            server = cls._instances.get(key)
            if server is None or server.process.poll() is not None:
                if server is not None:
                    server._discard()
                server = cls._instances[key] = cls(key)
            return server

    def _discard(self) -> None:
        """Forget a fork server that is gone: its pipes, and its folder if it could not remove it."""
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def accepts(self, cmd: list[str], env: dict[str, str]) -> bool:
        """True when a fork of this server is the kernel ``cmd`` would start."""
        return runs_this_ipykernel(cmd) and all(env.get(k) == self.env.get(k) for k in ENV_FIXED_AT_START)

    def fork(self, cmd: list[str], env: dict[str, str], cwd: str, out: int, err: int) -> int:
        request = json.dumps({"argv": cmd, "env": env, "cwd": cwd}).encode("utf-8")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(10)
            try:
                conn.connect(self.socket_path)
                socket.send_fds(conn, [request], [out, err])
                conn.shutdown(socket.SHUT_WR)
                answer = conn.recv(1024)
            except OSError as exc:
                raise ForkServerError(f"the kernel fork server did not answer: {exc}") from exc
        return int(json.loads(answer)["pid"])


def runs_this_ipykernel(cmd: list[str]) -> bool:
    """True when ``cmd`` starts ipykernel with this very interpreter, as the fork server would."""
    return (
        len(cmd) >= 3 and tuple(cmd[1:3]) == LAUNCHER and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
    )


def _state(pid: int) -> str | None:
    """The kernel's process state letter, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


class ForkedProcess:
    """A ``subprocess.Popen`` look-alike for a kernel that is the fork server's child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and _state(self.pid) in (None, "Z", "X"):
            self.returncode = 0  # its status went to the fork server, which reaps it
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# --- kernel managers that choose their provisioner from their own configuration -----------


class ProvisionedKernelManager(AsyncKernelManager):
    """jupyter_client's ``AsyncKernelManager``, asking the provisioner factory with its own configuration.

    jupyter_client asks one process-wide ``KernelProvisionerFactory``, configured from the
    manager's parent: nbclient, and so nbgrader's autograde, makes managers without one, so
    ``c.KernelProvisionerFactory.default_provisioner_name`` in ``nbgrader_config.py`` would
    never be read. This manager builds the factory from its own configuration instead; the
    choice is jupyter_client's as usual: the provisioner the kernelspec names, else that default.
    """

    provisioner_defaults: ClassVar[dict[str, dict[str, Any]]] = {}  # configuration under the manager's own

    @default("client_factory")
    def _client_factory_default(self) -> type:
        # AsyncKernelManager fixes this default to its own client, whatever ``client_class`` says.
        client: type = import_item(self.client_class)
        return client

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:  # not on restarts
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            config = Config(self.provisioner_defaults)
            config.merge(self.config)
            factory = KernelProvisionerFactory(config=config)
            self.provisioner = factory.create_provisioner_instance(self.kernel_id, self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


class ForkingKernelManager(ProvisionedKernelManager):
    """For nbclient and nbgrader: forked kernels and the quick-ready client unless configured otherwise.

    The class ``nbgrader_config.py`` files of netwise 0.1 name (as ``netwise.kernel_fork.ForkingKernelManager``).
    """

    provisioner_defaults: ClassVar[dict[str, dict[str, Any]]] = {
        "KernelProvisionerFactory": {"default_provisioner_name": PROVISIONER_NAME}
    }
    client_class = DottedObjectName(QUICK_READY_CLIENT, config=True, help="The kernel client class.")


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
