"""A plain wheel install carries curriculum/ and notebooks/; commands work from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheel = next(dist.glob("netwise-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "netwise/widgets/__init__.py" in names and "netwise/grading/__init__.py" in names
    assert "netwise/_data/curriculum/curriculum.yaml" in names
    assert any(n.startswith("netwise/_data/notebooks/vi/") and n.endswith(".ipynb") for n in names)
    assert any(n.startswith("netwise/_data/curriculum/locale/vi/") for n in names)
    assert not any(n.startswith(("widgets/", "grading/", "curriculum/", "tests/")) for n in names)
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)], check=True
    )
    return site


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = "import sys; from netwise.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_commands_work_from_the_installed_wheel(wheel_site: Path, tmp_path: Path) -> None:
    where = _run(wheel_site, tmp_path, "--version")
    assert where.returncode == 0
    check = _run(wheel_site, tmp_path, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    built = _run(wheel_site, tmp_path, "build", "--check")
    assert built.returncode == 0, built.stdout + built.stderr
    assert str(wheel_site) in built.stdout  # it checked the notebooks inside the wheel
    listing = _run(wheel_site, tmp_path, "list", "--json")
    assert listing.returncode == 0
    modules = json.loads(listing.stdout)["modules"]
    assert modules[0]["id"] == "scams" and all("vi" in lesson["languages"] for lesson in modules[0]["lessons"])
