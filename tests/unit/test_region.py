"""Artifacts follow the region, not the language (issue 15, item 4): the region profile fills the
placeholders of a lesson ({bank}, {money:8}, {phone:31}) after translation; --region is chosen
apart from --lang; netwise check refuses a lesson that hard-codes a region's money or phone format."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest

from netwise.content import load, load_structure
from netwise.content.assessment import all_forms, pre_form
from netwise.content.local import hard_coded, local_values, money, placeholder_problems
from netwise.content.text import texts
from netwise.grading.course import NetwiseCourse, config_text, load_course, plan_assignments
from netwise.grading.gains import modules_in
from netwise.i18n import Translator, coverage
from netwise.paths import bundled_curriculum
from netwise.widgets import Lesson
from support.paths import FIXTURES, run_netwise

FIXTURE = FIXTURES / "region-hardcoded"
LESSON_FILE = "region-hardcoded/modules/basics/lessons/basics-one.yaml"
PO_FILE = "region-hardcoded/locale/vi/LC_MESSAGES/basics.po"
# A lesson whose scenarios show the bank, money and phone numbers, and whose closing the help lines.
LESSON = "scams-protect-and-report"

# What only one region shows. Vietnam: đ after an amount, +84 numbers, its bank, 111 and 113.
VN = {
    "currency": re.compile(r"\d[\d.,]* đ(?!\w)"),
    "phone": re.compile(r"\+84 000 000 \d{3}"),
    "bank": re.compile(r"Sông Xanh"),
}
INTL = {
    "currency": re.compile(r"\$\d"),
    "phone": re.compile(r"\+00 0000 \d{4}"),
    "bank": re.compile(r"Riverlark"),
}


@pytest.fixture(scope="module")
def curriculum() -> Any:
    return load(bundled_curriculum())


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # answer records go beside the "notebook"
    return tmp_path


def _line_of(rel: str, text: str) -> int:
    content = (FIXTURES / rel).read_text(encoding="utf-8")
    assert text in content, f"{rel} no longer contains {text!r}"
    return content[: content.index(text)].count("\n") + 1


# --- the placeholders -------------------------------------------------------------------------


def test_default_pairing_is_kept(curriculum: Any) -> None:
    assert Translator(curriculum, "vi").region_id == "vn"
    assert Translator(curriculum, "en").region_id == "intl"
    assert Translator(curriculum, "en", "vn").region_id == "vn"


def test_money_and_phone_are_written_the_region_s_way_in_the_language(curriculum: Any) -> None:
    vn, intl = curriculum.regions["vn"], curriculum.regions["intl"]
    assert money(vn.local.currency, Decimal("7.4"), "en") == "185,000 đ"
    assert money(vn.local.currency, Decimal("7.4"), "vi") == "185.000 đ"
    assert money(intl.local.currency, Decimal("7.4"), "en") == "$7.40"
    assert money(intl.local.currency, Decimal("8"), "en") == "$8"
    values = local_values(vn, "en")
    assert values is not None
    assert (
        values.fill("Call {phone:31} about {money:8} from {bank}.")
        == "Call +84 000 000 031 about 200,000 đ from Sông Xanh Bank."
    )
    intl_values = local_values(intl, "en")
    assert intl_values is not None
    assert intl_values.fill("{phone:31}, {money:8}, {chat_app}") == "+00 0000 0031, $8, ChitChirp"
    # Names come translated from the common catalog.
    assert Translator(curriculum, "vi", "vn").local.names["bank"] == "Ngân hàng Sông Xanh"  # type: ignore[union-attr]


def test_placeholder_problems() -> None:
    assert placeholder_problems("{bank} {money:8} {phone:31}") == []
    assert "unknown placeholder '{banc}'" in placeholder_problems("{banc}")[0]
    assert "needs a number" in placeholder_problems("{money}")[0]
    assert "takes no argument" in placeholder_problems("{bank:2}")[0]


def test_bundled_lessons_and_catalogs_hard_code_no_region(curriculum: Any) -> None:
    """The rewrite is complete for money and phone formats: no lesson or bank writes them out."""
    regions = list(curriculum.regions.values())
    for model in [*curriculum.lessons.values(), *curriculum.assessments.values()]:
        for entry in texts(model):
            assert not hard_coded(entry.text, regions), (model.id, entry.text)


def _specs(lesson: Lesson) -> str:
    """Everything the lesson's widgets send to the page (their spec), as one string."""
    return json.dumps([lesson.show(a).spec for a in lesson.activity_ids], ensure_ascii=False)


@pytest.mark.parametrize(("region", "shows", "never"), [("vn", VN, INTL), ("intl", INTL, VN)])
def test_widgets_show_the_region_s_local_colour(
    cwd: Path, region: str, shows: dict[str, Any], never: dict[str, Any]
) -> None:
    lesson = Lesson(LESSON, lang="en", region=region)
    assert lesson.header.spec["region"] == region
    specs = _specs(lesson)
    for what, pattern in shows.items():
        assert pattern.search(specs), f"{region}: no {what} in the widgets"
    for what, pattern in never.items():
        assert not pattern.search(specs), f"{region}: another region's {what} in the widgets: {pattern.search(specs)}"
    assert "{" + "money" not in specs and "{bank}" not in specs


# --- netwise check ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_check() -> tuple[int, str]:
    result = run_netwise("check", "--curriculum", str(FIXTURE))
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, result.stdout


def test_hard_coded_money_and_phone_fail_check_with_file_and_line(broken_check: tuple[int, str]) -> None:
    code, out = broken_check
    assert code != 0
    line = _line_of(LESSON_FILE, "Pay 50,000 đ now")
    assert f"{LESSON_FILE}:{line}: '50,000 đ' hard-codes the currency of region 'vn'" in out
    assert f"{LESSON_FILE}:{line}: '+84 000 000 031' hard-codes the phone format of region 'vn'" in out
    po_line = _line_of(PO_FILE, 'msgstr "Trả 50.000 đ')
    assert f"{PO_FILE}:{po_line}: '50.000 đ' hard-codes the currency of region 'vn'" in out
    assert f"{PO_FILE}:{po_line}: '+84 000 000 031' hard-codes the phone format of region 'vn'" in out


def test_unknown_placeholder_fails_check_with_file_and_line(broken_check: tuple[int, str]) -> None:
    _, out = broken_check
    line = _line_of(LESSON_FILE, "{banc}")
    assert f"{LESSON_FILE}:{line}: unknown placeholder '{{banc}}'" in out


def test_translation_must_keep_the_placeholders() -> None:
    curriculum, _ = load_structure(FIXTURE)
    assert curriculum is not None
    found = [str(p) for p in coverage(curriculum, "vi").problems]
    line = _line_of(LESSON_FILE, "{banc}")
    assert any(
        p.startswith(f"{LESSON_FILE}:{line}: the vi translation must keep the placeholders") and "{money:2}" in p
        for p in found
    ), found


# --- the command line and the course ---------------------------------------------------------


def test_build_writes_other_pairs_only_under_out(tmp_path: Path) -> None:
    mini = FIXTURES / "mini"
    refused = run_netwise("build", "--curriculum", str(mini), "--lang", "en", "--region", "vn")
    assert refused.returncode != 0 and "--out" in refused.stderr and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    unknown = run_netwise("build", "--curriculum", str(mini), "--region", "xx", "--out", str(tmp_path / "x"))
    assert unknown.returncode != 0 and "no region 'xx'" in unknown.stderr and "intl, vn" in unknown.stderr
    out = tmp_path / "nb"
    done = run_netwise("build", "--curriculum", str(mini), "--lang", "en", "--region", "vn", "--out", str(out))
    assert done.returncode == 0, done.stderr
    nb = nbformat.read(out / "en/basics/01-basics-one.ipynb", as_version=4)
    assert nb.metadata["netwise"]["region"] == "vn" and nb.metadata["netwise"]["lang"] == "en"
    assert 'Lesson("basics-one", lang="en", region="vn")' in nb.cells[1].source
    # English words, Vietnamese help lines.
    assert "111" in nb.cells[-1].source and "National Child Protection Hotline" in nb.cells[-1].source


def test_guide_takes_a_region(tmp_path: Path) -> None:
    out = tmp_path / "guide.html"
    result = run_netwise(
        "guide", "--curriculum", str(FIXTURES / "mini"), "--lang", "en", "--region", "vn", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "region vn" in result.stdout and "111" in out.read_text(encoding="utf-8")


def test_course_config_keeps_region_and_age_band(tmp_path: Path, curriculum: Any) -> None:
    plan = plan_assignments(curriculum, ["strangers"], "8-10")
    assert all("-8-10" in name for name in plan if name != "strangers")
    (tmp_path / "nbgrader_config.py").write_text(
        config_text("c1", "en", "", plan, None, "vn", "8-10"), encoding="utf-8"
    )
    course = load_course(tmp_path)
    assert course.region == "vn" and course.age_band == "8-10"
    # A course made before regions existed keeps the language's usual pairing.
    old = tmp_path / "old"
    old.mkdir()
    text = config_text("c0", "vi", "", plan, None)
    (old / "nbgrader_config.py").write_text(text, encoding="utf-8")
    assert load_course(old).region == "vn" and load_course(old).age_band is None
    assert NetwiseCourse().region == ""


def test_learning_report_finds_a_younger_class_s_checks(curriculum: Any) -> None:
    """A course made with --ages 8-10 has the band's checks (scams:pre-8-10); the learning report
    finds them (grading.gains uses every form, not only the forms as written) and compares each
    later check with the same band's pre check."""
    plan = plan_assignments(curriculum, ["scams"], "8-10")
    assert "scams-pre-8-10" in plan and plan["scams-pre-8-10"] == ["scams:pre-8-10"]
    course = SimpleNamespace(
        curriculum=curriculum,
        settings=SimpleNamespace(assignments=plan),
        lessons=lambda name: plan[name],
    )
    assert modules_in(course, "scams-pre-8-10") == ["scams"]  # type: ignore[arg-type]
    assert modules_in(course, "scams") == ["scams"]  # type: ignore[arg-type]
    post = next(f for f in all_forms(curriculum, "scams") if f.form_id == "post-8-10")
    assert pre_form(curriculum, post).form_id == "pre-8-10"
