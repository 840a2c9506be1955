"""Verdict labels an author chooses (issue 16) and the three new artifact kinds, outside a browser.

A label changes only the words a learner reads ("Report it" instead of "Scam"): the record and
the score stay on the binary scale. These tests follow the words everywhere the answer shows
(widget buttons and feedback lines in English and Vietnamese, an assessment form, the teacher
guide's answer key, the graded feedback and class report) and check that ``netwise check``
names the file and line of a label off the scale and of ``scene``/``details`` on the wrong kind.
The fixture curriculum tests/fixtures/scenario-kinds holds one verdict set with labels over a
video call, a permission prompt and an install prompt, and a Vietnamese catalog.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from netwise.build.guide import render_guide
from netwise.content import load
from netwise.content.assessment import all_forms
from netwise.content.model import VerdictLabels
from netwise.grading.activities import Context, verdict_feedback, verdict_report
from netwise.grading.units import form_activity
from netwise.scoring import record as record_mod
from netwise.widgets import AssessmentWidget, Lesson, VerdictWidget
from support.paths import FIXTURES, run_netwise

KINDS = FIXTURES / "scenario-kinds"
LESSON_FILE = KINDS / "modules" / "kinds" / "lessons" / "kinds-one.yaml"
# The fixture's labels and their Vietnamese translations (its kinds.po).
WORDS = {"en": {"scam": "Report it", "legit": "Leave it"}, "vi": {"scam": "Báo cáo", "legit": "Bỏ qua"}}


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(record_mod.MEMORY_ENV, raising=False)
    return tmp_path


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_widget_shows_the_labels_and_records_the_scale(cwd: Path, lang: str) -> None:
    lesson = Lesson("kinds-one", lang=lang, curriculum=KINDS)
    ui, words = lesson.ui, WORDS[lang]
    widget = lesson.show("respond")
    assert isinstance(widget, VerdictWidget)
    assert widget.spec["choices"] == [
        {"value": "scam", "label": words["scam"]},
        {"value": "legit", "label": words["legit"]},
    ]

    widget.judge("uncle", "legit")  # wrong: the video call is a scam
    feedback = widget.state["items"][0]["feedback"]
    assert feedback["you_said"] == ui["you_said"].format(answer=words["legit"])
    assert feedback["answer"] == ui["verdict_is"].format(answer=words["scam"])
    assert not feedback["correct"]
    widget.judge("mum", "legit")
    assert widget.state["items"][3]["feedback"]["correct"]
    # The record keeps the scale's answers, whatever the buttons said.
    record = lesson.record.answers("respond")
    assert [attempt["value"]["verdict"] for attempt in record["uncle"]] == ["legit"]
    with pytest.raises(ValueError):
        widget.judge("flashlight", words["scam"])  # a label is not an answer


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_new_kinds_reach_the_page_with_scene_and_details(cwd: Path, lang: str) -> None:
    widget = Lesson("kinds-one", lang=lang, curriculum=KINDS).show("respond")
    by_id = {item["id"]: item["artifact"] for item in widget.spec["items"]}
    assert [by_id[i]["kind"] for i in ("uncle", "flashlight", "diamonds")] == ["video_call", "permission", "install"]
    assert by_id["uncle"]["label"] == widget.ui["video_call_label"]
    scene = by_id["uncle"]["scene"][0]["text"]
    assert "blink" in scene if lang == "en" else scene.startswith("VI ")
    assert len(by_id["flashlight"]["details"]) == 2 and by_id["flashlight"]["scene"] is None
    assert by_id["diamonds"]["address"] == [{"text": "FreeDiamonds.apk"}]  # a file name, not a host
    assert by_id["uncle"]["details"] == []


def _bank_with_labels(tmp_path: Path) -> Path:
    root = tmp_path / "assess"
    shutil.copytree(FIXTURES / "assess", root)
    bank = root / "modules" / "basics" / "assessment.yaml"
    text = bank.read_text(encoding="utf-8")
    assert re.search(r"^prompt:", text, re.M)
    bank.write_text(
        re.sub(r"^(prompt:.*)$", r'\1\nlabels: {scam: "Report", legit: "Ignore"}', text, count=1, flags=re.M)
    )
    return root


def test_assessment_form_review_uses_the_bank_labels(tmp_path: Path) -> None:
    root = _bank_with_labels(tmp_path)
    curriculum = load(root)
    form = next(f for f in all_forms(curriculum, "basics") if f.kind == "pre")
    widget = AssessmentWidget("basics", form.form_id, lang="en", curriculum=root, directory=tmp_path)
    assert [c["label"] for c in widget.spec["choices"]] == ["Report", "Ignore"]
    for item in widget.items:
        widget.judge(item.id, "legit")
    review = widget.state["review"]
    assert {r["you_said"] for r in review} == {widget.ui["you_said"].format(answer="Ignore")}
    assert widget.ui["verdict_is"].format(answer="Report") in {r["answer"] for r in review}
    # Graded as a verdict set, the form keeps the labels for the feedback and the report.
    assessment = curriculum.assessments["basics"]
    assert form_activity(assessment, form).labels == VerdictLabels(scam="Report", legit="Ignore")


def test_graded_feedback_and_report_show_the_labels(cwd: Path) -> None:
    lesson = Lesson("kinds-one", lang="en", curriculum=KINDS)
    activity = lesson.lesson.activity("respond")
    ctx = Context(ui=lesson.ui, lang="en")
    mine = {"uncle": [{"value": {"verdict": "legit"}}], "mum": [{"value": {"verdict": "legit"}}]}
    items = verdict_feedback(activity, mine, ctx).view["items"]
    assert (items[0]["given"], items[0]["answer"]) == ("Leave it", "Report it")
    report = verdict_report(activity, [mine, {"uncle": [{"value": {"verdict": "scam"}}]}], ctx)
    uncle = next(g for g in report.groups if g.id == "uncle")
    assert [(row.key, row.answer, row.count) for row in uncle.rows] == [
        ("scam", "Report it", 1),
        ("legit", "Leave it", 1),
    ]
    assert "Leave it" in report.wrong[0].label


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_guide_answer_key_uses_the_labels_and_draws_the_kinds(lang: str) -> None:
    html = render_guide(load(KINDS), lang)
    assert html.count(">" + _ui_verdict(lang).format(answer=WORDS[lang]["scam"])) == 3
    assert html.count(_ui_verdict(lang).format(answer=WORDS[lang]["legit"])) == 1
    assert html.count('<ul class="details">') == 2


def _ui_verdict(lang: str) -> str:
    from netwise.i18n import Translator

    return Translator(load(KINDS), lang).ui()["verdict_is"]


# --- netwise check ------------------------------------------------------------------------------


def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    root = tmp_path / "kinds"
    shutil.copytree(KINDS, root)
    path = root / LESSON_FILE.relative_to(KINDS)
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1
    return root, line


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('labels: {scam: "Report it", legit: "Leave it"}', 'labels: {scam: "Report it", true: "Yes"}',
         "label 'true' is not an answer of scale 'scam-legit'"),
        ("            kind: permission\n", "            kind: sms\n",
         "'details' belongs to a permission or install artifact, not 'sms'"),
        ("            kind: video_call\n            sender: \"Uncle Bao\"", "            kind: call\n            sender: \"Uncle Bao\"",
         "'scene' belongs to a video_call artifact, not 'call'"),
    ],
)  # fmt: skip
def test_check_names_file_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    root, _ = _broken(tmp_path, old, new)
    result = run_netwise("check", "--curriculum", str(root))
    assert result.returncode == 1, result.stdout
    hits = [line for line in result.stdout.splitlines() if message in line]
    assert len(hits) == 1, result.stdout
    assert re.match(r"^kinds/modules/kinds/lessons/kinds-one\.yaml:\d+: ", hits[0]), hits[0]
    # The line points inside the activity that is wrong.
    number = int(hits[0].split(":")[1])
    lines = (root / LESSON_FILE.relative_to(KINDS)).read_text(encoding="utf-8").splitlines()
    assert any(word in lines[number - 1] for word in ("labels", "true", "details", "scene")), lines[number - 1]


def test_check_accepts_the_fixture() -> None:
    result = run_netwise("check", "--curriculum", str(KINDS))
    assert result.returncode == 0, result.stdout + result.stderr
