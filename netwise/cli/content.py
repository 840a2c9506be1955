"""``netwise check`` and ``netwise list``: is the curriculum sound, and what does it hold."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from netwise.cli.common import add_curriculum, curriculum_dir, load_curriculum_arg, print_problems
from netwise.content import Curriculum, load_structure
from netwise.content.assessment import forms
from netwise.content.cues import MAX_FIGURE
from netwise.content.validate import validate, warnings
from netwise.errors import Problem
from netwise.i18n import Translator, catalog_languages, coverage, lesson_languages
from netwise.i18n.checks import BankCues, bank_cues, catalog_problems, cue_problems


def register(sub: Any) -> None:
    p = sub.add_parser("check", help="validate the curriculum and report translation coverage")
    add_curriculum(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("list", help="list modules, lessons and activities")
    add_curriculum(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--lang", help="language of titles (default: the source language)")
    p.set_defaults(func=cmd_list)


def cmd_check(args: argparse.Namespace) -> int:
    root = curriculum_dir(args)
    curriculum, problems = load_structure(root)
    if curriculum is not None:
        problems += validate(curriculum)
    languages: dict[str, Any] = {}
    warned: list[Problem] = warnings(curriculum) if curriculum is not None else []
    cues: list[BankCues] = []
    if curriculum is not None:
        # Spelling and phone numbers in the translations: reported even beside other problems.
        for lang in curriculum.manifest.languages:
            if lang != curriculum.manifest.source_language:
                problems += catalog_problems(curriculum, lang)
    if curriculum is not None and not problems:
        source = curriculum.manifest.source_language
        languages[source] = {"percent": 100.0, "required": True, "lessons": {lid: 100.0 for lid in curriculum.lessons}}
        for lang in sorted(set(catalog_languages(root)) | set(curriculum.manifest.languages)):
            if lang == source:
                continue
            cov = coverage(curriculum, lang)
            required = lang in curriculum.manifest.languages
            languages[lang] = {
                "percent": cov.percent,
                "required": required,
                "lessons": {
                    lid: (100.0 if t == 0 else round(100.0 * d / t, 1)) for lid, (t, d) in cov.per_lesson.items()
                },
            }
            if required:
                problems += cov.problems
        checked = [lang for lang in curriculum.manifest.languages if lang in catalog_languages(root)]
        cues = bank_cues(curriculum, checked)
        problems += cue_problems(curriculum, cues)
    ok = not problems
    if args.json:
        print(
            json.dumps(
                {
                    "ok": ok,
                    "curriculum": str(root),
                    "lessons": len(curriculum.lessons) if curriculum else 0,
                    "problems": [{"file": p.file, "line": p.line, "message": p.message} for p in sorted(problems)],
                    "warnings": [{"file": p.file, "line": p.line, "message": p.message} for p in sorted(warned)],
                    "languages": languages,
                    "cues": {bank.module_id: _cue_json(bank) for bank in cues},
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0 if ok else 1
    print_problems(problems)
    for warning in sorted(warned):  # on stderr: scripts read stdout's file:line lines as problems
        print(f"{warning.file}:{warning.line}: warning: {warning.message}", file=sys.stderr)
    for lang, info in languages.items():
        status = "required" if info["required"] else "in progress"
        print(f"{lang}: {info['percent']:.1f}% translated ({status})")
    if cues:
        print(f"cue figures (the best guess of a bank's keys from surface features alone; at most {MAX_FIGURE:.2f}):")
        for bank in cues:
            langs = ", ".join(f"{lang} {fig.figure:.2f}" for lang, fig in bank.by_lang.items())
            verdict = "ok" if bank.ok else "TOO HIGH"
            print(f"  {bank.module_id}: {bank.figure:.2f} ({bank.lang}, {bank.worst.worst}) {verdict}  [{langs}]")
    if ok:
        count = len(curriculum.lessons) if curriculum else 0
        print(f"ok: {count} lessons in {len(curriculum.modules) if curriculum else 0} modules, no problems")
        return 0
    print(f"netwise check: {len(problems)} problem(s)", file=sys.stderr)
    return 1


def _cue_json(bank: BankCues) -> dict[str, Any]:
    return {
        "figure": bank.figure,
        "lang": bank.lang,
        "guesser": bank.worst.worst,
        "ok": bank.ok,
        "by_lang": {
            lang: {"figure": fig.figure, "guesser": fig.worst, "guessers": fig.by_guesser}
            for lang, fig in bank.by_lang.items()
        },
    }


# --- list ----------------------------------------------------------------------------


def assessment_listing(curriculum: Curriculum, module_id: str) -> list[dict[str, Any]]:
    """The module's pre, post and booster forms: id, kind and how many legit/true vs scam/false items."""
    return [
        {
            "id": form.record_id,
            "kind": form.kind,
            "items": len(form.items),
            "true_items": form.noise_items,
            "false_items": form.signal_items,
        }
        for form in forms(curriculum, module_id)
    ]


def curriculum_listing(curriculum: Curriculum, lang: str) -> dict[str, Any]:
    translator = Translator(curriculum, lang)
    languages = lesson_languages(curriculum)
    modules = []
    for module in curriculum.modules:
        lessons = [curriculum.lessons[lid] for lid in module.lessons]
        digcomp = sorted(
            {c for lesson in lessons for c in lesson.competences.digcomp}, key=lambda c: tuple(map(int, c.split(".")))
        )
        vn = sorted({c for lesson in lessons for c in lesson.competences.vn_framework})
        modules.append(
            {
                "id": module.id,
                "title": translator.module(module.id).title,
                "assessments": assessment_listing(curriculum, module.id),
                "age_bands": sorted({lesson.age_band for lesson in lessons}, key=lambda b: int(b.split("-")[0])),
                "competences": {"digcomp": digcomp, "vn_framework": vn},
                "lessons": [
                    {
                        "id": lesson.id,
                        "title": translator.lesson(lesson.id).title,
                        "age_band": lesson.age_band,
                        "duration_min": lesson.duration_min,
                        "languages": languages[lesson.id],
                        "competences": {
                            "digcomp": list(lesson.competences.digcomp),
                            "vn_framework": list(lesson.competences.vn_framework),
                        },
                        "activities": [{"id": a.id, "type": a.type, "points": a.points} for a in lesson.activities],
                    }
                    for lesson in lessons
                ],
            }
        )
    return {"modules": modules}


def cmd_list(args: argparse.Namespace) -> int:
    curriculum = load_curriculum_arg(args)
    listing = curriculum_listing(curriculum, args.lang or curriculum.manifest.source_language)
    if args.json:
        print(json.dumps(listing, ensure_ascii=False, indent=1))
        return 0
    for module in listing["modules"]:
        print(f"{module['id']}: {module['title']}  (ages {', '.join(module['age_bands'])})")
        for lesson in module["lessons"]:
            kinds = ", ".join(sorted({a["type"] for a in lesson["activities"]}))
            print(
                f"  {lesson['id']}: {lesson['title']} — ages {lesson['age_band']}, {lesson['duration_min']} min, "
                f"{len(lesson['activities'])} activities ({kinds}); {'/'.join(lesson['languages'])}"
            )
    return 0
