"""The parts of login cards that need no course: secret words and pictures, matching, QR codes.

The sign-in (later) relies on :func:`secret_matches` accepting what a child types on a phone
and nothing else, and on word lists whose words stay distinct once typed without diacritics.
The terminal QR code is decoded back with zxing-cpp, as a phone camera would read it.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
import zxingcpp

from netwise.app import cards, logins
from netwise.app.logins import PICTURES, WORDS, fold, new_secret, secret_matches
from netwise.app.server import NetwiseVoila

RUDE_OR_SAD = {"tao", "may", "chet", "ngu", "dit", "lon", "buon", "sad", "kill", "dead", "hate", "stupid"}
# Words pupils tease with, or school slang for something rude (as typed without diacritics).
TEASING = {"cho", "bo", "ga", "vit", "chim", "buom", "ngua", "chuoi", "bong", "lon", "heo", "cow", "pig", "donkey"}


def test_the_default_join_port_is_the_serve_port() -> None:
    assert NetwiseVoila.port.default_value == cards.SERVE_PORT
    assert re.fullmatch(rf"http://[0-9.]+:{cards.SERVE_PORT}/", cards.default_url())


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_word_lists_stay_distinct_when_typed_without_diacritics(lang: str) -> None:
    words = WORDS[lang]
    folded = [fold(w) for w in words]
    assert len(words) >= 40 and len(set(folded)) == len(words)
    assert all(re.fullmatch(r"[a-z]+", f) for f in folded), folded  # one word each, easy to type
    # nothing rude or sad, as written or as typed without diacritics ("táo" would be "tao")
    assert not ({w.casefold() for w in words} | set(folded)) & RUDE_OR_SAD
    assert not set(folded) & TEASING, set(folded) & TEASING


def test_picture_secrets_for_a_class_of_ages_8_to_10() -> None:
    lessons = {"young": SimpleNamespace(age_band="8-10"), "older": SimpleNamespace(age_band="11-13")}

    def course(band: str | None, *assignment: str) -> Any:
        return SimpleNamespace(
            age_band=band,
            curriculum=SimpleNamespace(lessons=lessons),
            settings=SimpleNamespace(assignments={"m": list(assignment), "m-pre": ["m-pre"]}),
        )

    assert cards.uses_pictures(course("8-10", "older"))  # the course's age band decides first
    assert not cards.uses_pictures(course("11-13", "young"))
    assert cards.uses_pictures(course(None, "young"))  # else its lessons (checks have no band)
    assert not cards.uses_pictures(course(None, "young", "older"))


def test_nine_pictures_each_drawn_and_named_in_both_languages() -> None:
    assert len(PICTURES) == 9
    for picture, names in PICTURES.items():
        assert set(names) == {"en", "vi"} and all(names.values())
        svg = logins.picture_svg(picture)
        assert svg.startswith("<svg") and 'viewBox="0 0 64 64"' in svg
        assert "href" not in svg and "<script" not in svg  # nothing the page would fetch or run
    assert len({fold(n["vi"]) for n in PICTURES.values()}) == 9


def test_secret_matches_any_case_without_diacritics_and_d_for_đ() -> None:
    stored = "đèn bướm"
    for typed in ("đèn bướm", "ĐÈN BƯỚM", "den buom", "Den  Buom ", "den-buom", "DEN, buom"):
        assert secret_matches(typed, stored), typed
    for typed in ("buom den", "den", "den buom cam", "", "   ", "dèn bướn"):
        assert not secret_matches(typed, stored), typed
    assert secret_matches("Sun fish", "sun fish") and not secret_matches("fish sun", "sun fish")


def test_new_secrets_are_two_words_of_the_language_or_two_pictures() -> None:
    seen = set()
    for _ in range(200):
        secret = new_secret("vi", pictures=False)
        first, second = secret.parts
        assert secret.kind == "words" and first in WORDS["vi"] and second in WORDS["vi"] and first != second
        seen.add(secret.value)
        picture = new_secret("vi", pictures=True)
        assert picture.kind == "pictures" and len(picture.parts) == 2 and set(picture.parts) <= set(PICTURES)
    assert len(seen) > 150  # drawn at random, not a fixed few
    with pytest.raises(logins.NetwiseError, match="no secret words for language 'fr'"):
        new_secret("fr", pictures=False)


@pytest.mark.parametrize("url", ["http://192.168.1.23:8866/", "http://a:1/"])
def test_terminal_qr_decodes_to_the_join_address(url: str) -> None:
    # the short address would be a Micro QR, which phones do not read, if segno chose
    assert not cards.qr_code(url).is_micro
    text = cards.terminal_qr(url)
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1 and set(text) <= set("█▀▄ \n")
    # Back to pixels as a terminal shows them (a block is light), scaled up for the decoder.
    halves = {"█": (255, 255), "▀": (255, 0), "▄": (0, 255), " ": (0, 0)}
    scale = 4
    rows: list[list[int]] = []
    for line in lines:
        top = [halves[ch][0] for ch in line]
        bottom = [halves[ch][1] for ch in line]
        rows.extend([top, bottom])
    pixels = bytearray()
    for row in rows:
        wide = [value for value in row for _ in range(scale)]
        for _ in range(scale):
            pixels.extend(wide)
    image = memoryview(bytes(pixels)).cast("B", shape=[len(rows) * scale, len(rows[0]) * scale])
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [url]
