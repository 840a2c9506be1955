"""Base classes: one anywidget per activity, state computed in Python from the record.

The browser only renders ``spec`` (the activity without its answers), ``state`` (what
has been answered and the feedback for it) and ``ui`` (interface strings). Every action
arrives as a custom message and goes through :meth:`ActivityWidget.handle`; the Python
API (``select``, ``judge`` ...) calls the same handler, so tests exercise the real path.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from netwise import scoring
from netwise.errors import RecordError
from netwise.scoring.record import AnswerRecord
from netwise.widgets import page_mode

_STATIC = Path(__file__).resolve().parent / "static"
# The lesson app sets this for its kernels (netwise.app.config.ATTEMPTS_ENV, --config).
ATTEMPTS_ENV = "NETWISE_MAX_ATTEMPTS"
DEFAULT_MAX_ATTEMPTS = 20


def max_stored_attempts() -> int:
    """Attempts kept per part of an activity with unlimited tries (at least two: the first and the last)."""
    try:
        return max(2, int(os.environ.get(ATTEMPTS_ENV, DEFAULT_MAX_ATTEMPTS)))
    except ValueError:
        return DEFAULT_MAX_ATTEMPTS


class NetwiseWidget(anywidget.AnyWidget):
    """Shared front end: one ES module renders every NetWise widget by ``spec.type``."""

    _esm = _STATIC / "netwise.js"
    _css = _STATIC / "netwise.css"

    spec = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)
    # On the lean lesson page only the strings its renderer shows (netwise/widgets/page_mode.py).
    ui = traitlets.Dict().tag(sync=True, to_json=page_mode.ui_to_json)

    def __init__(self, **kwargs: Any) -> None:
        page_mode.apply(self)  # lean page: a stub renderer; JupyterLab and nbgrader: unchanged
        super().__init__(**kwargs)


def stable_order(items: list[Any], *seed_parts: str) -> list[Any]:
    """Shuffle deterministically: the same seed gives the same order on every reopen."""
    digest = hashlib.sha256("\x1f".join(seed_parts).encode("utf-8")).digest()
    shuffled = list(items)
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(shuffled)
    return shuffled


def judgement(ui: dict[str, str], fraction: float, correct: bool) -> dict[str, Any]:
    """An answer's headline and its outcome, chosen together: ``correct``, or ``partly`` (some of
    it right, not all) or neither. The page styles the feedback from these flags (a partly right
    answer is no error: its own calm style, issue 13), never from the headline's wording."""
    partly = not correct and fraction > 0
    text = ui["correct"] if correct else ui["partly"] if partly else ui["incorrect"]
    return {"headline": text, "correct": correct, "partly": partly}


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

    def _results(self, part: str = scoring.ACTIVITY_PART) -> list[scoring.Result]:
        """Every recorded attempt at ``part``, scored against the curriculum (the first counts)."""
        attempts = self.record.attempts(self.activity.id, part)
        return [scoring.answer(self.activity, part, a.get("value")) for a in attempts]

    def _locked(self, results: list[scoring.Result]) -> bool:
        """Right answer given, or no tries left."""
        return any(r.correct for r in results) or self._out_of_tries(results)

    def _out_of_tries(self, results: list[scoring.Result]) -> bool:
        limit = self.activity.attempts
        return limit is not None and len(results) >= limit

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
        if self.activity.attempts is None:
            self._cap_attempts(part)
        if self._on_answer is not None:
            self._on_answer()

    def _cap_attempts(self, part: str) -> None:
        """Unlimited tries keep the first attempt (the graded one) and the latest: each answer's
        cost stays bounded however often a page sends it (in the lesson app the record is memory)."""
        kept = self.record.data["answers"].get(self.activity.id, {}).get(part, [])
        cap = max_stored_attempts()
        if len(kept) > cap:
            del kept[1 : len(kept) - cap + 1]

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


class SingleAnswerWidget(ActivityWidget):
    """An activity answered as a whole (choice, red flags, privacy settings, passphrase):
    subclasses give ``_answer_state``, ``_feedback`` and ``_text``."""

    def _answer_state(self) -> dict[str, Any]:
        """The answer in progress, as the page shows it."""
        return {}

    def _feedback(self, results: list[scoring.Result]) -> dict[str, Any] | None:
        raise NotImplementedError

    def _text(self, feedback: dict[str, Any] | None) -> str:
        raise NotImplementedError

    def _restored_announcement(self) -> str:
        return self._text(self._feedback(self._results()))

    def _compute(self) -> dict[str, Any]:
        results = self._results()
        return {
            **self._answer_state(),
            "attempts_used": len(results),
            "locked": self._locked(results),
            "feedback": self._feedback(results),
        }


class ItemSetWidget(ActivityWidget):
    """An activity answered item by item (verdict, link inspector, rating): each item is a
    record part; subclasses give ``_item_answer``, ``_item_feedback`` and ``_text``."""

    def _restore(self) -> None:
        # The live region repeats the most recently answered item after a reopen.
        stamps = [
            (attempts[-1].get("at", ""), item.id)
            for item in self.activity.items
            if (attempts := self.record.attempts(self.activity.id, item.id))
        ]
        self._last_item: str | None = max(stamps)[1] if stamps else None

    def _item(self, item_id: Any) -> Any:
        for item in self.activity.items:
            if item.id == item_id:
                return item
        raise ValueError(f"no item {item_id!r} in activity '{self.activity.id}'")

    def _item_answer(self, results: list[scoring.Result]) -> dict[str, Any]:
        """The item's last answer, as the page shows it (empty values before any)."""
        raise NotImplementedError

    def _item_feedback(self, number: int, item: Any) -> dict[str, Any] | None:
        raise NotImplementedError

    def _items_state(self) -> list[dict[str, Any]]:
        out = []
        for number, item in enumerate(self.activity.items, start=1):
            results = self._results(item.id)
            out.append(
                {
                    "id": item.id,
                    **self._item_answer(results),
                    "attempts_used": len(results),
                    "locked": self._locked(results),
                    "feedback": self._item_feedback(number, item),
                }
            )
        return out

    def _summary(self, items: list[dict[str, Any]]) -> Any:
        """Once every item is final: how many were right the first time."""
        if not all(i["locked"] for i in items):
            return None
        right = sum(1 for item in self.activity.items if self._results(item.id)[0].correct)
        return self.ui["items_score"].format(right=right, total=len(items))

    def _text(self, feedback: dict[str, Any]) -> str:
        raise NotImplementedError

    def _summary_text(self, summary: Any) -> str:
        return str(summary)

    def _announcement(self) -> str:
        if self._last_item is None:
            return ""
        items = self._items_state()
        current = next(i for i in items if i["id"] == self._last_item)
        text = self._text(current["feedback"])
        summary = self._summary(items)
        return f"{text}\n{self._summary_text(summary)}" if summary else text

    def _restored_announcement(self) -> str:
        return self._announcement()

    def _compute(self) -> dict[str, Any]:
        items = self._items_state()
        return {"items": items, "locked": all(i["locked"] for i in items), "summary": self._summary(items)}

    def answered(self) -> bool:
        return all(self.record.attempts(self.activity.id, i.id) for i in self.activity.items)
