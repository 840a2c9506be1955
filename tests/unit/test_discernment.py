"""Measured learning: accuracy, hit and false-alarm rates, d′, gains and item analysis,
checked against numbers worked out by hand (z values from a normal table:
z(0.875) = 1.150349, z(0.75) = 0.674490, z(5/6) = 0.967422, z(0.125) = −1.150349)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from netwise.content import load
from netwise.scoring import discernment as d
from support.paths import FIXTURES, run_netwise

# A pre and a post form of 8 items (4 scam, 4 legit) and a booster of 5 (3 scam, 2 legit).
PRE = {
    "s1": "scam",
    "s2": "scam",
    "s3": "scam",
    "s4": "scam",
    "l1": "legit",
    "l2": "legit",
    "l3": "legit",
    "l4": "legit",
}
POST = {k.upper(): v for k, v in PRE.items()}
BOOSTER = {"b1": "scam", "b2": "scam", "b3": "scam", "b4": "legit", "b5": "legit"}


def answers(key: dict[str, str], scams: list[str], legits: list[str]) -> dict[str, str | None]:
    """Say "scam" to the listed ids, "legit" to the others listed; anything unlisted is unanswered."""
    return {**{i: "scam" for i in scams}, **{i: "legit" for i in legits}}


# Three groups of 10 with known patterns: 30 learners.
GROUP_A_PRE = answers(PRE, ["s1", "s2", "l1", "l2"], ["s3", "s4", "l3", "l4"])  # guessing: 2/4 hits, 2/4 alarms
GROUP_B_PRE = answers(PRE, [*PRE], [])  # blanket suspicion: everything "scam"
GROUP_C_PRE = answers(PRE, ["s1", "s2", "s3"], ["l1", "l2", "l3", "l4"])  # s4 left unanswered
PERFECT_POST = answers(POST, ["S1", "S2", "S3", "S4"], ["L1", "L2", "L3", "L4"])
GROUP_B_POST = answers(POST, ["S1", "S2", "S3", "L1"], ["S4", "L2", "L3", "L4"])  # 3/4 hits, 1/4 alarms
PERFECT_BOOSTER = answers(BOOSTER, ["b1", "b2", "b3"], ["b4", "b5"])


def synthetic_class() -> list[d.LearnerProgress]:
    learners = []
    for pre, post in [(GROUP_A_PRE, PERFECT_POST), (GROUP_B_PRE, GROUP_B_POST), (GROUP_C_PRE, PERFECT_POST)]:
        for _ in range(10):
            progress = d.LearnerProgress()
            progress.scores["pre"] = d.score_form(PRE, pre)
            progress.scores["post"] = d.score_form(POST, post)
            progress.scores["booster-2w"] = d.score_form(BOOSTER, PERFECT_BOOSTER)
            learners.append(progress)
    return learners


def test_rate_correction_rule() -> None:
    assert d.corrected_rate(0, 4) == 1 / 8  # 0 -> 1/(2N) = 1/8
    assert d.corrected_rate(4, 4) == 1 - 1 / 8  # 1 -> 1 - 1/(2N) = 0.875
    assert d.corrected_rate(3, 3) == pytest.approx(5 / 6)  # 1 - 1/6
    assert d.corrected_rate(1, 4) == 0.25  # not extreme: unchanged


def test_each_group_by_hand() -> None:
    a = d.score_form(PRE, GROUP_A_PRE)
    # 2 hits + 2 correct rejections = 4 of 8; H = 2/4, F = 2/4: z(.5) - z(.5) = 0
    assert (a.correct, a.accuracy, a.hit_rate, a.false_alarm_rate) == (4, 0.5, 0.5, 0.5)
    assert a.d_prime == pytest.approx(0.0, abs=1e-12)

    b = d.score_form(PRE, GROUP_B_PRE)
    # all "scam": H = 4/4 -> 0.875, F = 4/4 -> 0.875; d' = 1.150349 - 1.150349 = 0
    assert (b.accuracy, b.hit_rate, b.false_alarm_rate) == (0.5, 1.0, 1.0)
    assert b.d_prime == pytest.approx(0.0, abs=1e-12)
    assert b.criterion == pytest.approx(-1.1503494, abs=1e-6)  # -(1.150349 + 1.150349)/2: leans "scam"

    c = d.score_form(PRE, GROUP_C_PRE)
    # s4 unanswered: wrong for accuracy (7 of 8), left out of H: H = 3/3 -> 1 - 1/6, F = 0/4 -> 1/8
    # d' = z(5/6) - z(1/8) = 0.967422 + 1.150349 = 2.117771
    assert (c.correct, c.answered, c.accuracy, c.hit_rate, c.false_alarm_rate) == (7, 7, 0.875, 1.0, 0.0)
    assert c.d_prime == pytest.approx(2.1177709, abs=1e-6)

    perfect = d.score_form(POST, PERFECT_POST)
    # H = 4/4 -> 0.875, F = 0/4 -> 0.125: d' = 1.150349 + 1.150349 = 2.300699
    assert perfect.accuracy == 1.0 and perfect.d_prime == pytest.approx(2.3006988, abs=1e-6)

    b_post = d.score_form(POST, GROUP_B_POST)
    # H = 3/4, F = 1/4: d' = 0.674490 + 0.674490 = 1.348980; accuracy (3 + 3)/8 = 0.75
    assert b_post.accuracy == 0.75 and b_post.d_prime == pytest.approx(1.3489795, abs=1e-6)

    booster = d.score_form(BOOSTER, PERFECT_BOOSTER)
    # H = 3/3 -> 5/6, F = 0/2 -> 1/4: d' = 0.967422 + 0.674490 = 1.641911
    assert booster.d_prime == pytest.approx(1.6419113, abs=1e-6)


def test_synthetic_class_of_30() -> None:
    learners = synthetic_class()
    assert len(learners) == 30
    acc = lambda form: d.mean([p.accuracy(form) for p in learners])  # noqa: E731
    dp = lambda form: d.mean([p.d_prime(form) for p in learners])  # noqa: E731
    # pre accuracy: (10*0.5 + 10*0.5 + 10*0.875)/30 = 18.75/30 = 0.625
    assert acc("pre") == pytest.approx(0.625)
    # post accuracy: (10*1 + 10*0.75 + 10*1)/30 = 27.5/30 = 0.916667
    assert acc("post") == pytest.approx(27.5 / 30)
    # pre d': (0 + 0 + 2.117771)/3 = 0.705924; post d': (2.300699 + 1.348980 + 2.300699)/3 = 1.983459
    assert dp("pre") == pytest.approx(0.7059236, abs=1e-6)
    assert dp("post") == pytest.approx(1.9834590, abs=1e-6)
    # gains per learner, then the class mean: accuracy 0.916667 - 0.625 = 0.291667
    gains = [p.gains("post") for p in learners]
    assert d.mean([g[0] for g in gains]) == pytest.approx(0.2916667, abs=1e-6)
    assert d.mean([g[1] for g in gains]) == pytest.approx(1.9834590 - 0.7059236, abs=1e-6)  # 1.277535
    # group A learner: post - pre = 1 - 0.5 = +0.5 accuracy, 2.300699 - 0 d'
    assert learners[0].gains("post") == pytest.approx((0.5, 2.3006988), abs=1e-6)
    # booster - pre for group C: accuracy 1 - 0.875 = 0.125; d' 1.641911 - 2.117771 = -0.475860
    assert learners[25].gains("booster-2w") == pytest.approx((0.125, -0.4758596), abs=1e-6)


def test_blanket_suspicion_is_not_skill() -> None:
    all_scam = d.score_form(POST, {i: "scam" for i in POST})
    assert all_scam.hit_rate == 1.0 and all_scam.false_alarm_rate == 1.0
    assert all_scam.d_prime == pytest.approx(0.0, abs=1e-12)
    assert all_scam.accuracy == 0.5
    # unequal classes (3 scam, 2 legit): H -> 5/6, F -> 3/4: d' = 0.967422 - 0.674490 = 0.292932, near 0
    uneven = d.score_form(BOOSTER, {i: "scam" for i in BOOSTER})
    assert uneven.d_prime == pytest.approx(0.2929318, abs=1e-6)
    # true/false scale: "false" is the thing to detect
    tf = d.score_form({"a": "false", "b": "true"}, {"a": "false", "b": "false"})
    assert (tf.hit_rate, tf.false_alarm_rate) == (1.0, 1.0)


def test_nothing_answered() -> None:
    empty = d.score_form(PRE, {})
    assert empty.accuracy == 0.0 and empty.hit_rate is None and empty.d_prime is None
    assert d.gain(None, 0.5) is None


def test_item_analysis_by_hand() -> None:
    key = {"a1": "scam", "a2": "legit", "a3": "scam", "a4": "legit"}
    right = {"a1": "scam", "a2": "legit", "a3": "scam", "a4": "legit"}
    wrong = {"a1": "legit", "a2": "scam", "a3": "legit", "a4": "scam"}
    # 1 = right, 0 = wrong (learner 4 leaves a4 unanswered: wrong)
    pattern = [[1, 1, 1, 1], [1, 1, 1, 0], [1, 0, 1, 0], [1, 0, 0, None], [1, 1, 0, 0]]
    learners = []
    for row in pattern:
        learners.append(
            {i: (right[i] if v == 1 else wrong[i] if v == 0 else None) for i, v in zip(key, row, strict=True)}
        )
    stats = {s.item_id: s for s in d.item_analysis(key, learners)}
    # a1: everyone right, p = 5/5 = 1.0 -> too easy; no spread, so no correlation
    assert stats["a1"].difficulty == 1.0 and stats["a1"].flag == "too_easy" and stats["a1"].discrimination is None
    # a2: x = [1,1,0,0,1], rest score (total minus a2) y = [3,2,2,1,1]; means 0.6, 1.8
    # sxy = .48+.08-.12+.48-.32 = 0.6; sxx = 1.2; syy = 1.44+.04+.04+.64+.64 = 2.8
    # r = 0.6 / sqrt(1.2 * 2.8) = 0.6 / 1.833030 = 0.327327
    assert stats["a2"].difficulty == 0.6 and stats["a2"].flag is None
    assert stats["a2"].discrimination == pytest.approx(0.3273268, abs=1e-6)
    # a4: x = [1,0,0,0,0], p = 0.2 -> too hard; y = [3,3,2,1,2]; means 0.2, 2.2
    # sxy = .64-.16+.04+.24+.04 = 0.8; sxx = 0.8; syy = .64+.64+.04+1.44+.04 = 2.8
    # r = 0.8 / sqrt(0.8 * 2.8) = 0.8 / 1.496663 = 0.534522
    assert stats["a4"].difficulty == pytest.approx(0.2) and stats["a4"].flag == "too_hard"
    assert stats["a4"].discrimination == pytest.approx(0.5345225, abs=1e-6)


def test_first_answer_counts_in_a_record() -> None:
    answers_block = {"pre": {"s1": [{"value": {"verdict": "legit"}}, {"value": {"verdict": "scam"}}], "s2": []}}
    assert d.first_answers(answers_block, "pre") == {"s1": "legit", "s2": None}


def test_list_json_assessments() -> None:
    result = run_netwise("list", "--json", "--curriculum", str(FIXTURES / "assess"))
    assert result.returncode == 0, result.stderr
    module = json.loads(result.stdout)["modules"][0]
    assert module["assessments"] == [
        {"id": "basics-pre", "kind": "pre", "items": 4, "true_items": 2, "false_items": 2},
        {"id": "basics-post", "kind": "post", "items": 4, "true_items": 2, "false_items": 2},
        {"id": "basics-booster-2w", "kind": "booster", "items": 5, "true_items": 2, "false_items": 3},
    ]
    plain = json.loads(run_netwise("list", "--json", "--curriculum", str(FIXTURES / "mini")).stdout)
    assert plain["modules"][0]["assessments"] == []


def _broken(tmp_path: Path, edit: str, replacement: str) -> list[str]:
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "assess", root)
    path = root / "modules" / "basics" / "assessment.yaml"
    text = path.read_text(encoding="utf-8")
    assert edit in text
    path.write_text(text.replace(edit, replacement), encoding="utf-8")
    from netwise.content import load_structure
    from netwise.content.validate import validate

    curriculum, problems = load_structure(root)
    assert curriculum is not None and not problems
    return [str(p) for p in validate(curriculum)]


@pytest.mark.parametrize(
    ("edit", "replacement", "expected"),
    [
        ("post: [q-code, q-job, q-teacher, q-login]", "post: [q-code, q-job, q-teacher, p-otp]",
         "the post form repeats item(s) of the pre form (p-otp)"),
        ("pre: [p-otp, p-prize, p-mum, p-notice]", "pre: [p-otp, p-prize, p-mum, p-nope]",
         "the pre form lists item 'p-nope', which is not in 'items'"),
        ("pre: [p-otp, p-prize, p-mum, p-notice]", "pre: [p-otp, p-prize, q-code, p-notice]",
         "the pre form has 3 scam and 1 legit items; with 4 items each answer needs at least 2 (40%)"),
        ("post: [q-code, q-job, q-teacher, q-login]", "post: [q-code, q-job, q-teacher, q-login, b-friend]",
         "the post form has 5 items but the pre form 4"),
        ("post: [q-code, q-job, q-teacher, q-login]", "post: [q-code, b-parcel, q-teacher, b-friend]",
         "the difficulty mix differs: pre has 2 easy, 1 medium, 1 hard, post has 3 easy, 1 medium, 0 hard"),
        ("items: [b-parcel, b-friend, p-otp, q-teacher, q-job]", "items: [b-parcel, b-friend, p-otp, q-teacher]",
         "booster 'booster-2w' has 4 items; a booster has exactly 5"),
        ("    answer: legit\n    difficulty: hard\n    cues: [You asked", "    answer: \"true\"\n    difficulty: hard\n    cues: [You asked",
         "answer 'true' does not fit scale 'scam-legit' (scam or legit)"),
        ("- id: b-friend", "- id: b-parcel", "item id 'b-parcel' is used twice"),
    ],
)  # fmt: skip
def test_validation_in_author_words(tmp_path: Path, edit: str, replacement: str, expected: str) -> None:
    problems = _broken(tmp_path, edit, replacement)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("curriculum/modules/basics/assessment.yaml:") for p in problems), problems


def test_validation_real_address(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "at fastpost-pay.test today", "at www.fastpost.com today")
    assert any("'www.fastpost.com' is a real-looking address" in p for p in problems), problems


def test_fixture_is_valid() -> None:
    curriculum = load(FIXTURES / "assess")
    assert list(curriculum.assessments) == ["basics"]
