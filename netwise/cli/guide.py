"""``netwise guide``: the printable teacher guide, or with ``--family`` the family guide (one page
per module for parents and carers); each one offline HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from netwise.build.guide import render_family_guide, render_guide, selected_modules, write_guide
from netwise.cli.common import add_region, load_curriculum_arg


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("guide", help="write a printable teacher guide (one offline HTML file)")
    p.add_argument("--curriculum", metavar="DIR", help="curriculum folder (default: the bundled one)")
    p.add_argument("--lang", metavar="LANG", help="language of the guide (default: the source language)")
    add_region(p)
    p.add_argument("--modules", metavar="IDS", help="comma-separated module ids (default: all, in curriculum order)")
    p.add_argument(
        "--family", action="store_true", help="the family guide: one printable page per module for parents and carers"
    )
    p.add_argument("--out", metavar="FILE", required=True, help="the HTML file to write, e.g. guide-vi.html")
    p.set_defaults(func=cmd_guide)


def cmd_guide(args: argparse.Namespace) -> int:
    curriculum = load_curriculum_arg(args)
    lang = args.lang or curriculum.manifest.source_language
    ids = [part.strip() for part in args.modules.split(",") if part.strip()] if args.modules else None
    out = Path(args.out)
    region = args.region or curriculum.region_id_for(lang)
    modules = len(selected_modules(curriculum, ids))
    if args.family:
        write_guide(render_family_guide(curriculum, lang, ids, args.region), out)
        print(f"wrote {out} (family guide, {lang}, region {region}: {modules} modules, one page each)")
        return 0
    html = render_guide(curriculum, lang, ids, args.region)
    write_guide(html, out)
    lessons = sum(len(curriculum.module(m).lessons) for m in selected_modules(curriculum, ids))
    print(f"wrote {out} ({lang}, region {region}: {modules} modules, {lessons} lessons)")
    return 0
