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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from netwise.content.assessment import Form, answer_key, forms, parse_ref
from netwise.i18n import Translator
from netwise.scoring import discernment

from .course import Course
from .graded_cells import record_status
from .html import e, page


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

    def class_mean(self, form_id: str, what: str) -> float | None:
        return discernment.mean(
            [getattr(s.progress, what)(form_id) for s in self.students if form_id in s.progress.scores]
        )

    def class_gain(self, form_id: str, what: str) -> float | None:
        """Mean of the students' own gains (students who took both forms)."""
        index = 0 if what == "accuracy" else 1
        return discernment.mean(
            [
                s.progress.gains(form_id)[index]
                for s in self.students
                if form_id in s.progress.scores and "pre" in s.progress.scores
            ]
        )


def modules_in(course: Course, assignment: str) -> list[str]:
    """Modules whose checks this assignment is (or whose lessons it holds, if the course has their checks)."""
    found = [ref[0] for entry in course.lessons(assignment) if (ref := parse_ref(entry))]
    if not found and assignment in {m.id for m in course.curriculum.modules}:
        found = [assignment]
    refs = {entry for entries in course.settings.assignments.values() for entry in entries}
    return [m for m in dict.fromkeys(found) if any(f.ref in refs for f in forms(course.curriculum, m))]


def collect_learning(course: Course, module_id: str) -> Learning:
    by_ref = {entries[0]: name for name, entries in course.settings.assignments.items() if len(entries) == 1}
    chosen = [f for f in forms(course.curriculum, module_id) if f.ref in by_ref]
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
    return Learning(module_id, chosen, {f.form_id: by_ref[f.ref] for f in chosen}, students, items)


# --- formatting ------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}"


def num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def signed(value: float | None, scale: float = 1.0, digits: int = 2) -> str:
    return "" if value is None else f"{scale * value:+.{digits}f}"


def form_label(f: Form, ui: dict[str, str]) -> str:
    return ui[f"rp_form_{f.kind}"].format(weeks=f.weeks or 0)


def gains_svg(learning: Learning, ui: dict[str, str]) -> str:
    """Class mean accuracy per form as bars, with d′ and the gain over the pre form written on them."""
    width, height, left, bottom, top = 560, 260, 50, 50, 20
    n = max(len(learning.forms), 1)
    slot = (width - left - 10) / n
    span = height - bottom - top
    parts = [
        f'<svg class="chart" id="chart-gains" viewBox="0 0 {width} {height}" role="img" aria-labelledby="t-gains">',
        f'<title id="t-gains">{e(ui["rp_gain_chart"])}</title>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" stroke="#57606a"/>',
    ]
    for tick in (0, 50, 100):
        y = height - bottom - span * tick / 100
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}%</text>')
    colors = {"pre": "#8c959f", "post": "#2f6fdd", "booster": "#1b7a3d"}
    for i, f in enumerate(learning.forms):
        accuracy = learning.class_mean(f.form_id, "accuracy")
        d = learning.class_mean(f.form_id, "d_prime")
        value = 0.0 if accuracy is None else 100 * accuracy
        bar_h = span * value / 100
        x = left + i * slot
        label = form_label(f, ui)
        gain = learning.class_gain(f.form_id, "accuracy") if f.kind != "pre" else None
        tip = f"{label}: {ui['rp_accuracy']} {pct(accuracy)}%, d′ {num(d)}"
        parts.append(
            f'<rect class="bar" data-form="{e(f.form_id)}" data-accuracy="{pct(accuracy)}" data-dprime="{num(d)}" '
            f'x="{x + 12:.1f}" y="{height - bottom - bar_h:.1f}" width="{slot - 24:.1f}" height="{bar_h:.1f}" '
            f'fill="{colors[f.kind]}"><title>{e(tip)}</title></rect>'
        )
        above = f"{pct(accuracy)}%" if accuracy is not None else "—"
        if gain is not None:
            above += f" ({signed(gain, 100, 1)})"
        parts.append(
            f'<text class="value" x="{x + slot / 2:.1f}" y="{height - bottom - bar_h - 6:.1f}" text-anchor="middle" '
            f'font-size="12">{e(above)}</text>'
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="12">{e(label)}</text>'
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 32}" text-anchor="middle" font-size="11">d′ {e(num(d) or "—")}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _item_text(item: Any) -> str:
    art = item.artifact
    body = art.body or (art.messages[0].text if art.messages else "") or art.subject or ""
    text = f"{art.sender}: {body}" if art.sender else body
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:69] + "…"


def write_learning_report(course: Course, module_id: str, out: Path | None = None) -> tuple[Path, list[Path]]:
    translator = Translator(course.curriculum, course.lang)
    ui = translator.ui()
    learning = collect_learning(course, module_id)
    assessment = translator.assessment(module_id)
    module_title = translator.module(module_id).title
    heading = ui["rp_learning_title"].format(module=module_title)
    later = [f for f in learning.forms if f.kind != "pre"]
    body = [
        f"<header><h1>{e(heading)}</h1><p>{e(course.course_id)} · {e(assessment.title)}</p>",
        f'<p class="muted">{e(ui["rp_learning_hint"])}</p></header><main>',
    ]
    measured = any(s.progress.scores for s in learning.students)
    if not measured:
        body.append(f"<p>{e(ui['rp_learning_none'])}</p>")
    body.append(f"<section><h2>{e(ui['rp_gain_chart'])}</h2><figure>{gains_svg(learning, ui)}</figure></section>")
    # Per student and the class: accuracy and d′ per form, then the gains over the pre form.
    head = "".join(
        f'<th class="num">{e(form_label(f, ui))}<br>{e(ui["rp_accuracy"])} %</th><th class="num">d′</th>'
        for f in learning.forms
    )
    head += "".join(
        f'<th class="num">{e(ui["rp_gain"])} {e(form_label(f, ui))}<br>%</th><th class="num">Δd′</th>' for f in later
    )
    body.append(
        f'<section><h2>{e(ui["rp_table"])}</h2><table id="learning"><thead><tr><th>{e(ui["rp_name"])}</th>'
        f"<th>id</th>{head}</tr></thead><tbody>"
    )

    def cells(get: Any, gains: Any) -> str:
        out = "".join(f'<td class="num">{pct(get(f, "accuracy"))}</td><td class="num">{num(get(f, "d_prime"))}</td>'
                      for f in learning.forms)  # fmt: skip
        out += "".join(
            f'<td class="num">{signed(gains(f, 0), 100, 1)}</td><td class="num">{signed(gains(f, 1))}</td>'
            for f in later
        )
        return out

    for s in learning.students:
        body.append(
            f"<tr><td>{e(s.name)}</td><td>{e(s.student)}</td>"
            + cells(
                lambda f, what, s=s: getattr(s.progress, what)(f.form_id),
                lambda f, i, s=s: s.progress.gains(f.form_id)[i],
            )
            + "</tr>"
        )
    body.append(
        f'<tr class="class-row"><th scope="row">{e(ui["rp_class"])}</th><td></td>'
        + cells(
            lambda f, what: learning.class_mean(f.form_id, what),
            lambda f, i: learning.class_gain(f.form_id, "accuracy" if i == 0 else "d_prime"),
        )
        + "</tr></tbody></table></section>"
    )
    # Item analysis per form.
    items_by_id = {item.id: item for item in assessment.items}
    body.append(f'<section id="items"><h2>{e(ui["rp_items"])}</h2><p class="muted">{e(ui["rp_items_hint"])}</p>')
    for f in learning.forms:
        stats = learning.items.get(f.form_id)
        if not stats:
            continue
        body.append(
            f'<h3>{e(form_label(f, ui))}</h3><table class="items" data-form="{e(f.form_id)}"><thead><tr>'
            f'<th>{e(ui["rp_item"])}</th><th>{e(ui["rp_answer"])}</th><th class="num">{e(ui["rp_difficulty"])} %</th>'
            f'<th class="num">{e(ui["rp_discrimination"])}</th><th>{e(ui["rp_flag"])}</th></tr></thead><tbody>'
        )
        for st in stats:
            flag = ui[f"rp_{st.flag}"] if st.flag else ""
            body.append(
                f'<tr data-item="{e(st.item_id)}"{" class=flagged" if st.flag else ""}>'
                f"<td>{e(_item_text(items_by_id[st.item_id]))}</td><td>{e(ui[st.answer])}</td>"
                f'<td class="num">{pct(st.difficulty)}</td><td class="num">{num(st.discrimination)}</td>'
                f"<td>{e(flag)}</td></tr>"
            )
        body.append("</tbody></table>")
    body.append("</section></main>")
    body.append(f'<footer><p class="muted">{e(ui["rp_made"].format(date=date.today().isoformat()))}</p></footer>')
    target = Path(out) if out else course.root / "reports" / f"{module_id}-learning.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page(course.lang, heading, "\n".join(body)), encoding="utf-8")
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
                row += [r4(v) for v in s.progress.gains(f.form_id)]
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
