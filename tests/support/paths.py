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
