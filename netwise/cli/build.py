"""``netwise build`` and ``netwise lab``: the lesson notebooks, and opening them in JupyterLab.

``netwise lab`` copies the bundled lessons into a working folder (``--dir``); ``netwise lab --open DIR``
opens a folder as it is, such as a student's unzipped release, and copies nothing into it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from netwise.build.notebooks import build, build_languages, is_default_region
from netwise.cli.common import add_curriculum, add_region, curriculum_dir, default_out, load_curriculum_arg
from netwise.errors import NetwiseError
from netwise.grading import stamp
from netwise.paths import CURRICULUM_ENV


def register(sub: Any) -> None:
    p = sub.add_parser("build", help="write the lesson notebooks for every language")
    add_curriculum(p)
    p.add_argument("--out", metavar="DIR", help="output folder (default: the bundled notebooks/)")
    p.add_argument("--lang", help="build one language only")
    add_region(p)
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook is stale or missing")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("lab", help="open the lessons of one language in JupyterLab")
    add_curriculum(p)
    p.add_argument("--lang", help="lesson language (default: en)")
    add_region(p)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--dir", help="working folder for the learner's copies (default: ./netwise-LANG)")
    where.add_argument(
        "--open",
        metavar="DIR",
        help="open this folder as it is (e.g. an unzipped class release) without copying any lesson into it",
    )
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help="default: 8888, or the next free port (JupyterLab's own choice)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.add_argument("--dry-run", action="store_true", help="prepare the folder and print the command only")
    p.set_defaults(func=cmd_lab)


def cmd_build(args: argparse.Namespace) -> int:
    curriculum = load_curriculum_arg(args)
    out = default_out(args)
    langs = [args.lang] if args.lang else None
    if args.region is not None:
        curriculum.region(args.region)  # an unknown region: one line naming the known ones
        other = [
            lang for lang in build_languages(curriculum, langs) if not is_default_region(curriculum, lang, args.region)
        ]
        if other and not args.out:
            # The committed notebooks keep each language's usual region; other pairs go elsewhere.
            raise NetwiseError(
                f"--region {args.region} is not the usual region of {', '.join(other)}: "
                "write these notebooks to a folder of their own with --out DIR"
            )

    def progress(done: int, total: int, path: Path) -> None:
        if sys.stderr.isatty():
            print(f"\r[{done}/{total}] {path.name[:50]:<50}", end="", file=sys.stderr, flush=True)

    result = build(curriculum, out, langs, check=args.check, progress=progress, region=args.region)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.check:
        for path in result.missing:
            print(f"missing: {path}")
        for path in result.stale:
            print(f"stale: {path}")
        for path in result.extra:
            print(f"not from the curriculum: {path}")
        bad = result.missing or result.stale or result.extra
        if bad:
            print("netwise build --check: notebooks are out of date; run 'netwise build'", file=sys.stderr)
            return 1
        print(f"ok: {len(result.unchanged)} notebooks up to date in {out}")
        return 0
    for path in result.removed:
        print(f"removed {path} (no longer produced by the curriculum)")
    for path in result.extra:
        print(f"note: {path} is not produced by the curriculum (left in place)")
    print(f"built {len(result.written)} notebooks ({len(result.unchanged)} unchanged) in {out}")
    return 0


# --- lab -----------------------------------------------------------------------------


def cmd_lab(args: argparse.Namespace) -> int:
    """Copy the language's notebooks into a working folder (answers live there) and open JupyterLab."""
    if args.open is not None:
        return open_folder(args)
    curriculum = load_curriculum_arg(args)
    lang = args.lang or curriculum.manifest.source_language
    source = default_out(args)
    region = args.region
    if region is not None:
        curriculum.region(region)  # an unknown region: one line naming the known ones
    other_region = not is_default_region(curriculum, lang, region)
    if other_region:
        # Another pairing than the committed notebooks: build it into the working folder's own copy.
        source = Path(args.dir or f"netwise-{lang}-{region}").resolve() / ".netwise-notebooks"
        build(curriculum, source, [lang], region=region)
    elif args.curriculum:  # an NGO's copy: build its notebooks first
        build(curriculum, source, [lang])
    elif not (source / lang).is_dir():
        raise NetwiseError(f"no notebooks for language '{lang}' in {source}")
    work = Path(args.dir or (f"netwise-{lang}-{region}" if other_region else f"netwise-{lang}")).resolve()
    copied = 0
    for notebook in sorted((source / lang).rglob("*.ipynb")):
        target = work / notebook.relative_to(source / lang)
        if not target.exists():  # never overwrite a learner's own copy
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, target)
            copied += 1
    pairing = f"{lang}, region {region}" if other_region else lang
    print(f"NetWise lessons ({pairing}) in {work} ({copied} new). Answers are saved beside each notebook.")
    return start_lab(args, work)


def open_folder(args: argparse.Namespace) -> int:
    """``lab --open DIR``: JupyterLab on a folder as it is; one line if its release came from another NetWise."""
    if args.lang or args.region:
        raise NetwiseError("--open opens a folder as it is: its notebooks already have their language and region")
    work = Path(args.open).resolve()
    if not work.is_dir():
        raise NetwiseError(f"no folder {work} to open (unzip the release first)")
    notebooks = sum(1 for _ in work.rglob("*.ipynb"))
    if not notebooks:
        raise NetwiseError(f"no notebooks in {work}: open the folder the release zip unpacked to")
    made = stamp.read(work)
    if made is not None:
        curriculum = load_curriculum_arg(args)
        here = stamp.current(curriculum_dir(args), str(curriculum.manifest.title))
        line = stamp.mismatch(made, here)
        if line:
            print(line)
    print(f"{notebooks} notebook(s) in {work}; answers are saved beside each notebook. Nothing was copied.")
    return start_lab(args, work)


def start_lab(args: argparse.Namespace, work: Path) -> int:
    """Run JupyterLab on ``work`` with this curriculum (or print the command with ``--dry-run``)."""
    env = dict(os.environ)
    env[CURRICULUM_ENV] = str(curriculum_dir(args).resolve())
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={work}"]
    if args.port is not None:  # else JupyterLab's own choice: 8888, the next free one when taken
        command.append(f"--port={args.port}")
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    if args.dry_run:
        print(" ".join(command))
        return 0
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover
