"""Translation: gettext catalogs (Babel) for all content and interface strings.

``catalog`` reads and writes the PO files, ``translate`` turns content models and
interface strings into a language and measures coverage, ``ui_text`` holds the English
interface strings. A translator adds a language by adding catalogs; no code or YAML changes.
"""

from netwise.i18n.catalog import (
    COMMON,
    UI,
    catalog_languages,
    domain_entries,
    domains,
    extract,
    locale_dir,
    lookup,
    po_path,
    read_catalog,
    update,
)
from netwise.i18n.translate import (
    Coverage,
    Translator,
    complete_languages,
    coverage,
    language_name,
    lesson_languages,
    translate_model,
)

__all__ = [
    "COMMON",
    "Coverage",
    "Translator",
    "UI",
    "catalog_languages",
    "complete_languages",
    "coverage",
    "domain_entries",
    "domains",
    "extract",
    "language_name",
    "lesson_languages",
    "locale_dir",
    "lookup",
    "po_path",
    "read_catalog",
    "translate_model",
    "update",
]
