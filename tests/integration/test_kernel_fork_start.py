"""What a forked kernel no longer does as it starts (netwise/kernels/fork.py): a real kernel.

A class arriving at once pays each kernel's start once per student: forked kernels keep no
input history (no SQLite file, no thread writing it), and their own arguments still win.
"""

from __future__ import annotations

from pathlib import Path

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from netwise.kernels.fork import ForkingKernelManager

PROBE = """\
import threading
print(get_ipython().history_manager.enabled)
print(sorted(type(t).__name__ for t in threading.enumerate() if 'History' in type(t).__name__))
print(2 + 3)
"""


def test_a_forked_kernel_keeps_no_history(tmp_path: Path) -> None:
    notebook = new_notebook(cells=[new_code_cell(PROBE)])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(
        notebook, timeout=60, kernel_manager_class=ForkingKernelManager, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    lines = "".join(o.get("text", "") for o in notebook.cells[0].outputs if o.output_type == "stream").split("\n")
    assert lines[0] == "False"  # no history
    assert lines[1] == "[]"  # no thread saving it
    assert lines[2] == "5"  # and runs code as before
