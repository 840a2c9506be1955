"""What every command shares: the curriculum folder argument, loading it, printing problems."""

from __future__ import annotations

import argparse
from pathlib import Path

from netwise.content import Curriculum, load
from netwise.errors import NetwiseError, Problem
from netwise.paths import bundled_curriculum, bundled_notebooks


def add_curriculum(p: argparse.ArgumentParser) -> None:
    p.add_argument("--curriculum", metavar="DIR", help="curriculum folder (default: the bundled one)")


def add_region(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--region",
        metavar="ID",
        help="region profile (help lines, money, phone format, local names), chosen apart from the language; "
        "default: the language's usual one (curriculum.yaml 'regions', e.g. vi -> vn, en -> intl)",
    )


def curriculum_dir(args: argparse.Namespace) -> Path:
    path = Path(args.curriculum) if args.curriculum else bundled_curriculum()
    if not path.is_dir():
        raise NetwiseError(f"curriculum folder not found: {path}")
    return path


def load_curriculum_arg(args: argparse.Namespace) -> Curriculum:
    return load(curriculum_dir(args))


def default_out(args: argparse.Namespace) -> Path:
    if args.out:
        return Path(args.out)
    if not args.curriculum:
        return bundled_notebooks()
    return Path(args.curriculum).resolve().parent / "notebooks"


def print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        print(problem)
