"""The learner's feedback: one offline HTML page per lesson notebook, in the course language.

Written where nbgrader keeps feedback (``feedback/<student>/<assignment>/<notebook>.html``)
so nbgrader's ``release_feedback``/``fetch_feedback`` deliver it through JupyterHub.
Built from the curriculum and the learner's first answers — never from the executed
notebook — so it holds no test code, no traceback and nothing that loads from outside.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netwise.i18n import Translator
from netwise.scoring import ACTIVITY_PART, answer

from .course import Course
from .graded_cells import record_status
from .html import e, page, points
from .results import StudentResult

_FLAG_LABEL = {"hit": "flag_hit", "missed": "flag_missed", "false_alarm": "flag_false_alarm", "ok": "flag_ok"}


def _first(answers: dict[str, Any], part: str) -> Any:
    attempts = answers.get(part) or []
    return attempts[0].get("value") if attempts and isinstance(attempts[0], dict) else None


def _state(score: float, max_score: float, answered: bool) -> tuple[str, str]:
    if not answered:
        return "bad", "fb_not_answered"
    if score >= max_score:
        return "ok", "correct"
    return ("partly", "partly") if score > 0 else ("bad", "incorrect")


def activity_body(activity: Any, answers: dict[str, Any], ui: dict[str, str]) -> str:
    """What the learner answered first and the curriculum's explanation for it."""
    out: list[str] = []
    if activity.type == "choice":
        value = _first(answers, ACTIVITY_PART)
        selected = answer(activity, ACTIVITY_PART, value).details["selected"] if value is not None else []
        if selected:
            out.append(f"<p><strong>{e(ui['fb_your_answer'])}:</strong></p><ul>")
            for option in activity.options:
                if option.id in selected:
                    mark = "ok" if option.id in activity.correct else "bad"
                    label = ui["option_right"] if option.id in activity.correct else ui["option_wrong"]
                    out.append(
                        f'<li><span class="{mark}">{e(label)}:</span> {e(option.text)} — {e(option.feedback)}</li>'
                    )
            out.append("</ul>")
        missing = [o for o in activity.options if o.id in activity.correct and o.id not in selected]
        if missing:
            out.append(f"<p><strong>{e(ui['option_right'])}:</strong> {e('; '.join(o.text for o in missing))}</p>")
        if activity.explanation:
            out.append(f"<p><strong>{e(ui['fb_why'])}:</strong> {e(activity.explanation)}</p>")
    elif activity.type == "verdict":
        total = len(activity.items)
        for number, item in enumerate(activity.items, start=1):
            value = _first(answers, item.id)
            given = value.get("verdict") if isinstance(value, dict) else None
            mark = "ok" if given == item.answer else "bad"
            shown = item.artifact.body or (item.artifact.messages[0].text if item.artifact.messages else "")
            out.append(f"<h4>{e(ui['item_label'].format(number=number, total=total))}</h4>")
            if item.artifact.sender or shown:
                sender = f"{item.artifact.sender}: " if item.artifact.sender else ""
                out.append(f'<div class="quote">{e(sender + shown)}</div>')
            said = ui["you_said"].format(answer=ui.get(str(given), str(given))) if given else ui["fb_not_answered"]
            out.append(f'<p class="{mark}">{e(said)} · {e(ui["verdict_is"].format(answer=ui[item.answer]))}</p>')
            out.append(f"<p>{e(item.explanation)}</p>")
            out.append(
                f"<p><strong>{e(ui['cues'])}:</strong></p><ul>{''.join(f'<li>{e(c)}</li>' for c in item.cues)}</ul>"
            )
    elif activity.type == "red_flags":
        value = _first(answers, ACTIVITY_PART)
        if value is not None:
            details = answer(activity, ACTIVITY_PART, value).details
            out.append(
                f"<p>{e(ui['flags_score'].format(hits=details['hits'], total=details['total'], false_alarms=details['false_alarms']))}</p>"
            )
            marked = set(details["marked"])
        else:
            marked = set()
        out.append("<ul>")
        for part in activity.parts:
            status = (
                ("hit" if part.suspicious else "false_alarm")
                if part.id in marked
                else ("missed" if part.suspicious else "ok")
            )
            mark = "ok" if status in ("hit", "ok") else "bad"
            out.append(
                f'<li><span class="quote">{e(part.text)}</span> <span class="{mark}">{e(ui[_FLAG_LABEL[status]])}</span> {e(part.explanation)}</li>'
            )
        out.append("</ul>")
    elif activity.type == "branching":
        value = _first(answers, ACTIVITY_PART)
        details = answer(activity, ACTIVITY_PART, value).details if value is not None else {"outcome": None, "path": []}
        nodes = {node.id: node for node in activity.nodes}
        if details["path"]:
            end = nodes[details["path"][-1]]
            mark = {"safe": "ok", "partly": "partly"}.get(str(details["outcome"]), "bad")
            ending = ui["outcome_" + str(details["outcome"] or "unsafe")]
            out.append(f'<p class="{mark}"><strong>{e(ending)}</strong></p>')
            out.append(f'<div class="quote">{e(end.text)}</div>')
            if end.feedback:
                out.append(f"<p>{e(end.feedback)}</p>")
        safe = [n for n in activity.nodes if n.outcome == "safe" and n.feedback]
        if details["outcome"] != "safe" and safe:
            out.append(f"<p><strong>{e(ui['outcome_safe'])}:</strong> {e(safe[0].feedback)}</p>")
    return "\n".join(out)


def issue_text(issue: Any, ui: dict[str, str]) -> str:
    code, params = issue.code, issue.params
    if code == "record_missing":
        return ui["fb_record_missing"].format(name=params["name"])
    if code == "record_bad":
        return ui["fb_record_bad"].format(name=params["name"], reason=params["reason"])
    if code == "notebook_bad":
        return ui["fb_notebook_bad"].format(reason=params["reason"])
    if code == "not_graded":
        return ui["fb_not_graded"].format(reason=params["reason"])
    return ui[f"fb_{code}"]


def lesson_page(course: Course, assignment: str, row: StudentResult, lesson_id: str, translator: Translator) -> str:
    ui = translator.ui()
    lesson = course.unit(lesson_id, translator)  # a lesson, or an assessment form as one verdict set
    data, _ = record_status(course.path("submitted", row.student, assignment), lesson.record_id)
    answers = data["answers"] if data else {}
    mine = [a for a in row.activities if a.lesson == lesson_id]
    got, total = sum(a.score for a in mine), sum(a.points for a in mine)
    parts = [
        f"<header><h1>{e(ui['fb_title'].format(assignment=lesson.title))}</h1>",
        f"<p>{e(ui['fb_student'])}: <strong>{e(row.name or row.student)}</strong> ({e(row.student)})</p>",
        f'<p class="score">{e(ui["fb_total"].format(score=points(got), max=points(total)))}</p>',
    ]
    if row.timestamp:
        parts.append(
            f'<p class="muted">{e(ui["fb_submitted"].format(time=row.timestamp.strftime("%Y-%m-%d %H:%M")))}</p>'
        )
    if row.seconds_late > 0:
        hours = row.seconds_late / 3600
        parts.append(f'<p class="notice">{e(ui["fb_late"].format(time=f"{hours:.1f} h"))}</p>')
    parts.append("</header><main>")
    for issue in row.issues:
        if issue.lesson in (lesson_id, None):
            parts.append(f'<p class="notice" role="note">{e(issue_text(issue, ui))}</p>')
    parts.append(f'<p class="muted">{e(ui["fb_first_counts"])}</p>')
    scored = {a.activity: a for a in mine}
    for activity in lesson.activities:
        if activity.id not in scored:
            continue
        result = scored[activity.id]
        own = answers.get(activity.id) or {}
        answered = any(own.get(p) for p in own)
        mark, key = _state(result.score, result.points, answered)
        heading = activity.title or activity.prompt
        parts.append(
            f'<section class="activity" aria-labelledby="a-{e(activity.id)}"><header>'
            f'<h2 id="a-{e(activity.id)}">{e(heading)}</h2>'
            f'<span class="score {mark}">{e(ui["fb_points"].format(score=points(result.score), max=points(result.points)))}</span></header>'
        )
        if activity.title:
            parts.append(f"<p>{e(activity.prompt)}</p>")
        parts.append(f'<p class="{mark}"><strong>{e(ui[key])}</strong></p>')
        parts.append(activity_body(activity, own, ui))
        parts.append("</section>")
    parts.append("</main>")
    return page(course.lang, ui["fb_title"].format(assignment=lesson.title), "\n".join(parts))


def write_feedback(course: Course, assignment: str, row: StudentResult) -> list[Path]:
    translator = Translator(course.curriculum, course.lang)
    folder = course.path("feedback", row.student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson_id in course.lessons(assignment):
        target = folder / f"{course.notebook_name(lesson_id)}.html"
        target.write_text(lesson_page(course, assignment, row, lesson_id, translator), encoding="utf-8")
        written.append(target)
    return written
