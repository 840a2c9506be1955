"""Scoring: what an answer is worth, computed from the curriculum, never from the record.

Widgets use it for immediate feedback; graded notebook cells and reports use it on the
answer record. The first attempt counts for marks; later attempts are for learning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netwise.model import (
    BranchingActivity,
    ChoiceActivity,
    Lesson,
    RedFlagsActivity,
    VerdictActivity,
)

ACTIVITY_PART = "_"  # record key for answers given to the activity as a whole
OUTCOME_SCORE = {"safe": 1.0, "partly": 0.5, "unsafe": 0.0}


@dataclass
class Result:
    """How one answer went: a fraction of the activity's points plus details for feedback."""

    fraction: float
    correct: bool
    details: dict[str, Any] = field(default_factory=dict)


def _ids(value: Any, key: str) -> list[str]:
    raw = value.get(key, []) if isinstance(value, dict) else []
    return [str(v) for v in raw] if isinstance(raw, list) else []


def choice(activity: ChoiceActivity, value: Any) -> Result:
    known = {option.id for option in activity.options}
    selected = [s for s in dict.fromkeys(_ids(value, "selected")) if s in known]
    correct = set(activity.correct)
    hits = len(correct.intersection(selected))
    wrong = len(selected) - hits
    if activity.multiple:
        fraction = max(0.0, (hits - wrong) / len(correct))
    else:
        fraction = 1.0 if selected == list(activity.correct) else 0.0
    return Result(round(fraction, 4), fraction == 1.0, {"selected": selected, "hits": hits, "wrong": wrong})


def verdict_item(activity: VerdictActivity, item_id: str, value: Any) -> Result:
    item = next((i for i in activity.items if i.id == item_id), None)
    given = value.get("verdict") if isinstance(value, dict) else None
    ok = item is not None and given == item.answer
    return Result(1.0 if ok else 0.0, ok, {"verdict": given})


def red_flags(activity: RedFlagsActivity, value: Any) -> Result:
    known = {part.id: part for part in activity.parts}
    marked = {m for m in _ids(value, "marked") if m in known}
    suspicious = {part.id for part in activity.parts if part.suspicious}
    hits = len(marked & suspicious)
    false_alarms = len(marked - suspicious)
    fraction = max(0.0, (hits - false_alarms) / len(suspicious))
    return Result(
        round(fraction, 4),
        hits == len(suspicious) and false_alarms == 0,
        {"hits": hits, "false_alarms": false_alarms, "total": len(suspicious), "marked": sorted(marked)},
    )


def branching(activity: BranchingActivity, value: Any) -> Result:
    """A path counts only if it follows the graph from the start to an ending."""
    path = _ids(value, "path")
    nodes = {node.id: node for node in activity.nodes}
    valid = bool(path) and path[0] == activity.start and all(p in nodes for p in path)
    if valid:
        valid = all(any(c.goto == b for c in nodes[a].choices) for a, b in zip(path, path[1:], strict=False))
    end = nodes.get(path[-1]) if valid else None
    outcome = end.outcome if end is not None else None
    fraction = OUTCOME_SCORE.get(outcome or "", 0.0)
    return Result(fraction, outcome == "safe", {"outcome": outcome, "path": path if valid else []})


def answer(activity: Any, part: str, value: Any) -> Result:
    """Score one answer event (``part`` is an item id for verdict sets, else ``_``)."""
    if isinstance(activity, ChoiceActivity):
        return choice(activity, value)
    if isinstance(activity, VerdictActivity):
        return verdict_item(activity, part, value)
    if isinstance(activity, RedFlagsActivity):
        return red_flags(activity, value)
    if isinstance(activity, BranchingActivity):
        return branching(activity, value)
    raise TypeError(f"no scoring for {type(activity).__name__}")


def parts(activity: Any) -> list[str]:
    """The record keys an activity is answered under."""
    if isinstance(activity, VerdictActivity):
        return [item.id for item in activity.items]
    return [ACTIVITY_PART]


@dataclass
class ActivityScore:
    activity_id: str
    type: str
    points: float
    score: float
    answered: bool
    first_answers: dict[str, Any]


def activity_score(activity: Any, answers: dict[str, list[dict[str, Any]]]) -> ActivityScore:
    """Marks for one activity from its recorded attempts: first attempt per part counts."""
    keys = parts(activity)
    fractions = []
    firsts: dict[str, Any] = {}
    for key in keys:
        attempts = answers.get(key) or []
        if attempts and isinstance(attempts[0], dict):
            firsts[key] = attempts[0].get("value")
            fractions.append(answer(activity, key, attempts[0].get("value")).fraction)
        else:
            fractions.append(0.0)
    fraction = sum(fractions) / len(keys)
    return ActivityScore(
        activity.id, activity.type, activity.points, round(activity.points * fraction, 2), bool(firsts), firsts
    )


def lesson_scores(lesson: Lesson, record_answers: dict[str, Any]) -> list[ActivityScore]:
    return [activity_score(a, record_answers.get(a.id) or {}) for a in lesson.activities]
