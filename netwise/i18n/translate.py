"""Translation of content models and interface strings, and how complete each language is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog
from pydantic import BaseModel

from netwise.content.loader import Curriculum
from netwise.content.local import PLACEHOLDER, LocalValues, local_values, localise
from netwise.content.model import Region, Step
from netwise.content.text import field_is_text, owner_of, segment
from netwise.errors import LanguageError, Problem, relative
from netwise.i18n.catalog import COMMON, UI, catalog_languages, domain_entries, lookup, po_path, read_catalog
from netwise.i18n.ui_text import LEARNER_KEYS, REGISTER_BANDS, UI_TEXT, register_variants, variant_context
from netwise.paths import bundled_curriculum


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
        text, text_list = field_is_text(type(model), name)
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
                    key + ((segment(item, i),) if isinstance(item, Step) else (name, segment(item, i))),
                    owner,
                    tr,
                )
                for i, item in enumerate(value)
            ]
    return model.model_copy(update=update)


def translate_model(model: BaseModel, catalog: Catalog | None) -> Any:
    """A content model in a catalog's language; strings the catalog lacks stay in the source."""

    def tr(context: str, text: str) -> str:
        found = lookup(catalog, context, text)
        return text if found is None else found

    return _translate(model, (), owner_of(model), tr)


class Translator:
    """Content and interface text in one language, read from a curriculum's catalogs, with the
    local colour (``{bank}``, ``{money:8}``) of one region filled in after translation.

    ``region`` defaults to the language's usual pairing (curriculum.yaml ``regions``): an English
    lesson for an English-medium school in Vietnam is ``Translator(c, "en", region="vn")``.
    """

    def __init__(self, curriculum: Curriculum, lang: str, region: str | None = None):
        self.curriculum = curriculum
        self.lang = lang
        self.region_id = region or curriculum.region_id_for(lang)
        curriculum.region(self.region_id)  # raises UnknownContentError naming the known regions
        self._local: LocalValues | None = None
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
        return localise(_translate(model, (), owner_of(model), self._tr(domain)), self.local)

    @property
    def local(self) -> LocalValues | None:
        """The region's local colour in this language (None if the profile has no ``local:``)."""
        if self._local is None:
            region = self.curriculum.region(self.region_id)
            translated: Region = _translate(region, (), owner_of(region), self._tr(COMMON))  # type: ignore[assignment]
            self._local = local_values(translated, self.lang)
        return self._local

    def lesson(self, lesson_id: str) -> Any:
        return self.model(self.curriculum.lesson(lesson_id), self.curriculum.module_of(lesson_id).id)

    def module(self, module_id: str) -> Any:
        return self.model(self.curriculum.module(module_id), module_id)

    def assessment(self, module_id: str) -> Any:
        return self.model(self.curriculum.assessments[module_id], module_id)

    def region(self) -> Any:
        return self.model(self.curriculum.region(self.region_id), COMMON)

    def manifest(self) -> Any:
        return self.model(self.curriculum.manifest, COMMON)

    def ui(self, age_band: str | None = None) -> dict[str, str]:
        """Interface strings; with ``age_band``, the learner's strings in that band's wording
        (Vietnamese *em* for 8-10). Also ``licence``: the curriculum's licence line, ready to show."""
        tr = self._tr(UI)
        strings = {key: tr(key, text) for key, text in UI_TEXT.items()}
        if age_band in REGISTER_BANDS:
            for key in LEARNER_KEYS:
                strings[key] = tr(variant_context(key, age_band), UI_TEXT[key])
        strings["licence"] = self._licence_line(strings["licence_line"])
        return strings

    def _licence_line(self, template: str) -> str:
        licence = self.curriculum.manifest.licence
        if licence is None:
            return ""
        attribution = self.manifest().licence.attribution
        return template.format(attribution=attribution.rstrip("."), licence=licence.name, url=licence.url)


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
    for key, text in {**UI_TEXT, **register_variants()}.items():
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
    """Interface placeholders ({minutes}) and local colour ({bank}, {money:8}), as written."""
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def _bundled() -> Path:

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
