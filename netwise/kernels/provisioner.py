"""jupyter_client's side of forked kernels: the ``netwise-fork`` provisioner and a quick-ready client.

jupyter_client launches every kernel through a provisioner, chosen by its
``KernelProvisionerFactory``: the one a kernelspec names (``metadata.kernel_provisioner``),
else ``default_provisioner_name``. Provisioners are found through the entry point group
``jupyter_client.kernel_provisioners``, where this package registers
``netwise-fork = "netwise.kernels.provisioner:ForkProvisioner"`` (pyproject.toml). An owner
selects it and says what its kernels import::

    c.KernelProvisionerFactory.default_provisioner_name = "netwise-fork"
    c.ForkProvisioner.preload = ["ipywidgets", "anywidget", "netwise.widgets"]
    c.AsyncKernelManager.client_class = "netwise.kernels.provisioner.QuickReadyClient"

(nbclient and nbgrader also need ``netwise.kernels.fork.ProvisionedKernelManager`` as their
kernel manager class, see :mod:`netwise.kernels.fork`.)
"""

from __future__ import annotations

import contextlib
import os
import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner
from traitlets import List, Unicode

from netwise.kernels.fork import (
    DEFAULT_PRELOAD,
    FORK_AVAILABLE,
    ForkedProcess,
    ForkServer,
    ForkServerError,
    runs_this_ipykernel,
)


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
    """jupyter_client's local provisioner, launching through the fork server when it can.

    A kernel that is not this interpreter's ipykernel (another Python, ``-X`` options, a
    different ``PYTHONPATH``), that asks for pipes on its input or output, or that the fork
    server cannot start, starts the usual way.
    """

    preload = List(
        Unicode(),
        default_value=list(DEFAULT_PRELOAD),
        help="Modules the fork server imports once for all its kernels, besides ipykernel's own "
        "(the lesson app: its widgets; a course: its graded checks too).",
    ).tag(config=True)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        env = dict(kwargs.get("env") or os.environ)
        out, err = _fd(kwargs.get("stdout"), 1), _fd(kwargs.get("stderr"), 2)
        if not FORK_AVAILABLE or out is None or err is None or kwargs.get("stdin") is not None:
            return await super().launch_kernel(cmd, **kwargs)  # no fork here, or pipes a fork cannot give
        if not runs_this_ipykernel(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            server = ForkServer.get(self.preload)
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
