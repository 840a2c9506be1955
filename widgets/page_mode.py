"""What a widget's state carries on the lean lesson page, where the page itself brings the renderer.

In JupyterLab and nbgrader notebooks every NetWise widget carries the renderer
(widgets/static/netwise.js, ~40 KB) and its CSS (~12 KB) in its ``_esm`` and ``_css``
state, as anywidget needs, and all ~330 interface strings in ``ui`` (~17 KB): offline,
nothing else brings them. On the lean lesson page (``netwise serve``, the netwise-lean
Voilà template) the page loads the renderer and CSS once, as one hashed, cached file, so:

- ``_esm`` is a stub of a few bytes and ``_css`` is empty;
- ``ui`` carries only the strings the renderer of that widget's type shows (the keys its
  code in netwise.js reads, found by :func:`renderer_keys`), not the ones Python uses to
  compose feedback, which stay in the kernel.

The lesson app switches this on for its kernels with the environment variable
:data:`PAGE_MODE_ENV` = ``lean``; nothing changes anywhere else.

The wiring, in widgets/base.py::

    ui = traitlets.Dict().tag(sync=True, to_json=page_mode.ui_to_json)

    def __init__(self, **kwargs: Any) -> None:   # on NetwiseWidget
        page_mode.apply(self)
        super().__init__(**kwargs)
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

PAGE_MODE_ENV = "NETWISE_PAGE"
LEAN = "lean"
RENDERER = Path(__file__).resolve().parent / "static" / "netwise.js"
# What a widget carries instead of the renderer on the lean page: anywidget, if it ever loads
# it there, shows one line instead of failing (the page draws the widget with its own copy).
STUB_ESM = 'export default { render({ el }) { el.dataset.netwise = "drawn by the lesson page"; } };\n'
# Widget classes whose spec type is not a class attribute (no activity_type): by class name.
CLASS_TYPES = {"LessonHeader": "header", "LessonSummary": "summary", "AssessmentWidget": "assessment"}

_FUNCTION = re.compile(r"^(?:async\s+)?function\s+(\w+)\s*\(|^const\s+(\w+)\s*=\s*(?:\([^)]*\)|\w+)\s*=>", re.M)
_CALL = re.compile(r"\b(\w+)\s*\(")
_UI_KEY = re.compile(r"\bui\.(\w+)")
_RENDERERS = re.compile(r"const RENDERERS = \{(.*?)\};", re.S)
_ENTRY = re.compile(r"(\w+)\s*:\s*(\w+)")


def lean() -> bool:
    """Whether this kernel's widgets are drawn by the lean lesson page (``NETWISE_PAGE=lean``)."""
    return os.environ.get(PAGE_MODE_ENV, "") == LEAN


@functools.cache
def renderer_keys(source: str | None = None) -> dict[str, frozenset[str]]:
    """Per spec type, the interface strings (``ui.<key>``) its renderer in netwise.js can show.

    netwise.js is a flat list of top-level functions; a renderer's keys are those its own
    function reads and those of every top-level function it calls, transitively.
    """
    text = RENDERER.read_text(encoding="utf-8") if source is None else source
    starts = [(m.start(), m.group(1) or m.group(2)) for m in _FUNCTION.finditer(text)]
    bodies: dict[str, str] = {}
    for (start, name), (end, _next) in zip(starts, [*starts[1:], (len(text), "")], strict=True):
        bodies[name] = text[start:end]
    table = _RENDERERS.search(text)
    if table is None:
        raise ValueError("netwise.js has no RENDERERS table")
    keys: dict[str, frozenset[str]] = {}
    for spec_type, function in _ENTRY.findall(table.group(1)):
        seen: set[str] = set()
        todo = [function]
        while todo:
            name = todo.pop()
            if name in seen or name not in bodies:
                continue
            seen.add(name)
            todo.extend(_CALL.findall(bodies[name]))
        keys[spec_type] = frozenset(key for name in seen for key in _UI_KEY.findall(bodies[name]))
    return keys


def widget_type(widget: Any) -> str:
    """The spec type a widget's renderer is chosen by (``activity_type``, or by class)."""
    explicit = getattr(widget, "activity_type", "")
    if explicit:
        return str(explicit)
    for cls in type(widget).__mro__:
        if cls.__name__ in CLASS_TYPES:
            return CLASS_TYPES[cls.__name__]
    spec = getattr(widget, "spec", None)
    return str(spec.get("type", "")) if isinstance(spec, dict) else ""


def ui_to_json(value: dict[str, str], widget: Any) -> dict[str, str]:
    """The ``ui`` trait as the page receives it: on the lean page only the strings it shows."""
    if not lean():
        return dict(value)
    wanted = renderer_keys().get(widget_type(widget))
    if wanted is None:  # a type this table does not know: everything, never a missing string
        return dict(value)
    return {key: text for key, text in value.items() if key in wanted}


def apply(widget: Any) -> None:
    """Before anywidget's ``__init__``: on the lean page, a stub instead of the renderer and CSS."""
    if lean():
        widget._esm = STUB_ESM
        widget._css = ""
