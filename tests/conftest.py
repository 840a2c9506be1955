"""Shared fixtures: the installed command line and copies of test curricula."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from support.paths import ARTIFACTS, FIXTURES, run_netwise


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its level, from its folder, so ``-m unit`` and the like select by level."""
    for item in items:
        level = item.path.parent.name
        if level in ("unit", "integration", "browser"):
            item.add_marker(getattr(pytest.mark, level))
