"""The "today's scams" module's own scenarios on a phone (issue 16): every activity of the module
that draws a video call, a permission dialog or an install prompt, in English and Vietnamese,
drawn by widgets/static/netwise.js in real Chromium at 390 x 844.

The specs come from the bundled curriculum through the Python widgets (``Lesson.show``), so
what is drawn is what a learner gets. Asserted for each: the new kind is drawn inside the
screen's width with its accessible name, its verdict buttons (where it has them) carry the
author's labels in the notebook's language, no sideways scroll, no outside request, and axe-core
finds no serious or critical violation. tests/browser/test_scenario_kinds.py covers the kinds
themselves (inert pictured buttons, keyboard order) on a fixture.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netwise.content import load
from netwise.i18n import Translator
from netwise.paths import bundled_curriculum
from netwise.scoring import record as record_mod
from netwise.widgets import AssessmentWidget, Lesson
from support.axe import axe
from support.servers import chromium
from support.static_site import serve_folder

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "widgets" / "static"
MODULE = "scams-today"
NEW_KINDS = ("video_call", "permission", "install")
LANGS = ("en", "vi")

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="netwise.css"></head>
<body><main><h1>{title}</h1><div id="root"></div></main>
<script type="application/json" id="data">{data}</script>
<script type="module">
import netwise from "./netwise.js";
const data = JSON.parse(document.getElementById("data").textContent);
const model = {{ get: (k) => data[k], on() {{}}, off() {{}}, send() {{}} }};
netwise.render({{ model, el: document.getElementById("root") }});
document.documentElement.dataset.drawn = "true";
</script></body></html>
"""


def _kinds(activity: Any) -> set[str]:
    arts = [
        getattr(activity, "artifact", None),
        *(getattr(i, "artifact", None) for i in getattr(activity, "items", [])),
    ]
    return {a.kind for a in arts if a is not None and a.kind in NEW_KINDS}


def scenarios() -> list[tuple[str, str]]:
    """(lesson id, activity id) of every activity of the module that draws a new kind."""
    curriculum = load(bundled_curriculum())
    return [
        (lesson_id, activity.id)
        for lesson_id in curriculum.module(MODULE).lessons
        for activity in curriculum.lesson(lesson_id).activities
        if _kinds(activity)
    ]


loopback = serve_folder  # a plain static server on loopback (tests/support/static_site.py)


@pytest.fixture
def pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """One page per (language, scenario); yields the server's URL and what each page should show."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(record_mod.MEMORY_ENV, "memory")  # drawing a widget writes no answer record
    folder = tmp_path / "site"
    folder.mkdir()
    for name in ("netwise.js", "netwise.css"):
        shutil.copyfile(STATIC / name, folder / name)
    curriculum = load(bundled_curriculum())
    expected = []
    for lang in LANGS:
        translator = Translator(curriculum, lang)
        for lesson_id, activity_id in scenarios():
            widget = Lesson(lesson_id, lang=lang).show(activity_id)
            activity = translator.lesson(lesson_id).activity(activity_id)
            data = json.dumps({"spec": widget.spec, "state": widget.state, "ui": dict(widget.ui)}, ensure_ascii=False)
            name = f"{lang}-{activity_id}.html"
            title = activity.title or activity.prompt
            (folder / name).write_text(
                PAGE.format(lang=lang, title=title, data=data.replace("</", "<\\/")), encoding="utf-8"
            )
            labels = activity.labels.chosen() if getattr(activity, "labels", None) else {}
            expected.append(
                {
                    "page": name,
                    "kinds": sorted(_kinds(activity)),
                    "names": {kind: widget.ui[f"{kind}_label"] for kind in NEW_KINDS},
                    "labels": [labels[a] for a in ("scam", "legit", "true", "false") if a in labels],
                }
            )
        # The check before, as a class of 8-10 and a class of 14-16 get it: the bank's artifacts.
        for form_id in ("pre-8-10", "pre"):
            check = AssessmentWidget(MODULE, form_id, lang=lang)
            data = json.dumps({"spec": check.spec, "state": check.state, "ui": dict(check.ui)}, ensure_ascii=False)
            name = f"{lang}-check-{form_id}.html"
            (folder / name).write_text(
                PAGE.format(lang=lang, title=check.assessment.title, data=data.replace("</", "<\\/")),
                encoding="utf-8",
            )
            kinds = {item.artifact.kind for item in check.items} & set(NEW_KINDS)
            expected.append(
                {
                    "page": name,
                    "kinds": sorted(kinds),
                    "names": {kind: check.ui[f"{kind}_label"] for kind in NEW_KINDS},
                    "labels": [],
                }
            )
    with loopback(folder) as url:
        yield url, expected


@pytest.mark.browser
def test_module_scenarios_at_390_are_accessible(
    pages: tuple[str, list[dict[str, Any]]], tmp_path: Path, artifacts: Path
) -> None:
    url, expected = pages
    assert {kind for page in expected for kind in page["kinds"]} >= {"video_call", "install"}
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        for shown in expected:
            page.goto(f"{url}/{shown['page']}")
            page.wait_for_selector("html[data-drawn='true']")
            for kind in shown["kinds"]:
                art = page.locator(f".nw-art-{kind}").first
                assert art.is_visible(), (shown["page"], kind)
                assert art.get_attribute("aria-label") == shown["names"][kind], (shown["page"], kind)
                box = art.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (shown["page"], box)
            if shown["labels"]:
                buttons = page.locator("article.nw-item").first.locator("button.nw-verdict").all_inner_texts()
                assert buttons == shown["labels"], (shown["page"], buttons)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{shown['page']}: sideways scroll of {overflow}px at 390px"
            assert axe(page) == [], shown["page"]
            page.screenshot(path=str(artifacts / f"scams-today-{shown['page']}.png"), full_page=True)
    outside = [u for u in requests if not u.startswith(url)]
    assert not outside, outside
