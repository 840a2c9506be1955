"""Base classes: one anywidget per activity, state computed in Python from the record.

The browser only renders ``spec`` (the activity without its answers), ``state`` (what
has been answered and the feedback for it) and ``ui`` (interface strings). Every action
arrives as a custom message and goes through :meth:`ActivityWidget.handle`; the Python
API (``select``, ``judge`` ...) calls the same handler, so tests exercise the real path.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from netwise.errors import RecordError
from netwise.record import AnswerRecord

_STATIC = Path(__file__).resolve().parent / "static"


class NetwiseWidget(anywidget.AnyWidget):  # type: ignore[misc]
    """Shared front end: one ES module renders every NetWise widget by ``spec.type``."""

    _esm = _STATIC / "netwise.js"
    _css = _STATIC / "netwise.css"

    spec = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)
    ui = traitlets.Dict().tag(sync=True)


def stable_order(items: list[Any], *seed_parts: str) -> list[Any]:
    """Shuffle deterministically: the same seed gives the same order on every reopen."""
    digest = hashlib.sha256("\x1f".join(seed_parts).encode("utf-8")).digest()
    shuffled = list(items)
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(shuffled)
    return shuffled


def headline(ui: dict[str, str], fraction: float, correct: bool) -> str:
    if correct:
        return ui["correct"]
    return ui["partly"] if fraction > 0 else ui["incorrect"]


class ActivityWidget(NetwiseWidget):
    """One activity of a lesson; subclasses implement ``_act`` and ``_compute``."""

    activity_type: str = ""

    def __init__(
        self,
        activity: Any,
        *,
        lesson_id: str,
        record: AnswerRecord,
        ui: dict[str, str],
        lang: str = "en",
        on_answer: Callable[[], None] | None = None,
    ) -> None:
        if activity.type != self.activity_type:
            raise TypeError(f"{type(self).__name__} shows '{self.activity_type}' activities, not '{activity.type}'")
        super().__init__()
        self.activity = activity
        self.lesson_id = lesson_id
        self.record = record
        self.lang = lang
        self._on_answer = on_answer
        self._seq = 0
        self._notice: str | None = None
        self._announce = ""
        self.ui = dict(ui)
        self._restore()
        self.spec = {
            "type": self.activity_type,
            "id": activity.id,
            "lang": lang,
            "title": activity.title,
            "prompt": activity.prompt,
            "points": activity.points,
            "attempts": activity.attempts,
            **self._spec(),
        }
        self._announce = self._restored_announcement()
        self._refresh()
        self.on_msg(self._on_frontend_msg)

    # --- to implement ---------------------------------------------------------------

    def _spec(self) -> dict[str, Any]:
        """Everything to draw, in the lesson language, and nothing that gives answers away."""
        raise NotImplementedError

    def _restore(self) -> None:
        """Set the in-progress state (selection, marks, path) from the record."""

    def _act(self, action: str, message: dict[str, Any]) -> None:
        raise NotImplementedError

    def _compute(self) -> dict[str, Any]:
        """The type-specific part of ``state``, computed from the record and scoring."""
        raise NotImplementedError

    def _restored_announcement(self) -> str:
        return ""

    # --- message handling -----------------------------------------------------------

    def handle(self, message: dict[str, Any]) -> None:
        """Apply one message from the browser (or from Python); raise ValueError if bad."""
        if not isinstance(message, dict) or not isinstance(message.get("action"), str):
            raise ValueError(f"not a NetWise widget message: {message!r}")
        self._notice = None
        self._act(message["action"], message)
        self._refresh()

    def _on_frontend_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        # A malformed message from the page must never raise inside the kernel's comm loop.
        try:
            self.handle(content)
        except ValueError as exc:
            self.log.warning("NetWise widget ignored a message: %s", exc)

    # --- helpers ----------------------------------------------------------------------

    def _save(self, part: str, value: dict[str, Any]) -> None:
        """Write one answer as it is given; a failed write is shown, never fatal."""
        # On failure the record keeps the answer in memory and sets .error, shown by _refresh.
        with contextlib.suppress(RecordError):
            self.record.add(self.activity.id, part, value)
        if self._on_answer is not None:
            self._on_answer()

    def _say(self, text: str) -> None:
        """Put text in the live region; the sequence number re-announces a repeat."""
        self._announce = text
        self._seq += 1

    def _attempts_line(self, used: int, locked: bool, correct: bool) -> str | None:
        limit = self.activity.attempts
        if locked:
            return None if correct else self.ui["no_attempts_left"]
        if limit is None or used == 0:
            return None
        return self.ui["attempts_left"].format(count=limit - used)

    def _refresh(self) -> None:
        error = None
        if self.record.error:
            error = self.ui["record_unwritable"].format(reason=self.record.error)
        self.state = {
            **self._compute(),
            "announce": self._announce,
            "seq": self._seq,
            "notice": self._notice,
            "error": error,
        }

    @property
    def feedback_text(self) -> str:
        """The text of the live region: what a screen reader hears for the last answer."""
        return str(self.state.get("announce", ""))

    def answered(self) -> bool:
        return bool(self.record.attempts(self.activity.id, "_"))
