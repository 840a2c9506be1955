"""The notebook API: ``Lesson(...)`` shows a header; ``lesson.show(id)`` an activity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.core import UnknownLocaleError
from babel.numbers import format_decimal

from netwise.content import load_curriculum, module_of_lesson
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
from netwise.errors import UnknownContentError
from netwise.i18n import Translator, language_name
from netwise.paths import default_curriculum
from netwise.scoring import activity_score
from netwise.scoring import parts as answer_parts
from netwise.scoring.record import AnswerRecord

from . import page_mode
from .base import ActivityWidget, NetwiseWidget
from .branching import BranchingWidget
from .choice import ChoiceWidget
from .link_inspector import LinkInspectorWidget
from .passphrase import PassphraseWidget
from .privacy import PrivacySettingsWidget
from .rating import RatingWidget
from .red_flags import RedFlagsWidget
from .verdict import VerdictWidget

# The widgets' table of activity types, by model class (the ipywidgets way: a registry).
WIDGETS: dict[type[ActivityBase], type[ActivityWidget]] = {
    ChoiceActivity: ChoiceWidget,
    VerdictActivity: VerdictWidget,
    RedFlagsActivity: RedFlagsWidget,
    BranchingActivity: BranchingWidget,
    PassphraseLabActivity: PassphraseWidget,
    PrivacySettingsActivity: PrivacySettingsWidget,
    LinkInspectorActivity: LinkInspectorWidget,
    RatingActivity: RatingWidget,
}


class LessonHeader(NetwiseWidget):
    """Lesson title, live progress and any warning about the answer record."""


class LessonSummary(NetwiseWidget):
    """The end-of-lesson summary: which activities are answered, kept up to date live."""


def points(value: float, lang: str) -> str:
    """Points as the teacher's report writes them (1, 0.5, 2.25; 0,5 in Vietnamese), so the
    summary's score reads the same as the grade (grading.html.points; widgets may not import grading)."""
    try:
        return format_decimal(value, format="0.##", locale=lang)
    except (UnknownLocaleError, ValueError):  # a language Babel does not know
        return format_decimal(value, format="0.##", locale="en")


class Lesson:
    """One lesson in one language, with its answer record beside the notebook.

    ``region`` is the region profile whose help lines and local colour (bank, money, phone
    numbers, schools, apps) the lesson shows; by default the language's usual one.
    """

    def __init__(
        self, lesson_id: str, lang: str = "en", curriculum: str | Path | None = None, region: str | None = None
    ) -> None:
        root = Path(curriculum if curriculum is not None else default_curriculum())
        self.curriculum = load_curriculum(root, module_of_lesson(root, lesson_id))
        self.translator = Translator(self.curriculum, lang, region)
        self.region = self.translator.region_id
        self.lesson = self.translator.lesson(lesson_id)  # raises UnknownContentError
        self.lesson_id = lesson_id
        self.lang = lang
        # The learner's strings in the wording of the lesson's age band (Vietnamese "em" for 8-10).
        self.ui: dict[str, str] = self.translator.ui(self.lesson.age_band)
        self.record = AnswerRecord.open(lesson_id, lang, region=self.region)
        self._widgets: dict[str, ActivityWidget] = {}
        warning = None
        if self.record.set_aside is not None:
            warning = self.ui["record_reset"].format(name=self.record.set_aside.name)
        if self.translator.missing:
            # Never show English inside another language's lesson without saying so.
            untranslated = self.ui["untranslated"].format(language=language_name(lang))
            warning = f"{warning} {untranslated}" if warning else untranslated
        self.header = LessonHeader()
        self.header.ui = dict(self.ui)
        self.header.spec = {
            "type": "header",
            "lesson": lesson_id,
            "lang": lang,
            "region": self.region,
            "title": self.lesson.title,
            # On the lesson app's page the notebook's own heading is the lesson's one title.
            "page_heading": page_mode.lean(),
        }
        self._warning = warning
        self._summary: LessonSummary | None = None
        self._update_progress()

    @property
    def activity_ids(self) -> list[str]:
        return [a.id for a in self.lesson.activities]

    def show(self, activity_id: str) -> ActivityWidget:
        """The widget for one activity; the same object each time, so views stay in step."""
        if activity_id not in self._widgets:
            activity = self.lesson.activity(activity_id)
            if activity is None:
                raise UnknownContentError(
                    f"lesson '{self.lesson_id}' has no activity '{activity_id}' "
                    f"(its activities: {', '.join(self.activity_ids) or 'none'})"
                )
            self._widgets[activity_id] = WIDGETS[type(activity)](
                activity,
                lesson_id=self.lesson_id,
                record=self.record,
                ui=self.ui,
                lang=self.lang,
                on_answer=self._update_progress,
            )
        return self._widgets[activity_id]

    def summary(self) -> LessonSummary:
        """A summary to show at the end of the lesson (the lesson app adds it); one shared object."""
        if self._summary is None:
            self._summary = LessonSummary()
            self._summary.ui = dict(self.ui)
            self._summary.spec = {"type": "summary", "lesson": self.lesson_id, "lang": self.lang}
            self._update_progress()
        return self._summary

    def _is_answered(self, activity: Any) -> bool:
        # Item sets (verdict, link_inspector, rating) count once every item is answered.
        return all(self.record.attempts(activity.id, p) for p in answer_parts(activity))

    def answered(self) -> int:
        """Activities with an answer for every part (every item of a verdict set)."""
        return sum(self._is_answered(activity) for activity in self.lesson.activities)

    def score(self) -> tuple[float, float]:
        """(points, maximum) as the teacher's grading counts them: the first attempt of each part."""
        activities = self.lesson.activities
        got = sum(activity_score(a, self.record.answers(a.id)).score for a in activities)
        return round(got, 2), round(sum(a.points for a in activities), 2)

    def _update_progress(self) -> None:
        done, total = self.answered(), len(self.lesson.activities)
        error = None
        if self.record.error:
            error = self.ui["record_unwritable"].format(reason=self.record.error)
        self.header.state = {
            "done": done,
            "total": total,
            "progress": self.ui["progress"].format(done=done, total=total),
            "warning": self._warning,
            "error": error,
        }
        if self._summary is not None:
            got, most = self.score()
            self._summary.state = {
                "done": done,
                "total": total,
                "text": self.ui["lesson_summary"].format(done=done, total=total),
                # issue 13: the score the teacher will see, so the end of a lesson is not a mystery.
                "score": self.ui["fb_total"].format(score=points(got, self.lang), max=points(most, self.lang)),
                "finished": done == total,
                "in_memory": self.record.path is None,
                "items": [
                    {"id": a.id, "title": a.title or self.ui["activity_heading"], "answered": self._is_answered(a)}
                    for a in self.lesson.activities
                ],
            }

    @property
    def progress_text(self) -> str:
        return str(self.header.state["progress"])

    @property
    def warning_text(self) -> str | None:
        return self._warning

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.header._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"Lesson({self.lesson_id!r}, lang={self.lang!r}, region={self.region!r})"
