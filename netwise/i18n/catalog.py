"""Gettext catalogs on disk (Babel): reading them, and writing templates and catalogs.

English in the YAML files is the source. Each translatable string becomes one catalog
entry whose context (msgctxt) says where it lives, e.g.
``lesson/scam-real-or-fake:activity.bank-otp.options.b.feedback``. Catalogs live in
``curriculum/locale/<lang>/LC_MESSAGES/<domain>.po``: one domain per module, ``common``
for the manifest and region profiles, ``ui`` for widget and notebook interface text.
A translator adds a language by adding catalogs; no code or YAML changes.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from netwise.content.loader import Curriculum
from netwise.content.text import TextEntry, texts
from netwise.i18n.ui_text import UI_TEXT, register_variants

COMMON = "common"
UI = "ui"


def domain_entries(curriculum: Curriculum) -> dict[str, list[tuple[TextEntry, str]]]:
    """Entries per catalog domain, each with the source key it came from."""
    domains: dict[str, list[tuple[TextEntry, str]]] = {COMMON: []}
    domains[COMMON] += [(e, "manifest") for e in texts(curriculum.manifest)]
    for region in curriculum.regions.values():
        domains[COMMON] += [(e, f"region:{region.id}") for e in texts(region)]
    for module in curriculum.modules:
        entries = [(e, f"module:{module.id}") for e in texts(module)]
        for lesson_id in module.lessons:
            if lesson_id in curriculum.lessons:
                entries += [(e, f"lesson:{lesson_id}") for e in texts(curriculum.lessons[lesson_id])]
        if module.id in curriculum.assessments:
            entries += [(e, f"assessment:{module.id}") for e in texts(curriculum.assessments[module.id])]
        domains[module.id] = entries
    return domains


# --- catalogs on disk ----------------------------------------------------------------


def locale_dir(root: Path) -> Path:
    return root / "locale"


def po_path(root: Path, lang: str, domain: str) -> Path:
    return locale_dir(root) / lang / "LC_MESSAGES" / f"{domain}.po"


def catalog_languages(root: Path) -> list[str]:
    base = locale_dir(root)
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "LC_MESSAGES").is_dir())


@lru_cache(maxsize=64)
def _read_catalog(path: Path, mtime: float) -> Catalog | None:
    del mtime  # part of the cache key so an edited catalog is re-read
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle)


def read_catalog(path: Path) -> Catalog | None:
    return _read_catalog(path, path.stat().st_mtime if path.is_file() else 0.0)


def lookup(catalog: Catalog | None, context: str | None, text: str) -> str | None:
    """The finished translation, or None (missing, empty or marked fuzzy)."""
    if catalog is None:
        return None
    message = catalog.get(text, context=context)
    if message is None or message.fuzzy or not message.string:
        return None
    return message.string if isinstance(message.string, str) else None


# --- writing templates and catalogs --------------------------------------------------


def _template(curriculum: Curriculum, domain: str) -> Catalog:
    catalog = Catalog(project="NetWise", version=None, domain=domain, charset="utf-8", fuzzy=False)
    if domain == UI:
        for key, text in {**UI_TEXT, **register_variants()}.items():
            catalog.add(text, context=key, locations=[("netwise/ui_text.py", 0)])
        return catalog
    for entry, source_key in domain_entries(curriculum)[domain]:
        src = curriculum.sources[source_key]
        catalog.add(entry.text, context=entry.context, locations=[(src.file, src.line(entry.loc))])
    return catalog


FIXED_STAMP = datetime(2025, 1, 1)  # PO headers carry no date that would make every run a change


def _write(catalog: Catalog, path: Path) -> bool:
    """Write a catalog without the date stamps that would make every run a change."""
    stamp = (
        FIXED_STAMP.replace(tzinfo=catalog.creation_date.tzinfo)
        if isinstance(catalog.creation_date, datetime)
        else FIXED_STAMP
    )
    catalog.creation_date = catalog.revision_date = stamp
    for message in catalog:
        # Content is not printf-style: a "50%" must not make PO editors demand a format.
        message.flags.discard("python-format")
        if not message.fuzzy:
            # Babel reads an earlier "#| msgid" back as a comment "| msgid"; once the translation
            # is confirmed it is stale, and left alone such comments pile up with every update.
            message.user_comments = [c for c in message.user_comments if not c.startswith("| ")]
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=False, omit_header=False, include_previous=True)
    data = buffer.getvalue()
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def domains(curriculum: Curriculum) -> list[str]:
    return [COMMON, UI, *(m.id for m in curriculum.modules)]


def extract(curriculum: Curriculum, only: list[str] | None = None) -> list[Path]:
    """Write locale/<domain>.pot from the English source; return the files that changed."""
    changed = []
    for domain in only or domains(curriculum):
        path = locale_dir(curriculum.root) / f"{domain}.pot"
        if _write(_template(curriculum, domain), path):
            changed.append(path)
    return changed


def update(curriculum: Curriculum, langs: list[str], only: list[str] | None = None) -> list[Path]:
    """Merge the templates into each language's catalogs, keeping translations."""
    changed = []
    for lang in langs:
        for domain in only or domains(curriculum):
            template = _template(curriculum, domain)
            path = po_path(curriculum.root, lang, domain)
            existing = read_catalog(path)
            if existing is None:
                existing = Catalog(locale=lang, domain=domain, project="NetWise", charset="utf-8", fuzzy=False)
            existing.update(template, no_fuzzy_matching=False, update_header_comment=False)
            existing.obsolete.clear()  # drop strings the curriculum no longer has
            if _write(existing, path):
                changed.append(path)
    return changed
