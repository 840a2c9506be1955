"""The ``netwise`` command line. Errors are one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from netwise import __version__
from netwise.errors import ContentError, NetwiseError, Problem
from netwise.paths import CURRICULUM_ENV, bundled_curriculum, bundled_notebooks


def _curriculum_dir(args: argparse.Namespace) -> Path:
    path = Path(args.curriculum) if args.curriculum else bundled_curriculum()
    if not path.is_dir():
        raise NetwiseError(f"curriculum folder not found: {path}")
    return path


def _load(args: argparse.Namespace) -> Any:
    from netwise.loader import load

    return load(_curriculum_dir(args))


def _default_out(args: argparse.Namespace) -> Path:
    if args.out:
        return Path(args.out)
    if not args.curriculum:
        return bundled_notebooks()
    return Path(args.curriculum).resolve().parent / "notebooks"


def _print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        print(problem)


# --- check ---------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from netwise.i18n import catalog_languages, coverage
    from netwise.loader import load_structure
    from netwise.validate import validate

    root = _curriculum_dir(args)
    curriculum, problems = load_structure(root)
    if curriculum is not None:
        problems += validate(curriculum)
    languages: dict[str, Any] = {}
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
    ok = not problems
    if args.json:
        print(
            json.dumps(
                {
                    "ok": ok,
                    "curriculum": str(root),
                    "lessons": len(curriculum.lessons) if curriculum else 0,
                    "problems": [{"file": p.file, "line": p.line, "message": p.message} for p in sorted(problems)],
                    "languages": languages,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0 if ok else 1
    _print_problems(problems)
    for lang, info in languages.items():
        status = "required" if info["required"] else "in progress"
        print(f"{lang}: {info['percent']:.1f}% translated ({status})")
    if ok:
        count = len(curriculum.lessons) if curriculum else 0
        print(f"ok: {count} lessons in {len(curriculum.modules) if curriculum else 0} modules, no problems")
        return 0
    print(f"netwise check: {len(problems)} problem(s)", file=sys.stderr)
    return 1


# --- list ----------------------------------------------------------------------------


def assessment_listing(curriculum: Any, module_id: str) -> list[dict[str, Any]]:
    """The module's pre, post and booster forms: id, kind and how many legit/true vs scam/false items."""
    from netwise.assessment import forms

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


def curriculum_listing(curriculum: Any, lang: str) -> dict[str, Any]:
    from netwise.i18n import Translator, lesson_languages

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
    curriculum = _load(args)
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


# --- build ---------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    from netwise.builder import build

    curriculum = _load(args)
    out = _default_out(args)
    langs = [args.lang] if args.lang else None

    def progress(done: int, total: int, path: Path) -> None:
        if sys.stderr.isatty():
            print(f"\r[{done}/{total}] {path.name[:50]:<50}", end="", file=sys.stderr, flush=True)

    result = build(curriculum, out, langs, check=args.check, progress=progress)
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
    from netwise.builder import build

    curriculum = _load(args)
    lang = args.lang or curriculum.manifest.source_language
    source = _default_out(args)
    if args.curriculum:  # an NGO's copy: build its notebooks first
        build(curriculum, source, [lang])
    elif not (source / lang).is_dir():
        raise NetwiseError(f"no notebooks for language '{lang}' in {source}")
    work = Path(args.dir or f"netwise-{lang}").resolve()
    copied = 0
    for notebook in sorted((source / lang).rglob("*.ipynb")):
        target = work / notebook.relative_to(source / lang)
        if not target.exists():  # never overwrite a learner's own copy
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, target)
            copied += 1
    print(f"NetWise lessons ({lang}) in {work} ({copied} new). Answers are saved beside each notebook.")
    env = dict(os.environ)
    env[CURRICULUM_ENV] = str(_curriculum_dir(args).resolve())
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={work}", f"--port={args.port}"]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    if args.dry_run:
        print(" ".join(command))
        return 0
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover


# --- i18n ----------------------------------------------------------------------------


def cmd_i18n(args: argparse.Namespace) -> int:
    from netwise.i18n import catalog_languages, domains, extract, update

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


def _load_for_i18n(args: argparse.Namespace) -> Any:
    """Templates need only well-formed content; translation gaps are what i18n fixes."""
    from netwise.loader import load_structure
    from netwise.validate import validate

    curriculum, problems = load_structure(_curriculum_dir(args))
    if curriculum is not None:
        problems += validate(curriculum)
    if problems:
        raise ContentError(problems)
    return curriculum


# --- entry point ---------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="netwise",
        description="NetWise: online-safety lessons as notebooks, class assignments and lesson apps.",
    )
    main.add_argument("--version", action="version", version=f"netwise {__version__}")
    sub = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--curriculum", metavar="DIR", help="curriculum folder (default: the bundled one)")

    p = sub.add_parser("check", help="validate the curriculum and report translation coverage")
    common(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("list", help="list modules, lessons and activities")
    common(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--lang", help="language of titles (default: the source language)")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("build", help="write the lesson notebooks for every language")
    common(p)
    p.add_argument("--out", metavar="DIR", help="output folder (default: the bundled notebooks/)")
    p.add_argument("--lang", help="build one language only")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook is stale or missing")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("lab", help="open the lessons of one language in JupyterLab")
    common(p)
    p.add_argument("--lang", help="lesson language (default: en)")
    p.add_argument("--dir", help="working folder for the learner's copies (default: ./netwise-LANG)")
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, default=8888)
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.add_argument("--dry-run", action="store_true", help="prepare the folder and print the command only")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("i18n", help="translation catalogs: extract templates, update or start a language")
    common(p)
    p.add_argument("action", choices=["extract", "update", "init"])
    p.add_argument("--lang", action="append", help="language code (repeatable)")
    p.add_argument("--domain", action="append", help="only this catalog: a module id, common or ui (repeatable)")
    p.set_defaults(func=cmd_i18n)

    from netwise import serve

    serve.register(sub)
    from netwise.grading import cli as course_cli

    course_cli.register(sub)
    from netwise import guide

    guide.register(sub)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ContentError as exc:
        _print_problems(exc.problems)
        print(
            f"netwise: {len(exc.problems)} problem(s) in the curriculum; fix them and run 'netwise check'",
            file=sys.stderr,
        )
        return 1
    except NetwiseError as exc:
        print(f"netwise: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("netwise: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line, with a way to see the details
        if os.environ.get("NETWISE_DEBUG"):
            raise
        print(
            f"netwise: internal error: {type(exc).__name__}: {exc} (set NETWISE_DEBUG=1 for details)", file=sys.stderr
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
