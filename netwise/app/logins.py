"""Class sign-in secrets: two easy words (or two pictures for ages 8-10), made once, kept in the course.

A child signs in on a phone with a secret printed on a login card (``netwise course cards``).
It must be easy to read and type for an 8-16-year-old, so it is two child-friendly words in the
course language, accepted in any case, without diacritics and with "đ" typed as "d" (a phone
keyboard without Vietnamese input still works). A class whose lessons are for ages 8-10 gets
two pictures in order out of nine instead (81 combinations), since reading and spelling are
still new at that age. Every word list keeps its words distinct once folded, so typing without
diacritics never makes two secrets the same.

Secrets come from :mod:`secrets` (a CSPRNG) and are shown once, on the card printed when they
are issued. The course folder keeps only a salted hash of each (scrypt of the folded form, in
``class/secrets.json``, readable only by the teacher's account, 0600): a copied course folder
gives nobody the children's secrets. Later runs keep them and issue cards only for students
without one; a lost card is ``reset``, which issues that student a new secret. The server-side
sign-in checks a typed secret with :meth:`StoredSecret.matches`; a wrong try is limited there
(few tries, then locked), which is what makes a short secret enough.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from netwise.errors import NetwiseError
from netwise.scoring.record import write_atomic

# Child-friendly nouns only: animals, food, things at home or outside. None negative or rude,
# also once folded (no "táo" or "mây": typed as "tao" and "may" they read as rude pronouns).
WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "apple", "ball", "bear", "bee", "bell", "bird", "boat", "book", "cake", "cat", "cloud", "corn",
        "dog", "door", "drum", "duck", "fish", "flower", "frog", "grape", "hat", "hill", "horse", "house",
        "kite", "lamp", "leaf", "lemon", "lion", "milk", "moon", "owl", "pear", "pen", "river", "sea",
        "shoe", "sock", "star", "sun", "train", "tree",
    ),
    # No word that pupils use to tease or that is school slang for something rude: not chó, bò,
    # gà, vịt (insults), chim, bướm, ngựa, chuối (sexual slang), bóng (a slur); in English no "cow".
    "vi": (
        "mèo", "mưa", "cá", "gió", "sen", "thỏ", "voi", "tre", "hươu", "cầu", "ong", "vở", "hoa", "lá",
        "cây", "kem", "sao", "trăng", "nắng", "sông", "núi", "biển", "đèn", "bánh", "kẹo", "nho", "cam",
        "lúa", "xoài", "sách", "bút", "diều", "bàn", "thuyền", "nhà", "mũ", "áo", "giày", "trống",
        "đàn", "gấu", "dừa",
    ),
}  # fmt: skip

# The nine pictures (SVG files in netwise/app/pictures/), with their names in each language:
# shown under the picture and read by screen readers.
PICTURES: dict[str, dict[str, str]] = {
    "sun": {"en": "sun", "vi": "mặt trời"},
    "moon": {"en": "moon", "vi": "mặt trăng"},
    "star": {"en": "star", "vi": "ngôi sao"},
    "tree": {"en": "tree", "vi": "cái cây"},
    "fish": {"en": "fish", "vi": "con cá"},
    "cat": {"en": "cat", "vi": "con mèo"},
    "house": {"en": "house", "vi": "ngôi nhà"},
    "flower": {"en": "flower", "vi": "bông hoa"},
    "ball": {"en": "ball", "vi": "quả bóng"},
}
PICTURE_DIR = Path(__file__).with_name("pictures")
PICTURE_AGES = "8-10"

SECRETS_FILE = Path("class") / "secrets.json"
FORMAT_VERSION = 2  # 2: salted hashes only (1 kept the secrets themselves)
# scrypt at interactive-login cost (RFC 7914): ~50 ms, 16 MiB, per check or issue
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


@dataclass(frozen=True)
class Secret:
    """A student's secret: ``kind`` "words" (the words, space-separated) or "pictures" (picture ids)."""

    kind: str
    value: str

    @property
    def parts(self) -> list[str]:
        return self.value.split()


def _digest(text: str, salt: bytes) -> bytes:
    return hashlib.scrypt(fold(text).encode("utf-8"), salt=salt, maxmem=64 * 1024 * 1024, **SCRYPT)


@dataclass(frozen=True)
class StoredSecret:
    """What the course folder keeps of a secret: its kind and a salted hash, never the secret."""

    kind: str
    salt: str  # hex
    digest: str  # hex: scrypt of the folded secret

    @classmethod
    def of(cls, secret: Secret) -> StoredSecret:
        salt = secrets.token_bytes(16)
        return cls(secret.kind, salt.hex(), _digest(secret.value, salt).hex())

    def matches(self, given: str) -> bool:
        """True when a typed secret is this one, in any case, without diacritics, "đ" as "d"."""
        if not fold(given):
            return False
        return hmac.compare_digest(_digest(given, bytes.fromhex(self.salt)), bytes.fromhex(self.digest))


def fold(text: str) -> str:
    """The form two secrets are compared in: lower case, no diacritics, "đ" as "d", single spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # a phone keyboard may add a capital, a comma or a hyphen between the words
    return " ".join(re.split(r"[\s,;.\-_+]+", bare.casefold().strip())).strip()


def secret_matches(given: str, stored: str) -> bool:
    """True when a typed secret is the stored one, in any case, without diacritics, "đ" as "d".

    Compared in constant time, so the time taken tells nothing about how much was right.
    """
    folded = fold(given)
    return bool(folded) and hmac.compare_digest(folded.encode("utf-8"), fold(stored).encode("utf-8"))


def new_secret(lang: str, pictures: bool) -> Secret:
    """A fresh secret from the CSPRNG: two pictures in order (repeats allowed: 9 x 9), or two different words."""
    if pictures:
        ids = list(PICTURES)
        return Secret("pictures", f"{secrets.choice(ids)} {secrets.choice(ids)}")
    words = WORDS.get(lang)
    if words is None:
        raise NetwiseError(f"no secret words for language '{lang}' (languages: {', '.join(sorted(WORDS))})")
    first = secrets.choice(words)
    second = secrets.choice([w for w in words if w != first])
    return Secret("words", f"{first} {second}")


def picture_svg(picture_id: str) -> str:
    return (PICTURE_DIR / f"{picture_id}.svg").read_text(encoding="utf-8")


def secrets_path(course_root: Path) -> Path:
    return course_root / SECRETS_FILE


def load_secrets(course_root: Path) -> dict[str, StoredSecret]:
    """The stored (hashed) secrets by student id (none yet: empty)."""
    path = secrets_path(course_root)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["version"] != FORMAT_VERSION:
            raise ValueError(f"version {data['version']!r}, expected {FORMAT_VERSION}")
        return {
            sid: StoredSecret(entry["kind"], entry["salt"], entry["digest"]) for sid, entry in data["students"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NetwiseError(f"{path}: not a secrets file NetWise wrote ({type(exc).__name__}: {exc})") from None


def save_secrets(course_root: Path, stored: dict[str, StoredSecret]) -> Path:
    """Write all hashes at once (a crash leaves the old file), readable only by this account (0600)."""
    path = secrets_path(course_root)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    data = {
        "version": FORMAT_VERSION,
        "students": {sid: {"kind": s.kind, "salt": s.salt, "digest": s.digest} for sid, s in sorted(stored.items())},
    }
    # write_atomic's file is made by mkstemp, 0600 from the start: the hashes are never readable by others
    write_atomic(path, data)
    return path


def ensure_secrets(
    course_root: Path, student_ids: list[str], lang: str, pictures: bool, reset: str | None = None
) -> tuple[dict[str, Secret], int]:
    """Issue a secret to each student without one (and to ``reset``); returns (the secrets issued now,
    how many were kept). Only their hashes are stored: the issued ones are for this run's cards.

    A stored secret of the other kind (the course's ages changed) is kept: the child's card still works.
    """
    stored = load_secrets(course_root)
    issued: dict[str, Secret] = {}
    for sid in student_ids:
        if sid in stored and sid != reset:
            continue
        issued[sid] = new_secret(lang, pictures)
        stored[sid] = StoredSecret.of(issued[sid])
    if issued:
        save_secrets(course_root, stored)
    return issued, len(student_ids) - len(issued)
