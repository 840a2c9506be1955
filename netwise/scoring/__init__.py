"""Scoring: every activity's score from its answer, measured learning (discernment), the answer record.

Deterministic and free of I/O but the record: the widget, the graded cell and the class
report all call the same functions, so a learner, a check cell and a teacher see the
same numbers. ``netwise.scoring.<name>`` is the activity scorer's public surface.
"""

from netwise.scoring.activity import (
    ACTIVITY_PART,
    OUTCOME_SCORE,
    RATING_MAX,
    RATING_MIDDLE,
    RATING_MIN,
    ActivityScore,
    Result,
    activity_score,
    answer,
    branching,
    choice,
    link_item,
    parts,
    passphrase,
    privacy_settings,
    rating_discernment,
    rating_item,
    rating_value,
    red_flags,
    verdict_item,
)

__all__ = [
    "ACTIVITY_PART",
    "OUTCOME_SCORE",
    "RATING_MAX",
    "RATING_MIDDLE",
    "RATING_MIN",
    "Result",
    "choice",
    "verdict_item",
    "red_flags",
    "branching",
    "passphrase",
    "privacy_settings",
    "link_item",
    "rating_value",
    "rating_item",
    "rating_discernment",
    "answer",
    "parts",
    "ActivityScore",
    "activity_score",
]
