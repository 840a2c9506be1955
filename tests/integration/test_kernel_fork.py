"""Forked kernels (netwise/kernels/fork.py): real kernels from a real fork server.

Each test starts kernels the way nbclient and nbgrader do and checks what a kernel
must still be when it is forked: its own process, directory and environment, widgets
that a page can ask for, interruptible, and gone when its owner is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from netwise.kernels.fork import ForkingKernelManager, ForkServer, _state


def _run(cells: list[str], cwd: Path, **client: object) -> nbformat.NotebookNode:
    notebook = new_notebook(cells=[new_code_cell(c) for c in cells])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(
        notebook, timeout=60, kernel_manager_class=ForkingKernelManager, resources={"metadata": {"path": str(cwd)}},
        **client,
    ).execute()  # fmt: skip
    return notebook


def _text(notebook: nbformat.NotebookNode, cell: int) -> str:
    return "".join(o.get("text", "") for o in notebook.cells[cell].outputs if o.output_type == "stream")


def test_forked_kernels_are_separate_processes_with_their_own_folder_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = ForkServer.get()
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    code = "import os; print(os.getpid(), os.getppid(), os.getcwd(), os.environ.get('NETWISE_TEST_MARK'))"
    monkeypatch.setenv("NETWISE_TEST_MARK", "one")
    a = _run([code, "secret = 42"], first)
    monkeypatch.setenv("NETWISE_TEST_MARK", "two")
    b = _run([code, "print('secret' in globals())"], second)
    pid_a, parent_a, cwd_a, mark_a = _text(a, 0).split()
    pid_b, parent_b, cwd_b, mark_b = _text(b, 0).split()
    assert int(parent_a) == int(parent_b) == server.process.pid  # both forked by the fork server
    assert pid_a != pid_b
    assert (cwd_a, mark_a) == (str(first), "one")
    assert (cwd_b, mark_b) == (str(second), "two")
    assert _text(b, 1).strip() == "False"  # nothing of the first kernel is in the second


def test_a_forked_kernel_answers_a_page_asking_for_widget_states(tmp_path: Path) -> None:
    # ipywidgets registers its comm targets at import only if a kernel is running; the
    # fork server imported it before any kernel existed.
    notebook = _run(
        ["import ipywidgets\nprint(sorted(t for t in get_ipython().kernel.comm_manager.targets if 'widget' in t))"],
        tmp_path,
    )
    assert _text(notebook, 0).strip() == "['jupyter.widget', 'jupyter.widget.control']"


def test_a_forked_kernel_can_be_interrupted(tmp_path: Path) -> None:
    # nbgrader interrupts a notebook that runs past its timeout.
    started = time.monotonic()
    notebook = new_notebook(cells=[new_code_cell("import time\ntime.sleep(60)"), new_code_cell("print('after')")])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(
        notebook, timeout=2, interrupt_on_timeout=True, allow_errors=True, kernel_manager_class=ForkingKernelManager,
        resources={"metadata": {"path": str(tmp_path)}},
    )  # fmt: skip
    client.execute()
    assert time.monotonic() - started < 30
    assert any(o.get("ename") == "KeyboardInterrupt" for o in notebook.cells[0].outputs)
    assert _text(notebook, 1).strip() == "after"  # the kernel lived on


def test_kernels_that_are_not_this_python_start_the_usual_way() -> None:
    server = ForkServer.get()
    env = dict(os.environ)
    assert server.accepts([sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"], env)
    assert not server.accepts(["/usr/bin/python3-other", "-m", "ipykernel_launcher", "-f", "x.json"], env)
    assert not server.accepts([sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher"], env)
    assert not server.accepts([sys.executable, "-m", "ipykernel_launcher"], {**env, "PYTHONPATH": "/elsewhere"})


def test_the_fork_server_and_its_kernels_end_with_their_owner(tmp_path: Path) -> None:
    owner = textwrap.dedent(
        """
        import asyncio, sys
        from netwise.kernels.fork import ForkingKernelManager, ForkServer

        async def main():
            km = ForkingKernelManager(kernel_name="python3")
            await km.start_kernel(cwd=sys.argv[1])
            print(ForkServer.get().process.pid, km.provisioner.pid, flush=True)
            await asyncio.sleep(300)

        asyncio.run(main())
        """
    )
    process = subprocess.Popen([sys.executable, "-c", owner, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        fork_server, kernel = (int(x) for x in process.stdout.readline().split())
        assert _state(kernel) not in (None, "Z")
        process.send_signal(signal.SIGKILL)  # the owner dies without cleaning up
        process.wait(timeout=10)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (_state(kernel) not in (None, "Z") or _state(fork_server) is not None):
            time.sleep(0.1)
        assert _state(kernel) in (None, "Z"), "the kernel outlived its owner"
        assert _state(fork_server) in (None, "Z"), "the fork server outlived its owner"
    finally:
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


def test_a_new_fork_server_replaces_one_that_died(tmp_path: Path) -> None:
    dead = ForkServer.get()
    dead.process.kill()
    dead.process.wait()
    notebook = _run(["import os; print(os.getppid())"], tmp_path)
    assert int(_text(notebook, 0)) == ForkServer.get().process.pid != dead.process.pid


def test_a_bad_request_does_not_stop_the_fork_server(tmp_path: Path) -> None:
    import socket

    server = ForkServer.get()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(server.socket_path)
        conn.sendall(b"{not json")
        conn.shutdown(socket.SHUT_WR)
        assert conn.recv(1024) == b""  # refused: no pid
    notebook = _run(["import os; print(os.getppid())"], tmp_path)
    assert int(_text(notebook, 0)) == server.process.pid  # the same server forked it
