"""Register: which translated strings speak to a young learner, and whether they say *em*.

Vietnamese addresses a child of 8-10 as *em* and an older learner as *bạn*. The interface has
its ``|age:8-10`` variants (``ui_text``); the content itself is written once per band, so an
8-10 lesson's narrator and an 8-10 bank item's cues and explanation must say *em*. ``bạn`` is
also the word for "friend" (*bạn bè, người bạn, bạn ấy, tình bạn*), and characters keep their
own voice in quotes and chats, so the check looks only at the narrator's words outside quotes
and skips the "friend" uses.

The catalog context of every string names where it comes from (``assessment/scams:items.
free-gems-post.explanation``, ``lesson/scams-too-good-to-be-true:text.2.text``), which is how a
string is tied to the age band of its lesson or item.
"""

from __future__ import annotations

import re

from netwise.content.loader import Curriculum

# The pronoun that older learners read and young ones must not, per language.
OLDER_YOU: dict[str, str] = {"vi": "bạn"}
YOUNG_YOU: dict[str, str] = {"vi": "em"}
YOUNG_BANDS: tuple[str, ...] = ("8-10",)

# "bạn" meaning a friend, not the learner: before it (người bạn, các bạn, kết bạn, tình bạn ...)
# or after it (bạn bè, bạn ấy, bạn tốt, bạn thân ...). After "người" it is the pronoun when a verb
# follows ("người bạn chọn": the people you choose) and a friend when the clause ends there
# ("lo cho một người bạn.").
_FRIEND_BEFORE = re.compile(r"\b(các|những|kết|tình|một|hai|mấy) $")
_FRIEND_AFTER = r"(?! bè)(?! ấy)(?! tốt)(?! thân)(?! thật)(?! trên mạng)(?! cùng)(?! nhỏ)(?! của mình)(?! mới)(?! của)(?! mình)(?! thường)"
_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|«[^»\n]*»')

# Which fields of a lesson are the narrator speaking to the learner (not a character in an
# artifact or a branching story, not the teacher's notes).
_LESSON_NARRATOR = re.compile(
    r"^(objectives\.\d+|what_to_do\.\d+|text\.\d+\.text|activity\.[^.]+\.(prompt|"
    r"items\.[^.]+\.(explanation|cues\.\d+)|options\.\d+\.feedback|nodes\.[^.]+\.feedback))$"
)
_ITEM_FIELD = re.compile(r"^items\.([^.]+)\.(explanation|cues\.\d+)$")


def older_you(text: str, lang: str) -> list[str]:
    """The older learners' pronoun where the narrator of ``text`` addresses the learner."""
    pronoun = OLDER_YOU.get(lang)
    if pronoun is None:
        return []
    unquoted = _QUOTED.sub(" ", text)
    found = []
    capital = pronoun[0].upper() + pronoun[1:]
    pattern = re.compile(rf"\b(?:{pronoun}|{capital})\b" + _FRIEND_AFTER)
    for match in pattern.finditer(unquoted):
        after = unquoted[match.end() : match.end() + 2]
        before = unquoted[max(0, match.start() - 12) : match.start()].lower()
        if _FRIEND_BEFORE.search(before):
            continue
        if before.endswith("người ") and (
            not re.match(r" \w", after) or re.search(r"\b(một|mỗi|những) người $", before)
        ):
            continue
        found.append(match.group(0))
    return found


def young_contexts(curriculum: Curriculum) -> set[str]:
    """The catalog contexts of every narrator string of a young lesson and every cue and
    explanation of a young bank item."""
    found: set[str] = set()
    for lesson_id, lesson in curriculum.lessons.items():
        if lesson.age_band in YOUNG_BANDS:
            found.add(f"lesson/{lesson_id}:")
    for module_id, assessment in curriculum.assessments.items():
        for item in assessment.items:
            if item.age_band in YOUNG_BANDS:
                found.add(f"assessment/{module_id}:items.{item.id}.")
    return found


def is_young(context: str, young: set[str]) -> bool:
    """Whether the string with catalog context ``context`` is the narrator of young content."""
    owner, _, path = context.partition(":")
    if f"{owner}:" in young and owner.startswith("lesson/"):
        return bool(_LESSON_NARRATOR.match(path))
    item = _ITEM_FIELD.match(path)
    return item is not None and f"{owner}:items.{item.group(1)}." in young


def register_message(lang: str, written: str) -> str:
    return (
        f"'{written}' speaks to the learner of an 8-10 lesson or item; {lang} addresses ages 8-10 as "
        f"'{YOUNG_YOU[lang]}' (a friend stays '{OLDER_YOU[lang]}': bạn bè, người bạn, bạn ấy)"
    )
