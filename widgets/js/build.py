"""Rebuild the front-end bundles byte for byte: ``python3 widgets/js/build.py``.

esbuild (and the static site's zxcvbn-ts) come from the npm registry at the versions
package-lock.json pins, installed with ``npm ci`` into a cache folder outside the checkout (a
``node_modules`` inside ``widgets/`` would be copied into the wheel, which force-includes that
folder). Then ``build.mjs`` writes the lean page's hashed bundle into the netwise-lean Voilà
template, and the static lesson site's bundle (``netwise export-site``) into netwise/site/static.

``--check`` builds both into a temporary folder and compares them with the committed files
(tests/unit/test_bundle.py): exit status 1, and the differing names, when they differ.
``--out DIR`` / ``--site-out DIR`` write somewhere else. Needs Node (18 or later) and npm.
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
SITE = REPO / "netwise" / "site" / "static"
# Every file the site build writes there (the bundle, its chunks, the service worker, the list).
SITE_GLOBS = ("*.js", "*.css", "assets.json", "THIRD_PARTY_NOTICES.txt")


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


def build(out: Path, site_out: Path) -> None:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("build.py: node is not installed")
    env = {**os.environ, "NETWISE_JS_MODULES": str(install())}
    command = [node, str(HERE / "build.mjs"), "--out", str(out), "--site-out", str(site_out)]
    subprocess.run(command, check=True, env=env)


def built_files(folder: Path) -> list[str]:
    names = [str(p.relative_to(folder)) for p in folder.glob(BUNDLE_GLOB)]
    return sorted(names + [name for name in GENERATED if (folder / name).exists()])


def site_files(folder: Path) -> list[str]:
    return sorted({p.name for pattern in SITE_GLOBS for p in folder.glob(pattern)})


def _differ(fresh: Path, have: Path, wanted: list[str], present: list[str], prefix: str) -> list[str]:
    stale = sorted(set(wanted) ^ set(present))
    for name in set(wanted) & set(present):
        if not filecmp.cmp(fresh / name, have / name, shallow=False):
            stale.append(name)
    return [prefix + name for name in sorted(stale)]


def check() -> list[str]:
    """The files whose committed version differs from a fresh build (empty: up to date)."""
    with tempfile.TemporaryDirectory(prefix="netwise-bundle-") as tmp:
        fresh, fresh_site = Path(tmp) / "lean", Path(tmp) / "site"
        build(fresh, fresh_site)
        stale = _differ(fresh, TEMPLATE, built_files(fresh), built_files(TEMPLATE), "")
        stale += _differ(fresh_site, SITE, site_files(fresh_site), site_files(SITE), "netwise/site/static/")
        return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild the lean page's and the static site's bundles byte for byte.")
    parser.add_argument("--check", action="store_true", help="compare a fresh build with the committed bundles")
    parser.add_argument("--out", type=Path, default=TEMPLATE, help="template folder to write into")
    parser.add_argument("--site-out", type=Path, default=SITE, help="the static site's asset folder to write into")
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        if stale:
            print("stale bundle (run python3 widgets/js/build.py): " + ", ".join(stale), file=sys.stderr)
            return 1
        print("lean and site bundles up to date")
        return 0
    build(args.out, args.site_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
