"""NetWise's own server pages (landing, class full, not found, error), from the app's Jinja templates.

Every handler of the app can render them, Voilà's and Jupyter Server's included (see
netwise/app/guard.py), so no visitor ever sees Jupyter's error pages, their tracebacks or
their missing templates (Voilà has no ``500.html``: its error page itself failed).
"""

from __future__ import annotations

from typing import Any

import jinja2

from netwise.app.config import TEMPLATE_DIR
from netwise.app.site import Site, home_url

# HTTP status -> the strings of its message page (site.PAGE_STRINGS: <kind>_title, <kind>_text).
STATUS_KIND = {404: "not_found", 421: "not_found", 503: "class_full"}


def page_env() -> jinja2.Environment:
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
        if handler.request.method == "HEAD":
            handler.finish()
            return
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

    def visitor_language(self) -> str:
        handler: Any = self
        try:
            requested = handler.get_argument("lang", None)
        except Exception:  # a malformed query string: the default language
            requested = None
        return self.site.language(requested)
