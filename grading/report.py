"""The class report: one offline HTML file with inline SVG charts, and the same numbers as CSV.

Shows the score distribution, the percent correct per activity, the wrong answers the
class chose most often (with the curriculum's explanation: what to discuss next
lesson), how the class answered each activity (its answer distribution and most common
misconception, from grading's table activities.REPORT) and every student: a summary table,
then one table per lesson (so a long assignment never makes one table wider than the page;
each table also scrolls inside its own box). The bars per activity are grouped by lesson.
An activity a student never opened is "not done", in the course language. Numbers use the
language's decimal separator. Scores come from the gradebook; answers from the students'
first answers in their answer records, scored with netwise.scoring like the graded checks.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from netwise.i18n import Translator

from . import charts
from .activities import ActivityReport, Context, class_rows
from .course import Course
from .graded_cells import record_status
from .html import decimal, render, short
from .results import StudentResult, problem_labels, results
from .snapshot import as_graded

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


@dataclass
class LessonBlock:
    """One lesson of the assignment: its activities' statistics, for the grouped bars and its table."""

    id: str
    title: str
    stats: list[ActivityStats]
    points: float


@dataclass
class ActivityAnswers:
    """One activity of the assignment with how the class answered it."""

    lesson: str
    lesson_title: str
    activity: str
    title: str
    report: ActivityReport


def lesson_blocks(lessons: dict[str, Any], stats: list[ActivityStats]) -> list[LessonBlock]:
    return [
        LessonBlock(lid, lesson.title, mine, sum(s.points for s in mine))
        for lid, lesson in lessons.items()
        if (mine := [s for s in stats if s.lesson == lid])
    ]


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


def class_answers(
    course: Course, assignment: str, rows: list[StudentResult], translator: Translator
) -> list[ActivityAnswers]:
    """Every activity's answer distribution and misconceptions, from the graded students' records."""
    ctx = Context(translator.ui(), course.lang)
    out = []
    for lesson_id in course.lessons(assignment):
        lesson = course.unit(lesson_id, translator)
        records = []
        for row in rows:
            if row.graded:
                data, _ = record_status(as_graded(course, assignment, row.student), lesson.record_id)
                if data is not None:
                    records.append(data["answers"])
        for activity in lesson.activities:
            report = class_rows(activity, records, ctx)
            title = activity.title or short(activity.prompt)
            out.append(ActivityAnswers(lesson_id, lesson.title, activity.id, title, report))
    return out


def misconceptions(answers: list[ActivityAnswers]) -> list[Misconception]:
    """The wrong answers chosen most often across the assignment."""
    found = [(a, w) for a in answers for w in a.report.wrong]
    found.sort(key=lambda aw: (-aw[1].count, (aw[0].lesson, aw[0].activity, aw[1].key)))
    return [Misconception(a.lesson, a.activity, a.title, w.label, w.explanation, w.count) for a, w in found[:TOP]]


def write_report(course: Course, assignment: str | None = None, out: Path | None = None) -> tuple[Path, list[Path]]:
    assignment = assignment or course.lesson_assignment()
    lessons = course.lessons(assignment)
    translator = Translator(course.curriculum, course.lang, course.region)
    ui = translator.ui()
    translated = {lesson_id: course.unit(lesson_id, translator) for lesson_id in lessons}
    titles = {(lid, a.id): a.title or short(a.prompt) for lid, lesson in translated.items() for a in lesson.activities}
    rows = results(course, assignment)
    graded = [r for r in rows if r.graded]
    stats = activity_stats(rows, titles)
    answers = class_answers(course, assignment, rows, translator)
    common = misconceptions(answers)
    heading = ui["rp_title"].format(assignment=assignment)
    average = round(sum(r.percent for r in graded) / len(graded), 1) if graded else 0.0
    blocks = lesson_blocks(translated, stats)
    lang = course.lang
    lesson_titles = {lid: lesson.title for lid, lesson in translated.items()}
    problems = {r.student: "; ".join(problem_labels(r, ui, lesson_titles)) for r in rows}
    html = render(
        "report.html.j2",
        lang=course.lang,
        ui=ui,
        title=heading,
        course_id=course.course_id,
        assignment=assignment,
        handed_in=sum(r.submitted for r in rows),
        students=len(rows),
        graded=len(graded),
        average=decimal(average, lang, 1),
        histogram=charts.histogram([r.percent for r in graded], ui),
        per_activity=charts.activities([(b.title, [(s.title, s.percent) for s in b.stats]) for b in blocks], ui, lang),
        lessons=blocks,
        misconceptions=common,
        answers=answers,
        share=charts.share,
        stats=stats,
        rows=rows,
        problems=problems,
        made=date.today().isoformat(),
    )
    target = Path(out) if out else course.root / "reports" / f"{assignment}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return target, _write_csv(target, rows, stats, common, answers, problems)


def _write_csv(
    target: Path,
    rows: list[StudentResult],
    stats: list[ActivityStats],
    common: list[Misconception],
    answers: list[ActivityAnswers],
    problems: dict[str, str],
) -> list[Path]:
    students = target.with_suffix(".students.csv")
    activities = target.with_suffix(".activities.csv")
    wrong = target.with_suffix(".misconceptions.csv")
    given = target.with_suffix(".answers.csv")
    with students.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "name", "handed_in", "score", "max_score", "percent",
                         *(f"{s.lesson}:{s.activity}" for s in stats), "problems"])  # fmt: skip
        for r in rows:
            writer.writerow([r.student, r.name, "yes" if r.submitted else "no", f"{r.score:g}", f"{r.max_score:g}",
                             f"{r.percent:g}", *(f"{a.score:g}" for a in r.activities),
                             problems[r.student]])  # fmt: skip
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
    with given.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["lesson", "activity", "item", "item_text", "answer", "answer_text", "students", "right"])
        for a in answers:
            for group in a.report.groups:
                for row in group.rows:
                    right = "" if row.right is None else "yes" if row.right else "no"
                    writer.writerow(
                        [a.lesson, a.activity, group.id, group.title, row.key, row.answer, row.count, right]
                    )
    return [students, activities, wrong, given]
