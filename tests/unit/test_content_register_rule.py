"""`netwise check` holds the register of young content: Vietnamese says *em* to ages 8-10.

The interface strings have their 8-10 variants (test_register.py); this rule covers the
content written for a band: the narrator of an 8-10 lesson and the cues and explanations of an
8-10 bank item. ``bạn`` meaning "a friend" and characters' own words in quotes stay allowed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from netwise.content import load
from netwise.i18n import Translator
from netwise.i18n.register import older_you
from netwise.paths import bundled_curriculum
from support.paths import FIXTURES, run_netwise

PO = "locale/vi/LC_MESSAGES/basics.po"


@pytest.mark.parametrize(
    "text",
    [
        "Không trò chơi nào đòi mật khẩu của bạn.",
        "Bạn có thể chặn và báo cáo.",
        "Chỉ chia sẻ với người bạn chọn.",  # "the people you choose": the pronoun
        "Người bạn chỉ quen trên mạng vẫn là người lạ.",
    ],
)
def test_the_learner_pronoun_is_found(text: str) -> None:
    assert older_you(text, "vi") == [text[text.lower().index("bạn")] + "ạn"]


@pytest.mark.parametrize(
    "text",
    [
        "Bạn bè thật vẫn biết đó là em.",
        "Tình bạn có thể thay đổi.",
        "Em cũng có thể gọi khi lo lắng cho một người bạn.",
        "Hãy rủ bạn ấy cùng đi gặp người lớn.",
        "Ẩn bài mà không cần huỷ kết bạn với ai.",
        'Em có thể nói "Bạn dừng lại đi!" với người đó.',  # a character's words
        "Hầu hết các bạn cùng tuổi em sống rất khác.",
    ],
)
def test_a_friend_and_quoted_words_are_not_the_learner(text: str) -> None:
    assert older_you(text, "vi") == []


def test_every_8_10_bank_item_says_em() -> None:
    curriculum = load(bundled_curriculum())
    translator = Translator(curriculum, "vi")
    young_texts = []
    for module_id in curriculum.assessments:
        for item in translator.assessment(module_id).items:
            if item.age_band == "8-10":
                young_texts += [item.explanation, *item.cues]
    assert young_texts
    slips = [text for text in young_texts if older_you(text, "vi")]
    assert not slips, slips[:3]
    # They did not lose the learner: about half of them speak to "em" (the rest name no one).
    assert sum(bool(re.search(r"\b[Ee]m\b", text)) for text in young_texts) > len(young_texts) / 3


def _young_copy(tmp_path: Path) -> Path:
    """The assessment fixture with its lesson and first item made 8-10 (the rule's scope)."""
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "assess", root)
    for rel in ("modules/basics/assessment.yaml", "modules/basics/lessons/basics-one.yaml"):
        path = root / rel
        path.write_text(
            path.read_text(encoding="utf-8").replace('age_band: "11-13"', 'age_band: "8-10"', 1), encoding="utf-8"
        )
    return root


def _set_msgstr(root: Path, context: str, text: str) -> int:
    """Give one catalog entry a new translation; return the line of its msgstr."""
    path = root / PO
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f'msgctxt "{context}"')
    at = next(n for n in range(start, len(lines)) if lines[n].startswith("msgstr"))
    lines[at] = f'msgstr "{text}"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


def test_check_names_the_catalog_line_of_a_young_item_that_says_ban(tmp_path: Path) -> None:
    root = _young_copy(tmp_path)
    line = _set_msgstr(
        root, "assessment/basics:items.p-otp.explanation", "Ngân hàng thật không bao giờ bảo bạn gửi mã."
    )
    result = run_netwise("check", "--curriculum", str(root))
    assert result.returncode == 1
    expected = (
        f"curriculum/{PO}:{line}: 'bạn' speaks to the learner of an 8-10 lesson or item; vi addresses ages 8-10 as 'em'"
    )
    assert expected in result.stdout, result.stdout


def test_young_lesson_narrator_is_checked_but_artifacts_and_older_items_are_not(tmp_path: Path) -> None:
    root = _young_copy(tmp_path)
    narrator = _set_msgstr(root, "lesson/basics-one:text.1.text", "Chào bạn.")
    _set_msgstr(root, "lesson/basics-one:activity.judge.items.otp.artifact.body", "Bạn gửi mã OTP cho ngân hàng nhé.")
    _set_msgstr(root, "assessment/basics:items.p-prize.explanation", "Giải thưởng bắt bạn trả tiền là một chiêu lừa.")
    found = [line for line in _check(root) if "8-10 lesson or item" in line]
    assert found == [f"curriculum/{PO}:{narrator}: " + found[0].split(": ", 1)[1]], found
    # The same words say "em": nothing to report.
    _set_msgstr(root, "lesson/basics-one:text.1.text", "Chào em.")
    assert not [line for line in _check(root) if "8-10 lesson or item" in line]


def _check(root: Path) -> list[str]:
    result = run_netwise("check", "--curriculum", str(root))
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout.splitlines()
