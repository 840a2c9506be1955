"""Register: Vietnamese addresses a child of 8-10 as "em", older learners as "bạn".

Interface strings that address the learner have an ``|age:8-10`` variant in the ``ui``
catalogs; a lesson's widgets and notebook take the variant of the lesson's age band, and an
assessment form that of the class it is for.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from netwise.build.notebooks import form_notebook, lesson_notebook
from netwise.content import load
from netwise.i18n import Translator, coverage
from netwise.i18n.ui_text import LEARNER_KEYS, REGISTER_BANDS, UI_TEXT, variant_context
from netwise.paths import bundled_curriculum
from netwise.scoring import record as record_mod
from netwise.widgets import AssessmentWidget, Lesson
from support.paths import FIXTURES

YOUNG = "scams-too-good-to-be-true"  # 8-10
OLDER = "scams-real-or-scam"  # 11-13
EM = re.compile(r"\b[Ee]m\b")
BAN = re.compile(r"\b[Bb]ạn\b")


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(record_mod.MEMORY_ENV, raising=False)
    return tmp_path


def test_every_learner_string_has_an_8_10_variant_in_vi() -> None:
    curriculum = load(bundled_curriculum())
    translator = Translator(curriculum, "vi")
    young, older = translator.ui("8-10"), translator.ui("11-13")
    assert not translator.missing
    assert REGISTER_BANDS == ("8-10",)
    for key in LEARNER_KEYS:
        assert young[key] != older[key], key
        assert EM.search(young[key]) and not BAN.search(young[key]), young[key]
    # Strings that do not address the learner are the same in every band.
    assert all(young[k] == older[k] for k in UI_TEXT if k not in LEARNER_KEYS)
    # English has no such difference: the variants repeat the string.
    english = Translator(curriculum, "en")
    assert english.ui("8-10") == english.ui("14-16")


def test_an_8_10_lessons_widgets_use_em_and_an_11_13_lessons_use_ban(cwd: Path) -> None:
    young = Lesson(YOUNG, lang="vi")
    assert young.ui["objectives"] == "Trong bài học này, em sẽ"
    verdict = young.show("gems-scam-or-real")
    assert verdict.ui["you_said"] == "Em chọn: {answer}"
    verdict.judge("free-gems-link", "scam")
    assert "Em chọn: Lừa đảo" in verdict.feedback_text

    older = Lesson(OLDER, lang="vi")
    assert older.ui["objectives"] == "Trong bài học này, bạn sẽ"
    judge = older.show("judge-messages")
    judge.judge("otp-bank", "scam")
    assert "Bạn chọn: Lừa đảo" in judge.feedback_text
    assert young.summary().state["text"].startswith("Em đã trả lời")
    assert older.summary().state["text"].startswith("Bạn đã trả lời")


def test_notebooks_say_em_for_8_10_and_ban_for_older() -> None:
    curriculum = load(bundled_curriculum())
    young = lesson_notebook(curriculum, "vi", YOUNG).cells[0].source
    older = lesson_notebook(curriculum, "vi", OLDER).cells[0].source
    assert "**Trong bài học này, em sẽ:**" in young
    assert "**Trong bài học này, bạn sẽ:**" in older


def test_8_10_lessons_speak_to_em_in_vietnamese() -> None:
    """The narrator of an 8-10 lesson says "em"; characters in a chat keep their own voice."""
    curriculum = load(bundled_curriculum())
    for lesson_id, lesson in curriculum.lessons.items():
        if lesson.age_band != "8-10":
            continue
        translated = Translator(curriculum, "vi").lesson(lesson_id)
        texts = [step.text for step in translated.steps if step.text] + list(translated.what_to_do)
        joined = "\n".join(texts + list(translated.objectives))
        assert EM.search(joined), lesson_id
        unquoted = [re.sub(r'"[^"\n]*"|“[^”\n]*”', "", t) for t in texts]  # characters' own words
        you = r"(?<!người )(?<!các )(?<!những )\b[Bb]ạn (sẽ|có thể|đã|nên|không)\b"  # not "a friend will"
        narrator = [t for t in unquoted if re.search(you, t)]
        assert not narrator, (lesson_id, narrator[:1])


def test_a_young_classes_form_speaks_to_em(cwd: Path) -> None:
    young = AssessmentWidget("strangers", "pre-8-10", lang="vi")
    assert young.ui["as_intro"].startswith("Em hãy đánh giá")
    older = AssessmentWidget("strangers", "pre", lang="vi")
    assert older.ui["as_intro"].startswith("Hãy đánh giá") and "bạn sẽ thấy" in older.ui["as_intro"]
    curriculum = load(bundled_curriculum())
    assert "khi đó em sẽ thấy" in form_notebook(curriculum, "vi", "strangers", "pre-8-10").cells[0].source


def test_a_missing_variant_is_a_missing_translation(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "mini", root)
    shutil.copy(bundled_curriculum() / "locale" / "vi" / "LC_MESSAGES" / "ui.po", root / "locale/vi/LC_MESSAGES/ui.po")
    po = root / "locale/vi/LC_MESSAGES/ui.po"
    context = variant_context("objectives", "8-10")
    text = po.read_text(encoding="utf-8")
    assert f'msgctxt "{context}"\nmsgid "In this lesson you will"\nmsgstr "Trong bài học này, em sẽ"' in text
    po.write_text(text.replace('msgstr "Trong bài học này, em sẽ"', 'msgstr ""'), encoding="utf-8")
    problems = [str(p) for p in coverage(load(root), "vi").problems]
    assert any(f"interface string '{context}' has no finished translation in vi" in p for p in problems), problems
