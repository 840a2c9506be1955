"""Typed exceptions. Every NetWise error prints as one line a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class NetwiseError(Exception):
    """Base class: the command line prints ``str(error)`` and exits non-zero."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a content file, located for the author."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(NetwiseError):
    """The curriculum has problems; carries all of them, sorted by file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(str(self.problems[0]) if self.problems else "content error")


class UnknownContentError(NetwiseError):
    """A notebook or command named a lesson, activity or form the curriculum does not have."""


UnknownLessonError = UnknownContentError  # the 0.1 name, which notebooks and scripts may catch


class LanguageError(NetwiseError):
    """A language was asked for that has no complete catalog."""


class RecordError(NetwiseError):
    """The answer record cannot be written (disk full, no permission)."""


def relative(path: Path, root: Path) -> str:
    """Show content paths relative to the curriculum root's parent, as authors see them."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)
