"""``netwise i18n``: translation catalogs, extracted from the source and merged into each language."""

from __future__ import annotations

import argparse
from typing import Any

from netwise.cli.common import add_curriculum, curriculum_dir
from netwise.content import Curriculum, load_structure
from netwise.content.validate import validate
from netwise.errors import ContentError, NetwiseError
from netwise.i18n import catalog_languages, domains, extract, update


def register(sub: Any) -> None:
    p = sub.add_parser("i18n", help="translation catalogs: extract templates, update or start a language")
    add_curriculum(p)
    p.add_argument("action", choices=["extract", "update", "init"])
    p.add_argument("--lang", action="append", help="language code (repeatable)")
    p.add_argument("--domain", action="append", help="only this catalog: a module id, common or ui (repeatable)")
    p.set_defaults(func=cmd_i18n)


def cmd_i18n(args: argparse.Namespace) -> int:
    curriculum = _load_for_i18n(args)
    only = args.domain or None
    unknown = sorted(set(only or []) - set(domains(curriculum)))
    if unknown:
        raise NetwiseError(f"no catalog domain {', '.join(unknown)} (domains: {', '.join(domains(curriculum))})")
    if args.action == "extract":
        changed = extract(curriculum, only)
    else:
        source = curriculum.manifest.source_language
        langs = args.lang or [lang for lang in catalog_languages(curriculum.root) if lang != source]
        if args.action == "init" and not args.lang:
            raise NetwiseError("name the new language: netwise i18n init --lang fr")
        extract(curriculum, only)
        changed = update(curriculum, langs, only)
    for path in changed:
        print(f"wrote {path}")
    print(f"{len(changed)} catalog file(s) changed")
    return 0


def _load_for_i18n(args: argparse.Namespace) -> Curriculum:
    """Templates need only well-formed content; translation gaps are what i18n fixes."""
    curriculum, problems = load_structure(curriculum_dir(args))
    if curriculum is not None:
        problems += validate(curriculum)
    if problems or curriculum is None:
        raise ContentError(problems)
    return curriculum
