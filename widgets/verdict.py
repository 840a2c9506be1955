"""Verdict sets: judge each simulated message scam/legit (or true/false); cues after."""

from __future__ import annotations

from typing import Any

from netwise import scoring
from netwise.content.model import SCALE_ANSWERS, VerdictActivity, VerdictItem

from .artifact import artifact_spec
from .base import ItemSetWidget, judgement


class VerdictWidget(ItemSetWidget):
    """Python API: ``judge(item_id, "scam" | "legit" | "true" | "false")``."""

    activity_type = "verdict"
    activity: VerdictActivity

    def _word(self, answer: str) -> str:
        """The answer as the learner sees it: the author's label, else the scale's usual word."""
        labels = self.activity.labels
        chosen = labels.for_answer(answer) if labels is not None else None
        return chosen or self.ui.get(answer, answer)

    def _spec(self) -> dict[str, Any]:
        total = len(self.activity.items)
        return {
            "scale": self.activity.scale,
            "choices": [{"value": v, "label": self._word(v)} for v in SCALE_ANSWERS[self.activity.scale]],
            "items": [
                {
                    "id": item.id,
                    "label": self.ui["item_label"].format(number=n, total=total),
                    "artifact": artifact_spec(item.artifact, self.ui),
                }
                for n, item in enumerate(self.activity.items, start=1)
            ],
        }

    # --- Python API ---------------------------------------------------------------------

    def judge(self, item_id: str, verdict: str) -> None:
        self.handle({"action": "judge", "item": item_id, "verdict": verdict})

    # --- handler ------------------------------------------------------------------------

    def _act(self, action: str, message: dict[str, Any]) -> None:
        if action != "judge":
            raise ValueError(f"unknown action {action!r} for a verdict activity")
        item = self._item(message.get("item"))
        verdict = message.get("verdict")
        if verdict not in SCALE_ANSWERS[self.activity.scale]:
            allowed = SCALE_ANSWERS[self.activity.scale]
            raise ValueError(f"verdict must be one of {allowed}, got {verdict!r}")
        if self._locked(self._results(item.id)):
            return
        self._save(item.id, {"verdict": verdict})
        self._last_item = item.id
        self._say(self._announcement())

    def _item_feedback(self, number: int, item: VerdictItem) -> dict[str, Any] | None:
        results = self._results(item.id)
        if not results:
            return None
        last = results[-1]
        locked = self._locked(results)
        given = last.details.get("verdict")
        feedback: dict[str, Any] = {
            "label": self.ui["item_label"].format(number=number, total=len(self.activity.items)),
            "verdict": given,
            **judgement(self.ui, last.fraction, last.correct),
            "you_said": self.ui["you_said"].format(answer=self._word(str(given))),
            "answer": None,
            "cues": [],
            "explanation": None,
            "attempts_line": self._attempts_line(len(results), locked, last.correct),
        }
        if locked:  # cues and explanation give the answer away: only once it is final
            feedback["answer"] = self.ui["verdict_is"].format(answer=self._word(item.answer))
            feedback["cues"] = list(item.cues)
            feedback["explanation"] = item.explanation
        return feedback

    def _item_answer(self, results: list[scoring.Result]) -> dict[str, Any]:
        return {"verdict": results[-1].details.get("verdict") if results else None}

    def _text(self, feedback: dict[str, Any]) -> str:
        lines = [feedback["label"], feedback["headline"], feedback["you_said"]]
        if feedback["answer"]:
            lines.append(feedback["answer"])
        if feedback["cues"]:
            lines.append(f"{self.ui['cues']}:")
            lines += [f"- {cue}" for cue in feedback["cues"]]
        lines += [x for x in (feedback["explanation"], feedback["attempts_line"]) if x]
        return "\n".join(lines)
