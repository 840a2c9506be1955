"""The later activity types (passphrase lab, privacy settings, link inspector, rating).

Driven from Python through the same handler the page uses, in English and Vietnamese, on
lesson fx-new of the widget fixture (tests/fixtures/widgets). Interface strings come from
``lesson.ui`` (the bundled ui catalog); content strings are the fixture's exact text.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
import socket
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml

from netwise import scoring
from netwise.content import links, load, load_structure
from netwise.content.model import ACTIVITY_CLASSES, ACTIVITY_TYPES
from netwise.content.validate import validate
from netwise.i18n.ui_text import UI_TEXT
from netwise.scoring import record as record_mod
from netwise.widgets import (
    WIDGETS,
    Lesson,
    LinkInspectorWidget,
    PassphraseWidget,
    PrivacySettingsWidget,
    RatingWidget,
)
from netwise.widgets.passphrase import ESTIMATOR_TEXT
from support.paths import FIXTURES

FIXTURE = FIXTURES / "widgets"
RECORD = "fx-new.answers.json"
LANGS = ["en", "vi"]

_spec = importlib.util.spec_from_file_location("fill_vi", FIXTURE / "fill_vi.py")
assert _spec is not None and _spec.loader is not None
_fill = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fill)
VI: dict[str, str] = _fill.VI

# Keys that would give an answer away if they reached the page before answering.
ANSWER_KEYS = {
    "best",
    "audience",
    "genuine",
    "real_domain",
    "real",
    "truth",
    "cues",
    "explanation",
    "correct",
    "feedback",
    "answer",
}


def t(lang: str, english: str) -> str:
    return english if lang == "en" else VI[english]


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(record_mod.MEMORY_ENV, raising=False)
    return tmp_path


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*_: Any, **__: Any) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def open_lesson(lang: str = "en") -> Lesson:
    return Lesson("fx-new", lang=lang, curriculum=FIXTURE)


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


def test_every_type_has_a_widget_and_a_renderer() -> None:
    source = (Path(__file__).resolve().parents[2] / "widgets" / "static" / "netwise.js").read_text(encoding="utf-8")
    for cls in ACTIVITY_CLASSES:
        assert cls in WIDGETS
    for kind in ACTIVITY_TYPES:
        assert f"  {kind}: render" in source
    # The page never writes a trait: what is typed cannot end up in the saved widget state.
    assert "model.set(" not in source and "save_changes" not in source


# --- passphrase lab -------------------------------------------------------------------

SECRET = "minh2010"
STRONG = "cá voi xanh nhảy dây trên mây"
TIME_2S = {"en": "2 seconds", "vi": "2 giây"}


def _contains(value: Any, needle: str, seen: set[int] | None = None) -> bool:
    """Whether ``needle`` occurs in any string reachable from ``value`` (objects included)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return False
    seen.add(id(value))
    if isinstance(value, str):
        return needle in value
    if isinstance(value, bytes):
        return needle.encode() in value
    if isinstance(value, dict):
        return any(_contains(k, needle, seen) or _contains(v, needle, seen) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_contains(v, needle, seen) for v in value)
    return False


@pytest.mark.parametrize("lang", LANGS)
def test_passphrase_estimate_feedback_and_record(cwd: Path, lang: str) -> None:
    lesson = open_lesson(lang)
    ui = lesson.ui
    w = lesson.show("lab")
    assert isinstance(w, PassphraseWidget)
    assert_no_answers(w, [t(lang, "Long passphrases of random words take the longest to guess.")])
    assert w.spec["goal"] == ui["pass_goal"].format(level=ui["strength_3"])
    assert w.spec["tips"] == [t(lang, "Use four or more random words."), t(lang, "Never use your name or birthday.")]

    w.check()  # nothing typed yet
    assert w.feedback_text == ui["pass_empty"]
    assert not (cwd / RECORD).exists()

    sent: list[dict[str, Any]] = []
    w.send = sent.append  # type: ignore[method-assign]  # what the page would receive
    estimate = w.try_text(SECRET)
    assert estimate == {
        "score": 1,
        "level": ui["strength_1"],
        "strength": ui["pass_strength"].format(level=ui["strength_1"]),
        "time": ui["pass_time"].format(time=TIME_2S[lang]),
        "warning": ui["zx_local_words"],
        "suggestions": [ui["zx_add_word"]],
        "reached": False,
    }
    assert sent == [{"kind": "estimate", "view": None, "seq": 0, "estimate": estimate}]
    assert not (cwd / RECORD).exists()  # estimating is not answering

    w.check()
    level, goal = ui["strength_1"], ui["strength_3"]
    assert w.feedback_text == "\n".join(
        [
            ui["pass_not_reached"].format(level=level, goal=goal),
            t(lang, "Long passphrases of random words take the longest to guess."),
        ]
    )  # unlimited tries: no "tries left" line
    assert recorded(cwd, "lab") == [{"reached": False, "score": 1}]
    assert not w.state["locked"]

    assert w.try_text(STRONG)["reached"] is True  # type: ignore[index]
    w.check()
    assert w.feedback_text.splitlines()[0] == ui["pass_reached"].format(level=ui["strength_4"])
    assert recorded(cwd, "lab") == [{"reached": False, "score": 1}, {"reached": True, "score": 4}]
    assert w.state["locked"]
    w.try_text("abc")  # still free to experiment once the goal is reached; nothing is recorded
    w.check()
    assert len(recorded(cwd, "lab")) == 2
    assert w.try_text("") is None  # an emptied field clears the meter
    # Vietnamese phrases the English dictionaries miss are still rated weak.
    assert w.try_text("toiyeuvietnam") == {
        "score": 0,
        "level": ui["strength_0"],
        "strength": ui["pass_strength"].format(level=ui["strength_0"]),
        "time": ui["pass_time"].format(time=ui["time_instant"]),
        "warning": ui["zx_local_words"],
        "suggestions": [ui["zx_add_word"]],
        "reached": False,
    }

    # The first check counts for marks, computed from the score and the curriculum's goal.
    score = scoring.activity_score(lesson.lesson.activity("lab"), lesson.record.answers("lab"))
    assert score.score == 0 and score.answered
    assert lesson.progress_text == ui["progress"].format(done=1, total=4)


def test_passphrase_text_is_never_stored_sent_or_logged(cwd: Path) -> None:
    lesson = open_lesson()
    w = lesson.show("lab")
    records: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Catch()
    w.log.addHandler(handler)
    try:
        # Exactly what the page sends, through the comm handler, plus malformed messages
        # that carry the text: errors must not quote it.
        w._handle_custom_msg({"action": "estimate", "text": SECRET, "seq": 1, "view": "v1"}, [])
        w._handle_custom_msg({"action": "check"}, [])
        w._handle_custom_msg({"action": "estimate", "text": STRONG, "seq": 2, "view": "v1"}, [])
        w._handle_custom_msg({"action": "check"}, [])
        w._handle_custom_msg({"action": 7, "text": SECRET}, [])
        w._handle_custom_msg({"action": "nonsense", "text": SECRET}, [])
        w._handle_custom_msg({"action": "estimate", "text": [SECRET]}, [])
    finally:
        w.log.removeHandler(handler)
    assert len(records) == 3
    assert recorded(cwd, "lab") == [{"reached": False, "score": 1}, {"reached": True, "score": 4}]

    secrets = [SECRET, STRONG, "2010", "voi xanh"]  # ("minh" alone is in an interface hint)
    # 1. Every file written beside the notebook (record, lock and temp files).
    for path in cwd.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(s.encode() in data for s in secrets), path
    # 2. The widget state a notebook saves, and the output a cell shows, in a saved notebook.
    # This lesson's widgets only: with no list, ipywidgets dumps every widget the test process has
    # made, and another test's lesson may well mention a year like 2010.
    state = lesson.header.get_manager_state(widgets=[lesson.header, w])
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": state}
    bundle = w._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    nb.cells.append(
        nbformat.v4.new_code_cell(
            'lesson.show("lab")', outputs=[nbformat.v4.new_output("display_data", data=data)], execution_count=1
        )
    )
    saved = cwd / "saved.ipynb"
    nbformat.write(nb, saved)
    text = saved.read_text(encoding="utf-8")
    assert '"lab"' in text and "passphrase_lab" in text  # the widget really is in there
    assert not any(s in text for s in secrets)
    # 3. Nothing the widget object holds (traits, last estimate, attributes).
    assert not any(_contains(vars(w), s) for s in secrets)
    assert not any(_contains(w.get_state(), s) for s in secrets)
    # 4. Nor the log.
    assert not any(s in line for line in records for s in secrets)


def test_estimator_feedback_is_all_translatable() -> None:
    from zxcvbn import zxcvbn

    for key in ESTIMATOR_TEXT.values():
        assert key in UI_TEXT
    # Texts the estimator gives for typical weak passwords must all be mapped, so an
    # upgrade that rewords them shows up here instead of as silently missing advice.
    samples = ["password", "qwertyuiop", "aaaaaaa", "abcabcabc", "abcdef", "Minh2010", "2019", "12/05/2010"]
    samples += ["P@ssw0rd", "drowssap", "PASSWORD", "zxcvbnm", "dragon", "nguyen", "sunshine1", "qazwsxedc"]
    for sample in samples:
        feedback = zxcvbn(sample)["feedback"]
        for text in [feedback["warning"], *feedback["suggestions"]]:
            assert not text or text in ESTIMATOR_TEXT, text


# --- privacy settings -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_privacy_settings_feedback_record_and_lock(cwd: Path, lang: str) -> None:
    lesson = open_lesson(lang)
    ui = lesson.ui
    w = lesson.show("settings")
    assert isinstance(w, PrivacySettingsWidget)
    assert_no_answers(
        w,
        [
            t(lang, "Anyone on the internet can see your posts."),
            t(lang, "Friends only keeps your posts among people you know."),
        ],
    )
    assert w.spec["screen_title"] == ui["ps_title"].format(app="Kết Nối")
    assert w.spec["situation"] == t(lang, "You only want friends to see your posts and where you are.")
    assert [(s["id"], [o["id"] for o in s["options"]]) for s in w.spec["settings"]] == [
        ("posts", ["everyone", "friends", "me"]),
        ("location", ["share", "hidden"]),
    ]
    assert w.state["settings"] == {}  # nothing preset: no default counts as an answer
    with pytest.raises(ValueError):
        w.set("posts", "nope")

    w.set("posts", "everyone")
    w.check()
    assert w.feedback_text == ui["ps_need_all"]
    assert not (cwd / RECORD).exists()

    w.set("location", "hidden")
    w.check()
    posts, location = t(lang, "Who can see my posts"), t(lang, "Share my location")
    assert w.feedback_text == "\n".join(
        [
            ui["partly"],
            ui["ps_score"].format(right=1, total=2),
            " ".join(
                [
                    ui["ps_chosen"].format(setting=posts, option=t(lang, "Everyone")),
                    "—",
                    ui["ps_who_sees"].format(audience=t(lang, "Anyone on the internet can see your posts.")),
                    ui["ps_not_fit"],
                ]
            ),  # no explanation and no better option while a try is left
            " ".join(
                [
                    ui["ps_chosen"].format(setting=location, option=t(lang, "Off")),
                    "—",
                    ui["ps_who_sees"].format(audience=t(lang, "Nobody can see where you are.")),
                    ui["ps_fits"],
                    t(lang, "Your location tells strangers where to find you."),
                ]
            ),
            ui["attempts_left"].format(count=1),
        ]
    )
    assert recorded(cwd, "settings") == [{"settings": {"posts": "everyone", "location": "hidden"}}]

    w.set("location", "share")
    w.check()
    lines = w.feedback_text.splitlines()
    assert lines[0] == ui["incorrect"]
    assert lines[2].endswith(
        " ".join(
            [
                ui["ps_not_fit"],
                ui["ps_better"].format(options=f"{t(lang, 'Friends')}, {t(lang, 'Only me')}"),
                t(lang, "Friends only keeps your posts among people you know."),
            ]
        )
    )
    assert lines[-1] == ui["no_attempts_left"]
    assert w.state["locked"]
    assert recorded(cwd, "settings")[-1] == {"settings": {"posts": "everyone", "location": "share"}}
    w.set("posts", "friends")  # locked: ignored
    assert w.state["settings"] == {"posts": "everyone", "location": "share"}
    score = scoring.activity_score(lesson.lesson.activity("settings"), lesson.record.answers("settings"))
    assert score.score == 0.5  # the first check: one of two settings fits


def test_privacy_settings_all_right_locks(cwd: Path) -> None:
    lesson = open_lesson()
    w = lesson.show("settings")
    w.set("posts", "me")
    w.set("location", "hidden")
    w.check()
    assert w.feedback_text.splitlines()[:2] == [lesson.ui["correct"], lesson.ui["ps_score"].format(right=2, total=2)]
    assert w.state["locked"]
    assert [s["fits"] for s in w.state["feedback"]["settings"]] == [True, True]


# --- link inspector -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "domain", "shown"),
    [
        ("https://vcbank.example.login-secure.test/account", "login-secure.test", "login-secure.test"),  # subdomain
        ("https://login-secure.test/vcbank.example/login", "login-secure.test", "login-secure.test"),  # path
        ("http://www.shop.example/sale?next=https://vcbank.example", "shop.example", "shop.example"),  # query
        ("https://vcbank.example@evil.test/", "evil.test", "evil.test"),  # user@host
        ("https://vcbank.example:8443/help", "vcbank.example", "vcbank.example"),  # port
        ("https://vcbank.example\\@evil.test/", "vcbank.example", "vcbank.example"),  # "\" is a slash
        ("VCBank.Example/login", "vcbank.example", "vcbank.example"),  # no scheme, capitals
        ("https://vcbаnk.example/", "xn--vcbnk-6ve.example", "vcbаnk.example"),  # Cyrillic "а"
        ("https://xn--vcbnk-6ve.example/", "xn--vcbnk-6ve.example", "vcbаnk.example"),  # punycode shown
        ("https://secure.rnbank.example", "rnbank.example", "rnbank.example"),  # look-alike "rn" for "m"
        ("https://bank.com.vn.test/", "vn.test", "vn.test"),  # .test is the suffix, not com.vn
        ("https://www.bank.co.uk/x", "bank.co.uk", "bank.co.uk"),  # multi-part public suffixes
        ("https://login.vcbank.com.vn/", "vcbank.com.vn", "vcbank.com.vn"),
        ("https://a.b.example.com/", "example.com", "example.com"),
        ("https://test/", "", ""),  # only a suffix: no site
    ],
)
def test_registrable_domain_offline(offline: None, url: str, domain: str, shown: str) -> None:
    links._extractor.cache_clear()  # build the extractor here too, under the network ban
    link = links.inspect(url)
    assert link.domain == domain
    assert link.domain_shown == shown
    assert link.lookalike == domain.startswith("xn--")


def test_domain_answers_compare_in_ascii() -> None:
    assert links.normalize("VCBаnk.example") == "xn--vcbnk-6ve.example"
    assert links.normalize(" vcbank.example ") == "vcbank.example"
    assert links.normalize("") == links.normalize(None) == links.normalize(5) == ""


@pytest.mark.parametrize("lang", LANGS)
def test_link_inspector_feedback_record_and_lock(cwd: Path, lang: str) -> None:
    lesson = open_lesson(lang)
    ui = lesson.ui
    w = lesson.show("links")
    assert isinstance(w, LinkInspectorWidget)
    assert_no_answers(w, [t(lang, "The name before the last dot-part is what counts.")])
    first = w.spec["items"][0]
    assert first["url"] == "https://vcbank.example.login-secure.test/account"
    assert first["question"] == ui["li_question"].format(claims=t(lang, "VCBank"))
    assert [label["text"] for label in first["labels"]] == ["vcbank", "example", "login-secure", "test"]
    assert [label["domain"] for label in first["labels"]] == [
        "vcbank.example.login-secure.test",
        "example.login-secure.test",
        "login-secure.test",
        "test",
    ]

    w.answer("subdomain", "vcbank.example.login-secure.test", None)
    assert w.feedback_text == ui["li_need_both"]
    assert not (cwd / RECORD).exists()

    w.answer("subdomain", "vcbank.example", False)  # fooled by the subdomain, but not trusting it
    claims = t(lang, "VCBank")
    assert w.feedback_text == "\n".join(
        [
            ui["item_label"].format(number=1, total=2),
            ui["partly"],
            ui["li_you_picked"].format(domain="vcbank.example"),
            ui["you_said"].format(answer=ui["li_no"]),
            ui["li_opens"].format(domain="login-secure.test"),
            ui["li_not_belongs"].format(claims=claims),
            ui["li_real_site"].format(claims=claims, domain="vcbank.example"),
            t(lang, "The name before the last dot-part is what counts."),
            ui["no_attempts_left"],
        ]
    )
    assert recorded(cwd, "links", "subdomain") == [{"domain": "vcbank.example", "genuine": False}]
    w.answer("subdomain", "login-secure.test", False)  # one try: locked
    assert len(recorded(cwd, "links", "subdomain")) == 1

    w.answer("real", "VCBank.example", True)
    assert w.feedback_text == "\n".join(
        [
            ui["item_label"].format(number=2, total=2),
            ui["correct"],
            ui["li_you_picked"].format(domain="vcbank.example"),
            ui["you_said"].format(answer=ui["li_yes"]),
            ui["li_opens"].format(domain="vcbank.example"),
            ui["li_belongs"].format(claims=claims),
            t(lang, "www is only a part of VCBank's own site."),
            ui["items_score"].format(right=1, total=2),
        ]
    )
    assert recorded(cwd, "links", "real") == [{"domain": "vcbank.example", "genuine": True}]
    score = scoring.activity_score(lesson.lesson.activity("links"), lesson.record.answers("links"))
    assert score.score == 0.75  # (0.5 + 1) / 2
    assert lesson.progress_text == ui["progress"].format(done=1, total=4)


def test_link_inspector_explains_punycode(cwd: Path, tmp_path: Path) -> None:
    root = _copy_fixture(tmp_path)
    _edit_activity(
        root,
        "links",
        lambda a: a["items"].append(
            {
                "id": "lookalike",
                "url": "https://xn--vcbnk-6ve.example/login",
                "claims": "VCBank",
                "genuine": False,
                "real_domain": "vcbank.example",
                "explanation": "One letter is Cyrillic.",
            }
        ),
    )
    lesson = Lesson("fx-new", curriculum=root)
    ui = lesson.ui
    w = lesson.show("links")
    labels = w.spec["items"][2]["labels"]
    assert labels[0]["text"] == "vcbаnk" and labels[0]["ascii"] == "xn--vcbnk-6ve"
    w.answer("lookalike", "vcbаnk.example", False)  # picked by its look: the same site
    lines = w.feedback_text.splitlines()
    assert lines[1] == ui["correct"]
    assert ui["li_punycode"].format(ascii="xn--vcbnk-6ve.example", shown="vcbаnk.example") in lines
    assert recorded(cwd, "links", "lookalike") == [{"domain": "xn--vcbnk-6ve.example", "genuine": False}]


# --- rating ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_rating_feedback_record_and_discernment(cwd: Path, lang: str) -> None:
    lesson = open_lesson(lang)
    ui = lesson.ui
    w = lesson.show("rate")
    assert isinstance(w, RatingWidget)
    assert_no_answers(w, [t(lang, "No source is named."), t(lang, "No drink cures every illness.")])
    assert w.spec["scale"] == [1, 2, 3, 4, 5, 6, 7]
    assert w.spec["scale_hint"] == ui["rt_scale"].format(low=t(lang, "Not reliable"), high=t(lang, "Very reliable"))
    assert w.spec["items"][0]["artifact"]["kind"] == "post"

    w.rate("cure", None)
    assert w.feedback_text == ui["rt_need"]
    with pytest.raises(ValueError):
        w.rate("cure", 8)
    assert not (cwd / RECORD).exists()

    w.rate("cure", 2)
    assert w.feedback_text == "\n".join(
        [
            ui["item_label"].format(number=1, total=3),
            ui["rt_you_rated"].format(rating=2),
            ui["rt_good"],
            ui["rt_is_false"],
            f"{ui['cues']}:",
            f"- {t(lang, 'No source is named.')}",
            t(lang, "No drink cures every illness."),
        ]
    )
    assert recorded(cwd, "rate", "cure") == [{"rating": 2}]
    w.rate("cure", 7)  # one try: locked
    assert recorded(cwd, "rate", "cure") == [{"rating": 2}]

    w.rate("school", 6)
    w.rate("phone", 3)
    mean_false = {"en": "2.5", "vi": "2,5"}[lang]
    assert w.feedback_text.splitlines()[-2:] == [
        ui["rt_summary"].format(true_mean="6", false_mean=mean_false),
        ui["rt_discernment"].format(percent="58"),
    ]
    assert w.discernment == {"mean_true": 6.0, "mean_false": 2.5, "diff": 3.5, "fraction": 0.5833}
    assert recorded(cwd, "rate", "phone") == [{"rating": 3}]
    score = scoring.activity_score(lesson.lesson.activity("rate"), lesson.record.answers("rate"))
    assert score.score == 0.58
    assert lesson.progress_text == ui["progress"].format(done=1, total=4)


@pytest.mark.parametrize(
    ("ratings", "fraction"),
    [
        ({"cure": 1, "phone": 1, "school": 7}, 1.0),  # perfect discernment
        ({"cure": 1, "phone": 1, "school": 1}, 0.0),  # blanket distrust scores nothing
        ({"cure": 7, "phone": 7, "school": 7}, 0.0),  # blanket trust neither
        ({"cure": 7, "phone": 6, "school": 2}, 0.0),  # backwards: never below 0
        ({"cure": 2, "phone": 4, "school": 6}, 0.5),
        ({"school": 7}, 0.5),  # unrated items count as the middle (4)
        ({}, 0.0),
    ],
)
def test_discernment_numbers(ratings: dict[str, int], fraction: float) -> None:
    activity = load(FIXTURE).lesson("fx-new").activity("rate")
    answers = {item: [{"value": {"rating": n}, "at": "x"}] for item, n in ratings.items()}
    assert scoring.rating_discernment(activity, dict(ratings))["fraction"] == fraction
    assert scoring.activity_score(activity, answers).score == round(activity.points * fraction, 2)


def test_first_answers_count_for_every_new_type() -> None:
    lesson = load(FIXTURE).lesson("fx-new")
    a = {x.id: x for x in lesson.activities}

    def first(*values: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"value": v, "at": str(i)} for i, v in enumerate(values)]

    lab = scoring.activity_score(a["lab"], {"_": first({"reached": True, "score": 3}, {"reached": False, "score": 0})})
    assert lab.score == 1
    # The score decides, from the curriculum's goal: a record claiming "reached" with score 2 gains nothing.
    assert scoring.activity_score(a["lab"], {"_": first({"reached": True, "score": 2})}).score == 0
    assert scoring.activity_score(a["lab"], {"_": first({"reached": True})}).score == 1  # a record without a score
    settings = first({"settings": {"posts": "me", "location": "share"}}, {"settings": {"posts": "me"}})
    assert scoring.activity_score(a["settings"], {"_": settings}).score == 0.5
    links_answers = {"subdomain": first({"domain": "login-secure.test", "genuine": False})}
    assert scoring.activity_score(a["links"], links_answers).score == 0.5  # one of two items, fully right
    assert scoring.parts(a["links"]) == ["subdomain", "real"]
    assert scoring.parts(a["rate"]) == ["cure", "school", "phone"]


# --- reopening ------------------------------------------------------------------------


def test_reopen_restores_every_new_widget(cwd: Path) -> None:
    lesson = open_lesson()
    lesson.show("lab").try_text(STRONG)
    lesson.show("lab").check()
    lesson.show("settings").set("posts", "friends")
    lesson.show("settings").set("location", "share")
    lesson.show("settings").check()
    lesson.show("links").answer("real", "vcbank.example", True)
    lesson.show("rate").rate("school", 5)
    ids = ("lab", "settings", "links", "rate")
    before = {i: dict(lesson.show(i).state) for i in ids}

    again = open_lesson()
    for activity_id, state in before.items():
        restored = dict(again.show(activity_id).state)
        state.pop("seq")
        restored.pop("seq")
        assert restored == state, activity_id
    assert again.show("lab").last_estimate is None  # the estimate (and the text) are gone
    assert again.show("settings").state["settings"] == {"posts": "friends", "location": "share"}
    assert again.progress_text == again.ui["progress"].format(done=2, total=4)


# --- validation -----------------------------------------------------------------------


def _copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, root)
    return root


def _edit_activity(root: Path, activity_id: str, change: Any) -> None:
    path = root / "modules" / "safety" / "lessons" / "fx-new.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for step in data["steps"]:
        if step.get("activity", {}).get("id") == activity_id:
            change(step["activity"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _messages(root: Path) -> list[str]:
    curriculum, problems = load_structure(root)
    assert curriculum is not None and problems == []
    return [p.message for p in validate(curriculum)]


def test_fixture_is_valid() -> None:
    assert _messages(FIXTURE) == []


def test_link_inspector_validation(tmp_path: Path) -> None:
    root = _copy_fixture(tmp_path)

    def change(a: dict[str, Any]) -> None:
        a["items"][0]["genuine"] = True  # but it opens login-secure.test
        a["items"][1]["genuine"] = False  # but it opens vcbank.example
        a["items"] += [
            {"id": "real-site", "url": "https://vcbank.com/login", "claims": "X", "genuine": False, "explanation": "x"},
            {
                "id": "sub",
                "url": "https://vcbank.example",
                "claims": "X",
                "genuine": True,
                "real_domain": "www.vcbank.example",
                "explanation": "x",
            },
            {
                "id": "odd",
                "url": "https://a.example",
                "claims": "X",
                "genuine": True,
                "real_domain": "bank.com",
                "explanation": "x",
            },
            {"id": "odd", "url": "https://test/", "claims": "X", "genuine": False, "explanation": "x"},
        ]

    _edit_activity(root, "links", change)
    assert _messages(root) == [
        "item id 'odd' is used twice",
        "genuine is true, but this link opens login-secure.test, not the real domain vcbank.example",
        "genuine is false, but this link opens vcbank.example, which is the real domain",
        "'vcbank.com' is a real-looking address; scenarios must use reserved example domains such as bank.example or bank-login.test",
        "real_domain 'www.vcbank.example' is not a registrable domain; use 'vcbank.example'",
        "real_domain 'bank.com' must be a reserved example domain such as vcbank.example",
        "'test' is only a suffix: it names no site",
    ]


def test_rating_and_privacy_validation(tmp_path: Path) -> None:
    root = _copy_fixture(tmp_path)

    def all_false(a: dict[str, Any]) -> None:
        for item in a["items"]:
            item["truth"] = False

    def bad_settings(a: dict[str, Any]) -> None:
        a["settings"][0]["best"] = ["friends", "nobody"]
        a["settings"][1]["best"] = ["share", "hidden"]

    _edit_activity(root, "rate", all_false)
    _edit_activity(root, "settings", bad_settings)
    assert _messages(root) == [
        "best option 'nobody' is not one of the options (everyone, friends, me)",
        "every option of 'location' is best: there is nothing to decide",
        "all items have truth: false; mix true and false items so that telling them apart is what scores",
    ]
