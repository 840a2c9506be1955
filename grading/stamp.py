"""What a release was made with: the NetWise version and the curriculum, in a small JSON file.

A release zip travels on USB sticks for weeks; a student's computer may meanwhile have another
NetWise, or another curriculum, than the teacher's. The lessons' widgets and the graded checks
read the curriculum installed where they run, so ``netwise lab --open`` compares this stamp with
what it would use and says so in one line when they differ. Light on purpose (no nbgrader): the
command line reads it before starting JupyterLab.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netwise import __version__

STAMP = "netwise-release.json"
SCHEMA = 1
SKIP = {"__pycache__", ".ipynb_checkpoints"}


def curriculum_hash(root: Path) -> str:
    """A short digest of every file of a curriculum folder (paths and bytes): same content, same hash."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or SKIP.intersection(relative.parts) or path.name.startswith("."):
            continue
        digest.update(relative.as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Stamp:
    netwise: str
    curriculum: str  # the curriculum's title
    curriculum_hash: str
    assignment: str = ""
    lang: str = ""

    def to_json(self) -> str:
        data = {"schema": SCHEMA, "netwise": self.netwise, "curriculum": {"title": self.curriculum,
                "hash": self.curriculum_hash}, "assignment": self.assignment, "lang": self.lang}  # fmt: skip
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def current(root: Path, title: str, assignment: str = "", lang: str = "") -> Stamp:
    """The stamp of this NetWise with the curriculum in ``root``."""
    return Stamp(__version__, title, curriculum_hash(root), assignment, lang)


def read(folder: Path) -> Stamp | None:
    """The stamp in a release folder (or its one subfolder, as a zip unpacks); None if there is none."""
    candidates = [folder / STAMP, *sorted(folder.glob(f"*/{STAMP}"))]
    for path in candidates:
        if path.is_file():
            try:
                data: Any = json.loads(path.read_text(encoding="utf-8"))
                curriculum = data.get("curriculum") or {}
                return Stamp(
                    str(data.get("netwise", "")),
                    str(curriculum.get("title", "")),
                    str(curriculum.get("hash", "")),
                    str(data.get("assignment", "")),
                    str(data.get("lang", "")),
                )
            except (ValueError, AttributeError):
                return None  # a damaged stamp is no reason to keep a student from the lessons
    return None


def mismatch(made: Stamp, here: Stamp) -> str | None:
    """One line when a release was made with another NetWise or curriculum than this one, else None."""
    parts = []
    if made.netwise != here.netwise:
        parts.append(f"NetWise {made.netwise} (this computer has {here.netwise})")
    if made.curriculum_hash != here.curriculum_hash:
        parts.append(f"curriculum {made.curriculum_hash} (this computer has {here.curriculum_hash})")
    if not parts:
        return None
    return (
        f"note: this release was made with {' and '.join(parts)}; the lessons may differ from the "
        "teacher's: install the teacher's version if answers are graded"
    )
