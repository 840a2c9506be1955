"""Assessment forms of a module (pre, post, boosters): names, notebooks and answer keys.

One place decides how a form is called everywhere: its id in ``list --json`` and its
answer record (``scams-pre`` -> ``scams-pre.answers.json``), its notebook beside the
module's lessons (``00-check-before`` sorts before ``01-…``, ``90-check-after`` after the
last lesson, then ``91-booster-2w``, ``92-booster-6w``: every notebook name starts with a
number, as tools and learners expect), and its entry in a course's assignments
(``scams:pre``: a colon never occurs in a lesson id, so the two cannot be confused).

Every item carries an age band, the youngest class it suits. The forms written in the bank
are for the oldest band among its items; a younger class gets the same forms without the
items of older bands, named with the band (``pre-8-10``, notebook ``00-check-before-8-10``),
so that sextortion items never reach an 8-year-old. ``netwise check`` keeps those forms
matched too (size, difficulty mix, balance).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netwise.content.loader import Curriculum
from netwise.content.model import AGE_BANDS, SCALE_ANSWERS, SIGNAL_ANSWER, Assessment, AssessmentItem
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
    base_id: str = ""  # the form as written in the bank ("pre"); form_id adds the band for a younger class
    age_band: str = ""  # the youngest class band this form is for
    band_suffix: str = ""  # "-8-10" for a younger class's form, "" for the forms as written

    @property
    def record_id(self) -> str:
        """Id of the form in listings and its answer record: ``<module>-<form>``."""
        return f"{self.module_id}-{self.form_id}"

    @property
    def notebook_stem(self) -> str:
        if self.kind == "pre":
            return PRE_NOTEBOOK + self.band_suffix
        if self.kind == "post":
            return POST_NOTEBOOK + self.band_suffix
        base = self.base_id or self.form_id
        name = base if base.startswith("booster") else f"booster-{base}"
        return f"{FIRST_BOOSTER + self.booster_index:02d}-{name}{self.band_suffix}"

    @property
    def ref(self) -> str:
        """How a course's assignment names this form (never a valid lesson id)."""
        return f"{self.module_id}{REF_SEPARATOR}{self.form_id}"


def band_rank(band: str) -> int:
    return AGE_BANDS.index(band)


def oldest_band(assessment: Assessment) -> str:
    """The oldest age band among a bank's items: the forms as written are for that class."""
    return max((item.age_band for item in assessment.items), key=band_rank)


def younger_bands(assessment: Assessment) -> list[str]:
    """Item bands below the oldest, youngest first: each gets forms of its own."""
    oldest = band_rank(oldest_band(assessment))
    return sorted({i.age_band for i in assessment.items if band_rank(i.age_band) < oldest}, key=band_rank)


def _band_forms(module_id: str, assessment: Assessment, band: str | None) -> list[Form]:
    """The forms for a class of ``band`` (None: the forms as written, for the oldest band)."""
    suffix = f"-{band}" if band is not None else ""
    limit = band_rank(band) if band is not None else len(AGE_BANDS)
    answers = {item.id: item.answer for item in assessment.items if band_rank(item.age_band) <= limit}
    youngest = band or oldest_band(assessment)

    def make(base: str, kind: Kind, ids: list[str], weeks: int | None = None, index: int = 0) -> Form:
        known = [i for i in ids if i in answers]
        signal = sum(1 for i in known if is_signal(answers[i]))
        chosen = tuple(known) if band is not None else tuple(ids)
        return Form(
            module_id, base + suffix, kind, chosen, signal, len(known) - signal, weeks, index, base, youngest, suffix
        )

    out = [make("pre", "pre", assessment.forms.pre), make("post", "post", assessment.forms.post)]
    boosters = sorted(assessment.forms.boosters, key=lambda b: b.weeks)
    out += [make(b.id, "booster", b.items, b.weeks, i) for i, b in enumerate(boosters)]
    return out


def forms(curriculum: Curriculum, module_id: str, age_band: str | None = None) -> list[Form]:
    """The module's forms in teaching order: pre, post, then boosters by week; [] without an item bank.

    Without ``age_band``: the forms as written (every item). With it: the forms a class of that
    band takes, holding no item of an older band ([] if the bank has no item young enough).
    """
    assessment = curriculum.assessments.get(module_id)
    if assessment is None:
        return []
    if age_band is None or band_rank(age_band) >= band_rank(oldest_band(assessment)):
        return _band_forms(module_id, assessment, None)
    fitting = [b for b in younger_bands(assessment) if band_rank(b) <= band_rank(age_band)]
    return _band_forms(module_id, assessment, fitting[-1]) if fitting else []


def all_forms(curriculum: Curriculum, module_id: str) -> list[Form]:
    """The forms as written, then those of every younger band: what ``netwise build`` writes."""
    assessment = curriculum.assessments.get(module_id)
    if assessment is None:
        return []
    out = _band_forms(module_id, assessment, None)
    for band in younger_bands(assessment):
        out += _band_forms(module_id, assessment, band)
    return out


def form(curriculum: Curriculum, module_id: str, form_id: str) -> Form:
    for candidate in all_forms(curriculum, module_id):
        if candidate.form_id == form_id:
            return candidate
    known = ", ".join(f.form_id for f in all_forms(curriculum, module_id)) or "none"
    raise UnknownContentError(f"module '{module_id}' has no assessment form '{form_id}' (forms: {known})")


def pre_form(curriculum: Curriculum, chosen: Form) -> Form:
    """The pre form that a post or booster form is compared with: the same class band's."""
    return form(curriculum, chosen.module_id, "pre" + chosen.band_suffix)


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
