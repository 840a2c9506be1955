"""Kernels forked from a preloaded parent instead of started from scratch.

A fresh ``python -m ipykernel_launcher`` spends most of a second importing IPython,
ipykernel, ipywidgets and NetWise before it runs a single cell, and holds its own
copy of all of that (~60 MiB). A class of forty arriving together, or a grader
running 120 notebooks, pays that again and again. Here one *fork server* process
imports all of it once and forks a child per kernel: the child is an ordinary
ipykernel process with its own connection file, environment, working directory,
process group and memory (nothing is shared between kernels after the fork), but it
starts in tens of milliseconds and shares the preloaded pages copy-on-write.

Use :class:`ForkingKernelManager` (nbclient, nbgrader) or
:class:`ForkingServerKernelManager` (Voilà, Jupyter Server) as the kernel manager
class. Any kernel that is not this interpreter's own ipykernel, or asks for pipes
on its output, starts the usual way (:class:`ForkProvisioner` falls back).

The fork server belongs to the process that started it: it reads a pipe from its
owner and, when the owner exits, stops its remaining kernels and exits too.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, HasTraits, Type

# What a NetWise kernel imports anyway: loaded once in the fork server.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    "ipykernel.debugger",
    "IPython.core.completer",
    "ipywidgets",
    "anywidget",
    "netwise.widgets",  # with it the content, i18n and scoring layers that graded cells use too
)
LAUNCHER = ("-m", "ipykernel_launcher")
ENV_FIXED_AT_START = ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONNOUSERSITE")
READY = b"ready\n"
FORK_AVAILABLE = hasattr(os, "fork") and hasattr(socket, "send_fds")  # POSIX only


class ForkServerError(RuntimeError):
    """The fork server could not be started or did not answer."""


# --- the fork server (runs as ``python -m netwise.kernels.fork SOCKET``) ------------------


def _register_import_hooks() -> None:
    """Redo what preloaded modules do at import only when a kernel is already running."""
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        # ipywidgets registers its comm targets (how a page asks for widget states) at
        # import, if there is a shell; the fork server imported it before there was one.
        widgets._handle_ipython()


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
        # ipykernel read JPY_PARENT_PID when the fork server imported it: name the fork
        # server as the parent whose death ends the kernel (and silence the console banner).
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        argv = request["argv"]
        sys.argv = [argv[0], *argv[3:], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.path[0] = os.getcwd()  # what ``python -m`` puts first
        # The preloaded objects stay frozen: a collection in the kernel would otherwise
        # touch every one of them and copy the pages this kernel shares with the others.
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize()
        _register_import_hooks()
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

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


def serve(socket_path: str, preload: tuple[str, ...] = PRELOAD) -> None:
    """Preload, then fork a kernel for each request until the owner's pipe closes."""
    import importlib

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the owner, who stops us
    # debugpy warns at import about frozen modules; kernels set their own environment.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name in preload:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
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
    """The running fork server of this process (one per interpreter, started on demand)."""

    _lock = threading.Lock()
    _instance: ForkServer | None = None

    def __init__(self) -> None:
        # 0700: only this user connects. A socket path must fit in 107 bytes, so keep it short.
        short = "/tmp" if len(tempfile.gettempdir()) > 40 and os.path.isdir("/tmp") else None
        self.folder = tempfile.mkdtemp(prefix="netwise-fork-", dir=short)
        self.socket_path = os.path.join(self.folder, "fork.sock")
        self.env = {k: os.environ[k] for k in ENV_FIXED_AT_START if k in os.environ}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "netwise.kernels.fork", self.socket_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line != READY:
            self.process.kill()
            raise ForkServerError(f"the kernel fork server did not start (said {line!r})")

    @classmethod
    def get(cls) -> ForkServer:
        with cls._lock:
            if cls._instance is None or cls._instance.process.poll() is not None:
                cls._instance = cls()
            return cls._instance

    def accepts(self, cmd: list[str], env: dict[str, str]) -> bool:
        """True when a fork of this server is the kernel ``cmd`` would start."""
        return _launcher(cmd) and all(env.get(k) == self.env.get(k) for k in ENV_FIXED_AT_START)

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


def _launcher(cmd: list[str]) -> bool:
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


def _fd(stream: Any, default: int) -> int | None:
    """The file descriptor a launch argument stands for (None: a pipe, which forks cannot give)."""
    if stream is None:
        return default
    if isinstance(stream, int):
        return stream if stream >= 0 else None
    with contextlib.suppress(AttributeError, OSError, ValueError):
        return int(stream.fileno())
    return None


class ForkProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching through the fork server when it can."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        env = dict(kwargs.get("env") or os.environ)
        out, err = _fd(kwargs.get("stdout"), 1), _fd(kwargs.get("stderr"), 2)
        if not FORK_AVAILABLE or out is None or err is None or kwargs.get("stdin") is not None or not _launcher(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            server = ForkServer.get()
            if not server.accepts(cmd, env):
                return await super().launch_kernel(cmd, **kwargs)
            pid = server.fork(cmd, env, cwd, out, err)
        except (ForkServerError, OSError) as exc:
            self.log.warning("starting this kernel the usual way: %s", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info


class QuickReadyClient(AsyncKernelClient):
    """jupyter_client's client, minus a fixed 0.2 s wait once the kernel has answered.

    Its ``wait_for_ready`` drains IOPub until nothing arrives for 0.2 s: for a kernel
    that starts in 0.1 s that doubles the start. Messages left over are ignored anyway,
    since every reader matches replies to its own request.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        from queue import Empty

        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)  # IOPub connected too
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
        with contextlib.suppress(Empty):
            while True:
                await self.iopub_channel.get_msg(timeout=0.01)


class ForkingMixin(HasTraits):
    """Makes a kernel manager launch its kernels with :class:`ForkProvisioner`."""

    client_class = DottedObjectName("netwise.kernels.fork.QuickReadyClient", config=True)
    client_factory = Type(QuickReadyClient, klass=AsyncKernelClient, config=True)

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        km: Any = self
        if km.provisioner is None and not km.kernel_spec.metadata.get("kernel_provisioner"):
            km.kernel_id = km.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            km.provisioner = ForkProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
        return await super()._async_pre_start_kernel(**kw)  # type: ignore[misc]


class ForkingKernelManager(ForkingMixin, AsyncKernelManager):
    """For nbclient and nbgrader: ``c.Execute.kernel_manager_class``."""


def __getattr__(name: str) -> Any:
    # ``ForkingServerKernelManager``, for Voilà: Jupyter Server is imported only by the
    # servers that ask for it, never by the fork server (every kernel would carry it).
    if name != "ForkingServerKernelManager":
        raise AttributeError(name)
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    cls = type(name, (ForkingMixin, ServerKernelManager), {"__module__": __name__})
    globals()[name] = cls
    return cls


if __name__ == "__main__":
    serve(sys.argv[1])
