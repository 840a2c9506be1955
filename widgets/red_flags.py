"""Red flags: mark the suspicious parts of a message; hits and false alarms both count."""

from __future__ import annotations

from typing import Any

from netwise import scoring
from netwise.content.model import RedFlagsActivity

from .artifact import artifact_spec
from .base import SingleAnswerWidget, judgement

_LABEL = {
    "hit": "flag_hit",
    "missed": "flag_missed",
    "false_alarm": "flag_false_alarm",
    "ok": "flag_ok",
}


class RedFlagsWidget(SingleAnswerWidget):
    """Python API: ``mark(*part_ids)`` toggles each part, then ``check()``."""

    activity_type = "red_flags"
    activity: RedFlagsActivity

    def _restore(self) -> None:
        attempts = self.record.attempts(self.activity.id, "_")
        self._marked: set[str] = (
            set(scoring.red_flags(self.activity, attempts[-1].get("value")).details["marked"]) if attempts else set()
        )

    def _spec(self) -> dict[str, Any]:
        return {
            "artifact": artifact_spec(self.activity.artifact, self.ui, list(self.activity.parts)),
            "parts": [{"id": p.id, "text": p.text, "place": p.place} for p in self.activity.parts],
        }

    # --- Python API ---------------------------------------------------------------------

    def mark(self, *part_ids: str) -> None:
        """Toggle each named part, as pressing its button in the page would."""
        self.handle({"action": "toggle", "ids": list(part_ids)})

    def check(self) -> None:
        self.handle({"action": "check"})

    @property
    def marked(self) -> list[str]:
        return [p.id for p in self.activity.parts if p.id in self._marked]

    # --- handler ------------------------------------------------------------------------

    def _act(self, action: str, message: dict[str, Any]) -> None:
        if self._locked(self._results()):
            return
        if action == "toggle":
            ids = message.get("ids")
            known = {p.id for p in self.activity.parts}
            if not isinstance(ids, list) or not all(isinstance(i, str) and i in known for i in ids):
                raise ValueError(f"toggle needs part ids from {sorted(known)}, got {ids!r}")
            for part_id in ids:
                self._marked ^= {part_id}
        elif action == "check":
            if not self._marked:
                self._notice = self.ui["need_mark"]
                self._say(self._notice)
                return
            self._save("_", {"marked": self.marked})
            self._say(self._text(self._feedback(self._results())))
        else:
            raise ValueError(f"unknown action {action!r} for a red-flags activity")

    def _feedback(self, results: list[scoring.Result]) -> dict[str, Any] | None:
        if not results:
            return None
        last = results[-1]
        locked = self._locked(results)
        marked = set(last.details["marked"])
        parts = []
        for part in self.activity.parts:
            if part.id in marked:
                status = "hit" if part.suspicious else "false_alarm"
            elif not locked:
                continue  # unmarked parts are explained once the activity is finished
            else:
                status = "missed" if part.suspicious else "ok"
            parts.append(
                {
                    "id": part.id,
                    "text": part.text,
                    "status": status,
                    "label": self.ui[_LABEL[status]],
                    "explanation": part.explanation,
                }
            )
        return {
            **judgement(self.ui, last.fraction, last.correct),
            "score": self.ui["flags_score"].format(**{k: last.details[k] for k in ("hits", "total", "false_alarms")}),
            "parts": parts,
            "attempts_line": self._attempts_line(len(results), locked, last.correct),
        }

    def _text(self, feedback: dict[str, Any] | None) -> str:
        if feedback is None:
            return ""
        lines = [feedback["headline"], feedback["score"]]
        lines += [f"{p['text']} — {p['label']} {p['explanation']}" for p in feedback["parts"]]
        if feedback["attempts_line"]:
            lines.append(feedback["attempts_line"])
        return "\n".join(lines)

    def _answer_state(self) -> dict[str, Any]:
        return {"marked": self.marked}
