"""What the lesson app serves: the lessons and check pages on offer, built into a private folder.

What a visitor can reach: the landing page, lesson pages and check pages (a module's
pre/post/booster assessments, see :func:`prepare_site`) rendered without code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from netwise.app.config import NetwiseConfiguration
from netwise.build.notebooks import build, form_path, notebook_path
from netwise.content import load
from netwise.content.assessment import forms
from netwise.errors import NetwiseError
from netwise.i18n import Translator, language_name, lesson_languages
from netwise.paths import bundled_curriculum

# Strings the page chrome and the server pages use (keys of netwise.ui_text.UI_TEXT).
PAGE_STRINGS = [
    "app_name", "app_tagline", "skip_to_content", "lessons_heading", "language_switch", "back_to_lessons",
    "lesson_count", "loading", "noscript", "footer_note", "class_full_title", "class_full_text", "try_again_link",
    "error_title", "error_text", "not_found_title", "not_found_text", "age_band", "duration",
    "check_before", "check_after", "check_booster", "check_items",
    "connection_lost", "lesson_stopped", "start_again", "leave_question", "leave_stay", "leave_go", "licence",
    "skip_to_lessons", "skip_to_main", "module_index", "no_reply",
]  # fmt: skip


@dataclass
class ServedLesson:
    lang: str
    lesson_id: str
    module_id: str
    title: str
    age_band: str
    duration_min: int
    path: str  # notebook path relative to the served folder

    kind = "lesson"

    @property
    def url(self) -> str:
        return lesson_url(self.lang, self.lesson_id)


@dataclass
class ServedForm:
    """A module's assessment form (pre, post or booster) as a page: no feedback until its end."""

    lang: str
    form_id: str  # the form's record id: "<module>-<form>", e.g. "scams-pre"
    module_id: str
    form_kind: str  # "pre", "post" or "booster"
    title: str  # the card's label: "Check before", "Check after", "Reminder quiz, 2 weeks later"
    items: int
    path: str

    kind = "check"

    @property
    def url(self) -> str:
        return form_url(self.lang, self.form_id)

    @property
    def preheated(self) -> bool:
        return self.form_kind != "booster"


@dataclass
class Site:
    """What this server offers: languages, lessons per language, and interface strings."""

    root: Path
    languages: list[str]
    language_names: dict[str, str]
    strings: dict[str, dict[str, str]]
    # per language: [{id, title, lessons: [ServedLesson], before: [ServedForm], after: [ServedForm]}]
    modules: dict[str, list[dict[str, Any]]]
    lessons: dict[tuple[str, str], ServedLesson] = field(default_factory=dict)
    forms: dict[tuple[str, str], ServedForm] = field(default_factory=dict)  # (lang, form id)
    regions: dict[str, str] = field(default_factory=dict)  # lang -> the region profile its pages use

    @property
    def preheated_pages(self) -> int:
        """Pages Voilà keeps kernels ready for: lessons and the before/after checks (not boosters)."""
        return len(self.lessons) + sum(form.preheated for form in self.forms.values())

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def language(self, requested: str | None) -> str:
        return requested if requested in self.languages else self.default_language

    def switch(self, current: str, url: Any) -> list[dict[str, Any]]:
        return [
            {"code": lang, "name": self.language_names[lang], "url": url(lang), "current": lang == current}
            for lang in self.languages
        ]


def lesson_url(lang: str, lesson_id: str) -> str:
    return f"/lesson/{lang}/{lesson_id}"


def form_url(lang: str, form_id: str) -> str:
    return f"/check/{lang}/{form_id}"


def home_url(lang: str) -> str:
    return f"/?lang={lang}"


def prepare_site(conf: NetwiseConfiguration, root: Path) -> Site:
    """Build the served notebooks into ``root`` and describe them; errors are NetwiseError.

    Checks: a module's assessment forms (check before, check after, reminder quizzes) are
    served in a language whenever at least one of the module's lessons is served in it, so
    ``--lessons`` selects checks through their module. Check pages get no lesson summary:
    the form shows its own result, and before/after through the browser tab (see
    widgets/assessment.py).
    """
    source = Path(conf.curriculum) if conf.curriculum else bundled_curriculum()
    if not source.is_dir():
        raise NetwiseError(f"curriculum folder not found: {source}")
    curriculum = load(source)
    region = conf.region or None
    if region is not None:
        curriculum.region(region)  # one line naming the known regions if there is no such profile
    wanted = list(conf.lessons) or list(curriculum.lessons)
    unknown = [lid for lid in wanted if lid not in curriculum.lessons]
    if unknown:
        raise NetwiseError(f"unknown lesson(s): {', '.join(unknown)} (lessons: {', '.join(curriculum.lessons)})")
    # A language is offered with the lessons completely translated into it: a Vietnamese
    # page never shows English, and one unfinished lesson does not hide all the others.
    ready: dict[str, set[str]] = {}
    languages = lesson_languages(curriculum)
    for lesson_id in wanted:
        for lang in languages[lesson_id]:
            ready.setdefault(lang, set()).add(lesson_id)
    langs = list(conf.languages) or list(ready)
    for lang in langs:
        if lang not in ready:
            raise NetwiseError(
                f"no lesson is completely translated into '{lang}' (ready: {', '.join(ready) or 'none'}); "
                "run 'netwise check' to see what is missing"
            )
    build(curriculum, root, langs, region=region)
    site = Site(root=root, languages=langs, language_names={}, strings={}, modules={})
    for lang in langs:
        translator = Translator(curriculum, lang, region)
        site.regions[lang] = translator.region_id
        ui = translator.ui()
        site.language_names[lang] = language_name(lang)
        site.strings[lang] = {key: ui[key] for key in PAGE_STRINGS}
        site.modules[lang] = []
        for module in curriculum.modules:
            served = []
            for lesson_id in module.lessons:
                if lesson_id not in ready[lang]:
                    continue
                lesson = curriculum.lessons[lesson_id]
                entry = ServedLesson(
                    lang=lang,
                    lesson_id=lesson_id,
                    module_id=module.id,
                    title=translator.lesson(lesson_id).title,
                    age_band=lesson.age_band,
                    duration_min=lesson.duration_min,
                    path=notebook_path(curriculum, lang, lesson_id).as_posix(),
                )
                site.lessons[(lang, lesson_id)] = entry
                served.append(entry)
            if not served:
                continue
            before: list[ServedForm] = []
            after: list[ServedForm] = []
            for chosen in forms(curriculum, module.id):
                label = {"pre": ui["check_before"], "post": ui["check_after"]}.get(chosen.kind)
                card = ServedForm(
                    lang=lang,
                    form_id=chosen.record_id,
                    module_id=module.id,
                    form_kind=chosen.kind,
                    title=label or ui["check_booster"].format(weeks=chosen.weeks or 0),
                    items=len(chosen.items),
                    path=form_path(curriculum, lang, module.id, chosen.form_id).as_posix(),
                )
                site.forms[(lang, card.form_id)] = card
                (before if chosen.kind == "pre" else after).append(card)
            site.modules[lang].append(
                {
                    "id": module.id,
                    "title": translator.module(module.id).title,
                    "lessons": served,
                    "before": before,
                    "after": after,
                }
            )
    clash = sorted({cid for (_, cid) in site.forms} & set(curriculum.lessons))
    if clash:  # different URL prefixes, but one id should name one page
        raise NetwiseError(f"lesson id(s) clash with assessment form ids: {', '.join(clash)}")
    # Only the chosen pages stay in the folder: Voilà preheats every notebook it finds.
    pages: list[ServedLesson | ServedForm] = [*site.lessons.values(), *site.forms.values()]
    keep = {root / page.path for page in pages}
    for notebook in root.rglob("*.ipynb"):
        if notebook not in keep:
            notebook.unlink()
    for page in pages:
        _adapt_notebook(root / page.path, page, site)
    return site


def _adapt_notebook(path: Path, entry: ServedLesson | ServedForm, site: Site) -> None:
    """Make a built notebook a page: page chrome data, no "run each cell" hint; lessons get a summary."""
    nb = nbformat.read(path, as_version=4)
    strings = site.strings[entry.lang]

    def other_language(lang: str) -> str:
        if isinstance(entry, ServedForm):
            twin = site.forms.get((lang, entry.form_id))
        else:
            twin = site.lessons.get((lang, entry.lesson_id))  # type: ignore[assignment]
        return twin.url if twin is not None else home_url(lang)

    title = entry.title
    if isinstance(entry, ServedForm):
        module_title = next(m["title"] for m in site.modules[entry.lang] if m["id"] == entry.module_id)
        title = f"{entry.title}: {module_title}"
    nb.metadata.setdefault("netwise", {})["app"] = {
        "lang": entry.lang,
        "title": title,
        # The skip link names its target: the lesson, or (on a check page) the main content.
        "kind": "check" if isinstance(entry, ServedForm) else "lesson",
        "home": home_url(entry.lang),
        "languages": site.switch(entry.lang, other_language),
        "strings": strings,
    }
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.get("id") == "title":
            # The hint tells JupyterLab users to run cells; the app runs them itself.
            lines = cell.source.split("\n")
            cell.source = "\n".join(line for line in lines if not _is_run_hint(line)).rstrip()
    if isinstance(entry, ServedLesson):
        nb.cells.append(nbformat.v4.new_code_cell("lesson.summary()", id="netwise-summary"))
    nbformat.write(nb, path)


def _is_run_hint(line: str) -> bool:
    text = line.strip()
    return text.startswith("*") and text.endswith("*") and ("Shift+Enter" in text)
