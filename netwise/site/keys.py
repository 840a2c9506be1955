"""What the browser engine of a static lesson page needs to score, as JSON (issue 17).

A static page has no kernel: widgets/js/src/site/engine.js computes every activity's state
from the answer record, as the Python widgets do. It gets the activity model as the widget
sees it (translated), plus what Python computes with libraries the page should not carry:
a link's registrable domain from the Public Suffix List and the IDNA forms of its labels,
the estimator's feedback table and Babel's duration words for the passphrase lab, the
language's decimal sign for ratings and points, and the verdict scales of the content model
(``scales``), so the engine keeps no copy of a Python table. The answer keys are in the page by nature:
static pages are for self-study (graded classes keep them on the teacher's machine).

``widget_payload(widget)`` is what an exported page embeds for one widget.
"""

from __future__ import annotations

from typing import Any

from babel.core import Locale, UnknownLocaleError
from babel.dates import TIMEDELTA_UNITS
from babel.numbers import get_decimal_symbol

from netwise.content import links
from netwise.content.model import (
    SCALE_ANSWERS,
    SIGNAL_ANSWER,
    ActivityBase,
    LinkInspectorActivity,
    PassphraseLabActivity,
    RatingActivity,
    VerdictActivity,
)
from netwise.widgets import ActivityWidget, AssessmentWidget, Lesson, LessonHeader, LessonSummary
from netwise.widgets.passphrase import ESTIMATOR_TEXT, LOCAL_WORDS, MAX_LENGTH

# Durations the lab can show: below a century, so at most 100 of the largest unit.
_LARGEST_COUNT = 100


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):  # a language Babel does not know: English, as the widgets do
        return Locale.parse("en")


def decimal_symbol(lang: str) -> str:
    return str(get_decimal_symbol(_locale(lang)))


def durations(lang: str) -> dict[str, Any]:
    """Babel's long duration patterns ("{0} hours") and the plural form of every count the lab may show."""
    locale = _locale(lang)
    patterns = locale._data["unit_patterns"]  # what babel.dates.format_timedelta reads
    units = []
    for unit, seconds in TIMEDELTA_UNITS:
        long = patterns.get(f"duration-{unit}", {}).get("long") or {}
        units.append(
            [
                unit,
                seconds,
                {form: long[form] for form in ("zero", "one", "two", "few", "many", "other") if form in long},
            ]
        )
    plural = {str(n): locale.plural_form(n) for n in range(_LARGEST_COUNT + 1)}
    return {"units": units, "plural": {n: form for n, form in plural.items() if form != "other"}}


def scales() -> dict[str, Any]:
    """The verdict scales (netwise.content.model): each scale's two answers in their order, and the
    answer to detect. Verdict activities check answers with them, check forms also count with them."""
    return {"answers": {scale: list(pair) for scale, pair in SCALE_ANSWERS.items()}, "signal": dict(SIGNAL_ANSWER)}


def _link(url: str) -> dict[str, Any]:
    """The answer key of one link, and its labels' IDNA forms as Python's idna library writes them."""
    link = links.inspect(url)
    ascii_of: dict[str, str] = {}
    unicode_of: dict[str, str] = {}
    for ascii_label, shown in zip(link.labels, link.shown, strict=True):
        if ascii_label != shown:
            ascii_of[shown] = ascii_label
            ascii_of[shown.lower()] = ascii_label
            unicode_of[ascii_label] = shown
    return {
        "domain": link.domain,
        "domain_shown": link.domain_shown,
        "lookalike": link.lookalike,
        "known": {"ascii": ascii_of, "unicode": unicode_of},
    }


def activity_data(activity: ActivityBase, lang: str = "en") -> dict[str, Any]:
    """The activity as JSON for the browser engine: the model plus its computed key data."""
    data: dict[str, Any] = activity.model_dump(mode="json")
    if isinstance(activity, LinkInspectorActivity):
        for item, out in zip(activity.items, data["items"], strict=True):
            out["link"] = _link(item.url)
    elif isinstance(activity, PassphraseLabActivity):
        data["_site"] = {
            "estimator_text": dict(ESTIMATOR_TEXT),
            "local_words": list(LOCAL_WORDS),
            "max_length": MAX_LENGTH,
            "durations": durations(lang),
        }
    elif isinstance(activity, RatingActivity):
        data["_site"] = {"decimal": decimal_symbol(lang)}
    elif isinstance(activity, VerdictActivity):
        data["_site"] = {"scales": scales()}
    return data


def lesson_data(lesson: Lesson) -> dict[str, Any]:
    """Everything the lesson header and end-of-lesson summary compute from (engine.js createSummary)."""
    summary = lesson.summary()
    return {
        "id": lesson.lesson_id,
        "activities": [activity_data(a, lesson.lang) for a in lesson.lesson.activities],
        "_site": {"decimal": decimal_symbol(lesson.lang), "score": "score" in summary.state},
    }


def check_data(widget: AssessmentWidget) -> dict[str, Any]:
    """A before/after check's form and key (engine.js createCheck)."""
    return {
        "module": widget.form.module_id,
        "form_id": widget.form.form_id,
        "record_id": widget.form.record_id,
        "kind": widget.form.kind,
        "scale": widget.assessment.scale,
        "scales": scales(),
        "items": [
            {"id": i.id, "answer": i.answer, "cues": list(i.cues), "explanation": i.explanation} for i in widget.items
        ],
    }


def widget_payload(widget: Any, lesson: Lesson | None = None) -> dict[str, Any]:
    """What a page embeds for one widget: its spec, its full interface strings and the engine's data.

    A lesson's header and summary also need the lesson (``lesson``); without it the page's
    engine counts the activities it was given (createSummary's ``activities``).
    """
    out: dict[str, Any] = {"spec": dict(widget.spec), "ui": dict(widget.ui)}
    if isinstance(widget, ActivityWidget):
        out["activity"] = activity_data(widget.activity, widget.lang)
    elif isinstance(widget, AssessmentWidget):
        out["check"] = check_data(widget)
    elif isinstance(widget, LessonHeader | LessonSummary):
        lang = str(widget.spec.get("lang", "en"))
        state = dict(widget.state)
        out["warning"] = state.get("warning")
        out["inMemory"] = bool(state.get("in_memory", True))
        out["site"] = {"decimal": decimal_symbol(lang), "score": "score" in state}
        if lesson is not None:
            out["lesson"] = lesson_data(lesson)
    else:
        raise TypeError(f"no static-page payload for {type(widget).__name__}")
    return out
