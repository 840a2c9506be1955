"""The lesson app's pages: landing, lesson and check pages behind the class cap, and friendly errors.

Notebooks, sources, answer files and any other file of the server answer with the
friendly "not found" page; static files come only from the lean template's own folder.
A lesson page reserves its seat in the class before its kernel starts and binds that
kernel to the browser (netwise/app/admission.py, netwise/app/guard.py).
"""

from __future__ import annotations

from typing import Any

import tornado.escape
import tornado.iostream
import tornado.web
from jupyter_server.base.handlers import JupyterHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from netwise.app.admission import PAGE_TICKET, digest
from netwise.app.exporter import whole_page
from netwise.app.guard import CONTENT_SECURITY_POLICY, GuardMixin
from netwise.app.pages import PageMixin, page_env
from netwise.app.site import ServedForm, home_url

__all__ = ["CONTENT_SECURITY_POLICY", "PageMixin", "page_env"]  # where they were before


class LandingHandler(GuardMixin, JupyterHandler):
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
                "id": module["id"],  # the module index's jump target
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


class LessonHandler(GuardMixin, TornadoVoilaHandler):
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
        # The seat is reserved now, in one step of the event loop: simultaneous arrivals
        # cannot all pass the cap before their kernels exist.
        ticket = self.admission.reserve(digest(self.issue_owner_secret()))
        if ticket is None:
            self.log.warning("class full: %d students, refusing %s", self.admission.students, self.request.path)
            self.message_page(503, "class_full", lang, retry=self.request.path)
            return
        # Voilà's page posts to /voila/api/shutdown/<kernel> when the tab closes, sending
        # the _xsrf cookie; without the cookie that post fails and the kernel lingers.
        self.xsrf_token  # noqa: B018  (reading it sets the cookie)
        token = PAGE_TICKET.set(ticket)  # the kernel this page gets takes the seat (admission.py)
        started = False
        try:
            async for html in whole_page(self.get_generator(path=entry.path)):  # sent once complete
                started = True
                self.write(html)
                self.flush()
        except tornado.iostream.StreamClosedError:
            return
        except Exception:
            if self.kernel_stopped_on_purpose():
                self.log.info("lesson %s/%s: its kernel was stopped on purpose while it rendered", lang, lesson_id)
            else:
                self.log.exception("lesson %s/%s failed to render", lang, lesson_id)
            if not started:
                self.clear()
                self.message_page(500, "error", lang, retry=self.request.path)
                return
            s = self.site.strings[lang]
            self.write(
                f'<div class="nw-lesson-error" role="alert"><p>{tornado.escape.xhtml_escape(s["error_text"])}</p></div>'
            )
        finally:
            PAGE_TICKET.reset(token)
            self.admission.release(ticket)  # nothing, once a kernel took the seat
        self.finish()

    def kernel_stopped_on_purpose(self) -> bool:
        """A failed render that is no fault (class mode: a later page of the same student took over)."""
        return False


class NotFoundHandler(GuardMixin, JupyterHandler):
    """Everything else, by any method: never a file, never a listing, never Jupyter's own page."""

    def get(self, path: str = "") -> None:
        self.message_page(404, "not_found", self.visitor_language())

    head = post = put = patch = delete = options = get

    def check_xsrf_cookie(self) -> None:
        pass  # nothing here acts on a request: a POST gets the same "not found"


class SafeTemplateStaticFileHandler(TemplateStaticFileHandler):
    """Voilà's template assets; a malformed or climbing path is a plain 404, not a 500."""

    def parse_url_path(self, url_path: str) -> str:
        parts = url_path.split("/")
        if len(parts) < 3 or parts[1] != "static" or ".." in parts:
            raise tornado.web.HTTPError(404)
        return str(super().parse_url_path(url_path))
