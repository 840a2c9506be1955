"""Translation: gettext catalogs (Babel) for all content and interface strings.

English in the YAML files is the source. Each translatable string becomes one catalog
entry whose context (msgctxt) says where it lives, e.g.
``lesson/scam-real-or-fake:activity.bank-otp.options.b.feedback``. Catalogs live in
``curriculum/locale/<lang>/LC_MESSAGES/<domain>.po``: one domain per module, ``common``
for the manifest and region profiles, ``ui`` for widget and notebook interface text.
A translator adds a language by adding catalogs; no code or YAML changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from pydantic import BaseModel

from netwise.errors import LanguageError, Problem, relative
from netwise.loader import Curriculum
from netwise.model import Step, is_text, is_text_list
from netwise.ui_text import UI_TEXT
from netwise.yamlsource import Loc

COMMON = "common"
UI = "ui"


@dataclass(frozen=True)
class TextEntry:
    context: str  # msgctxt: owner and stable path
    text: str  # the English source
    loc: Loc  # data path inside the owner's YAML file, for file:line


def _segment(item: Any, index: int) -> str:
    if isinstance(item, Step):
        return f"activity.{item.activity.id}" if item.activity is not None else f"text.{index + 1}"
    item_id = getattr(item, "id", None)
    return item_id if isinstance(item_id, str) else str(index + 1)


def _field_is_text(model: type[BaseModel], name: str) -> tuple[bool, bool]:
    info = model.model_fields[name]
    marked = any(type(meta).__name__ == "Translatable" for meta in info.metadata)
    return marked or is_text(info.annotation), is_text_list(info.annotation)


def _walk(model: BaseModel, key: tuple[str, ...], loc: Loc) -> Iterator[tuple[str, str, Loc]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None:
            continue
        text, text_list = _field_is_text(type(model), name)
        if text and isinstance(value, str):
            yield ".".join(key + (name,)), value, loc + (name,)
        elif text_list:
            for i, item in enumerate(value):
                yield ".".join(key + (name, str(i + 1))), item, loc + (name, i)
        elif isinstance(value, BaseModel):
            yield from _walk(value, key if isinstance(model, Step) else key + (name,), loc + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    inner_key = key + ((_segment(item, i),) if isinstance(item, Step) else (name, _segment(item, i)))
                    yield from _walk(item, inner_key, loc + (name, i))


def owner_of(model: BaseModel) -> str:
    return f"{type(model).__name__.lower()}/{getattr(model, 'id', 'curriculum')}"


def texts(model: BaseModel) -> list[TextEntry]:
    """Every translatable string of a lesson, module, region or manifest, in order."""
    owner = owner_of(model)
    return [TextEntry(f"{owner}:{path}", text, loc) for path, text, loc in _walk(model, (), ())]


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


def language_name(lang: str) -> str:
    """The language's own name for itself, from Babel's CLDR data ("Tiếng Việt")."""
    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (UnknownLocaleError, ValueError):
        return lang
    return name[:1].upper() + name[1:]


# --- translating models --------------------------------------------------------------


def _translate(model: BaseModel, key: tuple[str, ...], owner: str, tr: Callable[[str, str], str]) -> BaseModel:
    update: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None:
            continue
        text, text_list = _field_is_text(type(model), name)
        path = key + (name,)
        if text and isinstance(value, str):
            update[name] = tr(f"{owner}:{'.'.join(path)}", value)
        elif text_list:
            update[name] = [tr(f"{owner}:{'.'.join(path + (str(i + 1),))}", v) for i, v in enumerate(value)]
        elif isinstance(value, BaseModel):
            update[name] = _translate(value, key if isinstance(model, Step) else path, owner, tr)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            update[name] = [
                _translate(
                    item,
                    key + ((_segment(item, i),) if isinstance(item, Step) else (name, _segment(item, i))),
                    owner,
                    tr,
                )
                for i, item in enumerate(value)
            ]
    return model.model_copy(update=update)


class Translator:
    """Content and interface text in one language, read from a curriculum's catalogs."""

    def __init__(self, curriculum: Curriculum, lang: str):
        self.curriculum = curriculum
        self.lang = lang
        self.source = lang == curriculum.manifest.source_language
        if not self.source and lang not in catalog_languages(curriculum.root):
            known = ", ".join([curriculum.manifest.source_language, *catalog_languages(curriculum.root)])
            raise LanguageError(f"no catalogs for language '{lang}' (available: {known})")
        self.missing: list[str] = []

    def _catalog(self, domain: str) -> Catalog | None:
        if self.source:
            return None
        own = read_catalog(po_path(self.curriculum.root, self.lang, domain))
        if own is None and domain == UI:
            # An NGO's copy may translate content only; fall back to the bundled UI catalog.
            from netwise.paths import bundled_curriculum

            own = read_catalog(po_path(bundled_curriculum(), self.lang, UI))
        return own

    def _tr(self, domain: str) -> Callable[[str, str], str]:
        catalog = self._catalog(domain)

        def tr(context: str, text: str) -> str:
            if self.source:
                return text
            found = lookup(catalog, context, text)
            if found is None:
                self.missing.append(context)
                return text
            return found

        return tr

    def model(self, model: BaseModel, domain: str) -> Any:
        return _translate(model, (), owner_of(model), self._tr(domain))

    def lesson(self, lesson_id: str) -> Any:
        return self.model(self.curriculum.lesson(lesson_id), self.curriculum.module_of(lesson_id).id)

    def module(self, module_id: str) -> Any:
        return self.model(self.curriculum.module(module_id), module_id)

    def assessment(self, module_id: str) -> Any:
        return self.model(self.curriculum.assessments[module_id], module_id)

    def region(self) -> Any:
        return self.model(self.curriculum.region_for(self.lang), COMMON)

    def manifest(self) -> Any:
        return self.model(self.curriculum.manifest, COMMON)

    def ui(self) -> dict[str, str]:
        tr = self._tr(UI)
        return {key: tr(key, text) for key, text in UI_TEXT.items()}


# --- coverage ------------------------------------------------------------------------


@dataclass
class Coverage:
    lang: str
    total: int
    done: int
    problems: list[Problem]
    per_lesson: dict[str, tuple[int, int]]

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else round(100.0 * self.done / self.total, 1)


def coverage(curriculum: Curriculum, lang: str) -> Coverage:
    """How much of the curriculum (and the interface) has a finished translation."""
    root = curriculum.root
    problems: list[Problem] = []
    total = done = 0
    per_lesson: dict[str, tuple[int, int]] = {}
    for domain, entries in domain_entries(curriculum).items():
        path = po_path(root, lang, domain)
        catalog = read_catalog(path)
        shown = relative(path, root)
        for entry, source_key in entries:
            total += 1
            found = lookup(catalog, entry.context, entry.text)
            if source_key.startswith("lesson:"):
                lesson_id = source_key.split(":", 1)[1]
                t, d = per_lesson.get(lesson_id, (0, 0))
                per_lesson[lesson_id] = (t + 1, d + (found is not None))
            if found is not None and _placeholders(found) != _placeholders(entry.text):
                src = curriculum.sources[source_key]
                problems.append(
                    src.problem(
                        entry.loc,
                        f"the {lang} translation must keep the placeholders {sorted(_placeholders(entry.text))}",
                    )
                )
                continue
            if found is not None:
                done += 1
                continue
            message = catalog.get(entry.text, context=entry.context) if catalog else None
            src = curriculum.sources[source_key]
            if catalog is None:
                why = f"no {lang} catalog {shown}"
            elif message is not None and message.fuzzy:
                why = f"the {lang} translation in {shown}:{message.lineno} is marked fuzzy (the English changed)"
            elif message is not None:
                why = f"the {lang} translation in {shown}:{message.lineno} is empty"
            else:
                why = f"no {lang} translation in {shown} (run 'netwise i18n update')"
            problems.append(src.problem(entry.loc, f"{why}: {entry.text[:60]!r}"))
    ui_path = po_path(root, lang, UI)
    if not ui_path.is_file():  # an NGO's copy may rely on the bundled interface catalog
        ui_path = po_path(_bundled(), lang, UI)
    ui_catalog = read_catalog(ui_path)
    for key, text in UI_TEXT.items():
        total += 1
        found = lookup(ui_catalog, key, text)
        if found is not None and _placeholders(found) == _placeholders(text):
            done += 1
            continue
        message = ui_catalog.get(text, context=key) if ui_catalog else None
        line = message.lineno if message is not None and message.lineno else 1
        why = "must keep the placeholders" if found else "has no finished translation"
        problems.append(
            Problem(relative(ui_path, root), line, f"interface string '{key}' {why} in {lang}: {text[:60]!r}")
        )
    return Coverage(lang, total, done, problems, per_lesson)


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[a-z_]+\}", text))


def _bundled() -> Path:
    from netwise.paths import bundled_curriculum

    return bundled_curriculum()


def lesson_languages(curriculum: Curriculum) -> dict[str, list[str]]:
    """For every lesson, the languages it is fully translated into, source first.

    One coverage pass per language serves every lesson: listing or serving a curriculum
    asks this for all its lessons at once.
    """
    source = curriculum.manifest.source_language
    result = {lesson_id: [source] for lesson_id in curriculum.lessons}
    lesson_files = {src.file for key, src in curriculum.sources.items() if key.startswith("lesson:")}
    for lang in catalog_languages(curriculum.root):
        if lang == source:
            continue
        cov = coverage(curriculum, lang)
        if any(problem.file not in lesson_files for problem in cov.problems):
            continue  # interface, region or module strings missing: no lesson is complete
        for lesson_id, langs in result.items():
            counts = cov.per_lesson.get(lesson_id)
            if counts is not None and counts[0] == counts[1]:
                langs.append(lang)
    return result


def complete_languages(curriculum: Curriculum, lesson_id: str | None = None) -> list[str]:
    """Languages in which a lesson (or everything) is fully translated, source first."""
    if lesson_id is not None:
        return lesson_languages(curriculum)[lesson_id]
    source = curriculum.manifest.source_language
    others = [lang for lang in catalog_languages(curriculum.root) if lang != source]
    return [source, *(lang for lang in others if not coverage(curriculum, lang).problems)]


# --- writing templates and catalogs --------------------------------------------------


def _template(curriculum: Curriculum, domain: str) -> Catalog:
    catalog = Catalog(project="NetWise", version=None, domain=domain, charset="utf-8", fuzzy=False)
    if domain == UI:
        for key, text in UI_TEXT.items():
            catalog.add(text, context=key, locations=[("netwise/ui_text.py", 0)])
        return catalog
    for entry, source_key in domain_entries(curriculum)[domain]:
        src = curriculum.sources[source_key]
        catalog.add(entry.text, context=entry.context, locations=[(src.file, src.line(entry.loc))])
    return catalog


def _write(catalog: Catalog, path: Path) -> bool:
    """Write a catalog without the date stamps that would make every run a change."""
    import io

    catalog.creation_date = catalog.revision_date = catalog.creation_date.replace(
        year=2025, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    for message in catalog:
        # Content is not printf-style: a "50%" must not make PO editors demand a format.
        message.flags.discard("python-format")
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
