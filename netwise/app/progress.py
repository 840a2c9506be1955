"""A class session's progress, computed from the students' answer records: what the teacher's dashboard shows.

The dashboard (netwise/app/dashboard.py) and a student's home (netwise/app/class_handlers.py,
``page_progress``) are the tornado side; this module is plain functions over
records, so it is tested on records written by the widgets' own ``AnswerRecord`` without a server.

Nothing here scores an answer its own way:

- a cell of the grid (a student x an activity) is scored with ``netwise.scoring`` (the functions the
  widget and the graded check call) on the parts the widget records (``scoring.parts``);
- an activity's answer distribution and its most common wrong answer are the class report's per-type
  rows (``netwise.grading.activities.REPORT``), through the function ``grading/report.py`` calls
  too, ``class_rows`` (first answers count);
- the class's before/after discernment is ``grading/gains.py``'s ``collect_learning``, which reads the
  same ``submitted/<id>/<module>-<form>/`` records with ``netwise.scoring.discernment``.

A cell's status, with the widgets' record semantics (every part of an item set is its own answer):

- ``not_done``: no answer recorded for any part;
- ``in_progress``: some parts answered, not all (an item set half judged);
- ``right_first``: every part answered, and the first answer to each was right;
- ``several_tries``: every part answered, and some first answer was not right: the teacher's
  "needed several tries", whatever came after (the first answer is the one that counts for marks,
  so this is the student whose mark is below full; the cell shows how many tries were made).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from netwise.grading.activities import ActivityReport, Answers, Context, Wrong, class_rows
from netwise.grading.course import Course
from netwise.grading.gains import Learning, collect_learning, modules_in
from netwise.grading.html import short
from netwise.i18n import Translator
from netwise.scoring import answer, parts

STATUSES = ("not_done", "in_progress", "right_first", "several_tries")
CSV_BOM = "\ufeff"  # spreadsheet apps read the CSV as UTF-8 (Vietnamese names) only with it


class PageLike(Protocol):
    """What this module needs of a session page (``classroom.ClassPage`` has it)."""

    @property
    def assignment(self) -> str: ...

    @property
    def page_id(self) -> str: ...

    @property
    def record_id(self) -> str: ...

    @property
    def entry(self) -> str: ...

    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class SessionActivity:
    """One activity of the session, in the course language, on the page (lesson or check) that shows it."""

    page_id: str
    record_id: str
    assignment: str
    page_title: str
    activity: Any  # a content model activity, translated
    title: str

    @property
    def id(self) -> str:
        return str(self.activity.id)

    @property
    def key(self) -> str:
        """``<page>/<activity>``: how the projector view and the CSV name it."""
        return f"{self.page_id}/{self.activity.id}"


@dataclass(frozen=True)
class Cell:
    """One student's progress on one activity."""

    status: str  # one of STATUSES
    tries: int  # the most attempts at any part (0: not done)
    answered: int  # parts answered
    parts: int  # parts the activity is answered in


def session_activities(course: Course, pages: Iterable[PageLike], translator: Translator) -> list[SessionActivity]:
    """Every activity of the session's pages, in session order, translated into the course language."""
    out: list[SessionActivity] = []
    for page in pages:
        unit = course.unit(page.entry, translator)
        for activity in unit.activities:
            title = activity.title or short(activity.prompt)
            # The page's own title: a check reads "Check before: <module>", not the bank's title.
            out.append(SessionActivity(page.page_id, page.record_id, page.assignment, page.title, activity, title))
    return out


def cell(activity: Any, answers: Answers) -> Cell:
    """A student's status on one activity, from the activity's block of their answer record."""
    keys = parts(activity)
    attempts = {key: [a for a in answers.get(key) or [] if isinstance(a, dict)] for key in keys}
    answered = sum(1 for key in keys if attempts[key])
    tries = max((len(a) for a in attempts.values()), default=0)
    if answered == 0:
        status = "not_done"
    elif answered < len(keys):
        status = "in_progress"
    elif all(answer(activity, key, attempts[key][0].get("value")).correct for key in keys):
        status = "right_first"
    else:
        status = "several_tries"
    return Cell(status, tries, answered, len(keys))


def answers_of(record: Mapping[str, Any] | None, activity_id: str) -> Answers:
    """One activity's block of a parsed answer record (empty when the record is missing)."""
    if not record:
        return {}
    block = record.get("answers", {}).get(activity_id)
    return block if isinstance(block, dict) else {}


Records = Mapping[str, Mapping[str, Mapping[str, Any] | None]]  # student -> record id -> parsed record


def grid(activities: Sequence[SessionActivity], students: Iterable[str], records: Records) -> dict[str, list[Cell]]:
    """Student id -> one cell per activity, in the order of ``activities``."""
    return {
        sid: [cell(a.activity, answers_of(records.get(sid, {}).get(a.record_id), a.id)) for a in activities]
        for sid in students
    }


def page_progress(activities: Iterable[Any], record: Mapping[str, Any] | None) -> tuple[int, int]:
    """(activities answered, activities) of one page for one student, what the student's home shows:
    the grid's own cells, so the child and the teacher never count differently (an activity is
    answered once any of its parts is)."""
    cells = [cell(a, answers_of(record, a.id)) for a in activities]
    return sum(1 for c in cells if c.status != "not_done"), len(cells)


def status_counts(cells: Iterable[Cell]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for c in cells:
        counts[c.status] += 1
    return counts


def class_report(activity: SessionActivity, students: Iterable[str], records: Records, ctx: Context) -> ActivityReport:
    """The class report's rows for one activity (grading.activities.class_rows), over the students' records."""
    blocks = [{activity.id: answers_of(records.get(sid, {}).get(activity.record_id), activity.id)} for sid in students]
    return class_rows(activity.activity, blocks, ctx)


def missed_cues(activity: Any, wrong: Wrong) -> list[str]:
    """The cues of the item a wrong answer was about, when the activity has items with cues.

    Every REPORT entry keys a misconception as ``<kind>:<item or part id>:...``, so the item is
    found by its id without knowing the activity's type.
    """
    fields = wrong.key.split(":")
    items = getattr(activity, "items", None) or []
    if len(fields) < 2:
        return []
    item = next((i for i in items if getattr(i, "id", None) == fields[1]), None)
    return [str(c) for c in getattr(item, "cues", None) or []]


# --- before and after --------------------------------------------------------------------


@dataclass(frozen=True)
class FormLearning:
    """The class on one check of the session: how many took it, mean accuracy and d′, the gain over before."""

    form_id: str
    kind: str  # "pre", "post" or "booster"
    weeks: int  # a booster's weeks after the post check (0 otherwise)
    assignment: str
    measured: int
    accuracy: float | None
    d_prime: float | None
    gain_accuracy: float | None
    gain_d_prime: float | None


@dataclass(frozen=True)
class ModuleLearning:
    module_id: str
    title: str
    forms: list[FormLearning]


def session_learning(course: Course, assignments: Sequence[str], translator: Translator) -> list[ModuleLearning]:
    """Before/after discernment of each module whose ``-pre`` and ``-post`` checks are both in the session.

    Read from ``submitted/`` by grading/gains.py's ``collect_learning`` (netwise.scoring.discernment):
    the same numbers as the measured-learning report.
    """
    modules = list(dict.fromkeys(m for a in assignments for m in modules_in(course, a)))
    out = []
    for module_id in modules:
        learning: Learning = collect_learning(course, module_id)
        held = [f for f in learning.forms if learning.assignments.get(f.form_id) in assignments]
        if not {"pre", "post"} <= {f.kind for f in held}:
            continue
        rows = []
        for f in held:
            measured = sum(1 for s in learning.students if f.form_id in s.progress.scores)
            later = f.kind != "pre"
            rows.append(
                FormLearning(
                    f.form_id,
                    f.kind,
                    f.weeks or 0,
                    learning.assignments[f.form_id],
                    measured,
                    learning.class_mean(f.form_id, "accuracy"),
                    learning.class_mean(f.form_id, "d_prime"),
                    learning.class_gain(f.form_id, "accuracy") if later else None,
                    learning.class_gain(f.form_id, "d_prime") if later else None,
                )
            )
        out.append(ModuleLearning(module_id, translator.module(module_id).title, rows))
    return out


# --- the CSV -----------------------------------------------------------------------------


def grid_csv(
    activities: Sequence[SessionActivity],
    students: Mapping[str, str],
    cells: Mapping[str, list[Cell]],
    labels: Mapping[str, str],
) -> str:
    """The grid as CSV text: a row per student (id, name), a column per activity (``page/activity``).

    Each cell is the status in the course language (``labels``), then the tries in brackets. Starts
    with a byte-order mark so that a spreadsheet app reads Vietnamese names as UTF-8.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student_id", "name", *(a.key for a in activities), *(f"{s}_count" for s in STATUSES)])
    for sid, name in students.items():
        row = cells.get(sid, [])
        shown = [labels[c.status] + (f" ({c.tries})" if c.tries > 1 else "") for c in row]
        counts = status_counts(row)
        writer.writerow([sid, name, *shown, *(counts[s] for s in STATUSES)])
    return CSV_BOM + out.getvalue()
