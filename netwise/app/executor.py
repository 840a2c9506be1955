"""Voilà's executor, logging a failing cell's traceback before the page gets a friendly message."""

from __future__ import annotations

from typing import Any

from voila.execute import VoilaExecutor


class NetwiseExecutor(VoilaExecutor):
    """Voilà's executor, logging a failing cell's traceback before the page gets a friendly message.

    The lesson app makes each one with itself as ``parent`` (netwise/app/server.py), so
    ``self.log`` is the app's log: the server's output, at the level ``netwise serve`` was given.
    """

    def strip_code_cell_errors(self, cell: Any) -> Any:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") != "ExecutionError":
                self.log.error(
                    "lesson cell failed: %s: %s\n%s",
                    output.get("ename"),
                    output.get("evalue"),
                    "\n".join(output.get("traceback", [])),
                )
        return super().strip_code_cell_errors(cell)
