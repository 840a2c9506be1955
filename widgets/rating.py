"""Reliability rating: rate each post or headline 1-7; scored on discernment.

Discernment is the gap between the mean rating of true items and of false ones, so
distrusting everything scores no better than believing everything.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal

from netwise import scoring
from netwise.content.model import RatingActivity, RatingItem

from .artifact import artifact_spec
from .base import ItemSetWidget

SCALE = list(range(scoring.RATING_MIN, scoring.RATING_MAX + 1))


def _number(value: float, lang: str) -> str:
    try:
        return format_decimal(value, format="0.#", locale=lang)
    except (ValueError, LookupError):
        return format_decimal(value, format="0.#", locale="en")


def _percent(fraction: float, lang: str) -> str:
    """The number only (the % sign is in the interface string)."""
    return _number(round(fraction * 100), lang)


class RatingWidget(ItemSetWidget):
    """Python API: ``rate(item_id, n)`` with n from 1 (low_label) to 7 (high_label)."""

    activity_type = "rating"
    activity: RatingActivity

    def _spec(self) -> dict[str, Any]:
        total = len(self.activity.items)
        return {
            "scale": SCALE,
            "low_label": self.activity.low_label,
            "high_label": self.activity.high_label,
            "scale_hint": self.ui["rt_scale"].format(low=self.activity.low_label, high=self.activity.high_label),
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

    def rate(self, item_id: str, rating: int | None) -> None:
        self.handle({"action": "rate", "item": item_id, "rating": rating})

    @property
    def discernment(self) -> dict[str, float]:
        """Scores from the first rating of each item (as graded)."""
        return scoring.rating_discernment(self.activity, self._first_ratings())

    # --- handler ------------------------------------------------------------------------

    def _first_ratings(self) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for item in self.activity.items:
            results = self._results(item.id)
            out[item.id] = results[0].details["rating"] if results else None
        return out

    def _locked(self, results: list[scoring.Result]) -> bool:
        # A rating is never "right", so only the number of tries ends an item.
        return self._out_of_tries(results)

    def _act(self, action: str, message: dict[str, Any]) -> None:
        if action != "rate":
            raise ValueError(f"unknown action {action!r} for a rating activity")
        item = self._item(message.get("item"))
        rating = message.get("rating")
        if rating is not None and scoring.rating_value({"rating": rating}) is None:
            raise ValueError(f"rating must be a whole number from 1 to 7, got {rating!r}")
        if self._locked(self._results(item.id)):
            return
        if rating is None:
            self._notice = self.ui["rt_need"]
            self._say(self._notice)
            return
        self._save(item.id, {"rating": rating})
        self._last_item = item.id
        self._say(self._announcement())

    def _item_feedback(self, number: int, item: RatingItem) -> dict[str, Any] | None:
        results = self._results(item.id)
        if not results:
            return None
        last = results[-1]
        locked = self._locked(results)
        rating = last.details["rating"]
        feedback: dict[str, Any] = {
            "label": self.ui["item_label"].format(number=number, total=len(self.activity.items)),
            "rating": rating,
            "you_rated": self.ui["rt_you_rated"].format(rating=rating),
            "headline": None,
            "correct": None,
            "partly": False,  # a rating is on the right side of the middle or not: no partly right style
            "truth": None,
            "cues": [],
            "explanation": None,
            "attempts_line": self._attempts_line(len(results), locked, True),  # no "no tries left": nothing was wrong
        }
        if locked:  # truth, cues and explanation only once the rating is final
            middle = rating == scoring.RATING_MIDDLE
            feedback["headline"] = self.ui["rt_middle" if middle else "rt_good" if last.correct else "rt_off"]
            feedback["correct"] = last.correct
            feedback["truth"] = self.ui["rt_is_true" if item.truth else "rt_is_false"]
            feedback["cues"] = list(item.cues)
            feedback["explanation"] = item.explanation
        return feedback

    def _item_answer(self, results: list[scoring.Result]) -> dict[str, Any]:
        return {"rating": results[-1].details["rating"] if results else None}

    def _summary(self, items: list[dict[str, Any]]) -> dict[str, Any] | None:
        if not all(i["locked"] for i in items):
            return None
        d = self.discernment
        return {
            "means": self.ui["rt_summary"].format(
                true_mean=_number(d["mean_true"], self.lang), false_mean=_number(d["mean_false"], self.lang)
            ),
            "discernment": self.ui["rt_discernment"].format(percent=_percent(d["fraction"], self.lang)),
            "fraction": d["fraction"],
        }

    def _text(self, feedback: dict[str, Any]) -> str:
        lines = [feedback["label"], feedback["you_rated"]]
        lines += [x for x in (feedback["headline"], feedback["truth"]) if x]
        if feedback["cues"]:
            lines.append(f"{self.ui['cues']}:")
            lines += [f"- {cue}" for cue in feedback["cues"]]
        lines += [x for x in (feedback["explanation"], feedback["attempts_line"]) if x]
        return "\n".join(lines)

    def _summary_text(self, summary: dict[str, Any]) -> str:
        return f"{summary['means']}\n{summary['discernment']}"
