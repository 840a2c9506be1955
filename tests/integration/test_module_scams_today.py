"""The "today's scams" module (issue 16) reaches every place a teacher or learner meets a module.

Its built notebooks run in a real kernel in English and Vietnamese and draw the new scenario
kinds (video call, permission dialog, install prompt) and the author's verdict labels in the
language of the notebook; ``netwise list``, the lesson app's listing, ``netwise guide`` and
``netwise course init`` all show it. Expected text is read from the curriculum through the
Translator, so a change of wording or translation does not break the test, but a lost label,
scene or lesson does.
"""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from netwise.app.config import NetwiseConfiguration
from netwise.app.site import prepare_site
from netwise.cli.main import main
from netwise.content import load
from netwise.i18n import Translator
from netwise.paths import bundled_curriculum, bundled_notebooks
from support.notebooks import execute
from support.paths import run_netwise

MODULE = "scams-today"
LANGS = ("en", "vi")
NEW_KINDS = {"video_call", "permission", "install"}


@pytest.fixture(scope="module")
def curriculum() -> Any:
    return load(bundled_curriculum())


def lesson_ids() -> list[str]:
    return list(load(bundled_curriculum()).module(MODULE).lessons)


def artifacts(lesson: Any) -> list[Any]:
    """Every artifact a lesson draws: an activity's own, and each verdict or rating item's."""
    found = []
    for activity in lesson.activities:
        if getattr(activity, "artifact", None) is not None:
            found.append(activity.artifact)
        found += [item.artifact for item in getattr(activity, "items", []) if hasattr(item, "artifact")]
    return found


def test_the_module_uses_new_kinds_and_labels(curriculum: Any) -> None:
    """At least two of the new scenario kinds across the module, and labels on its verdicts."""
    lessons = [curriculum.lesson(lid) for lid in curriculum.module(MODULE).lessons]
    kinds = {a.kind for lesson in lessons for a in artifacts(lesson)}
    assert len(kinds & NEW_KINDS) >= 2, kinds
    labelled = [a for lesson in lessons for a in lesson.activities if getattr(a, "labels", None)]
    assert labelled, "no verdict activity chooses its labels"
    assert any(lesson.age_band == "8-10" for lesson in lessons)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_lesson_notebook_runs_and_draws_its_scenarios(
    curriculum: Any, lang: str, lesson_id: str, tmp_path: Path
) -> None:
    position = curriculum.module(MODULE).lessons.index(lesson_id) + 1
    source = bundled_notebooks() / lang / MODULE / f"{position:02d}-{lesson_id}.ipynb"
    notebook = execute(source, tmp_path, widget_state=True)
    assert notebook.metadata["netwise"]["lang"] == lang
    # What the widgets hold is what the learner sees: the translated labels, scenes and details.
    state = json.dumps(notebook.metadata.get("widgets", {}), ensure_ascii=False)
    lesson = Translator(curriculum, lang).lesson(lesson_id)
    for activity in lesson.activities:
        labels = getattr(activity, "labels", None)
        for label in labels.chosen().values() if labels else []:
            assert json.dumps(label, ensure_ascii=False)[1:-1] in state, (activity.id, label)
    for artifact in artifacts(lesson):
        if artifact.kind in NEW_KINDS:
            assert f'"{artifact.kind}"' in state or f'\\"{artifact.kind}\\"' in state, artifact.kind
        for text in [artifact.scene, *artifact.details]:
            if text:
                assert json.dumps(text, ensure_ascii=False)[1:-1] in state, text


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_check_before_notebook_runs(lang: str, tmp_path: Path) -> None:
    source = bundled_notebooks() / lang / MODULE / "00-check-before.ipynb"
    execute(source, tmp_path)


@pytest.mark.parametrize("lang", LANGS)
def test_netwise_list_shows_the_module(curriculum: Any, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json", "--lang", lang]) == 0
    listing = json.loads(capsys.readouterr().out)
    module = next(m for m in listing["modules"] if m["id"] == MODULE)
    assert module["title"] == Translator(curriculum, lang).module(MODULE).title
    assert [lesson["id"] for lesson in module["lessons"]] == list(curriculum.module(MODULE).lessons)
    assert all(set(LANGS) <= set(lesson["languages"]) for lesson in module["lessons"])


def test_lesson_app_lists_the_module(curriculum: Any, tmp_path: Path) -> None:
    lessons = list(curriculum.module(MODULE).lessons)
    site = prepare_site(NetwiseConfiguration(languages=list(LANGS), lessons=lessons), tmp_path)
    for lang in LANGS:
        translator = Translator(curriculum, lang)
        (module,) = [m for m in site.modules[lang] if m["id"] == MODULE]
        assert module["title"] == translator.module(MODULE).title
        assert [entry.title for entry in module["lessons"]] == [translator.lesson(lid).title for lid in lessons]
        assert [form.form_kind for form in module["before"]] == ["pre"]
        assert {form.form_kind for form in module["after"]} == {"post", "booster"}
        for entry in module["lessons"]:
            assert (tmp_path / entry.path).is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_teacher_guide_has_the_module(
    curriculum: Any, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"guide-{lang}.html"
    assert main(["guide", "--lang", lang, "--modules", MODULE, "--out", str(out)]) == 0
    capsys.readouterr()
    html = out.read_text(encoding="utf-8")
    translator = Translator(curriculum, lang)
    assert str(escape(translator.module(MODULE).title)) in html
    cited = 0
    for lesson_id in curriculum.module(MODULE).lessons:
        lesson = translator.lesson(lesson_id)
        assert str(escape(lesson.title)) in html, lesson_id
        # The legal facts travel with their source and check date into the guide's teacher notes.
        for line in (lesson.teacher_notes.preparation or "").splitlines():
            if "verified:" in line:
                assert line in unescape(html), line
                cited += 1
    assert cited >= 3


@pytest.mark.slow
def test_course_init_offers_the_module(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    result = run_netwise("course", "init", str(folder), "--name", "lop9", "--lang", "vi", "--modules", MODULE)
    assert result.returncode == 0, result.stderr
    assignments = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ") and line.split()}
    assert {MODULE, f"{MODULE}-pre", f"{MODULE}-post", f"{MODULE}-booster-2w", f"{MODULE}-booster-6w"} <= assignments
    released = list((folder / "source" / MODULE).glob("*.ipynb"))
    assert len(released) == len(load(bundled_curriculum()).module(MODULE).lessons), released
