"""The lean page's bundle: the committed, hashed files are what widgets/js/build.py builds now.

The bundle (netwise/app/templates/voila/templates/netwise-lean/static/netwise-lean.*) is
built from widgets/js/src and widgets/static/netwise.js with the esbuild that
widgets/js/package-lock.json pins. A change to any of them without a rebuild fails here:
run ``python3 widgets/js/build.py``. Needs Node and npm, which tests/run.sh installs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netwise.widgets import page_mode

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "widgets" / "js" / "build.py"
TEMPLATE = REPO / "netwise" / "app" / "templates" / "voila" / "templates" / "netwise-lean"


def test_committed_bundle_is_named_by_its_hash() -> None:
    partial = (TEMPLATE / "assets.html.j2").read_text(encoding="utf-8")
    names = re.findall(r'"(netwise-lean\.[0-9a-f]{10}\.(?:js|css))"', partial)
    assert len(names) == 2
    for name in names:
        assert (TEMPLATE / "static" / name).is_file(), name
    assert (TEMPLATE / "static" / "THIRD_PARTY_NOTICES.txt").is_file()
    shipped = sorted(p.name for p in (TEMPLATE / "static").glob("netwise-lean.*"))
    assert shipped == sorted(names), "an old bundle file is still in static/"


@pytest.mark.slow
def test_committed_bundle_is_not_stale() -> None:
    # tests/run.sh installs Node and npm: a machine without them cannot check the bundles.
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed to check the bundles (tests/run.sh installs them)")
    result = subprocess.run([sys.executable, str(BUILD), "--check"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.slow
def test_a_checkout_elsewhere_builds_the_same_files(tmp_path: Path) -> None:
    # CI builds in another folder than the author: names must follow the bytes, not the paths.
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed to check the bundles (tests/run.sh installs them)")
    elsewhere = tmp_path / "another" / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "node_modules")
    for part in ("widgets", "netwise/site/static", "netwise/app/templates/voila/templates/netwise-lean"):
        shutil.copytree(REPO / part, elsewhere / part, ignore=ignore)
    result = subprocess.run(
        [sys.executable, str(elsewhere / "widgets" / "js" / "build.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "up to date" in result.stdout


def test_every_ui_key_the_renderer_reads_belongs_to_a_type() -> None:
    source = page_mode.RENDERER.read_text(encoding="utf-8")
    used = set(re.findall(r"\bui\.(\w+)", source))
    keys = page_mode.renderer_keys()
    assert set().union(*keys.values()) == used
    assert "ui[" not in source  # a computed key would escape the table
    assert keys["choice"] >= {"check", "select_one", "option_right"}
