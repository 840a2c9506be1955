"""Completing a static lesson page (netwise export-site) in Playwright, as a visitor would.

Shared by tests/browser/test_static_site.py (a plain static server) and
tests/browser/test_static_site_nginx.py (Debian's nginx): one driver per activity type, by
touch or by keyboard, answering with the first option each time (right or wrong). And the
nginx configuration of docs/static-site.md made runnable in a private folder (the nginx test
and benchmarks/static_site.py serve exports with it), and a plain static server on loopback.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

PASSPHRASE = "purple otter juggles seven lanterns"
DOC = Path(__file__).resolve().parents[2] / "docs" / "static-site.md"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A plain static web server for ``folder`` on a free loopback port; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def nginx_recipe() -> str:
    """The nginx ``server`` block of docs/static-site.md, as an NGO copies it."""
    found = re.search(r"```nginx\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    if not found:
        raise AssertionError("docs/static-site.md has no nginx block")
    return found.group(1)


def nginx_conf(site: Path, port: int, folder: Path) -> Path:
    """A whole nginx.conf in ``folder`` around the documented block: only its port and root changed."""
    server = nginx_recipe().replace("listen 80;", f"listen 127.0.0.1:{port};").replace("/srv/netwise-site", str(site))
    if f"127.0.0.1:{port}" not in server or str(site) not in server:
        raise AssertionError("the documented nginx block no longer says 'listen 80;' and '/srv/netwise-site'")
    temp = "".join(
        f" {name}_temp_path {folder / name};\n" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        # As root, nginx's workers would switch to a user who cannot read a private temporary folder.
        ("user root;\n" if os.geteuid() == 0 else "") + "daemon off;\nworker_processes 1;\nerror_log stderr warn;\n"
        f"pid {folder / 'nginx.pid'};\nevents {{ worker_connections 256; }}\n"
        "http {\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n access_log off;\n"
        f"{temp}{server}}}\n",
        encoding="utf-8",
    )
    return conf


def press(page: Page, target: Locator, keyboard: bool) -> None:
    """Use a control as a visitor would: a tap, or focus and the key a keyboard user presses."""
    if not keyboard:
        target.tap()
        return
    target.focus()
    kind = target.evaluate("el => el.tagName + ':' + (el.type || '')")
    page.keyboard.press("Space" if kind in ("INPUT:radio", "INPUT:checkbox") else "Enter")


def feedback_shown(section: Locator) -> None:
    section.locator(".nw-feedback:not([hidden])").first.wait_for(timeout=10_000)


def complete(page: Page, section: Locator, kind: str, keyboard: bool) -> None:
    """Answer one activity through its controls (the first option each time: right or wrong)."""
    check = section.locator(".nw-primary")
    if kind == "choice":
        press(page, section.locator("input").first, keyboard)
        press(page, check.first, keyboard)
    elif kind == "verdict":
        for item in section.locator(".nw-item").all():
            press(page, item.locator(".nw-verdict").first, keyboard)
    elif kind == "red_flags":
        press(page, section.locator(".nw-part").first, keyboard)
        press(page, check.first, keyboard)
    elif kind == "branching":
        for _ in range(12):  # a story ends within a few choices
            choices = section.locator(".nw-choice")
            if not choices.count():
                break
            before = section.locator(".nw-bubble").count()
            press(page, choices.first, keyboard)
            page.wait_for_function(
                "([el, n]) => el.querySelectorAll('.nw-bubble').length > n || !el.querySelector('.nw-choice')",
                arg=[section.element_handle(), before],
            )
    elif kind == "passphrase_lab":
        field = section.locator("input.nw-pass-input")
        field.tap() if not keyboard else field.focus()
        page.keyboard.type(PASSPHRASE)
        section.locator(".nw-pass-result:not([hidden])").wait_for(timeout=15_000)  # the lazy estimator
        press(page, check.first, keyboard)
    elif kind == "privacy_settings":
        for setting in section.locator("fieldset.nw-setting").all():
            option = setting.locator("input").first
            press(page, option if keyboard else setting.locator("label.nw-setting-option").first, keyboard)
        press(page, check.first, keyboard)
    elif kind == "link_inspector":
        for item in section.locator(".nw-item").all():
            press(page, item.locator(".nw-label-btn").last, keyboard)
            press(page, item.locator(".nw-verdict").first, keyboard)
            press(page, item.locator(".nw-primary").first, keyboard)
    elif kind == "rating":
        for item in section.locator(".nw-item").all():
            target = (
                item.locator("input.nw-scale-input").nth(2) if keyboard else item.locator("label.nw-scale-btn").nth(2)
            )
            press(page, target, keyboard)
            press(page, item.locator(".nw-primary").first, keyboard)
    else:  # a new type: this driver must learn it
        raise AssertionError(f"no driver for activity type {kind}")
    feedback_shown(section)


def complete_lesson(page: Page, keyboard: bool) -> list[str]:
    kinds: list[str] = page.evaluate("[...netwisePage.engines.values()].map((e) => e.activity.type)")
    sections = page.locator("section.nw-activity")
    assert sections.count() == len(kinds)
    for index, kind in enumerate(kinds):
        complete(page, sections.nth(index), kind, keyboard)
    return kinds


# The feedback fields a renderer shows as text (ids, marks and flags are not shown as such).
SHOWN = {"headline", "explanation", "attempts_line", "you_picked", "you_said", "score", "feedback", "text", "label"}


def shown_texts(value: Any) -> Iterator[str]:
    """The texts of a Python widget's feedback that the page must show."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and key in SHOWN and item:
                yield item
            elif isinstance(item, dict | list):
                yield from shown_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from shown_texts(item)
