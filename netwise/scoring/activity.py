"""Scoring: what an answer is worth, computed from the curriculum, never from the record.

Widgets use it for immediate feedback; graded notebook cells and reports use it on the
answer record. The first attempt counts for marks; later attempts are for learning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from netwise.content import links
from netwise.content.model import (
    ActivityBase,
    BranchingActivity,
    ChoiceActivity,
    LinkInspectorActivity,
    PassphraseLabActivity,
    PrivacySettingsActivity,
    RatingActivity,
    RedFlagsActivity,
    VerdictActivity,
)

ACTIVITY_PART = "_"  # record key for answers given to the activity as a whole
OUTCOME_SCORE = {"safe": 1.0, "partly": 0.5, "unsafe": 0.0}
RATING_MIN, RATING_MAX = 1, 7
RATING_MIDDLE = 4  # an unrated item counts as "cannot tell": it neither helps nor hurts discernment


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


def _strength(value: Any) -> int | None:
    raw = value.get("score") if isinstance(value, dict) else None
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= 4 else None


def passphrase(activity: PassphraseLabActivity, value: Any) -> Result:
    """The record holds the estimator's 0-4 score (never the text); the goal comes from the curriculum."""
    score = _strength(value)
    if score is not None:
        reached = score >= activity.goal_score
    else:  # a record with only {"reached": ...}
        reached = isinstance(value, dict) and value.get("reached") is True
    return Result(1.0 if reached else 0.0, reached, {"reached": reached, "score": score})


def privacy_settings(activity: PrivacySettingsActivity, value: Any) -> Result:
    raw = value.get("settings") if isinstance(value, dict) else None
    raw = raw if isinstance(raw, dict) else {}
    chosen: dict[str, str] = {}
    fits: dict[str, bool] = {}
    for setting in activity.settings:
        option = raw.get(setting.id)
        if isinstance(option, str) and any(o.id == option for o in setting.options):
            chosen[setting.id] = option
        fits[setting.id] = chosen.get(setting.id) in setting.best
    right = sum(fits.values())
    total = len(activity.settings)
    return Result(
        round(right / total, 4), right == total, {"settings": chosen, "fits": fits, "right": right, "total": total}
    )


def link_item(activity: LinkInspectorActivity, item_id: str, value: Any) -> Result:
    """Half for finding the real site (registrable domain), half for saying whether it is genuine."""
    item = next((i for i in activity.items if i.id == item_id), None)
    domain = links.normalize(value.get("domain") if isinstance(value, dict) else None)
    genuine = value.get("genuine") if isinstance(value, dict) else None
    genuine = genuine if isinstance(genuine, bool) else None
    real = links.inspect(item.url).domain if item is not None else ""
    domain_ok = bool(real) and domain == real
    genuine_ok = item is not None and genuine is item.genuine
    fraction = (domain_ok + genuine_ok) / 2
    return Result(
        fraction,
        domain_ok and genuine_ok,
        {"domain": domain, "genuine": genuine, "domain_ok": domain_ok, "genuine_ok": genuine_ok, "real": real},
    )


def rating_value(value: Any) -> int | None:
    raw = value.get("rating") if isinstance(value, dict) else None
    ok = isinstance(raw, int) and not isinstance(raw, bool) and RATING_MIN <= raw <= RATING_MAX
    return raw if ok else None


def rating_item(activity: RatingActivity, item_id: str, value: Any) -> Result:
    """One rating: how far it leans the right way (7 for a true item, 1 for a false one = 1.0)."""
    item = next((i for i in activity.items if i.id == item_id), None)
    rating = rating_value(value)
    if item is None or rating is None:
        return Result(0.0, False, {"rating": rating})
    span = RATING_MAX - RATING_MIN
    lean = (rating - RATING_MIN) / span if item.truth else (RATING_MAX - rating) / span
    # "Right" means on the correct side of the middle: 5-7 for true items, 1-3 for false ones.
    return Result(round(lean, 4), lean > 0.5, {"rating": rating})


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else float(RATING_MIDDLE)


def rating_discernment(activity: RatingActivity, ratings: dict[str, int | None]) -> dict[str, float]:
    """Mean rating of true items minus mean rating of false items, scaled to 0-1.

    Rating everything the same (all 1s: blanket distrust, or all 7s) scores 0: what counts is
    telling true from false. Unrated items count as the middle of the scale.
    """
    true = [ratings.get(i.id) or RATING_MIDDLE for i in activity.items if i.truth]
    false = [ratings.get(i.id) or RATING_MIDDLE for i in activity.items if not i.truth]
    mean_true, mean_false = _mean(true), _mean(false)
    diff = mean_true - mean_false
    fraction = max(0.0, diff / (RATING_MAX - RATING_MIN))
    return {"mean_true": mean_true, "mean_false": mean_false, "diff": diff, "fraction": round(fraction, 4)}


def _whole(scorer: Callable[[Any, Any], Result]) -> Callable[[Any, str, Any], Result]:
    """A scorer of an activity answered as a whole (its part is always ``_``)."""
    return lambda activity, part, value: scorer(activity, value)


# Scoring's table of activity types, by model class: how one answer event scores.
# Item sets (verdict, link inspector, rating) are answered per item, the rest as a whole.
SCORERS: dict[type[ActivityBase], Callable[[Any, str, Any], Result]] = {
    ChoiceActivity: _whole(choice),
    VerdictActivity: verdict_item,
    RedFlagsActivity: _whole(red_flags),
    BranchingActivity: _whole(branching),
    PassphraseLabActivity: _whole(passphrase),
    PrivacySettingsActivity: _whole(privacy_settings),
    LinkInspectorActivity: link_item,
    RatingActivity: rating_item,
}
ITEM_SETS = (VerdictActivity, LinkInspectorActivity, RatingActivity)


def answer(activity: ActivityBase, part: str, value: Any) -> Result:
    """Score one answer event (``part`` is an item id for verdict, link and rating sets, else ``_``)."""
    return SCORERS[type(activity)](activity, part, value)


def parts(activity: ActivityBase) -> list[str]:
    """The record keys an activity is answered under."""
    if isinstance(activity, ITEM_SETS):
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
    if isinstance(activity, RatingActivity):
        # Discernment is a property of the whole set, not an average of single ratings.
        fraction = rating_discernment(activity, {k: rating_value(v) for k, v in firsts.items()})["fraction"]
    return ActivityScore(
        activity.id, activity.type, activity.points, round(activity.points * fraction, 2), bool(firsts), firsts
    )
