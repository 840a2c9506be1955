"""Jinja2 for NetWise's offline HTML pages: the teacher guide here, the grading pages in netwise.grading.

One setup for every page a teacher or learner opens: autoescape on (content is text, never
markup), StrictUndefined (a misspelt name fails the build instead of printing nothing), and
block tags that leave no blank lines.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape


def html_environment(templates: Path) -> Environment:
    """A Jinja2 environment over one template folder, with NetWise's settings."""
    return Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
