"""Multiple-choice questions: one or several answers, feedback per option."""

from __future__ import annotations

from typing import Any

from netwise import scoring
from netwise.content.model import ChoiceActivity

from .base import SingleAnswerWidget, judgement, stable_order


class ChoiceWidget(SingleAnswerWidget):
    """Python API: ``select(*option_ids)`` then ``check()``."""

    activity_type = "choice"
    activity: ChoiceActivity

    def _restore(self) -> None:
        attempts = self.record.attempts(self.activity.id, "_")
        self._selected: list[str] = (
            scoring.choice(self.activity, attempts[-1].get("value")).details["selected"] if attempts else []
        )  # preselect nothing: only the learner's own last answer comes back

    def _order(self) -> list[Any]:
        options = list(self.activity.options)
        if not self.activity.shuffle:
            return options
        created = str(self.record.data.get("created", ""))
        return stable_order(options, self.lesson_id, self.activity.id, created)

    def _spec(self) -> dict[str, Any]:
        return {
            "multiple": self.activity.multiple,
            "options": [{"id": o.id, "text": o.text} for o in self._order()],
        }

    # --- Python API ---------------------------------------------------------------------

    def select(self, *option_ids: str) -> None:
        """Set the selection (replacing it), as ticking the boxes in the page would."""
        self.handle({"action": "select", "ids": list(option_ids)})

    def check(self) -> None:
        self.handle({"action": "check"})

    @property
    def selected(self) -> list[str]:
        return list(self._selected)

    # --- handler ------------------------------------------------------------------------

    def _act(self, action: str, message: dict[str, Any]) -> None:
        if self._locked(self._results()):
            return  # finished: the answer stays as it was checked
        if action == "select":
            ids = message.get("ids")
            known = {o.id for o in self.activity.options}
            if not isinstance(ids, list) or not all(isinstance(i, str) and i in known for i in ids):
                raise ValueError(f"select needs option ids from {sorted(known)}, got {ids!r}")
            if not self.activity.multiple and len(ids) > 1:
                raise ValueError("this question takes one answer")
            order = [o.id for o in self._order()]
            self._selected = sorted(dict.fromkeys(ids), key=order.index)
        elif action == "check":
            if not self._selected:
                self._notice = self.ui["need_choice"]
                self._say(self._notice)
                return
            self._save("_", {"selected": list(self._selected)})
            self._say(self._text(self._feedback(self._results())))
        else:
            raise ValueError(f"unknown action {action!r} for a choice activity")

    def _feedback(self, results: list[scoring.Result]) -> dict[str, Any] | None:
        if not results:
            return None
        last = results[-1]
        locked = self._locked(results)
        chosen = set(last.details["selected"])
        correct = set(self.activity.correct)
        options = []
        for option in self._order():
            # Unchosen right answers are revealed only once the question is finished.
            if option.id in chosen or (locked and option.id in correct):
                options.append(
                    {
                        "id": option.id,
                        "text": option.text,
                        "feedback": option.feedback,
                        "chosen": option.id in chosen,
                        "mark": "right" if option.id in correct else "wrong",
                    }
                )
        return {
            **judgement(self.ui, last.fraction, last.correct),
            "options": options,
            "explanation": self.activity.explanation if locked else None,
            "attempts_line": self._attempts_line(len(results), locked, last.correct),
        }

    def _text(self, feedback: dict[str, Any] | None) -> str:
        if feedback is None:
            return ""
        lines = [feedback["headline"]]
        for option in feedback["options"]:
            label = self.ui[f"option_{option['mark']}"]
            lines.append(f"{label}: {option['text']} — {option['feedback']}")
        lines += [line for line in (feedback["explanation"], feedback["attempts_line"]) if line]
        return "\n".join(lines)

    def _answer_state(self) -> dict[str, Any]:
        return {"selected": list(self._selected)}
