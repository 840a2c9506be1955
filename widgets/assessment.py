"""An assessment form (pre, post or booster check): judge every item, feedback only at the end.

During the check nothing says right or wrong — a test that teaches as it goes measures
its own teaching. Each answer is saved as it is given (the first answer counts, as in
graded lessons) to ``<module>-<form>.answers.json`` beside the notebook: choices and
times only. After the last item the learner sees a summary in their language ("you
spotted 5 of 8 scams and trusted 3 of 4 real messages") and every item explained.

Before/after on the post form and boosters: in JupyterLab the pre form's record lies
beside the notebook and is read from there. In the lesson app answers live only in the
kernel, and the pre and post pages are different kernels; so the page of a finished pre
form keeps its four counts (no answers) in the browser's ``sessionStorage``, and the post
page hands them to its own kernel (``{"action": "before"}``). Nothing goes to a server
file or to anyone else, and the counts vanish when the browser tab is closed.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from netwise.content import load_curriculum
from netwise.content.assessment import Form, answer_key, form, items_of, pre_form
from netwise.content.model import SCALE_ANSWERS, SIGNAL_ANSWER
from netwise.errors import RecordError, UnknownContentError
from netwise.i18n import Translator
from netwise.scoring import discernment
from netwise.scoring.record import AnswerRecord, CorruptRecord, read, record_name

from . import page_mode
from .artifact import artifact_spec
from .base import NetwiseWidget

_COUNT_KEYS = ("hits", "signal", "trusted", "noise")


def storage_key(module_id: str, band_suffix: str = "") -> str:
    """sessionStorage key under which a finished pre form keeps its counts (lesson app);
    a younger class's forms (``pre-8-10``) keep theirs apart."""
    return f"netwise:{module_id}:pre{band_suffix}"


class AssessmentWidget(NetwiseWidget):
    """Python API: ``judge(item_id, verdict)``; ``tell_before(counts)`` is what the page sends."""

    def __init__(
        self,
        module_id: str,
        form_id: str,
        lang: str = "en",
        curriculum: str | Path | None = None,
        directory: Path | None = None,
        region: str | None = None,
    ) -> None:
        super().__init__()
        self.curriculum = load_curriculum(curriculum, module_id)
        if module_id not in self.curriculum.assessments:
            raise UnknownContentError(f"module '{module_id}' has no assessment.yaml")
        translator = Translator(self.curriculum, lang, region)
        self.region = translator.region_id
        self.assessment = translator.assessment(module_id)
        self.form: Form = form(self.curriculum, module_id, form_id)
        self.items = items_of(self.assessment, self.form)
        self.key = answer_key(self.assessment, self.form)
        self.lang = lang
        self.ui = translator.ui(self.form.age_band)
        self.record = AnswerRecord.open(self.form.record_id, lang, directory)
        self._seq = 0
        self._announce = ""
        self._before: dict[str, int] | None = self._before_from_file()
        total = len(self.items)
        self.spec = {
            "type": "assessment",
            "lang": lang,
            "region": self.region,
            "module": module_id,
            "form": form_id,
            "kind": self.form.kind,
            "title": self.assessment.title,
            "prompt": self.assessment.prompt,
            "storage_key": storage_key(module_id, self.form.band_suffix),
            "choices": [{"value": v, "label": self._word(v)} for v in self._choices()],
            "items": [
                {
                    "id": item.id,
                    "label": self.ui["item_label"].format(number=n, total=total),
                    "artifact": artifact_spec(item.artifact, self.ui),
                }
                for n, item in enumerate(self.items, start=1)
            ],
            # On the lesson app's page the notebook text above already gives the form's title
            # and instruction: the widget does not repeat them (issue 13: say each thing once).
            "page_heading": page_mode.lean(),
        }
        if self.finished:  # reopened: say where the learner stands
            self._announce = self._end_text()
        self._refresh()
        self.on_msg(self._on_frontend_msg)

    # --- answers ------------------------------------------------------------------------

    def answers(self) -> dict[str, str | None]:
        """Item id -> first verdict given (None if not yet answered)."""
        first = discernment.first_answers(self.record.data["answers"], self.form.form_id)
        return {item.id: first.get(item.id) for item in self.items}

    @property
    def finished(self) -> bool:
        return all(v is not None for v in self.answers().values())

    def score(self) -> discernment.FormScore:
        return discernment.score_form(self.key, self.answers())

    def _before_from_file(self) -> dict[str, int] | None:
        """The pre form's counts from its record beside this one (JupyterLab, classes)."""
        if self.form.kind == "pre" or self.record.path is None:
            return None
        pre = pre_form(self.curriculum, self.form)
        path = self.record.path.with_name(record_name(pre.record_id))
        try:
            data = read(path, pre.record_id)
        except (OSError, CorruptRecord, UnicodeDecodeError):
            return None  # no pre check taken here: no before/after, and no fuss about it
        given = discernment.first_answers(data["answers"], pre.form_id)
        if not any(given.values()):
            return None
        return discernment.score_form(answer_key(self.assessment, pre), given).counts()

    # --- messages -----------------------------------------------------------------------

    def judge(self, item_id: str, verdict: str) -> None:
        self.handle({"action": "judge", "item": item_id, "verdict": verdict})

    def tell_before(self, counts: dict[str, Any]) -> None:
        self.handle({"action": "before", "counts": counts})

    def handle(self, message: dict[str, Any]) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("action"), str):
            raise ValueError(f"not a NetWise widget message: {message!r}")
        action = message["action"]
        if action == "judge":
            self._judge(message)
        elif action == "before":
            self._take_before(message.get("counts"))
        else:
            raise ValueError(f"unknown action {action!r} for an assessment form")
        self._refresh()

    def _on_frontend_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        # A malformed message from the page must never raise inside the kernel's comm loop.
        try:
            self.handle(content)
        except ValueError as exc:
            self.log.warning("NetWise assessment ignored a message: %s", exc)

    def _judge(self, message: dict[str, Any]) -> None:
        item_id, verdict = message.get("item"), message.get("verdict")
        if not isinstance(item_id, str) or item_id not in self.key:  # a list would raise TypeError
            raise ValueError(f"no item {item_id!r} in form '{self.form.record_id}'")
        if verdict not in self._choices():
            raise ValueError(f"verdict must be one of {self._choices()}, got {verdict!r}")
        if self.answers()[item_id] is not None:
            return  # the first answer counts; the page shows the item as answered
        # A failed write keeps the answer in memory and sets record.error (shown below).
        with contextlib.suppress(RecordError):
            self.record.add(self.form.form_id, item_id, {"verdict": verdict})
        done = sum(v is not None for v in self.answers().values())
        self._say(self._end_text() if self.finished else self.ui["as_saved"].format(done=done, total=len(self.items)))

    def _take_before(self, counts: Any) -> None:
        """Counts kept by the browser from this learner's pre form (lesson app); checked, never stored."""
        if self.form.kind == "pre" or self._before is not None and self.record.path is not None:
            return  # a record beside the notebook is the better source
        ok = isinstance(counts, dict) and all(
            isinstance(counts.get(k), int) and not isinstance(counts.get(k), bool) and 0 <= counts[k] <= 1000
            for k in _COUNT_KEYS
        )
        if not ok or counts["hits"] > counts["signal"] or counts["trusted"] > counts["noise"]:
            raise ValueError(f"not a pre-form summary: {counts!r}")
        self._before = {k: int(counts[k]) for k in _COUNT_KEYS}
        if self.finished:
            self._say(self._end_text())

    # --- text ---------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self._announce = text
        self._seq += 1

    def _choices(self) -> list[str]:
        """The scale's answers, the thing to detect first (a test asks "scam?" before "legit?")."""
        return sorted(SCALE_ANSWERS[self.assessment.scale], key=lambda a: a != SIGNAL_ANSWER[self.assessment.scale])

    def _word(self, answer: str) -> str:
        """The answer as the learner sees it: the bank's label, else the scale's usual word."""
        labels = self.assessment.labels
        return (labels.for_answer(answer) if labels is not None else None) or self.ui[answer]

    def _scale_word(self) -> str:
        return SIGNAL_ANSWER[self.assessment.scale]

    def summary_text(self) -> str | None:
        if not self.finished:
            return None
        return self.ui[f"as_summary_{self._scale_word()}"].format(**self.score().counts())

    def before_after_text(self) -> str | None:
        if not self.finished or self._before is None or self.form.kind == "pre":
            return None
        before = {f"before_{k}": v for k, v in self._before.items()}
        return self.ui[f"as_before_after_{self._scale_word()}"].format(**before, **self.score().counts())

    def _end_text(self) -> str:
        return " ".join(t for t in (self.summary_text(), self.before_after_text()) if t)

    def _review(self) -> list[dict[str, Any]]:
        answers = self.answers()
        out = []
        for n, item in enumerate(self.items, start=1):
            given = answers[item.id]
            out.append(
                {
                    "id": item.id,
                    "label": self.ui["item_label"].format(number=n, total=len(self.items)),
                    "correct": given == item.answer,
                    "you_said": self.ui["you_said"].format(answer=self._word(given))
                    if given
                    else self.ui["as_not_answered"],
                    "answer": self.ui["verdict_is"].format(answer=self._word(item.answer)),
                    "cues": list(item.cues),
                    "explanation": item.explanation,
                }
            )
        return out

    def _refresh(self) -> None:
        answers = self.answers()
        done = sum(v is not None for v in answers.values())
        finished = done == len(self.items)
        warning = None
        if self.record.set_aside is not None:
            warning = self.ui["record_reset"].format(name=self.record.set_aside.name)
        error = self.ui["record_unwritable"].format(reason=self.record.error) if self.record.error else None
        self.state = {
            # No right/wrong here until the end: only which button was pressed.
            "items": [{"id": i, "verdict": v, "locked": v is not None} for i, v in answers.items()],
            "progress": self.ui["as_answered"].format(done=done, total=len(self.items)),
            "finished": finished,
            "summary": self.summary_text(),
            "before_after": self.before_after_text(),
            # Only a finished pre form hands its counts to the page (sessionStorage).
            "counts": self.score().counts() if finished and self.form.kind == "pre" else None,
            "review": self._review() if finished else [],
            "announce": self._announce,
            "seq": self._seq,
            "warning": warning,
            "error": error,
        }

    @property
    def feedback_text(self) -> str:
        """The live region's text: what a screen reader hears last."""
        return str(self.state.get("announce", ""))

    def __repr__(self) -> str:
        return f"AssessmentWidget({self.form.module_id!r}, {self.form.form_id!r}, lang={self.lang!r})"
