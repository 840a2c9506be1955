"""Item banks follow the region, not the language: outside Vietnam no Vietnamese name or kinship word.

A bank item names its people, pages, games, places and web names through the region's cast
(``{cast:hanh}``: Hạnh in Vietnam, Helen elsewhere) and writes kinship in its language ("Mum",
"Aunt {cast:mai}", "Ms. {cast:thao}"; the Vietnamese catalog keeps *Mẹ*, *Dì {cast:mai}*,
*Cô {cast:thao}*). So an English check served with another region's profile reads as local there,
and a Vietnamese page reads as it always did. The test builds every bank as a learner sees it
(translated, with the region's local colour) under every region profile and language; it also
holds the cue rule in each of those pairings, since a sender's kinship word is one of the surface
features the rule measures, and checks that ``netwise check`` reads a bank's addresses with each
region's names.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from netwise.content import load
from netwise.content.cues import MAX_FIGURE, cue_figure
from netwise.content.loader import Curriculum
from netwise.i18n import Translator
from netwise.paths import bundled_curriculum
from support.paths import rewrite, run_netwise

VIETNAM = "vn"
# Vietnamese kinship words and titles that name a person ("Chị Hạnh", "Mẹ"), whole words, any case.
KINSHIP = (
    "mẹ", "má", "bố", "ba", "ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "dì", "cậu", "mợ", "thím",
    "dượng", "thầy", "ông ngoại", "bà ngoại", "ông nội", "bà nội",
)  # fmt: skip
# Names the banks used before they went through the cast, kept here so that a name written
# straight into a bank (not through the cast) is caught too; marked names are also caught by
# the letter check.
NAMES = (
    "Hạnh", "Thảo", "Linh", "Minh", "Tuấn", "Khoa", "Mai", "Vy", "Lan", "Nam", "Ly", "Nhi", "Quang", "Tiến",
    "Hải", "Bình", "Trâm", "Hằng", "Oanh", "Nhung", "Kiên", "Hậu", "Phát", "Yến", "Khải", "Duy", "Trang",
    "Phong", "Khánh", "Ngọc", "Quân", "Tùng", "Khôi", "Sơn", "Vân", "Hà", "Tín", "Lộc", "Tú",
)  # fmt: skip
# Words that are also English (a sentence's "An", "Long", the weekday "Thu"): left to the letter check.
ENGLISH_WORDS = {"An", "Long", "Thu"}
# Vietnamese web and handle names the banks used (a learner reads addresses too).
WEB_NAMES = ("tinsang", "hoasen", "chatnhanh", "ketnoi", "vidvui", "shopnhanh", "daophieuluu", "hoidap", "kiemchung")
# Letters only Vietnamese uses, read after NFD: đ, and a vowel's hat, breve or horn or tone mark.
VIETNAMESE_MARKS = re.compile("[đĐ]|[\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b]")
# Addresses and links: ASCII handles and paths ("@linh_7a", "/thoi-tiet") may stay, as in the
# lessons; the web names that identify a site (WEB_NAMES) may not.
ADDRESS_FIELDS = {"address", "url"}
# Fields that hold ids and keys, not what a learner reads.
ID_FIELDS = {"id", "answer", "age_band", "difficulty", "kind", "side", "scale", "labels", "forms"}


@cache
def _curriculum() -> Curriculum:
    return load(bundled_curriculum())


@cache
def _seen(module_id: str, lang: str, region: str) -> Any:
    return Translator(_curriculum(), lang, region).assessment(module_id)


def _fields(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string a learner reads, with its path (the same in the source and any rendering)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _fields(item, (*path, str(i)))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ID_FIELDS:
                yield from _fields(getattr(value, name), (*path, name))


def _cast(region: str) -> dict[str, str]:
    local = _curriculum().regions[region].local
    assert local is not None, region
    return local.cast


@cache
def _vietnamese_names() -> frozenset[str]:
    """The Vietnamese profile's names that another profile replaces, and the banks' old names."""
    others = [_cast(r) for r in _other_regions()]
    replaced = {name for key, name in _cast(VIETNAM).items() if any(cast.get(key) != name for cast in others)}
    return frozenset((replaced | set(NAMES)) - ENGLISH_WORDS)


def _other_regions() -> list[str]:
    return sorted(r for r in _curriculum().regions if r != VIETNAM)


def _other_languages() -> list[str]:
    return sorted(lang for lang in _curriculum().manifest.languages if lang != "vi")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _word(words: Any, text: str, flags: int = 0) -> list[str]:
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, flags)]


BANKS = sorted(_curriculum().assessments)


@pytest.mark.parametrize("region", _other_regions())
@pytest.mark.parametrize("lang", _other_languages())
@pytest.mark.parametrize("module_id", BANKS)
def test_a_bank_outside_vietnam_shows_no_vietnamese_name_or_kinship_word(
    module_id: str, lang: str, region: str
) -> None:
    names = sorted(_vietnamese_names())
    for path, text in _fields(_seen(module_id, lang, region)):
        where = (module_id, lang, region, ".".join(path), text)
        marks = VIETNAMESE_MARKS.findall(unicodedata.normalize("NFD", text))
        assert not marks, where
        assert not [web for web in WEB_NAMES if web in _fold(text)], where
        if path[-1] in ADDRESS_FIELDS:
            continue
        assert not _word(KINSHIP, text, re.IGNORECASE), where
        assert not _word(names, text), where


@pytest.mark.parametrize("module_id", BANKS)
def test_every_cast_name_follows_the_region_in_every_language(module_id: str) -> None:
    """Each field that names someone through the cast shows that region's name, translated or not."""
    source = dict(_fields(_curriculum().assessments[module_id]))
    used = {path: re.findall(r"\{cast:([a-z0-9-]+)\}", text) for path, text in source.items()}
    used = {path: keys for path, keys in used.items() if keys}
    assert used, module_id  # every bank names someone through the cast
    for region in sorted(_curriculum().regions):
        cast = _cast(region)
        for lang in _curriculum().manifest.languages:
            seen = dict(_fields(_seen(module_id, lang, region)))
            for path, keys in used.items():
                for key in keys:
                    assert key in cast, (region, key)
                    assert cast[key] in seen[path], (module_id, lang, region, ".".join(path), cast[key], seen[path])
                assert "{cast:" not in seen[path], (module_id, lang, region, seen[path])


def test_vietnamese_pages_keep_their_kinship_words() -> None:
    """The Vietnamese checks still address people as a Vietnamese child does: Mẹ, Bố, Chị Hạnh, Cô Thảo."""
    senders = [
        item.artifact.sender or ""
        for module_id in BANKS
        for item in _seen(module_id, "vi", VIETNAM).items
        if item.artifact.sender
    ]
    first = {s.split()[0] for s in senders if s.split()}
    assert {"Mẹ", "Bố", "Bà", "Dì", "Chú", "Cô", "Chị", "Anh", "Bác"} <= first, sorted(first)
    # ... each followed by the Vietnamese profile's name where the English names someone.
    for name in ("Chị Hạnh", "Cô Thảo", "Dì Hà", "Chú Bình", "Anh Khôi", "Bác Trâm", "Bà ngoại"):
        assert any(s.startswith(name) for s in senders), name
    english = [s for module_id in BANKS for s in _senders(module_id, "en", VIETNAM)]
    for name in ("Ms. Thảo", "Aunt Hà", "Uncle Bình", "Mum", "Dad", "Grandma"):
        assert any(s.startswith(name) for s in english), name  # English in Vietnam: English kinship, local names


def _senders(module_id: str, lang: str, region: str) -> list[str]:
    return [item.artifact.sender for item in _seen(module_id, lang, region).items if item.artifact.sender]


@pytest.mark.parametrize("module_id", BANKS)
def test_the_cue_rule_holds_in_every_region_and_language(module_id: str) -> None:
    """The sender is a surface feature; writing kinship per language must not let it give the keys away."""
    scale = _curriculum().assessments[module_id].scale
    for region in sorted(_curriculum().regions):
        for lang in _curriculum().manifest.languages:
            figure = cue_figure(_seen(module_id, lang, region).items, scale)
            assert figure.figure <= MAX_FIGURE, (module_id, lang, region, figure)


def test_check_reads_a_banks_addresses_with_each_regions_names(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(bundled_curriculum(), root)
    line = rewrite(
        root / "modules/account-security/assessment.yaml",
        'address: "no-reply@{cast:video-web}.example"',
        'address: "no-reply@{cast:video-web}.com"',
    )
    result = run_netwise("check", "--curriculum", str(root))
    assert result.returncode == 1
    where = f"curriculum/modules/account-security/assessment.yaml:{line}: "
    for region in sorted(_curriculum().regions):
        shown = f"no-reply@{_cast(region)['video-web']}.com"
        assert f"{where}'{shown}' is a real-looking address" in result.stdout, (region, result.stdout)
    # The bank's other addresses name sites through the cast and read as reserved domains.
    flagged = [line for line in result.stdout.splitlines() if "real-looking address" in line]
    assert all(line.startswith(where) for line in flagged), flagged
    assert "{cast:" not in "\n".join(flagged)
