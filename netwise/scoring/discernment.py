"""Measured learning: accuracy and discernment (signal detection) on assessment forms.

Every item is either a *signal* (scam, or a false statement: the thing to detect) or
*noise* (a legit message, a true statement). A learner's answer to an item says
"signal" (scam/false) or "noise" (legit/true), or is missing.

Decisions, chosen so that blanket suspicion never scores as skill:

- **accuracy** = correct answers / items on the form; an unanswered item counts as wrong
  (skipping must not raise a score).
- **hit rate** H = signal items judged signal / *answered* signal items, and the
  **false-alarm rate** F = noise items judged signal / *answered* noise items: an
  unanswered item says nothing about the learner's bias, so it is left out of H and F.
  With no answered item of a class the rate (and d′) is undefined (None).
- **d′** = z(H) − z(F), z the inverse of the standard normal CDF. A rate of 0 or 1 would
  give an infinite z, so it is corrected by the 1/(2N) rule (Macmillan & Kaplan 1985):
  0 → 1/(2N) and 1 → 1 − 1/(2N), N = the answered items of that class. Other rates are
  used as they are.
- **criterion** c = −(z(H) + z(F)) / 2 on the same corrected rates: above 0 leans to
  "legit/true", below 0 to "scam/false".
- **gains**: later form minus the pre form, for accuracy and d′ (None when either is).
- **item analysis**: difficulty p = proportion of learners correct (unanswered = wrong);
  discrimination = the *corrected item–total* point-biserial correlation, the Pearson
  correlation between the item (1 correct, 0 not) and the learner's score on the *other*
  items of the form (population standard deviations; None when either has no spread).
  An item with p ≥ 0.9 is flagged too easy, p ≤ 0.2 too hard.

Pure Python (statistics.NormalDist), no I/O: the widget, graded cells and the class report
all call it, so a learner, a check cell and a teacher see the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

from netwise.content.assessment import NOISE_ANSWERS, SIGNAL_ANSWERS, is_signal

TOO_EASY = 0.9  # p at or above: nearly everyone right
TOO_HARD = 0.2  # p at or below: nearly everyone wrong

_Z = NormalDist().inv_cdf


def corrected_rate(count: int, n: int) -> float:
    """count/n with the 1/(2N) rule for the extremes: 0 → 1/(2n), 1 → 1 − 1/(2n)."""
    if n <= 0:
        raise ValueError("a rate needs at least one item")
    if count <= 0:
        return 1 / (2 * n)
    if count >= n:
        return 1 - 1 / (2 * n)
    return count / n


@dataclass(frozen=True)
class FormScore:
    """One learner's result on one form."""

    items: int  # items on the form
    answered: int
    correct: int
    signal_items: int  # scam / false items on the form
    noise_items: int  # legit / true items on the form
    hits: int  # signal items judged scam/false
    correct_rejections: int  # noise items judged legit/true ("trusted")
    false_alarms: int  # noise items judged scam/false
    signal_answered: int
    noise_answered: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.items if self.items else 0.0

    @property
    def hit_rate(self) -> float | None:
        return self.hits / self.signal_answered if self.signal_answered else None

    @property
    def false_alarm_rate(self) -> float | None:
        return self.false_alarms / self.noise_answered if self.noise_answered else None

    def _z(self) -> tuple[float, float] | None:
        if not self.signal_answered or not self.noise_answered:
            return None
        h = corrected_rate(self.hits, self.signal_answered)
        f = corrected_rate(self.false_alarms, self.noise_answered)
        return _Z(h), _Z(f)

    @property
    def d_prime(self) -> float | None:
        z = self._z()
        return None if z is None else z[0] - z[1]

    @property
    def criterion(self) -> float | None:
        z = self._z()
        return None if z is None else -(z[0] + z[1]) / 2

    def counts(self) -> dict[str, int]:
        """What a learner's before/after needs (and nothing that identifies an answer)."""
        return {
            "hits": self.hits,
            "signal": self.signal_items,
            "trusted": self.correct_rejections,
            "noise": self.noise_items,
        }


def score_form(truth: Mapping[str, str], given: Mapping[str, str | None]) -> FormScore:
    """Score answers (item id -> "scam"/"legit"/"true"/"false" or None) against the key."""
    hits = rejections = alarms = sig_ans = noise_ans = correct = answered = 0
    signal_items = sum(1 for a in truth.values() if is_signal(a))
    for item_id, answer in truth.items():
        said = given.get(item_id)
        if said not in SIGNAL_ANSWERS + NOISE_ANSWERS:
            continue  # unanswered (or not a verdict): wrong for accuracy, out of H and F
        answered += 1
        correct += said == answer
        if is_signal(answer):
            sig_ans += 1
            hits += is_signal(said)
        else:
            noise_ans += 1
            alarms += is_signal(said)
            rejections += not is_signal(said)
    return FormScore(
        items=len(truth),
        answered=answered,
        correct=correct,
        signal_items=signal_items,
        noise_items=len(truth) - signal_items,
        hits=hits,
        correct_rejections=rejections,
        false_alarms=alarms,
        signal_answered=sig_ans,
        noise_answered=noise_ans,
    )


def first_answers(record_answers: Mapping[str, Any], form_id: str) -> dict[str, str | None]:
    """Item id -> the first verdict recorded for it under ``form_id`` (first answer counts)."""
    out: dict[str, str | None] = {}
    parts = record_answers.get(form_id) if isinstance(record_answers, Mapping) else None
    for item_id, attempts in (parts or {}).items():
        first = attempts[0] if isinstance(attempts, list) and attempts else None
        value = first.get("value") if isinstance(first, dict) else None
        verdict = value.get("verdict") if isinstance(value, dict) else None
        out[str(item_id)] = verdict if isinstance(verdict, str) else None
    return out


def gain(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


# --- item analysis -----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStats:
    item_id: str
    answer: str
    learners: int
    difficulty: float  # proportion correct
    discrimination: float | None  # corrected item-total point-biserial r
    flag: str | None  # "too_easy", "too_hard" or None


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_analysis(truth: Mapping[str, str], learners: Sequence[Mapping[str, str | None]]) -> list[ItemStats]:
    """Difficulty and discrimination of each item, over the learners who took the form."""
    ids = list(truth)
    matrix = [[1.0 if answers.get(i) == truth[i] else 0.0 for i in ids] for answers in learners]
    totals = [sum(row) for row in matrix]
    out = []
    for col, item_id in enumerate(ids):
        scores = [row[col] for row in matrix]
        rest = [total - s for total, s in zip(totals, scores, strict=True)]  # "corrected": item left out
        p = sum(scores) / len(scores) if scores else 0.0
        flag = None
        if scores and p >= TOO_EASY:
            flag = "too_easy"
        elif scores and p <= TOO_HARD:
            flag = "too_hard"
        out.append(ItemStats(item_id, truth[item_id], len(scores), p, _pearson(scores, rest), flag))
    return out


@dataclass
class LearnerProgress:
    """One learner across the forms of a module: pre, post, boosters (form id -> score)."""

    scores: dict[str, FormScore] = field(default_factory=dict)

    def accuracy(self, form: str) -> float | None:
        return self.scores[form].accuracy if form in self.scores else None

    def d_prime(self, form: str) -> float | None:
        return self.scores[form].d_prime if form in self.scores else None

    def gains(self, form: str, base: str = "pre") -> tuple[float | None, float | None]:
        """(accuracy gain, d′ gain) of ``form`` over ``base``."""
        return gain(self.accuracy(base), self.accuracy(form)), gain(self.d_prime(base), self.d_prime(form))
