"""Where the test data lives, and the installed command line as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
FIXTURES = TESTS / "fixtures"
NETWISE = str(Path(sys.executable).parent / "netwise")
ARTIFACTS = TESTS.parent / "test-artifacts"


def run_netwise(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed `netwise` command as a user would."""
    return subprocess.run([NETWISE, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def rewrite(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (which must be there) by ``new`` in a copied fixture file; returns the 1-based line
    where ``old`` began, for the ``file:line`` a content error should name."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1
