"""An assignment's units: a lesson, or an assessment form graded as one verdict set.

Light on purpose: a graded cell in a student's kernel resolves its unit here, without
importing nbgrader or the course machinery.
"""

from __future__ import annotations

from dataclasses import dataclass

from netwise.content import Curriculum
from netwise.content.assessment import Form, form, items_of, parse_ref
from netwise.content.model import Activity, Assessment, VerdictActivity, VerdictItem
from netwise.i18n import Translator


@dataclass
class Unit:
    """One entry of an assignment: a lesson, or an assessment form shown as one verdict set.

    A form is graded, fed back and reported through the same paths as a lesson with a
    single verdict activity whose points are its item count: the score is the number of
    items judged right (unanswered = wrong), i.e. accuracy times the item count.
    """

    entry: str
    record_id: str
    title: str
    activities: list[Activity]
    form: Form | None = None  # set for a form
    notebook_stem: str | None = None  # None: the lesson's builder name


def form_activity(assessment: Assessment, chosen: Form) -> VerdictActivity:
    items = items_of(assessment, chosen)
    return VerdictActivity(
        type="verdict",
        id=chosen.form_id,
        title=assessment.title,
        prompt=assessment.prompt,
        points=len(items),
        attempts=1,
        scale=assessment.scale,
        labels=assessment.labels,
        items=[
            VerdictItem(id=i.id, artifact=i.artifact, answer=i.answer, cues=i.cues, explanation=i.explanation)
            for i in items
        ],
    )


def unit(curriculum: Curriculum, entry: str, translator: Translator | None = None) -> Unit:
    """Resolve an assignment entry (``scams-real-or-scam`` or ``scams:pre``), translated if asked."""
    ref = parse_ref(entry)
    if ref is None:
        lesson = translator.lesson(entry) if translator is not None else curriculum.lesson(entry)
        return Unit(entry, entry, lesson.title, list(lesson.activities))
    module_id, form_id = ref
    chosen = form(curriculum, module_id, form_id)  # raises UnknownContentError
    assessment = translator.assessment(module_id) if translator is not None else curriculum.assessments[module_id]
    return Unit(
        entry, chosen.record_id, assessment.title, [form_activity(assessment, chosen)], chosen, chosen.notebook_stem
    )
