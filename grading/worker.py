"""Autograde worker processes: ``python -m netwise.grading.worker COURSE ASSIGNMENT``.

A worker reads one JSON job per line on stdin (``{"student": ..., "stand_in": [...]}``)
and answers each with one JSON line (``{"student", "why", "seconds"}``) on the pipe it
was started with; everything else it or its kernels print goes to stderr, so nothing
a notebook prints can be taken for an answer. Separate processes rather than
``multiprocessing`` so no caller needs an ``if __name__ == "__main__"`` guard.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from .autograde import autograde_timed
from .course import load_course
from .errors import CourseError


class Workers:
    """``jobs`` worker processes grading one assignment of one course."""

    def __init__(self, root: Path, assignment: str, jobs: int) -> None:
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-m", "netwise.grading.worker", str(root), assignment],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
            for _ in range(jobs)
        ]

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        for process in self.processes:
            if process.stdin:
                process.stdin.close()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def run(self, work: list[tuple[str, list[str]]]) -> Iterator[tuple[str, str | None, float]]:
        """Hand out the jobs as workers come free; yield each result as it arrives."""
        todo = list(work)
        selector = selectors.DefaultSelector()
        busy: dict[int, str] = {}

        def hand_out(process: subprocess.Popen[str]) -> None:
            student, stand_in = todo.pop(0)
            assert process.stdin is not None
            process.stdin.write(json.dumps({"student": student, "stand_in": stand_in}) + "\n")
            process.stdin.flush()
            busy[process.pid] = student

        for process in self.processes:
            assert process.stdout is not None
            selector.register(process.stdout, selectors.EVENT_READ, process)
            if todo:
                hand_out(process)
        while busy:
            for key, _ in selector.select():
                process = key.data
                line = key.fileobj.readline()  # type: ignore[union-attr]
                if not line:
                    raise CourseError(
                        f"an autograde worker stopped (exit code {process.wait()}) while grading {busy[process.pid]}"
                    )
                answer = json.loads(line)
                del busy[process.pid]
                yield answer["student"], answer["why"], float(answer["seconds"])
                if todo:
                    hand_out(process)
        selector.close()


def serve(root: str, assignment: str, jobs: IO[str], answers: IO[str]) -> None:
    course = load_course(root)
    for line in jobs:
        job: dict[str, Any] = json.loads(line)
        try:
            _, why, seconds = autograde_timed(course, assignment, job["student"], job["stand_in"])
        except Exception as exc:  # one submission's failure must not stop the class
            why, seconds = f"{type(exc).__name__}: {exc}", 0.0
        answers.write(json.dumps({"student": job["student"], "why": why, "seconds": seconds}) + "\n")
        answers.flush()


def main() -> None:
    # Answers go out on a private copy of stdout; stdout itself then points at stderr,
    # so prints from nbgrader or from kernels cannot be mistaken for an answer.
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    serve(sys.argv[1], sys.argv[2], sys.stdin, answers)


if __name__ == "__main__":
    main()
