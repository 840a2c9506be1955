"""The lean lesson page (issue 12): Voilà renders it with the netwise-lean template, no JupyterLab.

A lesson page used to load Voilà's JupyterLab front end (~4.5 MB of JavaScript over 95
requests) to draw a handful of anywidget models. The netwise-lean template
(templates/voila/templates/netwise-lean) instead sends:

- the lesson text and each activity's static look in the first HTML response, readable
  before any script runs, and each activity's state as Voilà's executor saw it;
- one hashed, cached bundle (widgets/js: the kernel connection, a widget manager for
  anywidget models, the model shim and the NetWise renderer) and one hashed stylesheet.

It is still Voilà: Voilà executes the notebook, renders the page through its template and
owns the kernels; NetWise's guards, cookies and limits apply unchanged.

This module holds what the template needs from the server side:
:class:`LeanExecutor` — Voilà's executor (NetWise's, which logs failing cells) that attaches
each widget's page state (``spec``, ``state``, ``ui``) to its output, for the template to draw
its static look and the page to draw it at once. netwise/app/server.py wires it in, with the
template (config.py), compression (netwise/app/compression.py), precompressed static files and
page mode for the kernels (netwise/widgets/page_mode.py, applied by widgets/base.py).
"""

from __future__ import annotations

from typing import Any

from netwise.app.executor import NetwiseExecutor

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PAGE_KEYS = ("spec", "state", "ui")  # what the NetWise renderer reads from a model


def page_state(widget_state: dict[str, Any], model_id: str) -> dict[str, Any] | None:
    """What the page needs of one NetWise model's state, or None for any other widget."""
    state = widget_state.get(model_id)
    if not isinstance(state, dict) or not isinstance(state.get("spec"), dict):
        return None
    return {key: state[key] for key in PAGE_KEYS if key in state}


class LeanExecutor(NetwiseExecutor):
    """NetWise's executor; each widget output also carries its model's page state.

    nbclient keeps every widget's state from the kernel's comm messages while it executes
    (``widget_state``); after each cell, an output showing a NetWise widget gets
    ``metadata.netwise.state`` = that widget's ``spec``, ``state`` and ``ui`` at that moment.
    """

    async def execute_cell(self, cell: Any, resources: Any, cell_index: int, store_history: bool = True) -> Any:
        result = await super().execute_cell(cell, resources, cell_index, store_history)
        for output in (result or cell).get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if not isinstance(view, dict) or not isinstance(view.get("model_id"), str):
                continue
            state = page_state(self.widget_state, view["model_id"])
            if state is not None:
                output.setdefault("metadata", {})["netwise"] = {"state": state}
        return result
