"""The assessment form widget and its notebooks: no feedback until the end, the learner's own
summary and before/after (from the pre record, or from the browser in the lesson app), the record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netwise.build.notebooks import build, form_notebook
from netwise.content import load
from netwise.widgets import AssessmentWidget
from support.paths import FIXTURES

ASSESS = FIXTURES / "assess"
PRE_RIGHT = {"p-otp": "scam", "p-prize": "scam", "p-mum": "legit", "p-notice": "legit"}
POST_RIGHT = {"q-code": "scam", "q-job": "scam", "q-teacher": "legit", "q-login": "legit"}


def form(form_id: str, tmp_path: Path, lang: str = "en") -> AssessmentWidget:
    return AssessmentWidget("basics", form_id, lang=lang, curriculum=ASSESS, directory=tmp_path)


def test_no_feedback_before_the_end(tmp_path: Path) -> None:
    w = form("pre", tmp_path)
    w.judge("p-otp", "legit")  # wrong, and nothing says so
    w.judge("p-prize", "scam")
    state = w.state
    assert w.feedback_text == "Answer saved. 2 of 4 answered."
    assert state["progress"] == "2 of 4 answered"
    assert not state["finished"] and state["summary"] is None and state["review"] == []
    assert state["counts"] is None and state["before_after"] is None
    assert state["items"][0] == {"id": "p-otp", "verdict": "legit", "locked": True}
    shown = json.dumps([w.spec, state])
    for secret in ("A bank never asks", "A real bank never", '"answer"', '"correct"', "Not quite", "Correct!"):
        assert secret not in shown, secret
    w.judge("p-otp", "scam")  # the first answer counts: a second press changes nothing
    assert w.answers()["p-otp"] == "legit"
    with pytest.raises(ValueError):
        w.judge("p-otp", "maybe")
    with pytest.raises(ValueError):
        w.judge("nope", "scam")
    with pytest.raises(ValueError):  # a list as the item: refused, not a TypeError in the comm loop
        w.handle({"action": "judge", "item": ["p-otp"], "verdict": "scam"})


def test_summary_and_review_en_and_vi(tmp_path: Path) -> None:
    w = form("pre", tmp_path)
    for item, verdict in {**PRE_RIGHT, "p-prize": "legit"}.items():
        w.judge(item, verdict)
    assert w.state["summary"] == "You spotted 1 of 2 scams and trusted 2 of 2 real messages."
    assert w.feedback_text == w.state["summary"]
    assert w.state["counts"] == {"hits": 1, "signal": 2, "trusted": 2, "noise": 2}
    review = {r["id"]: r for r in w.state["review"]}
    assert review["p-prize"]["correct"] is False
    assert review["p-prize"]["you_said"] == "You said: Legit" and review["p-prize"]["answer"] == "This one is: Scam"
    assert review["p-prize"]["explanation"] == "A prize that costs money to claim is a trick."

    vi = form("pre", tmp_path, lang="vi")  # same record, reopened in Vietnamese
    assert vi.state["summary"] == "Bạn đã nhận ra 1 trên 2 tin lừa đảo và tin đúng 2 trên 2 tin thật."
    assert {r["id"]: r for r in vi.state["review"]}["p-prize"]["explanation"] == (
        "VI A prize that costs money to claim is a trick."
    )


def test_record_holds_choices_and_times_only(tmp_path: Path) -> None:
    w = form("pre", tmp_path)
    w.judge("p-otp", "scam")
    data = json.loads((tmp_path / "basics-pre.answers.json").read_text(encoding="utf-8"))
    assert data["kind"] == "netwise-answers" and data["lesson"] == "basics-pre" and data["lang"] == "en"
    (attempt,) = data["answers"]["pre"]["p-otp"]
    assert set(attempt) == {"value", "at"} and attempt["value"] == {"verdict": "scam"}
    assert "correct" not in json.dumps(data)


def test_before_and_after_from_the_pre_record(tmp_path: Path) -> None:
    pre = form("pre", tmp_path)
    for item, verdict in {**PRE_RIGHT, "p-prize": "legit", "p-mum": "scam"}.items():
        pre.judge(item, verdict)
    post = form("post", tmp_path)
    assert post.state["before_after"] is None  # not finished yet
    for item, verdict in POST_RIGHT.items():
        post.judge(item, verdict)
    assert post.state["summary"] == "You spotted 2 of 2 scams and trusted 2 of 2 real messages."
    assert post.state["before_after"] == "Before: 1 of 2 scams, 1 of 2 real; now: 2 of 2 and 2 of 2."
    assert post.state["counts"] is None  # only the pre form hands counts to the page
    assert "Before: 1 of 2 scams" in post.feedback_text
    vi = form("post", tmp_path, lang="vi")
    assert vi.state["before_after"] == "Trước: 1 trên 2 tin lừa đảo, 1 trên 2 tin thật; bây giờ: 2 trên 2 và 2 trên 2."
    booster = form("booster-2w", tmp_path)
    for item in ("b-parcel", "b-friend", "p-otp", "q-teacher", "q-job"):
        booster.judge(item, "scam")  # blanket suspicion: every scam found, no real message trusted
    assert booster.state["summary"] == "You spotted 3 of 3 scams and trusted 0 of 2 real messages."
    assert booster.state["before_after"] == "Before: 1 of 2 scams, 1 of 2 real; now: 3 of 3 and 0 of 2."


def test_before_and_after_in_the_lesson_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory-only answers: the page hands the pre counts (kept in sessionStorage) to the post kernel."""
    monkeypatch.setenv("NETWISE_ANSWERS", "memory")
    post = form("post", tmp_path)
    for item, verdict in POST_RIGHT.items():
        post.judge(item, verdict)
    assert post.state["before_after"] is None
    post.handle({"action": "before", "counts": {"hits": 1, "signal": 2, "trusted": 0, "noise": 2}})
    assert post.state["before_after"] == "Before: 1 of 2 scams, 0 of 2 real; now: 2 of 2 and 2 of 2."
    assert post.feedback_text.endswith("now: 2 of 2 and 2 of 2.")
    for bad in ({"hits": 3, "signal": 2, "trusted": 0, "noise": 2}, {"hits": "1"}, None, {"hits": True}):
        with pytest.raises(ValueError):
            post.tell_before(bad)  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir()), "nothing is written in memory mode"
    assert post.spec["storage_key"] == "netwise:basics:pre" and post.spec["kind"] == "post"


def test_form_notebooks_are_built(tmp_path: Path) -> None:
    curriculum = load(ASSESS)
    result = build(curriculum, tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in result.written)
    for lang in ("en", "vi"):
        for stem in ("00-check-before", "01-basics-one", "90-check-after", "91-booster-2w"):
            assert f"{lang}/basics/{stem}.ipynb" in names
    again = build(curriculum, tmp_path, check=True)
    assert not (again.stale or again.missing or again.extra) and len(again.unchanged) == len(names)
    nb = form_notebook(curriculum, "vi", "basics", "post")
    assert nb.metadata["netwise"] == {
        "kind": "assessment",
        "form": "post",
        "form_kind": "post",
        "module": "basics",
        "lang": "vi",
        "region": "vn",
        "title": "VI Basics: check yourself",
    }
    assert 'AssessmentWidget("basics", "post", lang="vi", region="vn")' in nb.cells[1].source
    assert "Kiểm tra sau khi học chủ đề" in nb.cells[0].source
