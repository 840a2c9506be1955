"""The class report: one offline HTML file with inline SVG charts, and the same numbers as CSV.

Shows the score distribution, the percent correct per activity, the wrong answers the
class chose most often (with the curriculum's explanation: what to discuss next
lesson) and a table of every student. Numbers come from the gradebook; the wrong
answers from the students' first answers in their answer records.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from netwise.i18n import Translator
from netwise.scoring import ACTIVITY_PART, answer

from .course import Course
from .graded_cells import record_status
from .html import e, page, points
from .results import StudentResult, results

BINS = 10
TOP = 12  # misconceptions listed


@dataclass
class ActivityStats:
    lesson: str
    activity: str
    title: str
    points: float
    mean: float
    percent: float
    answered: int


@dataclass
class Misconception:
    lesson: str
    activity: str
    activity_title: str
    label: str
    explanation: str
    count: int


def issue_label(issue: Any, ui: dict[str, str]) -> str:
    """A problem of a submission, briefly, in the course language (for the teacher)."""
    return ui[f"rp_issue_{issue.code}"].format(**issue.params)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def activity_stats(rows: list[StudentResult], titles: dict[tuple[str, str], str]) -> list[ActivityStats]:
    graded = [r for r in rows if r.graded]
    out = []
    for index, first in enumerate(rows[0].activities if rows else []):
        scores = [r.activities[index].score for r in graded]
        mean = sum(scores) / len(scores) if scores else 0.0
        out.append(
            ActivityStats(
                first.lesson,
                first.activity,
                titles[(first.lesson, first.activity)],
                first.points,
                round(mean, 2),
                round(100 * mean / first.points, 1) if first.points else 0.0,
                sum(1 for s in scores if s > 0),
            )  # fmt: skip
        )
    return out


def wrong_answers(activity: Any, answers: dict[str, Any], ui: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, label, explanation) for each wrong first answer of one student."""
    out = []

    def first(part: str) -> Any:
        attempts = answers.get(part) or []
        return attempts[0].get("value") if attempts and isinstance(attempts[0], dict) else None

    if activity.type == "choice":
        value = first(ACTIVITY_PART)
        if value is not None:
            for option in activity.options:
                if (
                    option.id in answer(activity, ACTIVITY_PART, value).details["selected"]
                    and option.id not in activity.correct
                ):
                    out.append((f"option:{option.id}", option.text, option.feedback))
    elif activity.type == "verdict":
        for number, item in enumerate(activity.items, start=1):
            value = first(item.id)
            given = value.get("verdict") if isinstance(value, dict) else None
            if given is not None and given != item.answer:
                what = item.artifact.sender or ui["item_label"].format(number=number, total=len(activity.items))
                body = item.artifact.body or (item.artifact.messages[0].text if item.artifact.messages else "")
                label = ui["rp_judged"].format(
                    item=f"{what}: {_short(body, 50)}" if body else what, answer=ui.get(given, given)
                )
                out.append((f"item:{item.id}:{given}", label, item.explanation))
    elif activity.type == "red_flags":
        value = first(ACTIVITY_PART)
        if value is not None:
            marked = set(answer(activity, ACTIVITY_PART, value).details["marked"])
            for part in activity.parts:
                if part.id in marked and not part.suspicious:
                    out.append(
                        (f"alarm:{part.id}", ui["rp_false_alarm"].format(part=_short(part.text)), part.explanation)
                    )
                elif part.id not in marked and part.suspicious:
                    out.append((f"missed:{part.id}", ui["rp_missed"].format(part=_short(part.text)), part.explanation))
    elif activity.type == "branching":
        value = first(ACTIVITY_PART)
        if value is not None:
            details = answer(activity, ACTIVITY_PART, value).details
            if details["path"] and details["outcome"] != "safe":
                node = next(n for n in activity.nodes if n.id == details["path"][-1])
                out.append((f"ending:{node.id}", ui["rp_ending"].format(text=_short(node.text)), node.feedback or ""))
    return out


def misconceptions(
    course: Course, assignment: str, rows: list[StudentResult], translator: Translator
) -> list[Misconception]:
    ui = translator.ui()
    counts: Counter[tuple[str, str, str]] = Counter()
    described: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for lesson_id in course.lessons(assignment):
        lesson = course.unit(lesson_id, translator)
        for row in rows:
            if not row.graded:
                continue
            data, _ = record_status(course.path("submitted", row.student, assignment), lesson.record_id)
            if data is None:
                continue
            for activity in lesson.activities:
                for key, label, why in wrong_answers(activity, data["answers"].get(activity.id) or {}, ui):
                    full = (lesson_id, activity.id, key)
                    counts[full] += 1
                    described[full] = (activity.title or _short(activity.prompt), label, why)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    return [Misconception(k[0], k[1], described[k][0], described[k][1], described[k][2], n) for k, n in ranked]


# --- charts (inline SVG) ---------------------------------------------------------------


def histogram_svg(percents: list[float], ui: dict[str, str]) -> str:
    counts = [0] * BINS
    for p in percents:
        counts[min(BINS - 1, int(p // (100 / BINS)))] += 1
    top = max(counts + [1])
    width, height, left, bottom = 560, 240, 40, 40
    bar = (width - left - 10) / BINS
    parts = [
        f'<svg class="chart" id="chart-distribution" viewBox="0 0 {width} {height}" role="img" aria-labelledby="t-dist">',
        f'<title id="t-dist">{e(ui["rp_distribution"])}</title>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" stroke="#57606a"/>',
    ]
    for i, count in enumerate(counts):
        h = (height - bottom - 20) * count / top
        x = left + i * bar
        parts.append(
            f'<rect class="bar" x="{x + 3:.1f}" y="{height - bottom - h:.1f}" width="{bar - 6:.1f}" height="{h:.1f}" fill="#2f6fdd">'
            f"<title>{i * 10}–{(i + 1) * 10}%: {count}</title></rect>"
        )
        if count:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom - h - 4:.1f}" text-anchor="middle" font-size="12">{count}</text>'
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11">{i * 10}</text>'
        )
    parts.append(
        f'<text x="{(width + left) / 2}" y="{height - 6}" text-anchor="middle" font-size="12">{e(ui["rp_axis_score"])}</text>'
    )
    parts.append(
        f'<text x="12" y="{(height - bottom) / 2}" font-size="12" transform="rotate(-90 12 {(height - bottom) / 2})" text-anchor="middle">{e(ui["rp_axis_students"])}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def activity_svg(stats: list[ActivityStats], ui: dict[str, str]) -> str:
    row_h, label_w, width = 28, 260, 600
    height = row_h * len(stats) + 10
    parts = [
        f'<svg class="chart" id="chart-activities" viewBox="0 0 {width} {height}" role="img" aria-labelledby="t-act">',
        f'<title id="t-act">{e(ui["rp_per_activity"])}</title>',
    ]
    span = width - label_w - 60
    for i, s in enumerate(stats):
        y = 5 + i * row_h
        color = "#1b7a3d" if s.percent >= 70 else "#9a6700" if s.percent >= 40 else "#b42318"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" font-size="12">{e(_short(s.title, 38))}</text>'
        )
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{span}" height="{row_h - 10}" fill="#eaeef2"/>')
        parts.append(
            f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{span * s.percent / 100:.1f}" height="{row_h - 10}" fill="{color}">'
            f"<title>{e(s.title)}: {s.percent:g}%</title></rect>"
        )
        parts.append(f'<text x="{label_w + span + 6}" y="{y + 18}" font-size="12">{s.percent:g}%</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- the report ------------------------------------------------------------------------


def write_report(course: Course, assignment: str | None = None, out: Path | None = None) -> tuple[Path, list[Path]]:
    assignment = assignment or next(iter(course.settings.assignments))
    lessons = course.lessons(assignment)
    translator = Translator(course.curriculum, course.lang)
    ui = translator.ui()
    translated = {lesson_id: course.unit(lesson_id, translator) for lesson_id in lessons}
    titles = {(lid, a.id): a.title or _short(a.prompt) for lid, lesson in translated.items() for a in lesson.activities}
    rows = results(course, assignment)
    graded = [r for r in rows if r.graded]
    stats = activity_stats(rows, titles)
    common = misconceptions(course, assignment, rows, translator)
    heading = ui["rp_title"].format(assignment=", ".join(t.title for t in translated.values()))
    average = round(sum(r.percent for r in graded) / len(graded), 1) if graded else 0.0

    body = [
        f"<header><h1>{e(heading)}</h1>",
        f"<p>{e(course.course_id)} · {e(assignment)}</p>",
        f"<p>{e(ui['rp_handed_in'].format(count=sum(r.submitted for r in rows), total=len(rows)))} ",
        f"<strong>{e(ui['rp_average'].format(percent=f'{average:g}'))}</strong></p></header><main>",
        f"<section><h2>{e(ui['rp_distribution'])}</h2><figure>{histogram_svg([r.percent for r in graded], ui)}</figure></section>",
        f"<section><h2>{e(ui['rp_per_activity'])}</h2><figure>{activity_svg(stats, ui)}</figure></section>",
        f'<section id="misconceptions"><h2>{e(ui["rp_misconceptions"])}</h2><p class="muted">{e(ui["rp_misconceptions_hint"])}</p>',
    ]
    if common:
        body.append("<ol>")
        for m in common:
            chosen = ui["rp_chosen_by"].format(count=m.count, total=len(graded))
            body.append(
                f'<li><strong>{e(m.label)}</strong> <span class="muted">({e(m.activity_title)} · {e(chosen)})</span>'
                f"<br>{e(m.explanation)}</li>"
            )
        body.append("</ol>")
    else:
        body.append(f"<p>{e(ui['rp_no_misconceptions'])}</p>")
    body.append("</section>")
    head = "".join(f'<th class="num" title="{e(s.title)}">{e(_short(s.title, 18))}</th>' for s in stats)
    body.append(
        f'<section><h2>{e(ui["rp_table"])}</h2><table id="students"><thead><tr><th>{e(ui["rp_name"])}</th><th>id</th>'
        f'<th class="num">{e(ui["rp_score"])}</th><th class="num">%</th>{head}<th>{e(ui["rp_problems"])}</th></tr></thead><tbody>'
    )
    for r in rows:
        if r.submitted:
            cells = "".join(f'<td class="num">{points(a.score)}/{points(a.points)}</td>' for a in r.activities)
            body.append(
                f'<tr><td>{e(r.name)}</td><td>{e(r.student)}</td><td class="num">{points(r.score)}/{points(r.max_score)}</td>'
                f'<td class="num">{r.percent:g}</td>{cells}<td>{e("; ".join(issue_label(i, ui) for i in r.issues))}</td></tr>'
            )
        else:
            body.append(
                f'<tr><td>{e(r.name)}</td><td>{e(r.student)}</td><td colspan="{len(stats) + 3}" class="muted">{e(ui["rp_no_submission"])}</td></tr>'
            )
    body.append("</tbody></table></section></main>")
    body.append(f'<footer><p class="muted">{e(ui["rp_made"].format(date=date.today().isoformat()))}</p></footer>')

    target = Path(out) if out else course.root / "reports" / f"{assignment}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page(course.lang, heading, "\n".join(body)), encoding="utf-8")
    return target, _write_csv(target, rows, stats, common)


def _write_csv(
    target: Path, rows: list[StudentResult], stats: list[ActivityStats], common: list[Misconception]
) -> list[Path]:
    students = target.with_suffix(".students.csv")
    activities = target.with_suffix(".activities.csv")
    wrong = target.with_suffix(".misconceptions.csv")
    with students.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "name", "handed_in", "score", "max_score", "percent",
                         *(f"{s.lesson}:{s.activity}" for s in stats), "problems"])  # fmt: skip
        for r in rows:
            writer.writerow([r.student, r.name, "yes" if r.submitted else "no", f"{r.score:g}", f"{r.max_score:g}",
                             f"{r.percent:g}", *(f"{a.score:g}" for a in r.activities),
                             "; ".join(str(i) for i in r.issues)])  # fmt: skip
    with activities.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["lesson", "activity", "title", "points", "mean_score", "percent_correct", "students_with_points"]
        )
        for s in stats:
            writer.writerow(
                [s.lesson, s.activity, s.title, f"{s.points:g}", f"{s.mean:g}", f"{s.percent:g}", s.answered]
            )
    with wrong.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["lesson", "activity", "wrong_answer", "students", "explanation"])
        for m in common:
            writer.writerow([m.lesson, m.activity, m.label, m.count, m.explanation])
    return [students, activities, wrong]
