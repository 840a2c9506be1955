"""Voilà's executor, logging a failing cell's traceback before the page gets a friendly message."""

from __future__ import annotations

import logging
from typing import Any

from voila.execute import VoilaExecutor

_SERVER_LOG: list[logging.Logger] = []  # the app's logger, for the executor (created by Voilà)


class NetwiseExecutor(VoilaExecutor):
    """Voilà's executor, logging a failing cell's traceback before the page gets a friendly message."""

    def strip_code_cell_errors(self, cell: Any) -> Any:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") != "ExecutionError":
                (_SERVER_LOG[0] if _SERVER_LOG else self.log).error(
                    "lesson cell failed: %s: %s\n%s",
                    output.get("ename"),
                    output.get("evalue"),
                    "\n".join(output.get("traceback", [])),
                )
        return super().strip_code_cell_errors(cell)
