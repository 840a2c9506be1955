"""Fictional names look fictional: `netwise check` refuses a name one letter from a real brand.

The review found "VCBank" (one letter from VPBank, two from Vietcombank), "iPhone 16" and a
university one letter from a real one. The rule compares the names and addresses of every
artifact, in the source and in translations, and the names a region profile lends to artifacts,
with a list of real brands (netwise/content/real_brands.txt).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netwise.content.brands import near_brands, real_brands, within_one_edit
from support.paths import FIXTURES, run_netwise

LESSON = "modules/basics/lessons/basics-one.yaml"
PO = "locale/vi/LC_MESSAGES/basics.po"


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("vpbank", "vcbank", True),  # one changed
        ("shopee", "shoppe", True),  # changed (a swap of two letters is two edits ... here one)
        ("zalopay", "zalopy", True),  # one removed
        ("momo", "momoo", True),  # one added
        ("vietcombank", "vietcombank", True),
        ("techcombank", "tecombnk", False),
        ("shopnhanh", "shopee", False),
    ],
)
def test_within_one_edit(a: str, b: str, near: bool) -> None:
    assert within_one_edit(a, b) is near
    assert within_one_edit(b, a) is near


@pytest.mark.parametrize(
    ("text", "prose", "brand"),
    [
        ("VCBank", False, "VPBank"),
        ("Shoppe Việt Nam", False, "Shopee"),
        ("support@vietcombankk.example", False, "Vietcombank"),  # the domain's ending is ignored
        ("https://shope.test/sale", False, "Shopee"),
        ("Tiktok Official", False, "TikTok"),
        ("Viet Com Bank", False, "Vietcombank"),  # spaces do not hide it
        ("Win an iPhone 16 today!", True, "iPhone"),
        ("Log in at https://zalopay-gift.example now", True, "ZaloPay"),
        ("Thanh toán qua Mômô ngay", True, "MoMo"),  # Vietnamese marks do not hide it
    ],
)
def test_names_near_a_real_brand_are_found(text: str, prose: bool, brand: str) -> None:
    assert [found.brand for found in near_brands(text, prose=prose)] == [brand]


@pytest.mark.parametrize(
    "text",
    [
        "Sông Xanh Bank",
        "Riverlark Bank",
        "ShopNhanh",
        "ChitChirp",
        "Your phone will be locked; send the email to the bank",  # everyday words in prose
        "I'll be there. She is at the shop.",
    ],
)
def test_invented_names_and_everyday_words_pass(text: str) -> None:
    assert near_brands(text, prose=True) == []


def test_the_list_is_data_with_short_names_exact() -> None:
    brands = {brand.name: brand for brand in real_brands()}
    assert {"Vietcombank", "MoMo", "Zalo", "Shopee", "Viettel", "TikTok"} <= set(brands)
    assert brands["MoMo"].exact and brands["Gmail"].exact and not brands["Vietcombank"].exact


def _edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_check_refuses_a_name_one_letter_from_a_brand(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "mini", root)
    line = _edit(root / LESSON, "sender: Bank", "sender: VCBank")
    link = _edit(root / LESSON, "https://bank-check.example", "https://vietcombank-check.example")
    text = (root / PO).read_text(encoding="utf-8")
    po_line = text.splitlines().index('msgstr "VI Post"') + 1
    (root / PO).write_text(text.replace('msgstr "VI Post"', 'msgstr "Viettell Post"'), encoding="utf-8")

    result = run_netwise("check", "--curriculum", str(root))
    assert result.returncode == 1
    out = result.stdout
    assert f"curriculum/{LESSON}:{line}: 'VCBank' is one letter from the real brand 'VPBank'; " in out, out
    assert f"curriculum/{LESSON}:{link}: 'vietcombank' is the real brand 'Vietcombank'" in out, out
    assert f"curriculum/{PO}:{po_line}: 'Viettell Post' is one letter from the real brand 'Viettel Post'" in out, out
    brand_lines = [line for line in out.splitlines() if "real brand" in line]
    assert len(brand_lines) == 3, brand_lines  # one line per name, however many regions fill the lesson
