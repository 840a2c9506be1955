"""Loading a curriculum: its structure, then validation; and the per-process cache kernels use.

Kept apart from the loader so that validation (which needs the loaded structure) sits
between the two without an import cycle.
"""

from __future__ import annotations

from pathlib import Path

from netwise.content.loader import Curriculum, load_structure
from netwise.content.validate import validate
from netwise.errors import ContentError
from netwise.paths import default_curriculum


def load(root: Path, modules: list[str] | None = None) -> Curriculum:
    """Load and validate (shape, references); ``modules`` limits it to some modules, as a kernel
    showing one lesson needs; raise ContentError."""
    curriculum, problems = load_structure(root, modules)
    if curriculum is not None:
        problems += validate(curriculum)
    if problems:
        raise ContentError(problems)
    assert curriculum is not None
    return curriculum


# Loading and validating a curriculum is the slow part; a kernel does it once per folder,
# and only for the module it shows (time to first widget and memory per kernel count).
_CURRICULA: dict[tuple[Path, str | None], Curriculum] = {}


def load_curriculum(root: str | Path | None = None, module: str | None = None) -> Curriculum:
    """``load`` once per process for a folder (and module): widgets and graded cells share it."""
    path = Path(root if root is not None else default_curriculum()).resolve()
    key = (path, module)
    if key not in _CURRICULA:
        _CURRICULA[key] = load(path, [module] if module else None)
    return _CURRICULA[key]


def forget_curriculum(root: str | Path) -> None:
    """Drop what ``load_curriculum`` holds for a folder (every module), so the next call reads it again."""
    path = Path(root).resolve()
    for key in [key for key in _CURRICULA if key[0] == path]:
        del _CURRICULA[key]
