"""The lesson app: built notebooks served by standalone Voilà with NetWise's settings.

One configuration object, :class:`NetwiseConfiguration` (a traitlets ``Configurable``,
like Voilà's own ``VoilaConfiguration``), holds every NetWise setting. The command line
fills it, :class:`NetwiseVoila` derives the Voilà, kernel-manager and culling settings
from it, and the page handlers read it from the tornado settings.

What a visitor can reach: the landing page, lesson pages and check pages (a module's
pre/post/booster assessments, see :func:`prepare_site`) rendered without code, the static assets of Voilà and of the allowed JupyterLab extensions, and the websocket of
the kernel their own page started. Notebooks, sources, answer files and any other file
of the server answer with the friendly "not found" page.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import nbformat
import tornado.escape
import tornado.iostream
import tornado.web
import voila.app
import voila.notebook_renderer
from jupyter_server.base.handlers import FileFindHandler, JupyterHandler
from traitlets import Int, List, Unicode
from traitlets.config import Config, Configurable
from voila.app import Voila
from voila.execute import VoilaExecutor
from voila.static_file_handler import AllowListFileHandler, TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from netwise.errors import NetwiseError
from netwise.kernel_fork import FORK_AVAILABLE, ForkServer
from netwise.kernel_pool import kernel_manager_factory

TEMPLATE_ROOT = Path(__file__).resolve().parent / "templates"  # a Jupyter data dir: voila/templates/netwise
TEMPLATE_NAME = "netwise"
TEMPLATE_DIR = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE_NAME

# Measured: a page needs the widget manager and Voilà's widgets-manager8 (ipywidgets 8),
# and anywidget's labextension renders our widgets. Every other extension only costs time.
EXTENSION_ALLOWLIST = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8", "anywidget"]

# Strings the page chrome and the server pages use (keys of netwise.ui_text.UI_TEXT).
PAGE_STRINGS = [
    "app_name", "app_tagline", "skip_to_content", "lessons_heading", "language_switch", "back_to_lessons",
    "lesson_count", "loading", "noscript", "footer_note", "class_full_title", "class_full_text", "try_again_link",
    "error_title", "error_text", "not_found_title", "not_found_text", "age_band", "duration",
    "check_before", "check_after", "check_booster", "check_items",
]  # fmt: skip

# The browser may talk to this server only: no other host can be reached even by mistake.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)


# Served booster notebooks (91-booster-2w.ipynb …) match this; Voilà never preheats them.
BOOSTER_PATTERN = r".*/9[1-9]-booster-[^/]*\.ipynb$"

AUTO_POOL_PAGES = 8  # each preheated page holds a kernel: more than this is the operator's call


class NetwiseConfiguration(Configurable):
    """NetWise's lesson-app settings, shared by the command line, the app and its handlers."""

    curriculum = Unicode("", help="Curriculum folder ('' = the bundled one).").tag(config=True)
    languages = List(Unicode(), help="Languages to serve ([] = every completely translated one).").tag(config=True)
    lessons = List(Unicode(), help="Lesson ids to serve ([] = all).").tag(config=True)
    pool = Int(
        -1,
        help="Preheated kernels kept ready per lesson and before/after check page (0 = start on request; "
        "-1 = one per page "
        f"when at most {AUTO_POOL_PAGES} pages are served, else none, so defaults stay within memory).",
    ).tag(config=True)
    max_students = Int(40, help="Live lesson kernels beyond which visitors see 'the class is full'.").tag(config=True)
    cull_idle_timeout = Int(
        120, help="Seconds after which a kernel with no open page and no activity is shut down."
    ).tag(config=True)
    cull_interval = Int(30, help="Seconds between checks for idle kernels.").tag(config=True)

    def voila_config(self) -> Config:
        """The Voilà, kernel and server settings these NetWise settings imply."""
        c = Config()
        v = c.VoilaConfiguration
        v.template = TEMPLATE_NAME
        v.strip_sources = True
        v.show_tracebacks = False  # tracebacks go to the server log only
        v.allow_template_override = "NO"
        v.allow_theme_override = "NO"
        v.extension_allowlist = list(EXTENSION_ALLOWLIST)
        v.file_allowlist = []  # nothing from the notebook folder is a public file
        v.file_denylist = [".*"]
        v.preheat_kernel = self.pool > 0
        v.default_pool_size = max(self.pool, 0)
        # Reminder quizzes are taken weeks later, one learner at a time: no kernel waits for them.
        c.VoilaKernelManager.preheat_denylist = [BOOSTER_PATTERN]
        c.VoilaExecutor.cell_error_instruction = ""  # the page shows its own friendly message
        # With TCP, one of twenty simultaneous kernels died on a port clash; ipc has no ports.
        c.KernelManager.transport = "ipc"
        # Each visitor still gets a kernel process of their own, forked from one that has
        # already imported IPython and NetWise: a class arriving together costs a fork each,
        # not a second of imports each, and the imported pages are shared between kernels.
        c.MultiKernelManager.kernel_manager_class = "netwise.kernel_fork.ForkingServerKernelManager"
        km = c.MappingKernelManager
        km.cull_idle_timeout = self.cull_idle_timeout
        km.cull_interval = self.cull_interval
        # Unconnected kernels (closed tabs, bare GETs) are culled; an open page keeps its kernel.
        km.cull_connected = False
        km.cull_busy = False
        return c


# --- the lessons on offer ------------------------------------------------------------


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
class ServedCheck:
    """A module's assessment form (pre, post or booster) as a page: no feedback until its end."""

    lang: str
    check_id: str  # the form's record id: "<module>-<form>", e.g. "scams-pre"
    module_id: str
    form_kind: str  # "pre", "post" or "booster"
    title: str  # the card's label: "Check before", "Check after", "Reminder quiz, 2 weeks later"
    items: int
    path: str

    kind = "check"

    @property
    def url(self) -> str:
        return check_url(self.lang, self.check_id)

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
    # per language: [{id, title, lessons: [ServedLesson], before: [ServedCheck], after: [ServedCheck]}]
    modules: dict[str, list[dict[str, Any]]]
    lessons: dict[tuple[str, str], ServedLesson] = field(default_factory=dict)
    checks: dict[tuple[str, str], ServedCheck] = field(default_factory=dict)  # (lang, check id)

    @property
    def preheated_pages(self) -> int:
        """Pages Voilà keeps kernels ready for: lessons and the before/after checks (not boosters)."""
        return len(self.lessons) + sum(check.preheated for check in self.checks.values())

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


def check_url(lang: str, check_id: str) -> str:
    return f"/check/{lang}/{check_id}"


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
    from netwise.assessment import forms
    from netwise.builder import build, form_path, notebook_path
    from netwise.i18n import Translator, language_name, lesson_languages
    from netwise.loader import load
    from netwise.paths import bundled_curriculum

    source = Path(conf.curriculum) if conf.curriculum else bundled_curriculum()
    if not source.is_dir():
        raise NetwiseError(f"curriculum folder not found: {source}")
    curriculum = load(source)
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
    build(curriculum, root, langs)
    site = Site(root=root, languages=langs, language_names={}, strings={}, modules={})
    for lang in langs:
        translator = Translator(curriculum, lang)
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
            before: list[ServedCheck] = []
            after: list[ServedCheck] = []
            for chosen in forms(curriculum, module.id):
                label = {"pre": ui["check_before"], "post": ui["check_after"]}.get(chosen.kind)
                check = ServedCheck(
                    lang=lang,
                    check_id=chosen.record_id,
                    module_id=module.id,
                    form_kind=chosen.kind,
                    title=label or ui["check_booster"].format(weeks=chosen.weeks or 0),
                    items=len(chosen.items),
                    path=form_path(curriculum, lang, module.id, chosen.form_id).as_posix(),
                )
                site.checks[(lang, check.check_id)] = check
                (before if chosen.kind == "pre" else after).append(check)
            site.modules[lang].append(
                {
                    "id": module.id,
                    "title": translator.module(module.id).title,
                    "lessons": served,
                    "before": before,
                    "after": after,
                }
            )
    clash = sorted({cid for (_, cid) in site.checks} & set(curriculum.lessons))
    if clash:  # different URL prefixes, but one id should name one page
        raise NetwiseError(f"lesson id(s) clash with assessment form ids: {', '.join(clash)}")
    # Only the chosen pages stay in the folder: Voilà preheats every notebook it finds.
    pages: list[ServedLesson | ServedCheck] = [*site.lessons.values(), *site.checks.values()]
    keep = {root / entry.path for entry in pages}
    for notebook in root.rglob("*.ipynb"):
        if notebook not in keep:
            notebook.unlink()
    for entry in pages:
        _adapt_notebook(root / entry.path, entry, site)
    return site


def _adapt_notebook(path: Path, entry: ServedLesson | ServedCheck, site: Site) -> None:
    """Make a built notebook a page: page chrome data, no "run each cell" hint; lessons get a summary."""
    nb = nbformat.read(path, as_version=4)
    strings = site.strings[entry.lang]

    def other_language(lang: str) -> str:
        if isinstance(entry, ServedCheck):
            twin = site.checks.get((lang, entry.check_id))
        else:
            twin = site.lessons.get((lang, entry.lesson_id))  # type: ignore[assignment]
        return twin.url if twin is not None else home_url(lang)

    title = entry.title
    if isinstance(entry, ServedCheck):
        module_title = next(m["title"] for m in site.modules[entry.lang] if m["id"] == entry.module_id)
        title = f"{entry.title}: {module_title}"
    nb.metadata.setdefault("netwise", {})["app"] = {
        "lang": entry.lang,
        "title": title,
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


# --- handlers ------------------------------------------------------------------------


def _page_env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True)


class PageMixin:
    """Renders NetWise's own pages (landing, class full, not found, error)."""

    settings: dict[str, Any]

    @property
    def site(self) -> Site:
        return self.settings["netwise_site"]  # type: ignore[no-any-return]

    def netwise_page(self, name: str, lang: str, **context: Any) -> str:
        env: jinja2.Environment = self.settings["netwise_pages"]
        strings = self.site.strings[lang]
        return env.get_template(name).render(lang=lang, s=strings, **context)

    def message_page(self, status: int, kind: str, lang: str, retry: str | None = None) -> None:
        handler: Any = self
        s = self.site.strings[lang]
        handler.set_status(status)
        handler.set_header("Content-Type", "text/html; charset=UTF-8")
        handler.set_header("Cache-Control", "no-store")
        if status == 503:
            handler.set_header("Retry-After", "60")
        handler.finish(
            self.netwise_page(
                "message.html",
                lang,
                title=s[f"{kind}_title"],
                text=s[f"{kind}_text"],
                retry=retry,
                languages=self.site.switch(lang, home_url),
            )
        )


class LandingHandler(PageMixin, JupyterHandler):
    """The home page: every module and lesson of a language, and the language switch."""

    def get(self) -> None:
        lang = self.site.language(self.get_argument("lang", None))
        self.set_header("Cache-Control", "no-cache")
        s = self.site.strings[lang]

        def checks(entries: list[ServedCheck]) -> list[dict[str, Any]]:
            return [
                {
                    "title": c.title,
                    "url": c.url,
                    "id": c.check_id,
                    "kind": c.form_kind,
                    "meta": [s["check_items"].format(count=c.items)],
                }
                for c in entries
            ]

        # Per module: the check before, the lessons, then the check after and the reminders.
        modules = [
            {
                "title": module["title"],
                "before": checks(module["before"]),
                "lessons": [
                    {
                        "title": entry.title,
                        "url": entry.url,
                        "id": entry.lesson_id,
                        "meta": [
                            s["age_band"].format(band=entry.age_band),
                            s["duration"].format(minutes=entry.duration_min),
                        ],
                    }
                    for entry in module["lessons"]
                ],
                "after": checks(module["after"]),
            }
            for module in self.site.modules[lang]
        ]
        self.finish(
            self.netwise_page("landing.html", lang, modules=modules, languages=self.site.switch(lang, home_url))
        )


class LessonHandler(PageMixin, TornadoVoilaHandler):
    """A lesson or check page: Voilà's rendering, behind the class-size cap and a friendly error."""

    def initialize(self, **kwargs: Any) -> None:
        self.page_kind = kwargs.pop("page_kind", "lesson")
        super().initialize(**kwargs)

    async def get(self, lang: str, lesson_id: str) -> None:  # type: ignore[override]
        pages: dict[tuple[str, str], Any] = self.site.checks if self.page_kind == "check" else self.site.lessons
        entry = pages.get((lang, lesson_id))
        if entry is None:
            self.message_page(404, "not_found", self.site.language(lang))
            return
        conf: NetwiseConfiguration = self.settings["netwise_config"]
        if live_students(self.kernel_manager) >= conf.max_students:
            self.log.warning("class full: %d students, refusing %s", conf.max_students, self.request.path)
            self.message_page(503, "class_full", lang, retry=self.request.path)
            return
        # Voilà's page posts to /voila/api/shutdown/<kernel> when the tab closes, sending
        # the _xsrf cookie; without the cookie that post fails and the kernel lingers.
        self.xsrf_token  # noqa: B018  (reading it sets the cookie)
        started = False
        try:
            async for html in self.get_generator(path=entry.path):
                started = True
                self.write(html)
                self.flush()
        except tornado.iostream.StreamClosedError:
            return
        except Exception:
            self.log.exception("lesson %s/%s failed to render", lang, lesson_id)
            if not started:
                self.clear()
                self.message_page(500, "error", lang, retry=self.request.path)
                return
            s = self.site.strings[lang]
            self.write(
                f'<div class="nw-lesson-error" role="alert"><p>{tornado.escape.xhtml_escape(s["error_text"])}</p></div>'
            )
        self.finish()


class NotFoundHandler(PageMixin, JupyterHandler):
    """Everything else: never a file, never a listing."""

    def get(self, path: str = "") -> None:
        self.message_page(404, "not_found", self.site.language(self.get_argument("lang", None)))

    def head(self, path: str = "") -> None:
        self.set_status(404)
        self.finish()


CONTENT_HASHED = re.compile(r"[./][0-9a-f]{8,}\.js$")


class AllowedExtensionsHandler(FileFindHandler):
    """Voilà's labextension files, limited to the extensions a page may load."""

    def initialize(self, path: Any, allowed: list[str], **kwargs: Any) -> None:  # type: ignore[override]
        self.allowed = tuple(f"{name}/" for name in allowed)
        super().initialize(path, **kwargs)

    def parse_url_path(self, url_path: str) -> str:
        if not url_path.startswith(self.allowed) or ".." in url_path.split("/"):
            raise tornado.web.HTTPError(404)
        return str(super().parse_url_path(url_path))

    def set_headers(self) -> None:
        super().set_headers()
        # A file named by its content hash (remoteEntry.c8c9eed2.js, 84.09c61a35.js?v=...) never
        # changes: a returning visitor's browser need not ask again (Voilà revalidates every
        # file, three waves of round trips before a lesson page can show a widget).
        if CONTENT_HASHED.search(self.request.path):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")


class SafeTemplateStaticFileHandler(TemplateStaticFileHandler):
    """Voilà's template assets; a malformed or climbing path is a plain 404, not a 500."""

    def parse_url_path(self, url_path: str) -> str:
        parts = url_path.split("/")
        if len(parts) < 3 or parts[1] != "static" or ".." in parts:
            raise tornado.web.HTTPError(404)
        return str(super().parse_url_path(url_path))


def pooled_kernels(kernel_manager: Any) -> int:
    """Preheated kernels ready and waiting: they belong to no student yet."""
    count = 0
    for pool in getattr(kernel_manager, "_pools", {}).values():
        for task in pool:
            if task.done() and not task.cancelled() and task.exception() is None:
                count += 1
    return count


def live_students(kernel_manager: Any) -> int:
    return max(len(kernel_manager.list_kernel_ids()) - pooled_kernels(kernel_manager), 0)


_SERVER_LOG: list[logging.Logger] = []  # the app's logger, for the executor (created by Voilà)


class NetwiseExecutor(VoilaExecutor):
    """Voilà's executor, logging a failing cell's traceback before the page gets a friendly message."""

    def strip_code_cell_errors(self, cell: Any) -> Any:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") != "ExecutionError":
                (_SERVER_LOG[0] if _SERVER_LOG else self.log).error(
                    "lesson cell failed: %s: %s\n%s",
                    output.get("ename"),
                    output.get("evalue"),
                    "\n".join(output.get("traceback", [])),
                )
        return super().strip_code_cell_errors(cell)


# --- the Voilà application -------------------------------------------------------------


class NetwiseVoila(Voila):
    """Standalone Voilà serving NetWise lessons with hardened settings."""

    name = "netwise-serve"
    classes = [*Voila.classes, NetwiseConfiguration]

    def _config_file_paths_default(self) -> list[str]:
        # A voila.json on the host must not quietly undo the hardened settings.
        return []

    def initialize(self, argv: Any = None) -> None:
        self.netwise = NetwiseConfiguration(parent=self)
        self.served_dir = Path(tempfile.mkdtemp(prefix="netwise-serve-"))  # private (0700)
        self.site = prepare_site(self.netwise, self.served_dir)
        if self.netwise.pool < 0:
            self.netwise.pool = 1 if self.site.preheated_pages <= AUTO_POOL_PAGES else 0
        self.update_config(self.netwise.voila_config())
        self.root_dir = str(self.served_dir)
        # ipc socket paths must stay under ~107 bytes: keep kernel connection files in a
        # short directory even when TMPDIR is deep (a long path made every kernel fail).
        if os.path.isdir("/tmp") and len(tempfile.gettempdir()) > 20:
            self.connection_dir_root = "/tmp"
        # Voilà finds templates on the Jupyter data path; ours ships inside the package.
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH")]))
        # Voilà strips cell errors from the page without logging them; ours logs first.
        voila.notebook_renderer.VoilaExecutor = NetwiseExecutor  # type: ignore[misc]
        # Preheated kernels are replaced when the class has arrived, not while it arrives.
        voila.app.voila_kernel_manager_factory = kernel_manager_factory(voila_kernel_manager_factory)
        _SERVER_LOG[:] = [self.log]
        super().initialize(argv or [])
        if FORK_AVAILABLE:
            ForkServer.get()  # ready before the first visitor (it takes about half a second to preload)

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
        settings["netwise_config"] = self.netwise
        settings["netwise_site"] = self.site
        settings["netwise_pages"] = _page_env()
        headers = dict(settings.get("headers", {}))
        headers.update(
            {
                "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            }
        )
        settings["headers"] = headers
        return settings

    def init_handlers(self) -> list[Any]:
        # Voilà's tree, contents API, file handler and /voila/render are not part of the app.
        dropped = (TornadoVoilaTreeHandler, VoilaContentsHandler, AllowListFileHandler, TornadoVoilaHandler)
        handlers = []
        for spec in super().init_handlers():
            pattern, handler = spec[0], spec[1]
            if isinstance(handler, type) and issubclass(handler, dropped):
                continue
            if handler is TemplateStaticFileHandler:
                spec = (pattern, SafeTemplateStaticFileHandler, *spec[2:])
            if handler is FileFindHandler and "labextensions" in pattern:
                spec = (pattern, AllowedExtensionsHandler, {**spec[2], "allowed": EXTENSION_ALLOWLIST})
            handlers.append(spec)
        lesson_args = {
            "template_paths": self.template_paths,
            "config": self.config,
            "voila_configuration": self.voila_configuration,
        }
        return [
            (r"/", LandingHandler),
            (r"/lesson/([A-Za-z_-]+)/([a-z0-9-]+)/?", LessonHandler, lesson_args),
            (r"/check/([A-Za-z_-]+)/([a-z0-9-]+)/?", LessonHandler, {**lesson_args, "page_kind": "check"}),
            *handlers,
            (r"/(.*)", NotFoundHandler),
        ]

    def stop(self) -> None:
        try:
            super().stop()
        finally:
            shutil.rmtree(self.served_dir, ignore_errors=True)
