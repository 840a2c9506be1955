"""Assessment forms of a module (pre, post, boosters): names, notebooks and answer keys.

One place decides how a form is called everywhere: its id in ``list --json`` and its
answer record (``scams-pre`` -> ``scams-pre.answers.json``), its notebook beside the
module's lessons (``00-check-before`` sorts before ``01-…``, ``90-check-after`` after the
last lesson, then ``91-booster-2w``, ``92-booster-6w``: every notebook name starts with a
number, as tools and learners expect), and its entry in a course's assignments
(``scams:pre``: a colon never occurs in a lesson id, so the two cannot be confused).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netwise.content.loader import Curriculum
from netwise.content.model import SCALE_ANSWERS, SIGNAL_ANSWER, Assessment, AssessmentItem
from netwise.errors import UnknownContentError

Kind = Literal["pre", "post", "booster"]
PRE_NOTEBOOK = "00-check-before"
POST_NOTEBOOK = "90-check-after"
FIRST_BOOSTER = 91  # boosters follow the post check in week order: 91-…, 92-…
REF_SEPARATOR = ":"

SIGNAL_ANSWERS = tuple(SIGNAL_ANSWER.values())  # the thing to detect, per scale
NOISE_ANSWERS = tuple(a for pair in SCALE_ANSWERS.values() for a in pair if a not in SIGNAL_ANSWERS)


def is_signal(answer: str) -> bool:
    """True for "scam" and "false" (what the learner should detect)."""
    return answer in SIGNAL_ANSWERS


@dataclass(frozen=True)
class Form:
    module_id: str
    form_id: str  # "pre", "post" or a booster id such as "booster-2w"
    kind: Kind
    items: tuple[str, ...]
    signal_items: int  # scam / false
    noise_items: int  # legit / true
    weeks: int | None = None
    booster_index: int = 0  # 0 for the first booster (by weeks), 1 for the next …

    @property
    def record_id(self) -> str:
        """Id of the form in listings and its answer record: ``<module>-<form>``."""
        return f"{self.module_id}-{self.form_id}"

    @property
    def notebook_stem(self) -> str:
        if self.kind == "pre":
            return PRE_NOTEBOOK
        if self.kind == "post":
            return POST_NOTEBOOK
        name = self.form_id if self.form_id.startswith("booster") else f"booster-{self.form_id}"
        return f"{FIRST_BOOSTER + self.booster_index:02d}-{name}"

    @property
    def ref(self) -> str:
        """How a course's assignment names this form (never a valid lesson id)."""
        return f"{self.module_id}{REF_SEPARATOR}{self.form_id}"


def forms(curriculum: Curriculum, module_id: str) -> list[Form]:
    """The module's forms in teaching order: pre, post, then boosters by week; [] without an item bank."""
    assessment = curriculum.assessments.get(module_id)
    if assessment is None:
        return []
    answers = {item.id: item.answer for item in assessment.items}

    def make(form_id: str, kind: Kind, ids: list[str], weeks: int | None = None, index: int = 0) -> Form:
        known = [i for i in ids if i in answers]
        signal = sum(1 for i in known if is_signal(answers[i]))
        return Form(module_id, form_id, kind, tuple(ids), signal, len(known) - signal, weeks, index)

    out = [make("pre", "pre", assessment.forms.pre), make("post", "post", assessment.forms.post)]
    boosters = sorted(assessment.forms.boosters, key=lambda b: b.weeks)
    out += [make(b.id, "booster", b.items, b.weeks, i) for i, b in enumerate(boosters)]
    return out


def form(curriculum: Curriculum, module_id: str, form_id: str) -> Form:
    for candidate in forms(curriculum, module_id):
        if candidate.form_id == form_id:
            return candidate
    known = ", ".join(f.form_id for f in forms(curriculum, module_id)) or "none"
    raise UnknownContentError(f"module '{module_id}' has no assessment form '{form_id}' (forms: {known})")


def parse_ref(entry: str) -> tuple[str, str] | None:
    """``"scams:pre"`` -> ("scams", "pre"); a lesson id -> None."""
    if REF_SEPARATOR not in entry:
        return None
    module_id, form_id = entry.split(REF_SEPARATOR, 1)
    return module_id, form_id


def answer_key(assessment: Assessment, form: Form) -> dict[str, str]:
    """Item id -> right answer, in the form's order."""
    answers = {item.id: item.answer for item in assessment.items}
    return {item_id: answers[item_id] for item_id in form.items if item_id in answers}


def items_of(assessment: Assessment, form: Form) -> list[AssessmentItem]:
    by_id = {item.id: item for item in assessment.items}
    return [by_id[item_id] for item_id in form.items if item_id in by_id]
