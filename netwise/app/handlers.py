"""The lesson app's pages: landing, lesson and check pages behind the class cap, and friendly errors.

Notebooks, sources, answer files and any other file of the server answer with the
friendly "not found" page; static files come only from Voilà and the allowed extensions.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
import tornado.escape
import tornado.iostream
import tornado.web
from jupyter_server.base.handlers import FileFindHandler, JupyterHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from netwise.app.config import TEMPLATE_DIR, NetwiseConfiguration
from netwise.app.pool import live_students
from netwise.app.site import ServedForm, Site, home_url

# The browser may talk to this server only: no other host can be reached even by mistake.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)


def _page_env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True)


class PageMixin:
    """Renders NetWise's own pages (landing, class full, not found, error)."""

    settings: dict[str, Any]

    @property
    def site(self) -> Site:
        site: Site = self.settings["netwise_site"]
        return site

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

        def form_cards(entries: list[ServedForm]) -> list[dict[str, Any]]:
            return [
                {
                    "title": c.title,
                    "url": c.url,
                    "id": c.form_id,
                    "kind": c.form_kind,
                    "meta": [s["check_items"].format(count=c.items)],
                }
                for c in entries
            ]

        # Per module: the check before, the lessons, then the check after and the reminders.
        modules = [
            {
                "title": module["title"],
                "before": form_cards(module["before"]),
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
                "after": form_cards(module["after"]),
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

    async def get(self, lang: str, lesson_id: str) -> None:
        pages: dict[tuple[str, str], Any] = self.site.forms if self.page_kind == "check" else self.site.lessons
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
