"""Shared fixtures: the installed command line and copies of test curricula."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
NETWISE = str(Path(sys.executable).parent / "netwise")
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"


def run_netwise(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed `netwise` command as a user would."""
    return subprocess.run([NETWISE, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def netwise() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_netwise


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small valid curriculum (all four activity types, en + vi)."""
    target = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
