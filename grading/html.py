"""The Jinja2 environment of NetWise's offline pages: learner feedback, class report, learning report.

The pages are templates under ``grading/templates/`` (package data: the wheel carries them
as ``netwise/grading/templates``), set up like the teacher guide's (netwise.build.guide):
autoescaped, so curriculum text or a student's name can never become markup, and with
StrictUndefined, so a misspelt name or interface key fails the build instead of printing
nothing. Every page extends ``base.html.j2``, whose Content-Security-Policy forbids scripts
and every request: a page is opened from a USB stick or an LMS, offline, and a stray URL in
content can never load anything.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.core import UnknownLocaleError
from babel.numbers import format_decimal
from jinja2 import Environment
from markupsafe import Markup

from netwise.build.templating import html_environment

TEMPLATES = Path(__file__).resolve().parent / "templates"


def decimal(value: float, lang: str = "en", digits: int = 2) -> str:
    """A number in the language's digits and decimal separator, at most ``digits`` decimals and no
    trailing zeros: 1.88 in English, 1,88 in Vietnamese (Babel's CLDR data)."""
    pattern = "0." + "#" * digits if digits > 0 else "0"
    try:
        return format_decimal(value, format=pattern, locale=lang)
    except (UnknownLocaleError, ValueError):  # a language Babel does not know
        return format_decimal(value, format=pattern, locale="en")


def points(value: float, lang: str = "en") -> str:
    """Points as a teacher writes them: 1, 0.5, 2.25 (no trailing zeros); 0,5 in Vietnamese."""
    return decimal(value, lang)


def short(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, for labels in tables and charts."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = html_environment(TEMPLATES)
    env.filters["points"] = points
    env.filters["decimal"] = decimal
    env.filters["short"] = short
    env.globals["css"] = Markup((TEMPLATES / "netwise.css").read_text(encoding="utf-8"))
    return env


def render(template: str, **context: Any) -> str:
    """A template of ``grading/templates`` rendered with ``context``."""
    return environment().get_template(template).render(**context)


def fragment(template: str, **context: Any) -> Markup:
    """A piece of markup (an SVG chart) to place inside a page; escaped by its own template."""
    return Markup(render(template, **context).strip())
