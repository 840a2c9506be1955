"""``netwise export-site``: the lessons as a folder of static pages for any web server or CDN."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from netwise.cli.common import add_curriculum, add_region


def _ids(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "export-site",
        help="write every lesson as static pages for self-study on any web server or CDN (no kernel, no server)",
        description="Write a folder of static pages: a landing page, one page per lesson and per before/after "
        "check, hashed assets. The pages score answers in the browser: the answer keys are in the pages and "
        "nothing is graded (for a graded class use class sessions or nbgrader). See docs/static-site.md.",
    )
    p.add_argument(
        "out", metavar="OUT", help="the folder to write (new, empty, or an earlier export, which is replaced)"
    )
    p.add_argument(
        "--lang",
        metavar="LANG",
        action="append",
        help="a language to export (repeat for more; default: every complete one)",
    )
    add_region(p)
    p.add_argument(
        "--lessons", metavar="IDS", help="comma-separated lesson ids (default: all); checks follow their module"
    )
    add_curriculum(p)
    p.add_argument(
        "--base-url",
        metavar="PATH",
        help="absolute links under this path, e.g. /lessons/ (default: relative links, which work under any path)",
    )
    p.add_argument("--zip", action="store_true", help="also write OUT.zip, one archive to upload")
    p.set_defaults(func=cmd_export_site)


def cmd_export_site(args: argparse.Namespace) -> int:
    # Deferred: nbconvert and the widgets are slow to import and only this command needs them.
    from netwise.site.export import export_site

    out = Path(args.out)
    result = export_site(
        out,
        curriculum_dir=Path(args.curriculum) if args.curriculum else None,
        langs=args.lang,
        region=args.region,
        lessons=_ids(args.lessons),
        base_url=args.base_url,
        make_zip=args.zip,
    )
    pages = len(result.pages)
    print(f"wrote {out}: {pages} pages, {result.files} files, {result.bytes / 1024:.0f} KiB")
    if result.zip_path is not None:
        print(f"wrote {result.zip_path} ({result.zip_path.stat().st_size / 1024:.0f} KiB)")
    return 0
