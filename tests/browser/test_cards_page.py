"""The login cards page in real Chromium: offline, eight cards to a printed A4 sheet, a QR code that works.

A course of nine students gets its cards through the installed command; Chromium opens the
file with every request recorded (none may leave the file), prints it to PDF (nine cards make
two A4 pages), and a screenshot of a card's QR code is decoded by zxing-cpp, as a phone
camera would, back to the join address. axe-core checks the page.
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
import zxingcpp

from support.axe import axe
from support.paths import FIXTURES, run_netwise
from support.servers import CHROMIUM, CHROMIUM_ARGS

URL = "http://192.168.1.23:8866/"
NAMES = ["Đặng Đức", "Nguyễn An", "Trần Bình", "Lê Cường", "Phạm Dũng", "Hoàng Giang", "Vũ Hải", "Đỗ Lan", "Bùi Minh"]


def grey_pixels(png: bytes) -> memoryview:
    """A PNG (8-bit RGB or RGBA, as Chromium writes screenshots) as grey bytes shaped [height, width]."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, data, width, height, channels = 8, b"", 0, 0, 0
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            data += body
        at += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels
    previous = bytearray(stride)
    grey = bytearray()
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):  # undo the PNG filter of this line
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        grey.extend(sum(line[x : x + 3]) // 3 for x in range(0, stride, channels))
        previous = line
    return memoryview(bytes(grey)).cast("B", shape=[height, width])


@pytest.fixture(scope="module")
def cards_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("cardspage")
    shutil.copytree(FIXTURES / "assess", base / "curriculum")
    rows = [f"s{n},{name.split(' ', 1)[1]},{name.split(' ', 1)[0]}" for n, name in enumerate(NAMES, start=1)]
    (base / "roster.csv").write_text("id,first_name,last_name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    course = base / "course"
    result = run_netwise("course", "init", str(course), "--name", "lop7a", "--lang", "vi", "--students",
                         str(base / "roster.csv"), "--curriculum", str(base / "curriculum"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = base / "cards.html"
    result = run_netwise("course", "cards", str(course), "--url", URL, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.browser
def test_cards_page_offline_two_a4_pages_qr_and_axe(cards_page: Path, tmp_path: Path, artifacts: Path) -> None:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        # bypass_csp only so axe-core can be injected: the page itself allows no script
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, bypass_csp=True
        )
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(cards_page.as_uri())
            page.wait_for_load_state("load")
            assert page.locator("article.card").count() == len(NAMES)
            assert page.locator("h2").all_inner_texts() == sorted(NAMES, key=lambda n: f"s{NAMES.index(n) + 1}")

            qr = page.locator("article.card").first.locator(".join [role=img]")
            png = qr.screenshot(scale="device")
            decoded = [result.text for result in zxingcpp.read_barcodes(grey_pixels(png))]
            assert decoded == [URL]
            page.screenshot(path=str(artifacts / "cards-vi.png"), full_page=True)
            assert axe(page) == []

            page.emulate_media(media="print")
            pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            (artifacts / "cards-vi.pdf").write_bytes(pdf)
            pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
            assert pages == 2, pages  # nine cards: eight on the first sheet, one on the second
            per_sheet = page.eval_on_selector_all("section.sheet", "els => els.map(e => e.children.length)")
            assert per_sheet == [8, 1]
        finally:
            browser.close()
    outside = [url for url in requests if not url.startswith(("file:", "data:", "about:"))]
    assert requests and not outside, outside
