"""Licences an NGO can rely on: BSD-3-Clause for the code, CC BY-SA 4.0 for the lessons,
stated in the README, the curriculum's metadata, every notebook's last cell, the teacher guide,
the family sheet and the lesson app's footer; an NGO's own curriculum folder shows its own licence instead."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jinja2
import yaml

from netwise.build.guide import render_family_guide, render_guide
from netwise.build.notebooks import build, form_notebook, lesson_notebook
from netwise.content import load, load_structure
from netwise.content.validate import warnings
from netwise.i18n import Translator
from netwise.paths import bundled_curriculum, bundled_notebooks
from support.paths import FIXTURES, TESTS

ROOT = TESTS.parent
CHROME = ROOT / "netwise" / "app" / "templates" / "voila" / "templates" / "netwise"


def test_licence_files_and_readme() -> None:
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert code.startswith("BSD 3-Clause License") and "Neither the name of the copyright holder" in code
    assert re.search(r'^license = "BSD-3-Clause"$', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    content = (ROOT / "LICENSE-CONTENT").read_text(encoding="utf-8")
    assert "Creative Commons Attribution-ShareAlike 4.0 International Public" in content
    assert "Section 3 -- License Conditions." in content and "ShareAlike." in content
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Licence", 1)[1].split("\n## ", 1)[0]
    assert "BSD 3-Clause" in section and "CC BY-SA 4.0" in section and "LICENSE-CONTENT" in section


def test_the_curriculum_declares_its_licence() -> None:
    manifest = yaml.safe_load((bundled_curriculum() / "curriculum.yaml").read_text(encoding="utf-8"))
    assert manifest["licence"]["name"] == "CC BY-SA 4.0"
    assert manifest["licence"]["url"] == "creativecommons.org/licenses/by-sa/4.0"
    curriculum = load(bundled_curriculum())
    assert not [w for w in warnings(curriculum) if "licence" in w.message]


def test_every_built_notebook_ends_with_the_licence() -> None:
    for path in sorted(bundled_notebooks().rglob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        last = text.rsplit('"cell_type"', 1)[1]
        assert "CC BY-SA 4.0" in last and "creativecommons.org/licenses/by-sa/4.0" in last, path
    curriculum = load(bundled_curriculum())
    for lang, words in (("en", "Lesson content under the licence"), ("vi", "được cấp phép theo")):
        cell = lesson_notebook(curriculum, lang, "privacy-footprint").cells[-1]
        assert cell.id == "licence" and words in cell.source
        # The address is code, so no notebook or page turns it into a link to an outside site.
        assert "`creativecommons.org/licenses/by-sa/4.0`" in cell.source
        assert form_notebook(curriculum, lang, "privacy", "post").cells[-1].source == cell.source


def test_the_guide_states_the_licence() -> None:
    curriculum = load(bundled_curriculum())
    html = render_guide(curriculum, "vi", ["reporting"])
    assert "Giấy phép" in html and "CC BY-SA 4.0" in html
    assert "Bài học an toàn trên mạng NetWise" in html


def test_the_family_sheet_states_the_licence() -> None:
    curriculum = load(bundled_curriculum())
    for lang, words in (("vi", "được cấp phép theo"), ("en", "Lesson content under the licence")):
        html = render_family_guide(curriculum, lang, ["reporting"])
        assert '<p class="licence">' in html and words in html and "CC BY-SA 4.0" in html


def test_the_page_footer_shows_the_licence() -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(CHROME)), autoescape=True)
    footer = env.from_string('{% from "chrome.html.j2" import site_footer %}{{ site_footer(s) }}')
    ui = Translator(load(bundled_curriculum()), "vi").ui()
    html = footer.render(s={"footer_note": ui["footer_note"], "licence": ui["licence"]})
    assert '<p class="licence">' in html and "CC BY-SA 4.0" in html
    assert '<p class="licence">' not in footer.render(s={"footer_note": "x"})  # an older site without it
    strict = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(CHROME)), autoescape=True, undefined=jinja2.StrictUndefined
    )
    strict.from_string('{% from "chrome.html.j2" import site_footer %}{{ site_footer(s) }}').render(
        s={"footer_note": "x"}
    )


def test_an_ngo_declares_its_own_licence(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "mini", root)
    curriculum, _ = load_structure(root)
    assert curriculum is not None
    assert [w.message for w in warnings(curriculum)] == [
        "no 'licence:' block: the pages cannot say under what terms the lessons may be reused"
    ]
    assert lesson_notebook(curriculum, "en", "basics-one").cells[-1].id == "closing"  # no licence, no cell
    manifest = root / "curriculum.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        + 'licence:\n  name: "CC BY-SA 4.0"\n  url: "example.org/licence"\n'
        + '  attribution: "Safe Kids lessons, adapted by Safe Kids from NetWise"\n',
        encoding="utf-8",
    )
    common = root / "locale/vi/LC_MESSAGES/common.po"
    common.write_text(
        common.read_text(encoding="utf-8")
        + '\nmsgctxt "manifest/curriculum:licence.attribution"\n'
        + 'msgid "Safe Kids lessons, adapted by Safe Kids from NetWise"\n'
        + 'msgstr "Bài học Safe Kids, do Safe Kids chuyển thể từ NetWise"\n',
        encoding="utf-8",
    )
    curriculum = load(root)
    result = build(curriculum, tmp_path / "notebooks")
    assert result.written
    en = lesson_notebook(curriculum, "en", "basics-one").cells[-1].source
    vi = lesson_notebook(curriculum, "vi", "basics-one").cells[-1].source
    assert "Safe Kids lessons, adapted by Safe Kids from NetWise" in en and "`example.org/licence`" in en
    assert "Bài học Safe Kids, do Safe Kids chuyển thể từ NetWise" in vi
    assert "Safe Kids lessons" in render_guide(curriculum, "en")
