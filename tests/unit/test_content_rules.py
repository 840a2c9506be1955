"""The content rules of issue 15 in `netwise check`: no dialable phone number, one tone-mark
convention, region contacts with a verified month and a source, a help path for distress, and
assessment forms that hold no item of an older age band. Each rule fails a fixture, naming the
file and the line."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from netwise.content import load, load_structure
from netwise.content.assessment import all_forms, forms, oldest_band
from netwise.content.model import AGE_BANDS
from netwise.content.phones import dialable_numbers
from netwise.content.spelling import tone_slips
from netwise.content.validate import validate, warnings
from netwise.grading.course import plan_assignments
from netwise.paths import bundled_curriculum
from support.paths import FIXTURES, rewrite, run_netwise

BROKEN = FIXTURES / "broken-rules"
LESSON = "broken-rules/modules/basics/lessons/basics-one.yaml"
PO = "broken-rules/locale/vi/LC_MESSAGES/basics.po"


def _line_of(rel: str, text: str) -> int:
    """1-based line of the first occurrence of ``text`` in a fixture file."""
    content = (FIXTURES / rel).read_text(encoding="utf-8")
    assert text in content, f"{rel} no longer contains {text!r}"
    return content[: content.index(text)].count("\n") + 1


@pytest.fixture(scope="module")
def broken_check() -> tuple[int, str, str]:
    result = run_netwise("check", "--curriculum", str(BROKEN))
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, result.stdout, result.stderr


# --- phone numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Here's my number: +84 900 000 031", ["+84 900 000 031"]),
        ("call 0912 345 678 or 0912.345.678", ["0912 345 678", "0912.345.678"]),
        ("(+84) 24 3822 1234", ["(+84) 24 3822 1234"]),
        ("hotline 1900 1234", ["1900 1234"]),
        ("+84 000 000 031, 09xx xxx 031", []),  # impossible and masked numbers are the way
        ("Pay 1.500.000 đ, code 482 913, card 4111 1111 1111 1111, on 2025-01-01", []),
        ("call 111, 113 or 5656", []),  # short help lines are not in a dialable mobile format
    ],
)  # fmt: skip
def test_dialable_numbers(text: str, found: list[str]) -> None:
    assert dialable_numbers(text) == found


def test_phone_number_in_a_lesson_names_file_and_line(broken_check: tuple[int, str, str]) -> None:
    code, out, _ = broken_check
    assert code == 1
    line = _line_of("broken-rules/modules/basics/lessons/basics-one.yaml", "0912 345 678")
    assert f"{LESSON}:{line}: '0912 345 678' is a real-format Vietnamese phone number" in out


def test_phone_number_in_a_translation_names_file_and_line(broken_check: tuple[int, str, str]) -> None:
    _, out, _ = broken_check
    line = _line_of("broken-rules/locale/vi/LC_MESSAGES/basics.po", 'msgstr "Ngày mai bưu kiện')
    assert f"{PO}:{line}: '0987 654 321' is a real-format Vietnamese phone number" in out


# --- tone marks ------------------------------------------------------------------------


def test_tone_slips_both_ways() -> None:
    assert tone_slips("hòa bình, khỏe, thủy, xóa, quý, hoàn, ngoài", "new") == [
        ("hòa", "hoà"),
        ("khỏe", "khoẻ"),
        ("thủy", "thuỷ"),
        ("xóa", "xoá"),
    ]
    assert tone_slips("hoà, khoẻ, quý, HOÀ", "old") == [("hoà", "hòa"), ("khoẻ", "khỏe"), ("HOÀ", "HÒA")]


def test_tone_marks_in_yaml_and_catalog_name_file_and_line(broken_check: tuple[int, str, str]) -> None:
    _, out, _ = broken_check
    yaml_line = _line_of("broken-rules/modules/basics/lessons/basics-one.yaml", "Hòa")
    assert f"{LESSON}:{yaml_line}: 'Hòa' puts the tone mark the old way" in out
    po_line = _line_of("broken-rules/locale/vi/LC_MESSAGES/basics.po", 'msgstr "Chào mừng')
    assert f"{PO}:{po_line}: 'khỏe' puts the tone mark the old way; this curriculum writes vi the new way" in out


def test_the_bundled_catalogs_keep_one_convention() -> None:
    curriculum = load(bundled_curriculum())
    assert curriculum.manifest.tone_marks == {"vi": "new"}
    for po in (bundled_curriculum() / "locale" / "vi" / "LC_MESSAGES").glob("*.po"):
        assert tone_slips(po.read_text(encoding="utf-8"), "new") == [], po.name


# --- region profiles -------------------------------------------------------------------


def test_contacts_need_a_verified_month_and_a_source(broken_check: tuple[int, str, str]) -> None:
    _, out, _ = broken_check
    rel = "broken-rules/regions/vn.yaml"
    hotline = _line_of(rel, '- name: "National Child Protection Hotline"')
    assert f"{rel}:{hotline}: 'National Child Protection Hotline' needs 'verified: YYYY-MM'" in out
    assert f"{rel}:{hotline}: 'National Child Protection Hotline' needs a 'source'" in out
    month = _line_of(rel, 'verified: "2026-13"')
    assert f"{rel}:{month}: verified '2026-13' must be a month written YYYY-MM" in out


def test_an_old_check_is_a_warning_not_an_error(broken_check: tuple[int, str, str]) -> None:
    _, out, err = broken_check
    line = _line_of("broken-rules/regions/intl.yaml", 'verified: "2020-01"')
    assert f"broken-rules/regions/intl.yaml:{line}: warning: 'Child helpline' was last verified 2020-01" in err
    assert not [row for row in out.splitlines() if row.startswith("broken-rules/regions/intl.yaml:")]


def test_staleness_counts_months_from_today(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "mini", root)
    curriculum, problems = load_structure(root)
    assert curriculum is not None and not problems
    assert not [w for w in warnings(curriculum, date(2027, 12, 31)) if "verified" in w.message]  # 12 months
    stale = [w for w in warnings(curriculum, date(2028, 1, 1)) if "verified" in w.message]
    assert stale and all("13 months ago" in w.message for w in stale)


def test_every_bundled_contact_is_verified() -> None:
    curriculum = load(bundled_curriculum())
    for region in curriculum.regions.values():
        assert region.distress is not None and region.remember
        for _, contact in region.contacts():
            assert contact.verified and contact.source


# --- help path for distress ------------------------------------------------------------


def test_distress_help_needs_the_regions_path(broken_check: tuple[int, str, str]) -> None:
    _, out, _ = broken_check
    line = _line_of("broken-rules/modules/basics/lessons/basics-one.yaml", "distress_help: true")
    assert f"{LESSON}:{line}: the lesson shows the help path for distress, but region 'vn' has none" in out


def test_bullying_sextortion_and_challenge_lessons_point_to_it() -> None:
    curriculum = load(bundled_curriculum())
    expected = {
        "cyberbullying-kind-or-unkind",
        "cyberbullying-bystander",
        "cyberbullying-respond",
        "strangers-sextortion",
        "wellbeing-harmful-challenges",
        "reporting-help-lines-police",
        "scams-today-deepfakes",  # fake sexual images of classmates (issue 16)
    }
    assert {lid for lid, lesson in curriculum.lessons.items() if lesson.distress_help} == expected
    for lesson_id in expected:
        assert any("hurting" in s or "very low" in s for s in curriculum.lessons[lesson_id].what_to_do), lesson_id


# --- age bands of assessment items -----------------------------------------------------


def _band(band: str) -> int:
    return AGE_BANDS.index(band)


def test_a_form_for_an_8_10_class_holds_no_older_item() -> None:
    curriculum = load(bundled_curriculum())
    sextortion = {"pay-to-delete", "sent-first-no-help", "ai-fake-not-your-fault"}
    young = forms(curriculum, "strangers", "8-10")
    assert [f.form_id for f in young] == ["pre-8-10", "post-8-10", "booster-2w-8-10", "booster-6w-8-10"]
    assessment = curriculum.assessments["strangers"]
    bands = {item.id: item.age_band for item in assessment.items}
    for chosen in young:
        assert chosen.items and all(bands[i] == "8-10" for i in chosen.items)
        assert not sextortion & set(chosen.items)
    # The forms as written are for 14-16 and hold the sextortion items.
    assert oldest_band(assessment) == "14-16"
    assert sextortion <= {i for f in forms(curriculum, "strangers") for i in f.items}
    for module_id, bank in curriculum.assessments.items():
        item_band = {item.id: item.age_band for item in bank.items}
        for band in AGE_BANDS:
            for chosen in forms(curriculum, module_id, band):
                assert all(_band(item_band[i]) <= _band(band) for i in chosen.items), (module_id, band)


def test_forms_stay_matched_for_every_band() -> None:
    curriculum = load(bundled_curriculum())
    assert validate(curriculum) == []
    for module_id, assessment in curriculum.assessments.items():
        difficulty = {item.id: (item.answer, item.difficulty) for item in assessment.items}
        by_band: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for chosen in all_forms(curriculum, module_id):
            by_band.setdefault(chosen.band_suffix, {})[chosen.kind + chosen.base_id] = sorted(
                difficulty[i] for i in chosen.items
            )
        for suffix, kinds in by_band.items():
            assert kinds["prepre"] == kinds["postpost"], (module_id, suffix)


def test_course_plan_for_a_young_class() -> None:
    curriculum = load(bundled_curriculum())
    plan = plan_assignments(curriculum, ["strangers"], "8-10")
    assert plan["strangers-pre-8-10"] == ["strangers:pre-8-10"]
    assert "strangers-pre" not in plan
    assert plan_assignments(curriculum, ["strangers"])["strangers-pre"] == ["strangers:pre"]


def test_unmatched_older_item_names_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "assess", root)
    rewrite(
        root / "modules" / "basics" / "assessment.yaml",
        '  - id: p-otp\n    age_band: "11-13"',
        '  - id: p-otp\n    age_band: "14-16"',
    )
    curriculum, problems = load_structure(root)
    assert curriculum is not None and not problems
    found = [str(p) for p in validate(curriculum)]
    post_line = _line_of("assess/modules/basics/assessment.yaml", "  post: [")
    expected = (
        f"curriculum/modules/basics/assessment.yaml:{post_line}: for a class of ages 11-13 (no item of an older band): "
        "the post form has 4 items but the pre form 3"
    )
    assert any(problem.startswith(expected) for problem in found), found


def test_an_item_needs_an_age_band(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "assess", root)
    bank = root / "modules" / "basics" / "assessment.yaml"
    text = bank.read_text(encoding="utf-8")
    line = text[: text.index("  - id: p-prize")].count("\n") + 1
    bank.write_text(text.replace('  - id: p-prize\n    age_band: "11-13"\n', "  - id: p-prize\n"), encoding="utf-8")
    result = run_netwise("check", "--curriculum", str(root))
    assert result.returncode == 1
    assert f"curriculum/modules/basics/assessment.yaml:{line}: 'age_band' is required but missing" in result.stdout
