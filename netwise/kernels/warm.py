"""The curriculum, loaded once in the kernel fork server, so that forked lesson kernels need not.

Why: every lesson kernel loaded and validated its module of the curriculum when its first
cell ran (``Lesson(...)``): a fifth to half a second of CPU per student, on the two cores a
whole year group shares, before the page could show anything. Forked from a server that has
loaded it already (``netwise.content.load_curriculum``'s per-process cache), a kernel finds it
in memory, shared copy-on-write with every other kernel.

The modules to load are named in the environment (:data:`WARM_ENV`, set by the lesson app
before it starts its fork server). A forked kernel first checks that no file of the curriculum
changed since (one ``stat`` per file, about a millisecond); if one did, it drops the loaded
copy and loads afresh, as before, so a curriculum edited while the server runs shows its
errors as it did.
"""

from __future__ import annotations

import os
from pathlib import Path

from netwise.content import load_curriculum
from netwise.content.load import forget_curriculum
from netwise.paths import default_curriculum

WARM_ENV = "NETWISE_WARM_MODULES"  # comma-separated module ids

# curriculum folder -> its files' (path, size, mtime) when it was loaded here
_LOADED: dict[Path, tuple[tuple[str, int, int], ...]] = {}


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    files = []
    for path in sorted(root.rglob("*")):
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            files.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(files)


def after_preload() -> None:
    """In the fork server, after its imports: load the modules named in the environment."""
    modules = [m.strip() for m in os.environ.get(WARM_ENV, "").split(",") if m.strip()]
    if not modules:
        return
    root = default_curriculum().resolve()
    signature = _signature(root)
    for module in modules:
        try:
            load_curriculum(root, module)
        except Exception:  # a broken curriculum: each kernel loads it, and reports it, itself
            return
    _LOADED[root] = signature


def after_fork() -> None:
    """In a forked kernel, before it runs: forget a loaded curriculum whose files changed since."""
    for root, signature in _LOADED.items():
        if _signature(root) != signature:
            forget_curriculum(root)
