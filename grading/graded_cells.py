"""The graded checks: one locked, hidden autograder cell after each activity.

nbgrader gives a test cell full points when it runs cleanly, zero on an error, and —
the part we rely on — a *number* as the cell's result is taken as partial credit
(``nbgrader.utils.determine_grade``). So each check returns the activity's score,
computed from the answer record against the curriculum with ``netwise.scoring``.
A missing, foreign or corrupt record scores 0; the cause goes to stdout (never
stderr, which nbgrader reads as an error) so the formgrader shows it to the teacher.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netwise.content import Curriculum, load_curriculum, module_of_lesson
from netwise.content.local import local_values, localise
from netwise.paths import default_curriculum
from netwise.scoring import activity_score
from netwise.scoring.record import CorruptRecord, read, record_name

from .units import unit

BEGIN = "### BEGIN HIDDEN TESTS"
END = "### END HIDDEN TESTS"
CELL_PREFIX = "check-"  # grade_id and cell id of the check for an activity


def grade_id(activity_id: str) -> str:
    return f"{CELL_PREFIX}{activity_id}"


def check_source(lesson_id: str, activity_id: str, note: str) -> str:
    """The check as written in the source assignment; students see only ``note``."""
    return "\n".join(
        [
            f"# {note}",
            BEGIN,
            "from netwise.grading.graded_cells import score",
            f'score("{lesson_id}", "{activity_id}")',
            END,
        ]
    )


def check_cell(lesson_id: str, activity_id: str, points: float, note: str) -> Any:
    # nbformat pulls in jsonschema (1.3 s): only the course builder needs it, not the kernel.
    from nbformat.v4 import new_code_cell

    return new_code_cell(
        check_source(lesson_id, activity_id, note),
        id=grade_id(activity_id)[:64],
        metadata={
            "deletable": False,
            "editable": False,
            "nbgrader": {
                "grade": True,
                "grade_id": grade_id(activity_id),
                "locked": True,
                "points": points,
                "schema_version": 3,
                "solution": False,
                "task": False,
            },
        },
    )


def _curriculum(lesson_id: str) -> Curriculum:
    # The per-kernel cache the widgets share (the lesson's setup cell has loaded this module
    # already): loading a curriculum is the slow part of each graded notebook.
    root = default_curriculum()
    module = lesson_id.split(":", 1)[0] if ":" in lesson_id else module_of_lesson(root, lesson_id)
    return load_curriculum(root, module)


def record_status(directory: Path, lesson_id: str) -> tuple[dict[str, Any] | None, str | None]:
    """The parsed record, or None and why not ("missing" or the parse error)."""
    path = directory / record_name(lesson_id)
    if not path.is_file():
        return None, "missing"
    try:
        return read(path, lesson_id), None
    except (CorruptRecord, UnicodeDecodeError, OSError) as exc:
        return None, str(exc)


def score(lesson_id: str, activity_id: str, directory: str | Path | None = None) -> float:
    """Points earned for one activity (first attempt counts); 0 without a usable record."""
    # ``lesson_id`` may name an assessment form ("scams:pre"): scored as one verdict set.
    found = unit(_curriculum(lesson_id), lesson_id)
    activity = next((a for a in found.activities if a.id == activity_id), None)
    if activity is None:
        print(f"NetWise: lesson {lesson_id!r} has no activity {activity_id!r}; 0 points")
        return 0.0
    data, problem = record_status(Path(directory) if directory else Path.cwd(), found.record_id)
    if data is None:
        print(f"NetWise: answer record {record_name(found.record_id)} {problem}; 0 points")
        return 0.0
    answers = data["answers"].get(activity_id) or {}
    # Names in an activity (a link's site: {cast:news-web}.example) come from the region the
    # lesson was shown with, which the record names. A record from before it did counts as it
    # reads in the region it fits best (names differ between regions, never what is right).
    regions = _curriculum(lesson_id).regions
    shown = regions.get(str(data.get("region", "")))
    if shown is not None:
        candidates = [localise(activity, local_values(shown, "en"))]
    else:
        candidates = [activity, *(localise(activity, local_values(r, "en")) for r in regions.values() if r.local)]
    result = max((activity_score(a, answers) for a in candidates), key=lambda r: r.score)
    return float(min(result.score, activity.points))
