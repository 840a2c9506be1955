"""Activity widgets driven from Python, through the same handler the page uses.

The fixture curriculum (tests/fixtures/widgets) has one lesson with every activity type
and a complete Vietnamese content catalog. Interface strings in Vietnamese come from the
bundled ui catalog, which may be incomplete, so expectations use ``lesson.ui`` for them
and exact fixture strings for content.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from netwise.errors import UnknownContentError
from netwise.scoring import record as record_mod
from netwise.widgets import (
    BranchingWidget,
    ChoiceWidget,
    Lesson,
    RedFlagsWidget,
    VerdictWidget,
)
from support.paths import FIXTURES

FIXTURE = FIXTURES / "widgets"
RECORD = "fx-lesson.answers.json"
LANGS = ["en", "vi"]

_spec = importlib.util.spec_from_file_location("fill_vi", FIXTURE / "fill_vi.py")
assert _spec is not None and _spec.loader is not None
_fill = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fill)
VI: dict[str, str] = _fill.VI

# Keys that would give an answer away if they reached the browser before answering.
ANSWER_KEYS = {"correct", "feedback", "suspicious", "answer", "cues", "explanation", "outcome", "nodes", "goto"}


def t(lang: str, english: str) -> str:
    """A fixture content string in the lesson language."""
    return english if lang == "en" else VI[english]


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(record_mod.MEMORY_ENV, raising=False)
    return tmp_path


def open_lesson(lang: str = "en") -> Lesson:
    return Lesson("fx-lesson", lang=lang, curriculum=FIXTURE)


def recorded(cwd: Path, activity: str, part: str = "_") -> list[Any]:
    data = json.loads((cwd / RECORD).read_text(encoding="utf-8"))
    return [a["value"] for a in data["answers"].get(activity, {}).get(part, [])]


def keys_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def assert_no_answers(widget: Any, secrets: list[str]) -> None:
    assert not keys_in(widget.spec) & ANSWER_KEYS
    dumped = json.dumps(widget.spec, ensure_ascii=False)
    for secret in secrets:
        assert secret not in dumped


# --- choice ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_choice_feedback_record_and_lock(cwd: Path, lang: str) -> None:
    lesson = open_lesson(lang)
    ui = lesson.ui
    w = lesson.show("prize")
    assert isinstance(w, ChoiceWidget)
    assert_no_answers(
        w, [t(lang, "Paying a fee for a prize is a scam trick."), t(lang, "Real prizes never need a fee.")]
    )
    assert w.spec["prompt"] == t(lang, "You won a prize but must pay a fee. What do you do?")
    assert w.state["selected"] == [] and w.state["feedback"] is None  # nothing preselected
    assert w.feedback_text == ""

    w.check()  # nothing chosen yet: a notice, no record
    assert w.feedback_text == ui["need_choice"]
    assert not (cwd / RECORD).exists()

    w.select("pay")
    w.check()
    assert w.feedback_text == "\n".join(
        [
            ui["incorrect"],
            f"{ui['option_wrong']}: {t(lang, 'Pay the fee.')} — {t(lang, 'Paying a fee for a prize is a scam trick.')}",
            ui["attempts_left"].format(count=1),
        ]
    )
    assert recorded(cwd, "prize") == [{"selected": ["pay"]}]
    assert not w.state["locked"]

    w.select("share")
    w.check()
    order = [o["id"] for o in w.spec["options"]]
    shown = [o for o in order if o in ("share", "ask")]  # feedback follows the drawn order
    text = {
        "share": f"{ui['option_wrong']}: {t(lang, 'Share it with friends.')} — {t(lang, 'Sharing spreads the scam.')}",
        "ask": f"{ui['option_right']}: {t(lang, 'Ask a trusted adult.')} — "
        f"{t(lang, 'Yes: an adult can help you check.')}",
    }
    assert w.feedback_text == "\n".join(
        [
            ui["incorrect"],
            *(text[o] for o in shown),
            t(lang, "Real prizes never need a fee."),
            ui["no_attempts_left"],
        ]
    )
    assert w.state["locked"] and w.state["attempts_used"] == 2
    assert recorded(cwd, "prize") == [{"selected": ["pay"]}, {"selected": ["share"]}]

    w.select("ask")  # locked: ignored, nothing written
    w.check()
    assert w.state["selected"] == ["share"]
    assert len(recorded(cwd, "prize")) == 2


def test_choice_multiple_unlimited_locks_when_right(cwd: Path) -> None:
    lesson = open_lesson()
    ui = lesson.ui
    w = lesson.show("safe-habits")
    assert w.spec["multiple"] is True and [o["id"] for o in w.spec["options"]] == ["otp", "check", "click"]
    w.select("otp", "click")
    w.check()
    assert w.feedback_text == "\n".join(
        [
            ui["incorrect"],
            f"{ui['option_right']}: Never share a one-time code. — Right: a code is a key to your account.",
            f"{ui['option_wrong']}: Click links to check them. — A link can take you to a fake page.",
        ]
    )  # unlimited tries: no "tries left" line
    w.select("otp", "check")
    w.check()
    assert w.feedback_text.splitlines()[0] == ui["correct"]
    assert w.state["locked"]
    assert recorded(cwd, "safe-habits") == [{"selected": ["otp", "click"]}, {"selected": ["otp", "check"]}]


def test_choice_shuffle_is_stable_across_reopen(cwd: Path) -> None:
    lesson = open_lesson()
    order = [o["id"] for o in lesson.show("prize").spec["options"]]
    assert sorted(order) == ["ask", "ignore", "pay", "share"]
    lesson.show("prize").select("pay")
    lesson.show("prize").check()
    for lang in ("en", "vi", "en"):  # same record, same order, in either language
        assert [o["id"] for o in open_lesson(lang).show("prize").spec["options"]] == order
    # Orders differ between records (seeded by creation time), not fixed to the YAML order.
    seen = set()
    for _ in range(8):
        (cwd / RECORD).unlink()
        fresh = open_lesson()
        fresh.show("prize").select("pay")
        fresh.show("prize").check()
        seen.add(tuple(o["id"] for o in fresh.show("prize").spec["options"]))
    assert len(seen) > 1


# --- verdict --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_verdict_feedback_record_and_lock(cwd: Path, lang: str) -> None:
    lesson = open_lesson(lang)
    ui = lesson.ui
    w = lesson.show("judge")
    assert isinstance(w, VerdictWidget)
    assert_no_answers(
        w, [t(lang, "A bank never asks for an OTP code."), t(lang, "This is a scam: no bank asks for your code.")]
    )
    assert [c["value"] for c in w.spec["choices"]] == ["scam", "legit"]
    item = w.spec["items"][0]
    assert item["artifact"]["kind"] == "sms"
    assert item["artifact"]["sender"] == [{"text": t(lang, "BankCo")}]
    assert all(i["verdict"] is None for i in w.state["items"])  # nothing preselected

    w.judge("otp-sms", "legit")
    label = ui["item_label"].format(number=1, total=2)
    assert w.feedback_text == "\n".join(
        [
            label,
            ui["incorrect"],
            ui["you_said"].format(answer=ui["legit"]),
            ui["verdict_is"].format(answer=ui["scam"]),
            f"{ui['cues']}:",
            f"- {t(lang, 'A bank never asks for an OTP code.')}",
            f"- {t(lang, 'It makes you hurry.')}",
            t(lang, "This is a scam: no bank asks for your code."),
            ui["no_attempts_left"],
        ]
    )
    assert recorded(cwd, "judge", "otp-sms") == [{"verdict": "legit"}]
    assert w.state["items"][0]["locked"]  # one attempt by default

    w.judge("otp-sms", "scam")  # locked: ignored
    assert recorded(cwd, "judge", "otp-sms") == [{"verdict": "legit"}]
    assert lesson.progress_text == ui["progress"].format(done=0, total=5)

    w.judge("parcel", "legit")
    assert w.feedback_text == "\n".join(
        [
            ui["item_label"].format(number=2, total=2),
            ui["correct"],
            ui["you_said"].format(answer=ui["legit"]),
            ui["verdict_is"].format(answer=ui["legit"]),
            f"{ui['cues']}:",
            f"- {t(lang, 'It asks for nothing.')}",
            t(lang, "A normal delivery notice."),
            ui["items_score"].format(right=1, total=2),
        ]
    )
    assert recorded(cwd, "judge", "parcel") == [{"verdict": "legit"}]
    assert w.state["locked"]
    assert lesson.progress_text == ui["progress"].format(done=1, total=5)

    with pytest.raises(ValueError):
        w.judge("parcel", "true")  # not on this scale


# --- red flags ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_red_flags_feedback_record_and_lock(cwd: Path, lang: str) -> None:
    lesson = open_lesson(lang)
    ui = lesson.ui
    w = lesson.show("spot")
    assert isinstance(w, RedFlagsWidget)
    assert_no_answers(
        w, [t(lang, "Real prizes never ask for a fee."), t(lang, "A greeting on its own proves nothing.")]
    )
    body = w.spec["artifact"]["body"]
    # Each part is drawn once, in place inside the message body.
    assert [s["part"] for s in body if "part" in s] == ["greeting", "fee", "hurry"]
    assert "".join(s["text"] for s in body) == t(
        lang, "Dear customer, you won a phone. Pay the delivery fee within 1 hour."
    )
    assert w.state["marked"] == []

    w.check()
    assert w.feedback_text == ui["need_mark"]
    w.mark("greeting", "fee")
    assert w.state["marked"] == ["greeting", "fee"]
    w.check()
    assert w.feedback_text == "\n".join(
        [
            ui["incorrect"],
            ui["flags_score"].format(hits=1, total=2, false_alarms=1),
            f"{t(lang, 'Dear customer')} — {ui['flag_false_alarm']} {t(lang, 'A greeting on its own proves nothing.')}",
            f"{t(lang, 'Pay the delivery fee')} — {ui['flag_hit']} {t(lang, 'Real prizes never ask for a fee.')}",
            ui["attempts_left"].format(count=1),
        ]
    )  # the missed flag stays hidden while a try is left
    assert recorded(cwd, "spot") == [{"marked": ["greeting", "fee"]}]

    w.mark("greeting", "hurry")  # toggles: greeting off, hurry on
    w.check()
    assert w.feedback_text == "\n".join(
        [
            ui["correct"],
            ui["flags_score"].format(hits=2, total=2, false_alarms=0),
            f"{t(lang, 'Dear customer')} — {ui['flag_ok']} {t(lang, 'A greeting on its own proves nothing.')}",
            f"{t(lang, 'Pay the delivery fee')} — {ui['flag_hit']} {t(lang, 'Real prizes never ask for a fee.')}",
            f"{t(lang, 'within 1 hour')} — {ui['flag_hit']} {t(lang, 'A deadline makes you hurry.')}",
        ]
    )
    assert w.state["locked"]
    assert recorded(cwd, "spot") == [{"marked": ["greeting", "fee"]}, {"marked": ["fee", "hurry"]}]
    w.mark("greeting")  # locked
    assert w.state["marked"] == ["fee", "hurry"]


def test_red_flags_lock_after_last_attempt_explains_missed(cwd: Path) -> None:
    lesson = open_lesson()
    ui = lesson.ui
    w = lesson.show("spot")
    w.mark("fee")
    w.check()
    w.check()
    assert w.state["locked"]
    lines = w.feedback_text.splitlines()
    assert lines[0] == ui["partly"]
    assert f"within 1 hour — {ui['flag_missed']} A deadline makes you hurry." in lines
    assert lines[-1] == ui["no_attempts_left"]


# --- branching ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_branching_conversation_ending_and_lock(cwd: Path, lang: str) -> None:
    lesson = open_lesson(lang)
    ui = lesson.ui
    w = lesson.show("chat")
    assert isinstance(w, BranchingWidget)
    assert_no_answers(w, [t(lang, "Well done: blocking and telling is right."), t(lang, "It's for a prize!")])
    assert w.state["path"] == ["hello"]
    assert [c["text"] for c in w.state["choices"]] == [t(lang, "Send the code."), t(lang, "Ask why.")]

    w.choose(1)
    assert w.feedback_text == t(lang, "It's for a prize!")
    assert not (cwd / RECORD).exists()  # only a finished path is an answer
    w.choose(0)
    assert w.feedback_text == "\n".join(
        [
            t(lang, "You blocked them."),
            ui["outcome_safe"],
            t(lang, "Well done: blocking and telling is right."),
        ]
    )
    assert [(e["speaker"], e["text"]) for e in w.state["conversation"]] == [
        ("them", t(lang, "Hi! Send me the code you just got.")),
        ("me", t(lang, "Ask why.")),
        ("them", t(lang, "It's for a prize!")),
        ("me", t(lang, "Block and tell an adult.")),
        ("narrator", t(lang, "You blocked them.")),
    ]
    assert w.state["ending"]["outcome"] == "safe" and w.state["choices"] == []
    assert recorded(cwd, "chat") == [{"path": ["hello", "why", "blocked"]}]

    w.restart()
    assert w.state["path"] == ["hello"] and w.state["ending"] is None
    w.choose(0)
    assert w.feedback_text == "\n".join(
        [
            t(lang, "Your account was taken over."),
            ui["outcome_unsafe"],
            t(lang, "Never share a code. Tell an adult now."),
        ]
    )
    assert recorded(cwd, "chat") == [{"path": ["hello", "why", "blocked"]}, {"path": ["hello", "sent"]}]
    assert w.state["locked"] and not w.state["can_restart"]  # attempts: 2
    w.restart()
    assert w.state["path"] == ["hello", "sent"]


# --- reopening, records, lesson -------------------------------------------------------


def test_reopen_restores_every_widget(cwd: Path) -> None:
    lesson = open_lesson()
    lesson.show("prize").select("ask")
    lesson.show("prize").check()
    lesson.show("judge").judge("otp-sms", "scam")
    lesson.show("spot").mark("fee")
    lesson.show("spot").check()
    lesson.show("chat").choose(0)
    before = {a: dict(lesson.show(a).state) for a in ("prize", "judge", "spot", "chat")}

    again = open_lesson()
    for activity_id, state in before.items():
        restored = dict(again.show(activity_id).state)
        for key in ("seq",):
            state.pop(key)
            restored.pop(key)
        assert restored == state, activity_id
    assert again.show("prize").state["locked"]
    assert again.show("chat").state["path"] == ["hello", "sent"]
    assert again.show("spot").state["marked"] == ["fee"]
    assert again.progress_text == again.ui["progress"].format(done=3, total=5)
    assert again.header.state["warning"] is None


def test_corrupt_record_is_set_aside_with_visible_warning(cwd: Path) -> None:
    (cwd / RECORD).write_text("{ not json", encoding="utf-8")
    lesson = open_lesson()
    aside = lesson.record.set_aside
    assert aside is not None and aside.exists() and aside.read_text() == "{ not json"
    assert lesson.header.state["warning"] == lesson.ui["record_reset"].format(name=aside.name)
    assert lesson.warning_text == lesson.header.state["warning"]
    assert record_mod.read(cwd / RECORD, "fx-lesson")["answers"] == {}
    lesson.show("prize").select("ask")
    lesson.show("prize").check()
    assert recorded(cwd, "prize") == [{"selected": ["ask"]}]


def test_unwritable_record_is_shown_and_the_session_goes_on(cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lesson = open_lesson()

    def full(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(record_mod, "write_atomic", full)
    w = lesson.show("prize")
    w.select("ask")
    w.check()
    assert w.state["error"] == lesson.ui["record_unwritable"].format(reason="No space left on device")
    assert w.state["locked"]  # the answer still counts in this session
    assert w.feedback_text.splitlines()[0] == lesson.ui["correct"]
    assert lesson.header.state["error"] == w.state["error"]


def test_show_unknown_activity_says_which_exist(cwd: Path) -> None:
    with pytest.raises(UnknownContentError, match="no activity 'nope'.*prize, safe-habits"):
        open_lesson().show("nope")
    with pytest.raises(UnknownContentError):
        Lesson("no-such-lesson", curriculum=FIXTURE)


def test_frontend_messages_use_the_same_handler(cwd: Path) -> None:
    lesson = open_lesson()
    w = lesson.show("prize")
    assert lesson.show("prize") is w
    w._handle_custom_msg({"action": "select", "ids": ["ask"]}, [])
    w._handle_custom_msg({"action": "check"}, [])
    assert recorded(cwd, "prize") == [{"selected": ["ask"]}]
    # A malformed message from the page is ignored, never raised in the kernel.
    w._handle_custom_msg({"action": "select", "ids": ["evil"]}, [])
    w._handle_custom_msg({"nonsense": True}, [])
    chat = lesson.show("chat")
    chat._handle_custom_msg({"action": "choose", "index": 7}, [])
    assert chat.state["path"] == ["hello"]


def test_header_shows_title_and_progress(cwd: Path) -> None:
    lesson = open_lesson("vi")
    assert lesson.header.spec["title"] == VI["Fixture lesson"]
    assert lesson.header.spec["lang"] == "vi"
    assert lesson.header.state["done"] == 0 and lesson.header.state["total"] == 5
    bundle = lesson._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle[0]


def test_frontend_module_is_the_static_file() -> None:
    static = Path(__file__).resolve().parents[2] / "widgets" / "static"
    w = ChoiceWidget.__mro__[1]  # ActivityWidget carries the shared _esm/_css
    assert "export default" in str(w._esm)
    assert str(w._esm) == (static / "netwise.js").read_text(encoding="utf-8")
    source = (static / "netwise.js").read_text(encoding="utf-8")
    for forbidden in (
        ".innerHTML",
        ".outerHTML",
        "insertAdjacentHTML",
        '"href"',
        "href:",
        "fetch(",
        "XMLHttpRequest",
        "import(",
    ):
        assert forbidden not in source
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    subprocess.run([node, "--check", str(static / "netwise.js")], check=True)
