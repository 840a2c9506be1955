"""The three new artifact kinds (video call, permission prompt, install prompt) and verdict labels,
drawn by widgets/static/netwise.js in real Chromium on a phone-sized screen (390 x 844).

netwise.js is the one renderer of the served lean page, JupyterLab and the static site; here it
draws the spec the Python VerdictWidget makes from the fixture curriculum (tests/fixtures/
scenario-kinds), in English and Vietnamese, through anywidget's model interface, on a page
served from loopback (ES modules do not load from file:). Asserted: every kind drawn inside a
figure with a label, its scene or details shown, its pictured buttons hidden from assistive
technology and not focusable, one line naming them; the verdict buttons carry the author's
labels and still send the scale's answer; no sideways scroll; axe-core finds no serious or
critical violation. The exported static site shows the same: its static look (before scripts),
its bundle, and its in-browser engine's feedback in the author's words.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netwise.scoring import record as record_mod
from netwise.widgets import Lesson
from support.axe import axe
from support.paths import FIXTURES, run_netwise
from support.servers import chromium
from support.static_site import serve_folder

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "widgets" / "static"
KINDS = FIXTURES / "scenario-kinds"
WORDS = {"en": ("Report it", "Leave it"), "vi": ("Báo cáo", "Bỏ qua")}

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Scenario kinds</title><link rel="stylesheet" href="netwise.css"></head>
<body><main><h1>Scenario kinds</h1><div id="root"></div></main>
<script type="application/json" id="data">{data}</script>
<script type="module">
import netwise from "./netwise.js";
const data = JSON.parse(document.getElementById("data").textContent);
window.sent = [];
const model = {{ get: (k) => data[k], on() {{}}, off() {{}}, send: (m) => window.sent.push(m) }};
netwise.render({{ model, el: document.getElementById("root") }});
document.documentElement.dataset.drawn = "true";
</script></body></html>
"""


loopback = serve_folder  # a plain static server on loopback (tests/support/static_site.py)


def _page(folder: Path, lang: str) -> dict[str, Any]:
    """Write the page for one language; returns the widget's ui strings."""
    widget = Lesson("kinds-one", lang=lang, curriculum=KINDS).show("respond")
    data = {"spec": widget.spec, "state": widget.state, "ui": dict(widget.ui)}
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    (folder / f"{lang}.html").write_text(PAGE.format(lang=lang, data=text), encoding="utf-8")
    return dict(widget.ui)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, dict[str, Any]]]]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(record_mod.MEMORY_ENV, "memory")
    folder = tmp_path / "site"
    folder.mkdir()
    for name in ("netwise.js", "netwise.css"):
        shutil.copyfile(STATIC / name, folder / name)
    uis = {lang: _page(folder, lang) for lang in WORDS}
    with loopback(folder) as url:
        yield url, uis


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_kinds_drawn_at_390_accessible_and_inert(
    site: tuple[str, dict[str, dict[str, Any]]], lang: str, tmp_path: Path, artifacts: Path
) -> None:
    url, uis = site
    ui = uis[lang]
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{url}/{lang}.html")
        page.wait_for_selector("html[data-drawn='true']")

        for kind, label in (
            ("video_call", ui["video_call_label"]),
            ("permission", ui["permission_label"]),
            ("install", ui["install_label"]),
        ):
            art = page.locator(f"figure.nw-figure > .nw-art-{kind}").first
            assert art.is_visible(), kind
            assert art.get_attribute("role") == "group" and art.get_attribute("aria-label") == label
            box = art.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (kind, box)
        # What the video shows and what the prompts ask for, in words.
        assert page.locator(".nw-art-video_call .nw-scene").first.inner_text().startswith(ui["video_scene"])
        assert page.locator(".nw-art-permission .nw-details li").count() == 2
        assert page.locator(".nw-art-install .nw-details li").count() == 2
        assert "FreeDiamonds.apk" in page.locator(".nw-art-install").inner_text()
        # The pictured buttons: hidden from assistive technology, not focusable, named in one line.
        for kind, words in (
            ("video_call", [ui["decline"], ui["accept"]]),
            ("permission", [ui["deny"], ui["allow"]]),
            ("install", [ui["cancel"], ui["install"]]),
        ):
            art = page.locator(f".nw-art-{kind}").first
            assert art.locator("button, a[href], input, [tabindex]").count() == 0, kind
            pictured = art.locator("[aria-hidden='true']").filter(has_text=words[0])
            assert pictured.count() == 1, kind
            named = art.locator(".nw-sr").filter(has_text=ui["shown_buttons"].format(buttons=", ".join(words)))
            assert named.count() == 1, kind
        # Tabbing from the top reaches only the verdict buttons, never a pictured one.
        focused = []
        for _ in range(6):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("document.activeElement.className"))
        assert all("nw-verdict" in cls for cls in focused), focused

        # The verdict buttons carry the labels and send the scale's answer.
        report, leave = WORDS[lang]
        first_item = page.locator("article.nw-item").first
        assert first_item.locator("button.nw-verdict").all_inner_texts() == [report, leave]
        first_item.get_by_role("button", name=report).click()
        assert page.evaluate("window.sent")[-1] == {"action": "judge", "item": "uncle", "verdict": "scam"}

        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"sideways scroll of {overflow}px at 390px"
        page.screenshot(path=str(artifacts / f"scenario-kinds-{lang}.png"), full_page=True)
        assert axe(page) == []
    outside = [u for u in requests if not u.startswith(url)]
    assert not outside, outside


@pytest.mark.browser
def test_static_site_draws_the_kinds_and_scores_with_labels(
    tmp_path: Path, artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exported static page: its static look (no script yet) and its bundle both show what the
    video shows and what the prompts ask for, and its engine answers in the author's words."""
    monkeypatch.chdir(tmp_path)  # Lesson() opens its answer record in the working folder
    out = tmp_path / "site"
    result = run_netwise("export-site", "--curriculum", str(KINDS), str(out))
    assert result.returncode == 0, result.stderr
    html = (out / "vi" / "kinds-one.html").read_text(encoding="utf-8")
    # Before any script runs, the static look already holds the scene and the permissions asked.
    assert html.count('class="nw-scene"') == 2 and html.count('class="nw-details"') == 2
    ui = Lesson("kinds-one", lang="vi", curriculum=KINDS).ui
    report, leave = WORDS["vi"]
    with loopback(out) as url, chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{url}/vi/kinds-one.html")
        page.wait_for_selector("html[data-nw-ready]", timeout=20_000)
        item = page.locator("article.nw-item").first
        assert item.locator(".nw-art-video_call .nw-scene").is_visible()
        assert item.locator("button.nw-verdict").all_inner_texts() == [report, leave]
        item.get_by_role("button", name=leave).click()
        feedback = item.locator(".nw-feedback:not([hidden])")
        feedback.wait_for(timeout=10_000)
        text = feedback.inner_text()
        assert ui["you_said"].format(answer=leave) in text and ui["verdict_is"].format(answer=report) in text
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"sideways scroll of {overflow}px at 390px"
        page.screenshot(path=str(artifacts / "scenario-kinds-site-vi.png"))
        assert axe(page) == []


@pytest.mark.browser
def test_static_check_form_reviews_in_the_bank_labels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A before/after check whose bank has labels: buttons and the end review use them (check.js)."""
    monkeypatch.chdir(tmp_path)  # Lesson() opens its answer record in the working folder
    root = tmp_path / "assess"
    shutil.copytree(FIXTURES / "assess", root)
    bank = root / "modules" / "basics" / "assessment.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(
        text.replace("\nscale:", '\nlabels: {scam: "Report", legit: "Ignore"}\nscale:', 1), encoding="utf-8"
    )
    out = tmp_path / "site"
    result = run_netwise("export-site", "--curriculum", str(root), "--lang", "en", str(out))
    assert result.returncode == 0, result.stderr
    ui = Lesson("basics-one", lang="en", curriculum=root).ui
    with loopback(out) as url, chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(f"{url}/en/check-basics-pre.html")
        page.wait_for_selector("html[data-nw-ready]", timeout=20_000)
        items = page.locator("article.nw-item")
        assert items.count() >= 4
        for i in range(items.count()):
            assert items.nth(i).locator("button.nw-verdict").all_inner_texts() == ["Report", "Ignore"]
            items.nth(i).get_by_role("button", name="Ignore").click()
        review = page.locator(".nw-summary-box:not([hidden])")
        review.wait_for(timeout=10_000)
        text = review.inner_text()
        assert ui["you_said"].format(answer="Ignore") in text
        assert ui["verdict_is"].format(answer="Report") in text
        assert ui["verdict_is"].format(answer=ui["scam"]) not in text  # not the scale's usual word
