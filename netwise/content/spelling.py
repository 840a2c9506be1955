"""One tone-mark convention per language: Vietnamese ``hoà`` or ``hòa``, never both.

In the open syllables *oa*, *oe* and *uy* (no final consonant, and *uy* not after *q*),
Vietnamese writes the tone mark either on the second vowel (``hoà, khoẻ, thuỷ``: the "new"
placement of Vietnam's school textbooks) or on the first (``hòa, khỏe, thủy``: the "old"
one). Both are correct; a curriculum picks one in ``curriculum.yaml`` (``tone_marks: {vi:
new}``) and ``netwise check`` flags every word written the other way.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Tone marks as combining characters (after NFD) and the base vowels they sit on.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_PAIRS = ("oa", "oe", "uy")
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


def _split(letter: str) -> tuple[str, str]:
    """A letter as (base with its other marks, tone mark or "")."""
    parts = unicodedata.normalize("NFD", letter)
    tone = "".join(c for c in parts if c in _TONES)
    rest = "".join(c for c in parts if c not in _TONES)
    return unicodedata.normalize("NFC", rest), tone


def _compose(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", base) + tone)


@functools.lru_cache(maxsize=1 << 16)  # Vietnamese repeats its syllables: each is checked once
def respell(word: str, convention: str) -> str | None:
    """The word written in the convention, or None if it already is (or has no such syllable)."""
    if len(word) < 2:
        return None
    letters = [_split(c) for c in word]
    bases = "".join(b for b, _ in letters).lower()
    for pair in _PAIRS:
        if not bases.endswith(pair):
            continue
        first, second = len(word) - 2, len(word) - 1
        if pair == "uy" and bases[:first].endswith("q"):
            return None  # "quý": the u belongs to qu-, the mark is on y either way
        tone = letters[first][1] or letters[second][1]
        if not tone:
            return None
        target = second if convention == "new" else first
        if letters[target][1] == tone:
            return None
        out = [b if i in (first, second) else word[i] for i, (b, _) in enumerate(letters)]
        out[target] = _compose(letters[target][0], tone)
        return "".join(out)
    return None


def tone_slips(text: str, convention: str) -> list[tuple[str, str]]:
    """(word as written, word in the convention) for every word written the other way."""
    found: list[tuple[str, str]] = []
    for word in _LETTERS.findall(unicodedata.normalize("NFC", text)):
        fixed = respell(word, convention)
        if fixed is not None and (word, fixed) not in found:
            found.append((word, fixed))
    return found
