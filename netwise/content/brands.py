"""Fictional names must look fictional: none sits one letter from a real brand.

A scenario's bank, wallet, shop, game or carrier is invented, so that a child never learns to
distrust (or trust) a real company from a lesson, and no company finds itself in a scam
example. A name one edit from a real one ("VCBank", "Shoppe", "vietcombank-secure.example")
reads as the real brand to a child. ``netwise check`` compares every name and address in an
artifact (and the names a region profile lends to artifacts) with ``real_brands.txt`` and
refuses those within one edit (Levenshtein distance at most 1), ignoring case, spaces, hyphens,
Vietnamese marks and the domain's ending (``.example``, ``.test``).

Brands of fewer than five letters match only themselves: one edit from "Tiki" or "Zalo" is too
many ordinary words. Brands marked ``(exact)`` in the list are ones whose neighbours are
everyday words ("Gmail" is one letter from "email").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("real_brands.txt")
MIN_FUZZY = 5  # a brand this long also catches names one edit away
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, without Vietnamese marks (đ -> d)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Brand:
    name: str  # as written in the list: "MB Bank"
    key: str  # folded, no spaces: "mbbank"
    exact: bool  # only the brand itself, not its neighbours


@lru_cache(maxsize=4)
def real_brands(path: Path = DATA) -> tuple[Brand, ...]:
    """The list of real brands (comments and blank lines skipped)."""
    brands = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        exact = line.endswith("(exact)")
        name = line.removesuffix("(exact)").strip()
        key = "".join(_WORD.findall(fold(name)))
        brands.append(Brand(name, key, exact or len(key) < MIN_FUZZY))
    return tuple(brands)


def within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance of ``a`` and ``b`` at most 1 (one letter added, removed or changed)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            # changed (same length) or one added to b (b is longer)
            return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
    return True  # b is a with one letter added at the end


# Where prose names something: an address (a host, an e-mail, a link, an @handle) and words
# that start with or contain a capital ("ShopNhanh", "SHOPNHANH", "Viet Com Bank").
_ADDRESS = re.compile(r"(?:https?://)?[\w.+-]*\w\.[a-z]{2,}[\w./?=&%-]*|@[\w.]+", re.UNICODE)


def _camel(text: str) -> str:
    """ "ShopNhanh" -> "Shop Nhanh": a capital after a small letter starts a new word."""
    return "".join(" " + c if i and c.isupper() and text[i - 1].islower() else c for i, c in enumerate(text))


def _runs(words: list[str], found: dict[str, str]) -> None:
    """Each word, and runs of two or three written together, folded, with the words as written.
    A run with a word of one or two letters ("VI Bank") must match a brand exactly: one edit
    more and too many short words meet a brand. Such keys start with "="."""
    folded = [fold(word) for word in words]
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            key = "".join(folded[start : start + size])
            if size > 1 and min(len(word) for word in folded[start : start + size]) < 3:
                key = "=" + key
            found.setdefault(key, " ".join(words[start : start + size]))


def _name_run(words: list[str], found: dict[str, str]) -> None:
    if words:
        _runs(words, found)
        _runs(_WORD.findall(_camel(" ".join(words))), found)


def _candidates(text: str, prose: bool) -> dict[str, str]:
    """What in ``text`` could be a name: every word of a name field (a sender, an address); in
    prose, the words of addresses and runs of capitalised words."""
    found: dict[str, str] = {}
    if not prose:
        _runs(_WORD.findall(text), found)
        _runs(_WORD.findall(_camel(text)), found)  # "ShopNhanh" is also "Shop" + "Nhanh"
        return found
    for match in _ADDRESS.finditer(text):
        _runs(_WORD.findall(match.group(0)), found)
    # Consecutive capitalised words form one run; any other word or punctuation ends it.
    run: list[str] = []
    for token in re.findall(r"[^\W_]+|[^\w\s]", _ADDRESS.sub(" . ", text)):
        if any(c.isupper() for c in token):
            run.append(token)
            continue
        _name_run(run, found)
        run = []
    _name_run(run, found)
    return found


@dataclass(frozen=True)
class NearBrand:
    written: str  # the name as the scenario writes it
    brand: str  # the real brand it is one letter from (or is)


def near_brands(text: str, prose: bool = False, brands: tuple[Brand, ...] | None = None) -> list[NearBrand]:
    """Names in ``text`` that are, or are one edit from, a real brand. ``prose``: ``text`` is a
    message body, where only addresses and capitalised words can be names."""
    brands = real_brands() if brands is None else brands
    found: dict[str, NearBrand] = {}
    for marked, written in _candidates(text, prose).items():
        key = marked.removeprefix("=")
        fuzzy = not marked.startswith("=") and len(key) >= MIN_FUZZY
        if len(key) < 2:
            continue
        name = _brand_near(key, fuzzy, brands)
        if name is not None:
            found.setdefault(name, NearBrand(written, name))
    # One report per name: "Viettell Post" near "Viettel Post", not also "Viettell" near "Viettel".
    matches = list(found.values())
    return [m for m in matches if not any(m.written != o.written and m.written in o.written for o in matches)]


@lru_cache(maxsize=1 << 14)  # the same words come back in every lesson: each is compared once
def _brand_near(key: str, fuzzy: bool, brands: tuple[Brand, ...]) -> str | None:
    """The first real brand ``key`` is (or, ``fuzzy``, is one edit from), else None."""
    for brand in brands:
        if key == brand.key or (fuzzy and not brand.exact and within_one_edit(key, brand.key)):
            return brand.name
    return None


def near_brand_message(found: NearBrand) -> str:
    if fold(found.written).replace(" ", "") == fold(found.brand).replace(" ", ""):
        what = f"'{found.written}' is the real brand '{found.brand}'"
    else:
        what = f"'{found.written}' is one letter from the real brand '{found.brand}'"
    return (
        f"{what}; a scenario's banks, apps, shops and senders are invented names that no child "
        "could take for a real one (docs/authoring.md, 'Fictional brands, people and numbers')"
    )
