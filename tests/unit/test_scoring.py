"""Scoring from the curriculum: first attempts count, partial credit, forged paths earn nothing."""

from __future__ import annotations

import pytest

from netwise import scoring
from netwise.content import load
from support.paths import FIXTURES

MINI = FIXTURES / "mini"


@pytest.fixture(scope="module")
def lesson():  # noqa: ANN201 - a pydantic model
    return load(MINI).lesson("basics-one")


def test_choice_single(lesson) -> None:  # noqa: ANN001
    quiz = lesson.activity("quiz")
    assert scoring.choice(quiz, {"selected": ["scammer"]}).fraction == 1.0
    assert scoring.choice(quiz, {"selected": ["bank"]}).fraction == 0.0
    assert scoring.choice(quiz, {"selected": ["bank", "scammer"]}).fraction == 0.0
    assert scoring.choice(quiz, {"selected": ["made-up"]}).fraction == 0.0
    assert scoring.choice(quiz, "garbage").fraction == 0.0


def test_red_flags_hits_minus_false_alarms(lesson) -> None:  # noqa: ANN001
    flags = lesson.activity("flags")
    full = scoring.red_flags(flags, {"marked": ["from", "hurry"]})
    assert (full.fraction, full.correct, full.details["false_alarms"]) == (1.0, True, 0)
    half = scoring.red_flags(flags, {"marked": ["from"]})
    assert half.fraction == 0.5 and not half.correct
    alarm = scoring.red_flags(flags, {"marked": ["from", "hurry", "hello"]})
    assert alarm.fraction == 0.5 and alarm.details["false_alarms"] == 1
    everything_is_suspicious = scoring.red_flags(flags, {"marked": ["from", "hello"]})
    assert everything_is_suspicious.fraction == 0.0


def test_branching_needs_a_real_path(lesson) -> None:  # noqa: ANN001
    chat = lesson.activity("chat")
    assert scoring.branching(chat, {"path": ["ask", "check", "safe"]}).fraction == 1.0
    assert scoring.branching(chat, {"path": ["ask", "gave"]}).fraction == 0.0
    forged = scoring.branching(chat, {"path": ["ask", "safe"]})  # skips a node: not a path
    assert forged.fraction == 0.0 and forged.details["outcome"] is None


def test_first_attempt_counts(lesson) -> None:  # noqa: ANN001
    judge = lesson.activity("judge")
    answers = {
        "otp": [{"value": {"verdict": "legit"}}, {"value": {"verdict": "scam"}}],
        "parcel": [{"value": {"verdict": "legit"}}],
    }
    score = scoring.activity_score(judge, answers)
    assert score.score == 0.5 and score.answered
    unanswered = scoring.activity_score(lesson.activity("quiz"), {})
    assert unanswered.score == 0 and not unanswered.answered
