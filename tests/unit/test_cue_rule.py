"""The cue rule: no surface feature of an item may guess a bank's keys above 0.70.

The fixture keeps the strangers and misinformation banks as they were before issue 15, when
"an adult or official sender means true" sorted most of them: they must fail, so that a
trivial feature extractor (one that sees nothing) cannot pass the rule.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from netwise.content import load
from netwise.content.cues import MAX_FIGURE, Features, cue_figure, features, sender_kind
from netwise.content.model import Artifact, Assessment, AssessmentItem
from netwise.i18n import translate_model
from netwise.i18n.checks import bank_cues
from netwise.paths import bundled_curriculum
from support.paths import FIXTURES, run_netwise

LEAKY = FIXTURES / "cue-leaky"


def _leaky_bank(module_id: str) -> Assessment:
    data: dict[str, Any] = yaml.safe_load((LEAKY / f"{module_id}.assessment.yaml").read_text(encoding="utf-8"))
    for item in data["items"]:
        item.setdefault("age_band", "8-10")  # the banks predate age bands
    return Assessment.model_validate(data)


@pytest.mark.parametrize("module_id", ["strangers", "misinformation"])
def test_the_old_leaky_banks_fail_in_both_languages(module_id: str) -> None:
    bank = _leaky_bank(module_id)
    with (LEAKY / f"{module_id}.vi.po").open("rb") as handle:
        vi = translate_model(bank, read_po(handle))
    assert vi.items[0].explanation != bank.items[0].explanation  # really translated
    for items in (bank.items, vi.items):
        figure = cue_figure(items, bank.scale)
        assert figure.figure > MAX_FIGURE, figure
        assert not figure.ok


def test_the_strangers_leak_is_the_sender() -> None:
    figure = cue_figure(_leaky_bank("strangers").items, "true-false")
    assert figure.by_guesser["sender"] > MAX_FIGURE


def test_every_bundled_bank_is_at_most_070_in_every_language() -> None:
    curriculum = load(bundled_curriculum())
    cues = bank_cues(curriculum, ["vi"])
    assert {bank.module_id for bank in cues} == set(curriculum.assessments)
    for bank in cues:
        assert set(bank.by_lang) == {"en", "vi"}
        assert bank.ok and bank.figure <= MAX_FIGURE, (bank.module_id, bank.lang, bank.worst)
        assert bank.figure == max(fig.figure for fig in bank.by_lang.values())


def test_check_prints_each_banks_figure() -> None:
    result = run_netwise("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cue figures" in result.stdout
    curriculum = load(bundled_curriculum())
    for module_id in curriculum.assessments:
        match = re.search(rf"^  {module_id}: (0\.\d\d) \((en|vi), [a-zA-Z ]+\) ok", result.stdout, re.MULTILINE)
        assert match, module_id
        assert float(match.group(1)) <= MAX_FIGURE
    report = json.loads(run_netwise("check", "--json").stdout)
    assert set(report["cues"]) == set(curriculum.assessments)
    assert all(bank["ok"] and bank["figure"] <= MAX_FIGURE for bank in report["cues"].values())


def test_check_fails_a_leaky_bank_with_file_and_line(tmp_path: Path) -> None:
    """The old strangers bank, as the item bank of a small curriculum: check fails at its items."""
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "assess", root)
    data: dict[str, Any] = yaml.safe_load((LEAKY / "strangers.assessment.yaml").read_text(encoding="utf-8"))
    data["id"] = "basics"
    for item in data["items"]:
        item["age_band"] = "11-13"
    bank = root / "modules" / "basics" / "assessment.yaml"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    bank.write_text(text, encoding="utf-8")
    line = text[: text.index("items:")].count("\n") + 1
    result = run_netwise("check", "--curriculum", str(root))
    assert result.returncode == 1
    expected = f"curriculum/modules/basics/assessment.yaml:{line}: cue figure 0."
    rows = [row for row in result.stdout.splitlines() if row.startswith(expected)]
    assert rows and "is above 0.70" in rows[0], result.stdout
    assert re.search(r"^  basics: 0\.\d\d \(\w+, [a-zA-Z ]+\) TOO HIGH", result.stdout, re.MULTILINE)


@pytest.mark.parametrize(
    ("sender", "address", "kind"),
    [
        ("Mẹ", None, "adult-official"),
        ("Cô Thảo (school counsellor)", "@cothao", "adult-official"),
        ("Anh Tuấn", None, "adult-official"),
        ("Lan Anh", "@lananh", "name"),  # "Anh" is a title only as the first word
        ("Trường THCS Hoa Sen", None, "adult-official"),
        ("VidVui Help", "@vidvui_help", "adult-official"),
        ("Kiểm Chứng – fact-checking team", None, "adult-official"),
        ("MeoMeo_99", "@meomeo_99", "handle"),
        ("hoidap_kids user: Sóc", "@soc_hd", "handle"),
        ("GemGiveaway", None, "handle"),
        ("ADMIN Đảo Phiêu Lưu", None, "handle"),
        ("Đảo Phiêu Lưu", None, "name"),
        ("Viễn Thông Xanh", None, "name"),
        ("+84 000 000 041", None, "number"),
        ("Unknown number", "+84 000 000 042", "number"),
        (None, "+84 000 000 043", "number"),
        ("Minh", "@minh_tran", "name"),
    ],
)  # fmt: skip
def test_sender_kinds_in_english_and_vietnamese(sender: str | None, address: str | None, kind: str) -> None:
    assert sender_kind(sender, address) == kind


def test_features_of_an_item() -> None:
    body = "Track it at https://shopnhanh.example/o/1 🙂"
    item = AssessmentItem(
        id="x",
        age_band="8-10",
        artifact=Artifact(kind="sms", sender="ShopNhanh", body=body),
        answer="legit",
        difficulty="easy",
        cues=["c"],
        explanation="e",
    )
    assert features(item) == Features(sender="handle", kind="sms", link="yes", excited="yes", length=len(body))
