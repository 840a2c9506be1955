"""The cue rule: in an item bank, no surface feature may give the key away.

An assessment item should be answerable only by knowing what the module teaches. If
"an adult or official sender means true" or "a message with a link means scam" sorts
most of a bank, a pre/post comparison measures a habit of guessing, not learning. So
every bank is attacked by simple guessers that see only surface features of an item:

- ``sender``: does the sender look like an adult or an official source (*Mẹ*, *Cô Lan*,
  "VidVui Help", *Trường …*), a nickname or handle ("MeoMeo_99", "Gamer Tips VN"), a bare
  phone number, or a plain name ("Linh", "ShopNhanh")?
- ``kind``: SMS, chat, e-mail, post, web page or call;
- ``link``: does it show a web address?
- ``excited``: does it contain "!" or an emoji?
- ``length``: how many characters of text it shows.

Each feature alone (the majority key per value; for the length, the best threshold) and
naive Bayes over all of them are scored by leave-one-out: trained on every item but one,
judged on that one. The bank's *figure* is the best guesser's accuracy; a figure above
``MAX_FIGURE`` fails ``netwise check``. The extractor is a heuristic that reads English and
Vietnamese; the i18n layer runs it on every language and the worst language counts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from netwise.content.model import SCALE_ANSWERS, SIGNAL_ANSWER, Artifact, AssessmentItem

MAX_FIGURE = 0.70
CATEGORICAL = ("sender", "kind", "link", "excited")
FEATURES = (*CATEGORICAL, "length")
NAIVE_BAYES = "naive Bayes"

# Words that make a sender look like an adult, a relative or an official source (en, vi).
# Matched as whole words, case-insensitively, anywhere in the display name.
# Titles count as the first word only: "Anh Tuấn" is an older brother, "Lan Anh" a girl's name.
_TITLES = {
    # family and grown-ups (en)
    "mum", "mom", "mother", "dad", "father", "grandma", "grandpa", "granny", "grandad", "aunt", "auntie",
    "uncle", "mr", "mrs", "ms", "miss", "dr", "doctor", "coach", "nurse", "officer",
    # family and grown-ups (vi)
    "bố", "ba", "mẹ", "má", "ông", "bà", "cô", "chú", "bác", "dì", "dượng", "mợ", "thím", "thầy", "anh", "chị",
}  # fmt: skip
_ADULT = {
    "teacher", "principal", "counsellor", "counselor", "parent", "parents", "grown-up",
    "phụ huynh", "giáo viên", "cô giáo", "thầy giáo", "hiệu trưởng", "tư vấn",
}  # fmt: skip
_OFFICIAL = {
    # organisations and official voices (en)
    "bank", "school", "club", "news", "help", "support", "centre", "center", "office", "police", "ministry",
    "department", "official", "service", "hospital", "clinic", "university", "library", "team", "council",
    "government", "committee", "fact-checking", "fact", "check", "academy", "institute", "agency",
    # (vi)
    "trường", "trung tâm", "ngân hàng", "công an", "bộ", "sở", "bệnh viện", "câu lạc bộ", "clb", "thư viện",
    "đại học", "báo", "tin", "đài", "kiểm chứng", "hỗ trợ", "chăm sóc khách hàng", "cskh", "chính thức",
    "ủy ban", "uỷ ban", "phòng", "viện", "hội", "đoàn", "nhà trường", "ban",
}  # fmt: skip
# Nickname and gamer words that make a display name look like a handle.
_HANDLE_WORDS = {
    "gamer", "pro", "vip", "king", "queen", "boy", "girl", "kid", "kids", "xx", "xxx", "official1", "hot",
    "wow", "daily", "tips", "hack", "free", "lucky", "star", "meo", "vn", "user", "admin", "fan",
}  # fmt: skip
_PHONE_WORDS = {"unknown number", "new number", "số lạ", "số mới", "không rõ số", "số máy lạ"}

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:example|test|invalid|com|net|org|vn)\b(?:/\S*)?",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d")
_PHONE = re.compile(r"^[\s+()\d.xX*-]{6,}$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _has_phrase(text: str, phrases: set[str]) -> bool:
    words = _WORD.findall(_fold(text))
    joined = f" {' '.join(words)} "
    return any(f" {phrase} " in joined for phrase in phrases)


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or code in (0x2764, 0x263A, 0x2639, 0x3030, 0x00A9, 0x00AE)
        or unicodedata.category(char) == "So"
    )


def _looks_like_handle(name: str) -> bool:
    stripped = name.strip()
    if "_" in stripped or stripped.startswith("@") or any(_is_emoji(c) for c in stripped):
        return True
    if _DIGITS.search(stripped):
        return True
    if any(word.isupper() and len(word) > 2 for word in stripped.split()):  # "ADMIN", "WOW"
        return True
    # Words run together with inner capitals: "MeoMeo", "GemGiveaway" (a brand looks the same).
    if any(a.islower() and b.isupper() for word in stripped.split() for a, b in zip(word, word[1:], strict=False)):
        return True
    return _has_phrase(stripped, _HANDLE_WORDS)


def sender_kind(sender: str | None, address: str | None = None) -> str:
    """``adult-official``, ``handle``, ``number`` or ``name``: how the sender looks at a glance."""
    name = (sender or "").strip()
    first = _WORD.findall(_fold(name))[:1]
    if name and (first and first[0] in _TITLES or _has_phrase(name, _ADULT) or _has_phrase(name, _OFFICIAL)):
        return "adult-official"
    if (name and (_PHONE.match(name) or _has_phrase(name, _PHONE_WORDS))) or (
        not name and address and _PHONE.match(address)
    ):
        return "number"
    if name and _looks_like_handle(name):
        return "handle"
    if not name and address and address.startswith("@"):
        return "handle"
    return "name"


def _texts(artifact: Artifact) -> list[str]:
    parts = [artifact.subject, artifact.body, *(m.text for m in artifact.messages)]
    return [p for p in parts if p]


@dataclass(frozen=True)
class Features:
    sender: str
    kind: str
    link: str  # "yes" / "no"
    excited: str  # "yes" / "no"
    length: int

    def value(self, name: str) -> str | int:
        value: str | int = getattr(self, name)
        return value


def features(item: AssessmentItem) -> Features:
    """The surface features of one item, as a guesser who does not read for meaning sees them."""
    artifact = item.artifact
    texts = _texts(artifact)
    shown = " ".join(texts)
    link = bool(artifact.url) or any(_URL.search(t) for t in texts)
    excited = "!" in shown or any(_is_emoji(c) for c in f"{shown} {artifact.sender or ''}")
    return Features(
        sender=sender_kind(artifact.sender, artifact.address),
        kind=artifact.kind,
        link="yes" if link else "no",
        excited="yes" if excited else "no",
        length=len(shown),
    )


# --- leave-one-out guessers ------------------------------------------------------------

Guesser = Callable[[Sequence[Features], Sequence[str], Features], str]


def _majority(keys: Sequence[str], signal: str) -> str:
    counts = Counter(keys)
    best = max(counts.values(), default=0)
    tied = sorted(k for k, n in counts.items() if n == best)
    return signal if signal in tied or not tied else tied[0]


def _by_value(name: str, signal: str) -> Guesser:
    def guess(train: Sequence[Features], keys: Sequence[str], item: Features) -> str:
        same = [k for f, k in zip(train, keys, strict=True) if f.value(name) == item.value(name)]
        return _majority(same, signal) if same else _majority(keys, signal)

    return guess


def _threshold(signal: str, noise: str) -> Guesser:
    """The best single cut on the length (either way round), learnt on the training items."""

    def guess(train: Sequence[Features], keys: Sequence[str], item: Features) -> str:
        lengths = sorted({f.length for f in train})
        cuts = [(a + b) / 2 for a, b in zip(lengths, lengths[1:], strict=False)] or [lengths[0] + 0.5]
        best: tuple[int, float, str] | None = None
        for cut in cuts:
            for long_is in (signal, noise):
                short_is = noise if long_is == signal else signal
                right = sum(
                    1 for f, k in zip(train, keys, strict=True) if (long_is if f.length > cut else short_is) == k
                )
                if best is None or right > best[0]:
                    best = (right, cut, long_is)
        assert best is not None
        _, cut, long_is = best
        return long_is if item.length > cut else (noise if long_is == signal else signal)

    return guess


def _length_bin(train: Sequence[Features], length: int) -> str:
    """Short, medium or long, by the training items' thirds."""
    ordered = sorted(f.length for f in train)
    low, high = ordered[len(ordered) // 3], ordered[(2 * len(ordered)) // 3]
    return "short" if length < low else ("long" if length > high else "medium")


def _naive_bayes(signal: str, noise: str) -> Guesser:
    def guess(train: Sequence[Features], keys: Sequence[str], item: Features) -> str:
        scores: dict[str, float] = {}
        for key in (signal, noise):
            rows = [f for f, k in zip(train, keys, strict=True) if k == key]
            score = math.log((len(rows) + 1) / (len(train) + 2))
            for name in CATEGORICAL:
                values = {f.value(name) for f in train} | {item.value(name)}
                same = sum(1 for f in rows if f.value(name) == item.value(name))
                score += math.log((same + 1) / (len(rows) + len(values)))
            bins = [_length_bin(train, f.length) for f in rows]
            same = bins.count(_length_bin(train, item.length))
            score += math.log((same + 1) / (len(rows) + 3))
            scores[key] = score
        return signal if scores[signal] >= scores[noise] else noise

    return guess


def _leave_one_out(rows: Sequence[Features], keys: Sequence[str], guess: Guesser) -> float:
    right = 0
    for i, row in enumerate(rows):
        train = [r for j, r in enumerate(rows) if j != i]
        train_keys = [k for j, k in enumerate(keys) if j != i]
        right += guess(train, train_keys, row) == keys[i]
    return right / len(rows)


@dataclass(frozen=True)
class CueFigure:
    """How well surface features alone guess a bank's keys, in one language."""

    figure: float  # the best guesser's leave-one-out accuracy
    worst: str  # which guesser: a feature name or "naive Bayes"
    by_guesser: dict[str, float]

    @property
    def ok(self) -> bool:
        return self.figure <= MAX_FIGURE + 1e-9


def cue_figure(items: Sequence[AssessmentItem], scale: str) -> CueFigure:
    """Leave-one-out accuracy of every surface guesser on a bank; the figure is the highest."""
    signal = SIGNAL_ANSWER[scale]
    noise = next(a for a in SCALE_ANSWERS[scale] if a != signal)
    rows = [features(item) for item in items]
    keys = [item.answer for item in items]
    by: dict[str, float] = {}
    for name in CATEGORICAL:
        by[name] = _leave_one_out(rows, keys, _by_value(name, signal))
    by["length"] = _leave_one_out(rows, keys, _threshold(signal, noise))
    by[NAIVE_BAYES] = _leave_one_out(rows, keys, _naive_bayes(signal, noise))
    worst = max(by, key=lambda k: (by[k], k == NAIVE_BAYES))
    return CueFigure(round(by[worst], 4), worst, by)
