"""The static site's own interface strings, taken from the ``ui`` catalog like every other.

The lesson and activity strings come from the curriculum's catalogs as on the served page;
these few are only the static site's (the self-study notice, the clear control). They live in
``netwise/i18n/ui_text.py`` and the ``ui`` catalogs, so a translator adds a language without
touching code; here they are only picked out under the short names the templates and the
page script use.
"""

from __future__ import annotations

# Short name (templates, page.js) -> key in the ui catalog.
SITE_KEYS: dict[str, str] = {
    "self_study_title": "site_self_study_title",
    "self_study": "site_self_study",
    "for_teachers": "site_for_teachers",
    "clear_answers": "site_clear_answers",
    "cleared": "site_cleared",
    "saved_here": "site_saved_here",
}


def site_strings(ui: dict[str, str]) -> dict[str, str]:
    """The static site's strings from one language's interface strings (``Translator.ui()``)."""
    return {short: ui[key] for short, key in SITE_KEYS.items()}
