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

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"


def points(value: float) -> str:
    """Points as a teacher writes them: 1, 0.5, 2.25 (no trailing zeros)."""
    return f"{value:g}"


def short(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, for labels in tables and charts."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,  # a misspelt name fails the page instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["points"] = points
    env.filters["short"] = short
    env.globals["css"] = Markup((TEMPLATES / "netwise.css").read_text(encoding="utf-8"))
    return env


def render(template: str, **context: Any) -> str:
    """A template of ``grading/templates`` rendered with ``context``."""
    return environment().get_template(template).render(**context)


def fragment(template: str, **context: Any) -> Markup:
    """A piece of markup (an SVG chart) to place inside a page; escaped by its own template."""
    return Markup(render(template, **context).strip())
