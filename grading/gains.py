"""The measured-learning report of one module: pre → post → booster, per student and class.

Numbers come from ``netwise.scoring.discernment`` applied to the students' answer records as
collected (``submitted/<student>/<module>-<form>/<module>-<form>.answers.json``), so the
report, a learner's own summary and the graded check all agree. A student without a
usable record for a form is *not measured* on it (blank), rather than scored 0: a check
not taken says nothing about what the student can tell apart. Inside a record an
unanswered item counts as wrong for accuracy (see netwise.scoring.discernment).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from netwise.content.assessment import Form, all_forms, answer_key, parse_ref, pre_form
from netwise.i18n import Translator
from netwise.scoring import discernment

from . import charts
from .course import Course
from .graded_cells import record_status
from .html import render, short


@dataclass
class StudentLearning:
    student: str
    name: str
    progress: discernment.LearnerProgress = field(default_factory=discernment.LearnerProgress)


@dataclass
class Learning:
    module_id: str
    forms: list[Form]  # the forms the course has assignments for, in teaching order
    assignments: dict[str, str]  # form id -> assignment name
    students: list[StudentLearning]
    items: dict[str, list[discernment.ItemStats]]  # form id -> item analysis
    # form id -> the pre form it is compared with: the same class band's ("post-8-10" -> "pre-8-10")
    base: dict[str, str] = field(default_factory=dict)

    def base_of(self, form_id: str) -> str:
        return self.base.get(form_id, "pre")

    def gains(self, student: StudentLearning, form_id: str) -> tuple[float | None, float | None]:
        return student.progress.gains(form_id, self.base_of(form_id))

    def class_mean(self, form_id: str, what: str) -> float | None:
        return discernment.mean(
            [getattr(s.progress, what)(form_id) for s in self.students if form_id in s.progress.scores]
        )

    def class_gain(self, form_id: str, what: str) -> float | None:
        """Mean of the students' own gains (students who took both forms)."""
        index = 0 if what == "accuracy" else 1
        base = self.base_of(form_id)
        return discernment.mean(
            [
                self.gains(s, form_id)[index]
                for s in self.students
                if form_id in s.progress.scores and base in s.progress.scores
            ]
        )


def modules_in(course: Course, assignment: str) -> list[str]:
    """Modules whose checks this assignment is (or whose lessons it holds, if the course has their checks);
    a younger class's checks (``scams:pre-8-10``) count as well as the forms as written."""
    found = [ref[0] for entry in course.lessons(assignment) if (ref := parse_ref(entry))]
    if not found and assignment in {m.id for m in course.curriculum.modules}:
        found = [assignment]
    refs = {entry for entries in course.settings.assignments.values() for entry in entries}
    return [m for m in dict.fromkeys(found) if any(f.ref in refs for f in all_forms(course.curriculum, m))]


def collect_learning(course: Course, module_id: str) -> Learning:
    by_ref = {entries[0]: name for name, entries in course.settings.assignments.items() if len(entries) == 1}
    # Every form the course has an assignment for: as written, or a younger band's (pre-8-10 …).
    chosen = [f for f in all_forms(course.curriculum, module_id) if f.ref in by_ref]
    assessment = course.curriculum.assessments[module_id]
    students: list[StudentLearning] = []
    with course.gradebook() as gradebook:
        roster = [(s.id, f"{s.last_name or ''} {s.first_name or ''}".strip()) for s in gradebook.students]
    given_by_form: dict[str, list[dict[str, str | None]]] = {f.form_id: [] for f in chosen}
    for sid, name in sorted(roster):
        row = StudentLearning(sid, name)
        for f in chosen:
            data, _ = record_status(course.path("submitted", sid, by_ref[f.ref]), f.record_id)
            if data is None:
                continue
            given = discernment.first_answers(data["answers"], f.form_id)
            row.progress.scores[f.form_id] = discernment.score_form(answer_key(assessment, f), given)
            given_by_form[f.form_id].append(given)
        students.append(row)
    items = {
        f.form_id: discernment.item_analysis(answer_key(assessment, f), given_by_form[f.form_id])
        for f in chosen
        if given_by_form[f.form_id]
    }
    base = {f.form_id: pre_form(course.curriculum, f).form_id for f in chosen}
    return Learning(module_id, chosen, {f.form_id: by_ref[f.ref] for f in chosen}, students, items, base)


# --- formatting ------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}"


def num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def signed(value: float | None, scale: float = 1.0, digits: int = 2) -> str:
    return "" if value is None else f"{scale * value:+.{digits}f}"


def form_label(f: Form, ui: dict[str, str]) -> str:
    return ui[f"rp_form_{f.kind}"].format(weeks=f.weeks or 0)


def gain_bars(learning: Learning, ui: dict[str, str]) -> list[charts.GainBar]:
    """The learning chart's bars: class mean accuracy and d′ per form, gain over the pre form."""
    bars = []
    for f in learning.forms:
        accuracy = learning.class_mean(f.form_id, "accuracy")
        gain = learning.class_gain(f.form_id, "accuracy") if f.kind != "pre" else None
        bars.append(
            charts.GainBar(
                f.form_id,
                f.kind,
                form_label(f, ui),
                accuracy,
                pct(accuracy),
                num(learning.class_mean(f.form_id, "d_prime")),
                signed(gain, 100, 1) if gain is not None else None,
            )
        )
    return bars


def _item_text(item: Any) -> str:
    art = item.artifact
    body = art.body or (art.messages[0].text if art.messages else "") or art.subject or ""
    text = f"{art.sender}: {body}" if art.sender else body
    return short(text, 70)


def _cells(get: Callable[[Form, str], float | None], gains: Callable[[Form, int], float | None],
           learning: Learning) -> list[str]:  # fmt: skip
    """One table row's numbers: accuracy % and d′ per form, then the gains over the pre form."""
    out = []
    for f in learning.forms:
        out += [pct(get(f, "accuracy")), num(get(f, "d_prime"))]
    for f in learning.forms:
        if f.kind != "pre":
            out += [signed(gains(f, 0), 100, 1), signed(gains(f, 1))]
    return out


def _student_cells(student: StudentLearning, learning: Learning) -> list[str]:
    progress = student.progress
    return _cells(
        lambda f, what: getattr(progress, what)(f.form_id), lambda f, i: learning.gains(student, f.form_id)[i], learning
    )


def write_learning_report(course: Course, module_id: str, out: Path | None = None) -> tuple[Path, list[Path]]:
    translator = Translator(course.curriculum, course.lang, course.region)
    ui = translator.ui()
    learning = collect_learning(course, module_id)
    assessment = translator.assessment(module_id)
    heading = ui["rp_learning_title"].format(module=translator.module(module_id).title)
    students = [{"name": s.name, "id": s.student, "cells": _student_cells(s, learning)} for s in learning.students]
    class_cells = _cells(
        lambda f, what: learning.class_mean(f.form_id, what),
        lambda f, i: learning.class_gain(f.form_id, "accuracy" if i == 0 else "d_prime"),
        learning,
    )
    items_by_id = {item.id: item for item in assessment.items}
    items = [
        {
            "form": f.form_id,
            "label": form_label(f, ui),
            "rows": [
                {
                    "id": st.item_id,
                    "text": _item_text(items_by_id[st.item_id]),
                    "answer": ui[st.answer],
                    "difficulty": pct(st.difficulty),
                    "discrimination": num(st.discrimination),
                    "flag": ui[f"rp_{st.flag}"] if st.flag else "",
                }
                for st in learning.items[f.form_id]
            ],
        }
        for f in learning.forms
        if learning.items.get(f.form_id)
    ]
    html = render(
        "gains.html.j2",
        lang=course.lang,
        ui=ui,
        title=heading,
        course_id=course.course_id,
        assessment_title=assessment.title,
        measured=any(s.progress.scores for s in learning.students),
        chart=charts.gains(gain_bars(learning, ui), ui),
        forms=[form_label(f, ui) for f in learning.forms],
        later=[form_label(f, ui) for f in learning.forms if f.kind != "pre"],
        students=students,
        class_cells=class_cells,
        items=items,
        made=date.today().isoformat(),
    )
    target = Path(out) if out else course.root / "reports" / f"{module_id}-learning.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return target, _write_csv(target, learning, items_by_id)


def _write_csv(target: Path, learning: Learning, items_by_id: dict[str, Any]) -> list[Path]:
    """Same numbers as the page, unrounded beyond 4 decimals; rates as proportions (0-1)."""
    students = target.with_suffix(".students.csv")
    items = target.with_suffix(".items.csv")
    later = [f for f in learning.forms if f.kind != "pre"]
    r4 = lambda v: "" if v is None else f"{v:.4f}"  # noqa: E731
    with students.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        header = ["student_id", "name"]
        for f in learning.forms:
            header += [f"{f.form_id}_{k}" for k in ("accuracy", "hit_rate", "false_alarm_rate", "d_prime", "criterion")]
        for f in later:
            header += [f"gain_{f.form_id}_accuracy", f"gain_{f.form_id}_d_prime"]
        writer.writerow(header)
        for s in learning.students:
            row = [s.student, s.name]
            for f in learning.forms:
                sc = s.progress.scores.get(f.form_id)
                row += (
                    [r4(sc.accuracy), r4(sc.hit_rate), r4(sc.false_alarm_rate), r4(sc.d_prime), r4(sc.criterion)]
                    if sc
                    else [""] * 5
                )
            for f in later:
                row += [r4(v) for v in learning.gains(s, f.form_id)]
            writer.writerow(row)
        row = ["class-mean", "class"]
        for f in learning.forms:
            row += [
                r4(learning.class_mean(f.form_id, "accuracy")),
                "",
                "",
                r4(learning.class_mean(f.form_id, "d_prime")),
                "",
            ]
        for f in later:
            row += [r4(learning.class_gain(f.form_id, "accuracy")), r4(learning.class_gain(f.form_id, "d_prime"))]
        writer.writerow(row)
    with items.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["form", "item", "answer", "difficulty", "learners", "discrimination", "flag"])
        for f in learning.forms:
            for st in learning.items.get(f.form_id, []):
                writer.writerow(
                    [
                        f.form_id,
                        st.item_id,
                        st.answer,
                        r4(st.difficulty),
                        st.learners,
                        r4(st.discrimination),
                        st.flag or "",
                    ]
                )
    return [students, items]
