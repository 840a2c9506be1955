"""Benchmark: grade a class of 40 submissions of a three-lesson assignment.

Prints seconds per submission for ``netwise course grade`` (nbgrader autograde in a
fresh kernel per notebook, feedback, CSV) next to the floor: executing the same
graded notebooks with nbclient alone. Target on a 2-core machine: within 1.3x the
floor and under 60 s for the class. The floor is printed twice: with standard
kernels (one ``python -m ipykernel_launcher`` per notebook) and with the forked kernels
``netwise course grade`` uses (netwise/kernels/fork.py), both one notebook at a time.

    .venv/bin/python benchmarks/grading.py [--students 40] [--lang vi]

Answers are varied per student and written with NetWise's answer-record API (the same
calls the widgets make), so every submission scores differently.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from netwise.grading.course import add_assignment, environment, init_course
from netwise.grading.grade import grade
from netwise.grading.roster import Student, import_students
from netwise.kernels.fork import ForkingKernelManager
from netwise.scoring.record import AnswerRecord


def random_answers(lesson: Any, rng: random.Random) -> list[tuple[str, str, dict[str, Any]]]:
    out: list[tuple[str, str, dict[str, Any]]] = []
    for activity in lesson.activities:
        if activity.type == "choice":
            ids = [o.id for o in activity.options]
            picked = rng.sample(ids, rng.randint(1, len(ids))) if activity.multiple else [rng.choice(ids)]
            out.append((activity.id, "_", {"selected": picked}))
        elif activity.type == "verdict":
            for item in activity.items:
                scale = ["scam", "legit"] if activity.scale == "scam-legit" else ["true", "false"]
                out.append((activity.id, item.id, {"verdict": rng.choice(scale)}))
        elif activity.type == "red_flags":
            ids = [p.id for p in activity.parts]
            out.append((activity.id, "_", {"marked": rng.sample(ids, rng.randint(1, len(ids)))}))
        elif activity.type == "branching":
            nodes = {n.id: n for n in activity.nodes}
            path = [activity.start]
            while nodes[path[-1]].choices:
                path.append(rng.choice(nodes[path[-1]].choices).goto)
            out.append((activity.id, "_", {"path": path}))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--lang", default="vi")
    parser.add_argument("--keep", action="store_true", help="keep the temporary course folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="netwise-bench-"))
    try:
        started = time.perf_counter()
        course = init_course(work / "course", "bench", args.lang)
        lessons = course.curriculum.modules[0].lessons[:3]
        add_assignment(course, "three", lessons)
        students = [Student(f"s{i:02d}", f"Học sinh {i}", "Nguyễn") for i in range(args.students)]
        import_students(course, students)
        released = course.path("release", None, "three")
        rng = random.Random(7)
        for student in students:
            folder = course.path("submitted", student.id, "three")
            shutil.copytree(released, folder)
            for lesson_id in lessons:
                record = AnswerRecord(lesson_id, args.lang, folder / f"{lesson_id}.answers.json")
                for activity_id, part, value in random_answers(course.curriculum.lesson(lesson_id), rng):
                    record.add(activity_id, part, value)
            (folder / "timestamp.txt").write_text("2025-02-11 08:00:00.000000 UTC", encoding="utf-8")
        setup = time.perf_counter() - started
        print(
            f"setup (course, {len(lessons)}-lesson assignment, {args.students} submissions): {setup:.1f} s",
            file=sys.stderr,
        )

        run = grade(course, "three", progress=lambda d, t, s, x: print(f"\rgraded {d}/{t}", end="", file=sys.stderr))
        print(file=sys.stderr)
        graded = sum(1 for r in run.rows if r.graded)

        # The floor: the same graded notebooks (source version, with the checks) run by nbclient
        # alone, one after another: once with standard kernels, once with the same forked kernels.
        source = course.path("source", None, "three")
        env = {"NETWISE_CURRICULUM": str(course.curriculum_root), "NETWISE_ANSWERS": "memory"}

        def floor(label: str, **client: Any) -> float:
            started = time.perf_counter()
            with environment(env):
                for number, student in enumerate(students, start=1):
                    folder = work / "floor" / label / student.id
                    shutil.copytree(course.path("submitted", student.id, "three"), folder)
                    for path in sorted(source.glob("*.ipynb")):
                        notebook = nbformat.read(path, as_version=4)
                        resources = {"metadata": {"path": str(folder)}}
                        NotebookClient(notebook, timeout=120, resources=resources, **client).execute()
                    print(f"\rfloor ({label}) {number}/{len(students)}", end="", file=sys.stderr)
            print(file=sys.stderr)
            return time.perf_counter() - started

        standard = floor("standard kernels")
        forked = floor("forked kernels", kernel_manager_class=ForkingKernelManager, shutdown_kernel="immediate")

        n = args.students
        print()
        print(f"grading {n} submissions of a {len(lessons)}-lesson assignment ({', '.join(lessons)}), lang {args.lang}, "
              f"{os.cpu_count()} CPUs")  # fmt: skip
        print(f"| {'what':<46} | {'total s':>8} | {'s / submission':>14} |")
        print(f"|{'-' * 48}|{'-' * 10}|{'-' * 16}|")
        print(
            f"| {'netwise course grade (autograde+feedback+CSV)':<46} | {run.seconds:>8.1f} | {run.seconds / n:>14.2f} |"
        )
        rows = [
            ("floor: nbclient alone, standard kernels", standard),
            ("floor: nbclient alone, forked kernels", forked),
        ]
        for label, seconds in rows:
            print(f"| {label:<46} | {seconds:>8.1f} | {seconds / n:>14.2f} |")
        for label, seconds in rows:
            print(f"| {'ratio grade / ' + label[7:]:<46} | {'':>8} | {run.seconds / seconds:>14.2f} |")
        print(f"graded: {graded}/{n}; failures: {len(run.failures)}")
        for student, why in sorted(run.failures.items()):
            print(f"  {student}: {why}")
        return 0 if graded == n else 1
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
