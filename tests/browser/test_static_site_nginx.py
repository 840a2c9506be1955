"""The static lesson site behind Debian's nginx, with the recipe docs/static-site.md gives.

The ``server`` block is read from the documentation itself (only its port and root are
changed), so the recipe an NGO copies is the one tested: hashed assets cached for a year and
immutable, pages and the service worker revalidated, text compressed. Then a lesson is
completed in Chromium from nginx. nginx must be installed (tests/run.sh installs it): a
missing nginx fails, it is not skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from netwise.site.export import export_site
from support.servers import CHROMIUM, CHROMIUM_ARGS, free_port
from support.static_site import complete_lesson, nginx_conf

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = "scams-hacked-friend"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert Path(NGINX).is_file(), "nginx is not installed (Debian's nginx package; tests/run.sh installs it)"
    tmp = tmp_path_factory.mktemp("nginx")
    site = tmp / "site"
    export_site(site, langs=["en"], lessons=[LESSON])
    port = free_port()
    conf = nginx_conf(site, port, tmp)
    log = (tmp / "nginx.log").open("wb")
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, (tmp / "nginx.log").read_text(errors="replace")
            try:
                urllib.request.urlopen(base + "/index.html", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not answer"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def head(url: str) -> dict[str, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
        return {key.lower(): value for key, value in response.headers.items()}


def test_cache_headers_follow_the_recipe(nginx: str) -> None:
    page = urllib.request.urlopen(f"{nginx}/en/{LESSON}.html", timeout=10).read().decode("utf-8")
    assets = re.findall(r'(?:src|href)="\.\./(assets/[^"]+)"', page)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        headers = head(f"{nginx}/{asset}")
        assert headers["cache-control"] == "public, max-age=31536000, immutable", asset
        assert headers.get("content-encoding") == "gzip", asset
    for unhashed in (f"/en/{LESSON}.html", "/index.html", "/sw.js", "/assets/THIRD_PARTY_NOTICES.txt"):
        headers = head(nginx + unhashed)
        assert headers["cache-control"] == "no-cache", unhashed
    assert head(f"{nginx}/sw.js")["content-type"].startswith("application/javascript")


def test_a_lesson_is_completed_from_nginx(nginx: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
            requests: list[str] = []
            context.on("request", lambda request: requests.append(request.url))
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{nginx}/index.html")
            page.locator(f'a[data-lesson="{LESSON}"]').tap()
            page.wait_for_selector("html[data-nw-ready]", timeout=20_000)
            complete_lesson(page, keyboard=False)
            assert page.locator(".nw-summary-box .nw-summary-done:not([hidden])").count() == 1
            assert errors == []
            assert [url for url in requests if not url.startswith(nginx + "/")] == []
        finally:
            browser.close()
