"""Typed errors of the course workflow; each prints as one line a teacher can act on."""

from __future__ import annotations

from netwise.errors import NetwiseError


class CourseError(NetwiseError):
    """The course folder is missing, incomplete, or nbgrader refused a step."""


class RosterError(NetwiseError):
    """The roster has bad rows; carries one message per bad row (nothing was imported)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{problems[0]}" if len(problems) == 1 else f"{len(problems)} bad rows, first: {problems[0]}")


class CollectError(NetwiseError):
    """Submissions could not be collected (unreadable archive, nothing matched)."""
