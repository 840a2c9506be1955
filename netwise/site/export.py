"""``netwise export-site``: every lesson as a static page that runs by itself (issue 17).

A public self-study page needs no kernel: NetWise scores every activity from data in the
curriculum. So each lesson and each before/after check is exported as one HTML file with:

- the lesson text (the same Markdown the served page shows, through nbconvert's renderer)
  and each activity's static look (the served page's own macro, static_look.html.j2),
  readable before any script runs;
- per activity, a ``<script type="application/json">`` holding its spec, interface strings,
  state and the answer-key data the browser engine scores with (netwise.site.keys): the
  widgets are built here, in process, exactly as the served page builds them;
- one hashed bundle (widgets/js/src/site, built into netwise/site/static by
  widgets/js/build.py) that draws the activities with the same renderer, keeps answers in
  localStorage, and registers a service worker (``sw.js``, at the root for its scope).

URLs are relative unless ``base_url`` is given (then absolute under it), so the folder works
from any host and path. Nothing names another host. The export is deterministic: the same
curriculum and options give the same bytes, the zip included (fixed times, sorted entries).
The answer keys are in the pages by nature: this is for self-study, and the landing page says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from nbconvert.filters.markdown import markdown2html

from netwise.build.notebooks import form_notebook, lesson_notebook
from netwise.content import Curriculum, load_curriculum
from netwise.content.assessment import forms
from netwise.errors import NetwiseError
from netwise.i18n import Translator, language_name, lesson_languages
from netwise.paths import bundled_curriculum
from netwise.scoring import record as record_mod
from netwise.site import keys
from netwise.site.text import site_strings
from netwise.widgets import AssessmentWidget, Lesson, page_mode

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"  # the built site bundle (widgets/js/build.py writes it)
MANIFEST = "assets.json"  # written by build.mjs: {"js": ..., "css": ..., "files": [...]}
APP_TEMPLATES = HERE.parent / "app" / "templates" / "voila" / "templates"
# The marker that says a folder is an export (so a re-export may replace it, and nothing else).
MARKER = ".netwise-site"
ASSETS = "assets"
SW_NAME = "sw.js"
SW_VERSION = "__NETWISE_SITE_VERSION__"  # replaced in sw.js by a hash of the export
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries carry no build time: two exports, same bytes
# A record's creation time seeds the order of shuffled options (widgets/choice.py): each learner
# gets their own order in a notebook. An exported page has one fixed order, the same on every export.
EXPORT_RECORD_CREATED = "2000-01-01T00:00:00.000000Z"


@dataclass
class Page:
    """One file of the site: where it goes and what links to it."""

    path: str  # relative to the site root, posix
    lang: str
    kind: str  # "home", "lesson" or "check"
    page_id: str  # lesson id, form record id, or "" for a landing page
    title: str


@dataclass
class ExportResult:
    out: Path
    pages: list[str] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    zip_path: Path | None = None


def _environment() -> jinja2.Environment:
    loader = jinja2.FileSystemLoader(
        [str(HERE / "templates"), str(APP_TEMPLATES / "netwise"), str(APP_TEMPLATES / "netwise-lean")]
    )
    # Jinja's default Undefined, as Voilà renders these shared macros: they test optional keys.
    return jinja2.Environment(loader=loader, autoescape=True, keep_trailing_newline=True)


def _manifest() -> dict[str, Any]:
    path = STATIC / MANIFEST
    if not path.is_file():
        raise NetwiseError(f"the static site bundle is not built ({path} is missing); run python3 widgets/js/build.py")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@contextmanager
def _as_on_the_served_page() -> Iterator[None]:
    """Widgets built as the lesson app's kernels build them: records in memory (no file beside
    anything) and the lean page's mode (the page's own heading is the one title: issue 13)."""
    wanted = {record_mod.MEMORY_ENV: "memory", page_mode.PAGE_MODE_ENV: page_mode.LEAN}
    before = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def _is_run_hint(line: str) -> bool:
    text = line.strip()
    return text.startswith("*") and text.endswith("*") and "Shift+Enter" in text


def _markdown(source: str) -> str:
    return str(markdown2html(source))


class Exporter:
    """One export: the chosen lessons and checks in the chosen languages."""

    def __init__(
        self,
        curriculum_dir: Path,
        langs: list[str] | None = None,
        region: str | None = None,
        lessons: list[str] | None = None,
        base_url: str | None = None,
    ) -> None:
        if base_url is not None:
            if not base_url.startswith("/") or "//" in base_url or any(c in base_url for c in "?#\"'<> "):
                raise NetwiseError(f"--base-url must be a path on this host such as /lessons/, not {base_url!r}")
            base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.base_url = base_url
        if not curriculum_dir.is_dir():
            raise NetwiseError(f"curriculum folder not found: {curriculum_dir}")
        self.root = curriculum_dir
        # Once per process (the widgets built below share it): loading is the slow part.
        self.curriculum: Curriculum = load_curriculum(curriculum_dir)
        self.region = region or None
        if self.region is not None:
            self.curriculum.region(self.region)  # one line naming the known regions
        wanted = list(lessons or []) or list(self.curriculum.lessons)
        unknown = [lid for lid in wanted if lid not in self.curriculum.lessons]
        if unknown:
            raise NetwiseError(
                f"unknown lesson(s): {', '.join(unknown)} (lessons: {', '.join(self.curriculum.lessons)})"
            )
        ready: dict[str, list[str]] = {}
        languages = lesson_languages(self.curriculum)
        for lesson_id in wanted:
            for lang in languages[lesson_id]:
                ready.setdefault(lang, []).append(lesson_id)
        self.langs = list(langs or []) or list(ready)
        for lang in self.langs:
            if lang not in ready:
                raise NetwiseError(
                    f"no lesson is completely translated into '{lang}' (ready: {', '.join(ready) or 'none'}); "
                    "run 'netwise check' to see what is missing"
                )
        self.ready = ready
        self.env = _environment()
        self.assets = _manifest()
        self.pages: dict[tuple[str, str, str], Page] = {}
        self._plan()

    # --- what is exported -------------------------------------------------------------

    def _plan(self) -> None:
        for lang in self.langs:
            self.pages[(lang, "home", "")] = Page(f"{lang}/index.html", lang, "home", "", "")
            translator = Translator(self.curriculum, lang, self.region)
            for module in self.curriculum.modules:
                chosen = [lid for lid in module.lessons if lid in self.ready[lang]]
                for lesson_id in chosen:
                    title = translator.lesson(lesson_id).title
                    self.pages[(lang, "lesson", lesson_id)] = Page(
                        f"{lang}/{lesson_id}.html", lang, "lesson", lesson_id, title
                    )
                if not chosen:
                    continue
                for form in forms(self.curriculum, module.id):
                    self.pages[(lang, "check", form.record_id)] = Page(
                        f"{lang}/check-{form.record_id}.html", lang, "check", form.record_id, ""
                    )

    def href(self, here: str, target: str) -> str:
        """A link from the page at ``here`` to ``target`` (both relative to the site root)."""
        if self.base_url is not None:
            return self.base_url + target
        return posixpath.relpath(target, posixpath.dirname(here) or ".")

    def _languages(self, page: Page) -> list[dict[str, Any]]:
        switch = []
        for lang in self.langs:
            twin = self.pages.get((lang, page.kind, page.page_id)) or self.pages[(lang, "home", "")]
            switch.append(
                {
                    "code": lang,
                    "name": language_name(lang),
                    "url": self.href(page.path, twin.path),
                    "current": lang == page.lang,
                }
            )
        return switch

    def _common(self, page: Page, translator: Translator) -> dict[str, Any]:
        # All interface strings: the page chrome (netwise/app's templates) takes what it shows.
        strings = dict(translator.ui())
        assets = ASSETS + "/"
        return {
            "lang": page.lang,
            "s": strings,
            "site": site_strings(strings),
            "languages": self._languages(page),
            "home": self.href(page.path, self.pages[(page.lang, "home", "")].path),
            "css": self.href(page.path, assets + self.assets["css"]),
            "js": self.href(page.path, assets + self.assets["js"]),
        }

    # --- pages --------------------------------------------------------------------------

    def _page_config(self, page: Page, ui: dict[str, str]) -> dict[str, Any]:
        return {
            "ui": ui,  # once per page: every widget of a page shares its lesson's strings
            "lang": page.lang,
            "kind": page.kind,
            "id": page.page_id,
            "storageKey": f"netwise-site:{page.lang}:{page.kind}:{page.page_id}",
            "sw": self.href(page.path, SW_NAME),
            "scope": self.href(page.path, "./") if self.base_url is None else self.base_url,
        }

    def render_lesson(self, page: Page) -> str:
        translator = Translator(self.curriculum, page.lang, self.region)
        notebook = lesson_notebook(self.curriculum, page.lang, page.page_id, self.region)
        with _as_on_the_served_page():
            lesson = Lesson(page.page_id, lang=page.lang, curriculum=self.root, region=self.region)
            lesson.record.data["created"] = EXPORT_RECORD_CREATED  # before any widget is built
            blocks: list[dict[str, Any]] = []
            for cell in notebook.cells:
                meta = cell.get("metadata", {}).get("netwise", {})
                if cell.cell_type == "markdown":
                    source = cell.source
                    if cell.get("id") == "title":
                        source = "\n".join(line for line in source.split("\n") if not _is_run_hint(line)).rstrip()
                    blocks.append({"kind": "text", "html": _markdown(source)})
                elif cell.get("id") == "setup":
                    blocks.append(self._slot("header", lesson.header, lesson.ui, lesson))
                elif "activity" in meta:
                    blocks.append(self._slot("activity", lesson.show(meta["activity"]), lesson.ui))
            # The served lesson page ends with the lesson summary (netwise/app/site.py); so does this.
            blocks.append(self._slot("summary", lesson.summary(), lesson.ui, lesson))
        context = self._common(page, translator)
        context.update(
            title=lesson.lesson.title,
            blocks=blocks,
            config=self._page_config(page, dict(lesson.ui)),
            kind="lesson",
            back=context["home"],
        )
        return self.env.get_template("page.html.j2").render(context)

    def render_check(self, page: Page) -> str:
        translator = Translator(self.curriculum, page.lang, self.region)
        module_id, form_id = self._split_form(page.page_id)
        notebook = form_notebook(self.curriculum, page.lang, module_id, form_id, self.region)
        with _as_on_the_served_page():
            widget = AssessmentWidget(module_id, form_id, lang=page.lang, curriculum=self.root, region=self.region)
            blocks: list[dict[str, Any]] = []
            for cell in notebook.cells:
                if cell.cell_type == "markdown":
                    source = cell.source
                    if cell.get("id") == "title":
                        source = "\n".join(line for line in source.split("\n") if not _is_run_hint(line)).rstrip()
                    blocks.append({"kind": "text", "html": _markdown(source)})
                elif cell.get("id") == "assessment":
                    blocks.append(self._slot("check", widget, widget.ui))
        context = self._common(page, translator)
        context.update(
            title=self.check_title(page, translator),
            blocks=blocks,
            config=self._page_config(page, dict(widget.ui)),
            kind="check",
            back=context["home"],
        )
        return self.env.get_template("page.html.j2").render(context)

    def _split_form(self, record_id: str) -> tuple[str, str]:
        for module in self.curriculum.modules:
            for form in forms(self.curriculum, module.id):
                if form.record_id == record_id:
                    return module.id, form.form_id
        raise NetwiseError(f"unknown check: {record_id}")

    def check_title(self, page: Page, translator: Translator) -> str:
        module_id, form_id = self._split_form(page.page_id)
        ui = translator.ui()
        chosen = next(f for f in forms(self.curriculum, module_id) if f.form_id == form_id)
        label = {"pre": ui["check_before"], "post": ui["check_after"]}.get(chosen.kind)
        label = label or ui["check_booster"].format(weeks=chosen.weeks or 0)
        return f"{label}: {translator.module(module_id).title}"

    def _slot(self, kind: str, widget: Any, page_ui: dict[str, str], lesson: Lesson | None = None) -> dict[str, Any]:
        payload = dict(keys.widget_payload(widget, lesson))
        payload["state"] = dict(widget.state)
        payload["kind"] = kind
        if payload.get("ui") == dict(page_ui):
            del payload["ui"]  # the page's own (in #nw-page): ~17 KB less per widget
        look = {"spec": widget.spec, "state": widget.state, "ui": dict(widget.ui)}
        return {"kind": "widget", "slot": kind, "payload": payload, "look": look}

    def render_home(self, page: Page) -> str:
        translator = Translator(self.curriculum, page.lang, self.region)
        ui = translator.ui()
        modules = []
        for module in self.curriculum.modules:
            lessons = []
            for lesson_id in module.lessons:
                entry = self.pages.get((page.lang, "lesson", lesson_id))
                if entry is None:
                    continue
                lesson = self.curriculum.lessons[lesson_id]
                lessons.append(
                    {
                        "id": lesson_id,
                        "title": entry.title,
                        "url": self.href(page.path, entry.path),
                        "meta": [
                            ui["age_band"].format(band=lesson.age_band),
                            ui["duration"].format(minutes=lesson.duration_min),
                        ],
                    }
                )
            if not lessons:
                continue
            before: list[dict[str, Any]] = []
            after: list[dict[str, Any]] = []
            for form in forms(self.curriculum, module.id):
                entry = self.pages[(page.lang, "check", form.record_id)]
                label = {"pre": ui["check_before"], "post": ui["check_after"]}.get(form.kind)
                card = {
                    "id": form.record_id,
                    "kind": form.kind,
                    "title": label or ui["check_booster"].format(weeks=form.weeks or 0),
                    "url": self.href(page.path, entry.path),
                    "meta": [ui["check_items"].format(count=len(form.items))],
                }
                (before if form.kind == "pre" else after).append(card)
            modules.append(
                {
                    "id": module.id,
                    "title": translator.module(module.id).title,
                    "lessons": lessons,
                    "before": before,
                    "after": after,
                }
            )
        context = self._common(page, translator)
        context.update(modules=modules)
        return self.env.get_template("landing.html.j2").render(context)

    # --- writing ------------------------------------------------------------------------

    def files(self) -> dict[str, bytes]:
        """Every file of the site, by path relative to its root (posix), in a fixed order."""
        out: dict[str, bytes] = {}
        for name in self.assets["files"]:
            out[f"{ASSETS}/{name}"] = (STATIC / name).read_bytes()
        for page in self.pages.values():
            if page.kind == "home":
                html = self.render_home(page)
            elif page.kind == "lesson":
                html = self.render_lesson(page)
            else:
                html = self.render_check(page)
            out[page.path] = html.encode("utf-8")
        # The root: the first language's landing page, its links relative to the root.
        first = self.pages[(self.langs[0], "home", "")]
        out["index.html"] = self.render_home(Page("index.html", first.lang, "home", "", "")).encode("utf-8")
        # The service worker names its cache by the export, so a new export replaces the old cache.
        digest = hashlib.sha256()
        for name in sorted(out):
            digest.update(name.encode("utf-8") + b"\0" + out[name])
        sw = (STATIC / self.assets["sw"]).read_text(encoding="utf-8")
        out[SW_NAME] = sw.replace(SW_VERSION, digest.hexdigest()[:16]).encode("utf-8")
        out[MARKER] = b"written by netwise export-site; this folder may be replaced by the next export\n"
        return dict(sorted(out.items()))


def export_site(
    out: Path,
    curriculum_dir: Path | None = None,
    langs: list[str] | None = None,
    region: str | None = None,
    lessons: list[str] | None = None,
    base_url: str | None = None,
    make_zip: bool = False,
) -> ExportResult:
    """Write the static site into ``out`` (replacing an earlier export there); errors are NetwiseError."""
    exporter = Exporter(curriculum_dir or bundled_curriculum(), langs, region, lessons, base_url)
    if out.exists() and not out.is_dir():
        raise NetwiseError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise NetwiseError(f"{out} is not empty and not an earlier export; choose an empty or new folder")
    files = exporter.files()
    if out.is_dir():
        shutil.rmtree(out)
    result = ExportResult(out=out)
    for name, data in files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        result.files += 1
        result.bytes += len(data)
    result.pages = [p.path for p in exporter.pages.values()]
    if make_zip:
        folder = out.resolve()  # "." has no name of its own
        result.zip_path = folder.with_name(folder.name + ".zip")
        write_zip(files, result.zip_path, folder.name)
    return result


def write_zip(files: dict[str, bytes], path: Path, folder: str) -> None:
    """One archive for an upload: entries sorted, fixed times and modes, so the same site gives the same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever the machine: the same bytes everywhere
            archive.writestr(info, files[name])
