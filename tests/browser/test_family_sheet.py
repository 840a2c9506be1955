"""`netwise guide --family`: the family guide for parents and carers, one printable page per module.

Built from the bundled curriculum as a parent's school would (``--lang vi``), then opened offline
in real Chromium: no request leaves the file, it reads on a 390 px phone without sideways
scroll, axe-core finds no serious or critical violation, and printed (print media, page.pdf)
every module starts a page of its own. The page holds each module's family block and the
region's help lines; a module without a family block, or an untranslated one, is refused in
one line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from netwise.content import load_curriculum
from netwise.i18n import Translator
from support.axe import axe
from support.paths import FIXTURES, rewrite, run_netwise
from support.servers import chromium


@pytest.fixture(scope="module")
def family_vi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("family") / "family-vi.html"
    result = run_netwise("guide", "--family", "--lang", "vi", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "family-vi.html" in result.stdout
    return out


def test_family_guide_holds_every_module_and_the_help_lines(family_vi: Path) -> None:
    html = family_vi.read_text(encoding="utf-8")
    curriculum = load_curriculum()
    translator = Translator(curriculum, "vi")
    ui = translator.ui()
    assert '<html lang="vi">' in html and f"<h1>{ui['fam_title']}</h1>" in html
    assert html.count('class="family-page"') == len(curriculum.modules)
    for module in curriculum.modules:
        translated = translator.module(module.id)
        assert translated.family is not None
        page = html.split(f'id="family-{module.id}"', 1)[1].split('class="family-page"', 1)[0]
        assert len(translated.family.starters) == 3
        for line in [*translated.family.learned, *translated.family.starters, *translated.family.tools]:
            assert line.replace('"', "&#34;") in page, (module.id, line)
    region = translator.region()
    assert all(line.number is None or line.number in html for line in region.help_lines)
    assert html.count(ui["fam_who_to_call"]) == len(curriculum.modules)  # who to call on every page
    for english in ("What your child learned", "Ways to start talking", "Who to call"):
        assert english not in html
    # One self-contained file: no scripts, no outside references, a CSP that forbids requests.
    assert "<script" not in html and "url(" not in html and "default-src 'none'" in html
    assert not re.search(r"""(?:src|href)=["'](?!#)""", html)


def test_family_guide_refuses_a_module_without_a_family_block(tmp_path: Path) -> None:
    mini = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", mini)
    result = run_netwise("guide", "--family", "--curriculum", str(mini), "--out", str(tmp_path / "f.html"))
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert len(lines) == 1 and "'basics' has no 'family:' block" in lines[0], result.stderr
    assert not (tmp_path / "f.html").exists()


@pytest.mark.browser
def test_family_guide_offline_phone_and_print(family_vi: Path, tmp_path: Path, artifacts: Path) -> None:
    modules = len(load_curriculum().modules)
    requests: list[str] = []
    # The page's CSP (no scripts at all) is bypassed only so axe-core can run.
    with chromium(tmp_path / "profile", bypass_csp=True) as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(family_vi.as_uri())
        page.wait_for_load_state("load")
        assert page.locator("section.family-page").count() == modules + 1  # and the help lines in full
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"sideways scroll of {overflow}px at 390px"
        page.screenshot(path=str(artifacts / "family-vi-390.png"))
        assert axe(page) == []

        page.emulate_media(media="print")
        breaks = page.eval_on_selector_all(
            "section.family-page", "els => els.map(e => getComputedStyle(e).breakBefore)"
        )
        assert set(breaks) == {"page"}
        assert page.eval_on_selector(".screen-only", "e => getComputedStyle(e).display") == "none"
        pdf = page.pdf(format="A4", print_background=True)
        (artifacts / "family-vi.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        # The intro, each module on one page of its own, the help lines in full.
        assert pages == modules + 2, pages
    outside = [url for url in requests if not url.startswith(("file:", "data:", "about:"))]
    assert requests and not outside, outside


def test_check_refuses_a_brand_in_a_family_block(tmp_path: Path) -> None:
    root = tmp_path / "kinds"
    shutil.copytree(FIXTURES / "scenario-kinds", root)
    module = root / "modules" / "kinds" / "module.yaml"
    line = rewrite(module, "Use family pairing so new installs", "Use TikTok family pairing so new installs")
    result = run_netwise("check", "--curriculum", str(root))
    assert result.returncode == 1
    assert f"kinds/modules/kinds/module.yaml:{line}: 'TikTok' is the real brand 'TikTok'" in result.stdout, (
        result.stdout
    )
