"""Grading's per-type tables and page templates, without nbgrader: every activity of the bundled
curriculum, in English and Vietnamese, through FEEDBACK and REPORT and their templates.

The course cycle on real nbgrader is tests/integration/test_grading_pages.py; this file checks
the parts in isolation and fast: the tables cover the model's union, every fragment renders for
every activity (answered or not), escaping and strictness of the templates, that a record's
unknown fields never reach a page, and the charts.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jinja2 import StrictUndefined, UndefinedError

from netwise.content import Curriculum, load
from netwise.content.model import (
    ACTIVITY_CLASSES,
    BranchingActivity,
    ChoiceActivity,
    LinkInspectorActivity,
    PassphraseLabActivity,
    PrivacySettingsActivity,
    RatingActivity,
    RedFlagsActivity,
    VerdictActivity,
)
from netwise.grading import charts
from netwise.grading.activities import FEEDBACK, REPORT, ActivityReport, Answers, Context, Fragment, with_sender
from netwise.grading.html import TEMPLATES, environment, render
from netwise.i18n import Translator
from netwise.paths import bundled_curriculum
from netwise.scoring import parts

GRADING = Path(__file__).resolve().parents[2] / "grading"
STRAY = "correct-horse-SECRET-42"  # a field no record should hold; if one did, no page may show it


@cache
def curriculum() -> Curriculum:
    return load(bundled_curriculum())


@cache
def translator(lang: str) -> Translator:
    return Translator(curriculum(), lang)


def attempt(value: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"value": value, "at": "2025-01-01T00:00:00.000000Z"}]


def _path(activity: BranchingActivity) -> list[str]:
    nodes = {node.id: node for node in activity.nodes}
    path = [activity.start]
    while nodes[path[-1]].choices:
        path.append(nodes[path[-1]].choices[-1].goto)
    return path


# One plausible set of answers per type (some right, some wrong), as the widgets record them.
ANSWERS: dict[type, Callable[[Any], Answers]] = {
    ChoiceActivity: lambda a: {"_": attempt({"selected": [a.options[0].id]})},
    VerdictActivity: lambda a: {
        item.id: attempt({"verdict": item.answer if n % 2 else "scam"}) for n, item in enumerate(a.items)
    },
    RedFlagsActivity: lambda a: {"_": attempt({"marked": [a.parts[0].id, a.parts[-1].id]})},
    BranchingActivity: lambda a: {"_": attempt({"path": _path(a)})},
    PassphraseLabActivity: lambda a: {"_": attempt({"reached": False, "score": 1, "text": STRAY})},
    PrivacySettingsActivity: lambda a: {"_": attempt({"settings": {s.id: s.options[0].id for s in a.settings}})},
    LinkInspectorActivity: lambda a: {
        item.id: attempt({"domain": "tinsang.example", "genuine": n % 2 == 0}) for n, item in enumerate(a.items)
    },
    RatingActivity: lambda a: {item.id: attempt({"rating": 1 + n % 7}) for n, item in enumerate(a.items)},
}


def every_activity(lang: str) -> list[tuple[str, Any]]:
    return [(lid, a) for lid in curriculum().lessons for a in translator(lang).lesson(lid).activities]


def show(fragment: Fragment, ui: dict[str, str]) -> str:
    return environment().get_template(fragment.template).render(view=fragment.view, ui=ui, share=charts.share)


def test_the_tables_cover_exactly_the_union() -> None:
    assert set(FEEDBACK) == set(REPORT) == set(ACTIVITY_CLASSES)
    assert set(ANSWERS) == set(ACTIVITY_CLASSES)


def test_the_pages_dispatch_through_the_tables_not_type_strings() -> None:
    for name in ("feedback.py", "report.py", "activities.py"):
        source = (GRADING / name).read_text(encoding="utf-8")
        assert not re.search(r"\.type\s*==|==\s*\"(choice|verdict|red_flags|branching)\"", source), name


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_activity_renders_answered_and_not(lang: str) -> None:
    ui = translator(lang).ui()
    ctx = Context(ui, lang)
    seen_types = set()
    for lesson_id, activity in every_activity(lang):
        kind = type(activity)
        seen_types.add(kind)
        answered = ANSWERS[kind](activity)
        for answers in ({}, answered):
            page = show(FEEDBACK[kind](activity, answers, ctx), ui)
            assert STRAY not in page, (lesson_id, activity.id)
        report = REPORT[kind](activity, [answered, {}, answered], ctx)
        assert isinstance(report, ActivityReport)
        assert report.answered == 2, (lesson_id, activity.id)
        assert all(sum(r.count for r in g.rows) >= 0 for g in report.groups)
        assert report.wrong == sorted(report.wrong, key=lambda w: (-w.count, w.key))
        assert all(w.count > 0 and w.label for w in report.wrong)
        html = show(report.distribution, ui)
        assert STRAY not in html and "<script" not in html
        assert html.count("<tr>") >= sum(len(g.rows) for g in report.groups if g.rows and kind is not RatingActivity)
    assert seen_types == set(ACTIVITY_CLASSES)  # the bundled curriculum uses every type


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_passphrase_feedback_and_report(lang: str) -> None:
    ui = translator(lang).ui()
    ctx = Context(ui, lang)
    lab = translator(lang).lesson("account-security-passphrases").activity("passphrase-lab")
    weak = {"_": attempt({"reached": False, "score": 1, "text": STRAY})}
    fragment = FEEDBACK[PassphraseLabActivity](lab, weak, ctx)
    assert STRAY not in repr(fragment.view)  # not even in the data handed to the template
    page = html.unescape(show(fragment, ui))
    assert ui["fb_pass_strength"].format(level=ui["strength_1"]) in page
    assert ui["pass_goal"].format(level=ui["strength_3"]) in page
    assert ui["fb_pass_private"] in page and lab.explanation in page
    assert all(tip in page for tip in lab.tips)
    strong = {"_": attempt({"reached": True, "score": 4})}
    report = REPORT[PassphraseLabActivity](lab, [weak, weak, strong], ctx)
    assert [(r.key, r.count, r.right) for r in report.groups[0].rows] == [
        ("0", 0, False), ("1", 2, False), ("2", 0, False), ("3", 0, True), ("4", 1, True)
    ]  # fmt: skip
    most = report.most_common
    assert most is not None and most.count == 2 and most.explanation == lab.explanation
    assert most.label == ui["rp_pass_below"].format(level=ui["strength_1"], goal=ui["strength_3"])


def test_a_record_with_only_reached_still_reports() -> None:
    ui = translator("en").ui()
    lab = translator("en").lesson("account-security-passphrases").activity("passphrase-lab")
    missed = {"_": attempt({"reached": False})}
    report = REPORT[PassphraseLabActivity](lab, [missed], Context(ui, "en"))
    assert report.groups[0].rows[-1].answer == ui["rp_strength_unknown"]
    assert report.most_common is not None and report.most_common.key == "below:unknown"
    page = show(FEEDBACK[PassphraseLabActivity](lab, missed, Context(ui, "en")), ui)
    assert "Not strong enough yet" in page


def test_forged_values_do_not_break_a_page() -> None:
    """A hand-edited record (lists where text belongs, unknown ids) scores nothing and shows as is."""
    ui = translator("en").ui()
    ctx = Context(ui, "en")
    for _, activity in every_activity("en"):
        junk = {part: attempt({"verdict": ["x"], "selected": "nope", "rating": "7", "settings": [1],
                               "path": ["nowhere"], "domain": 5, "genuine": "yes", "score": True})
                for part in parts(activity)}  # fmt: skip
        show(FEEDBACK[type(activity)](activity, junk, ctx), ui)
        show(REPORT[type(activity)](activity, [junk], ctx).distribution, ui)


def test_templates_escape_and_refuse_unknown_names() -> None:
    env = environment()
    assert env.undefined is StrictUndefined and env.autoescape("feedback.html.j2")
    activity = ChoiceActivity(
        type="choice", id="q", prompt="Which?", correct=["a"],
        options=[{"id": "a", "text": "<b>bold</b>", "feedback": "<script>alert(1)</script>"},
                 {"id": "b", "text": "B", "feedback": "no"}],
    )  # fmt: skip
    ui = translator("en").ui()
    page = show(FEEDBACK[ChoiceActivity](activity, {"_": attempt({"selected": ["a"]})}, Context(ui, "en")), ui)
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>" not in page
    with pytest.raises(UndefinedError):
        render("feedback/choice.html.j2", view={"chosen": [], "missing": [], "explanation": "why"}, ui={})


def test_templates_load_nothing_from_outside() -> None:
    for path in TEMPLATES.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"https?://|<script|<link|@import|url\(", text), path
    base = (TEMPLATES / "base.html.j2").read_text(encoding="utf-8")
    assert "default-src 'none'; style-src 'unsafe-inline'; img-src data:" in base


def test_charts() -> None:
    ui = translator("vi").ui()
    histogram = str(charts.histogram([5.0, 55.0, 55.0, 100.0], ui))
    assert histogram.count('class="bar"') == 10 and 'id="chart-distribution"' in histogram
    assert "<title>50–60%: 2</title>" in histogram and "<title>90–100%: 1</title>" in histogram
    assert ui["rp_distribution"] in histogram
    bars = str(
        charts.activities([("Bài <một>", [("Một <hoạt động>", 75.0), ("Hai", 20.5)]), ("Bài hai", [])], ui, "vi")
    )
    assert bars.count('class="bar"') == 2 and "Một &lt;hoạt động&gt;: 75%" in bars and "Hai: 20,5%" in bars
    assert bars.count('class="lesson"') == 2 and "Bài &lt;một&gt;" in bars  # the bars grouped by lesson
    assert 'fill="#1b7a3d"' in bars and 'fill="#b42318"' in bars
    gains = str(
        charts.gains(
            [charts.GainBar("pre", "pre", "Trước", 0.5, "50.0", "0.00", None),
             charts.GainBar("post", "post", "Sau", 0.75, "75.0", "1.35", "+25.0")],
            ui,
        )
    )  # fmt: skip
    assert 'data-form="post" data-accuracy="75.0" data-dprime="1.35"' in gains and "75.0% (+25.0)" in gains
    assert 'width="50.0"' in str(charts.share(1, 2)) and 'width="0.0"' in str(charts.share(0, 0))


def test_the_sender_is_named_once() -> None:
    """An SMS that starts with its sender's name is not quoted as "ShopNhanh: ShopNhanh: …"."""
    assert with_sender("ShopNhanh", "ShopNhanh: Your order ships") == "ShopNhanh: Your order ships"
    assert with_sender("ShopNhanh CSKH", "ShopNhanh: Order failed") == "ShopNhanh: Order failed"
    assert with_sender("Minh", "Hi, it's me") == "Minh: Hi, it's me"
    assert with_sender(None, "Hello") == "Hello" and with_sender("Bố", "") == "Bố"
    ui = translator("vi").ui()
    ctx = Context(ui, "vi")
    for lang in ("en", "vi"):
        for _, activity in every_activity(lang):
            if isinstance(activity, VerdictActivity):
                report = REPORT[VerdictActivity](activity, [{}], ctx)
                for group in report.groups:
                    head = group.title.split(":", 1)[0]
                    assert not group.title.startswith(f"{head}: {head}:"), group.title


def test_red_flags_not_done_gives_no_verdict_per_part() -> None:
    ui = translator("vi").ui("8-10")
    activity = translator("vi").lesson("scams-too-good-to-be-true").activity("gems-red-flags")
    page = html.unescape(show(FEEDBACK[RedFlagsActivity](activity, {}, Context(ui, "vi")), ui))
    for key in ("flag_hit", "flag_missed", "flag_false_alarm", "flag_ok"):
        assert ui[key] not in page, key
    assert all(part.explanation in page for part in activity.parts)
