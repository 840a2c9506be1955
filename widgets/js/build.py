"""Rebuild the lean lesson page's bundle byte for byte: ``python3 widgets/js/build.py``.

esbuild comes from the npm registry at the version package-lock.json pins, installed with
``npm ci`` into a cache folder outside the checkout (a ``node_modules`` inside ``widgets/``
would be copied into the wheel, which force-includes that folder). Then ``build.mjs`` writes
the hashed bundle into the netwise-lean Voilà template.

``--check`` builds into a temporary folder and compares it with the committed files
(tests/unit/test_bundle.py): exit status 1, and the differing names, when they differ.
``--out DIR`` writes somewhere else. Needs Node (18 or later) and npm.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TEMPLATE = REPO / "netwise" / "app" / "templates" / "voila" / "templates" / "netwise-lean"
# What the build writes (relative to the template folder), besides the hashed bundle files.
GENERATED = ("assets.html.j2", "static/THIRD_PARTY_NOTICES.txt")
BUNDLE_GLOB = "static/netwise-lean.*"


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    lock = (HERE / "package-lock.json").read_bytes()
    return base / "netwise" / f"js-{hashlib.sha256(lock).hexdigest()[:16]}"


def install() -> Path:
    """esbuild, as package-lock.json pins it, in a cache folder; returns its node_modules."""
    folder = cache_dir()
    modules = folder / "node_modules"
    if (modules / "esbuild" / "package.json").is_file():
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("build.py: npm is not installed (Node 18 or later with npm is needed)")
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / name, folder / name)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=folder, check=True)
    return modules


def build(out: Path) -> None:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("build.py: node is not installed")
    env = {**os.environ, "NETWISE_JS_MODULES": str(install())}
    subprocess.run([node, str(HERE / "build.mjs"), "--out", str(out)], check=True, env=env)


def built_files(folder: Path) -> list[str]:
    names = [str(p.relative_to(folder)) for p in folder.glob(BUNDLE_GLOB)]
    return sorted(names + [name for name in GENERATED if (folder / name).exists()])


def check() -> list[str]:
    """The files whose committed version differs from a fresh build (empty: up to date)."""
    with tempfile.TemporaryDirectory(prefix="netwise-bundle-") as tmp:
        fresh = Path(tmp)
        build(fresh)
        wanted, have = built_files(fresh), built_files(TEMPLATE)
        stale = sorted(set(wanted) ^ set(have))
        for name in set(wanted) & set(have):
            if not filecmp.cmp(fresh / name, TEMPLATE / name, shallow=False):
                stale.append(name)
        return sorted(stale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild the lean lesson page's bundle byte for byte.")
    parser.add_argument("--check", action="store_true", help="compare a fresh build with the committed bundle")
    parser.add_argument("--out", type=Path, default=TEMPLATE, help="template folder to write into")
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        if stale:
            print("stale lean bundle (run python3 widgets/js/build.py): " + ", ".join(stale), file=sys.stderr)
            return 1
        print("lean bundle up to date")
        return 0
    build(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
