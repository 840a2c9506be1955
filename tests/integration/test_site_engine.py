"""The static site's browser engine agrees with the Python widgets, always (issue 17, item 3).

A static lesson page has no kernel: widgets/js/src/site/engine.js computes each activity's
state in the browser. This test builds the real Python widget of every activity of the
bundled curriculum, every before/after check form and every lesson's header and summary, in
every language, drives it and the engine (one Node process per language, over one batch)
with the same generated messages (right, wrong, partly right, malformed, repeated tries up
to and past the limit, answers after the lock) and asserts that the full ``state`` after
every step is the same JSON, that a malformed message is refused on both sides, that the
records and ``activity_score`` agree, and that reopening on the final record restores the
same state. The passphrase lab's estimator is replaced by one fake table on both sides: the
scorer is under test, not zxcvbn. The feedback's ``partly`` flag (what the page styles a partly
right answer by) is part of that state, and must be seen both set and unset. Canary cases change
one thing on the Node side only and must be reported as a difference, so the comparison itself
cannot go blind: an interface string, and the verdict scales the page data carries
(netwise.site.keys.scales), which shows the engine reads Python's tables, not a copy of its own.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
import zxcvbn
from babel.numbers import format_decimal

from netwise import scoring
from netwise.content import links, load_curriculum
from netwise.content.assessment import all_forms
from netwise.content.model import ACTIVITY_TYPES, SCALE_ANSWERS
from netwise.scoring import record as record_mod
from netwise.scoring.record import AnswerRecord
from netwise.site import keys
from netwise.widgets import WIDGETS, AssessmentWidget, Lesson
from netwise.widgets.base import ATTEMPTS_ENV, DEFAULT_MAX_ATTEMPTS
from netwise.widgets.passphrase import _SCENARIO as SCENARIO
from netwise.widgets.passphrase import ESTIMATE_ENV, ESTIMATOR_TEXT

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "widgets" / "js" / "src" / "site" / "engine.js"
RUNNER = ROOT / "tests" / "support" / "site_engine.mjs"
LANGS = ["en", "vi"]


def tries(activity: Any) -> int:
    """Tries to make: past the attempt limit, or past the cap of stored attempts when unlimited."""
    return DEFAULT_MAX_ATTEMPTS + 3 if activity.attempts is None else activity.attempts + 2


Message = Any  # what a page may send: usually a dict, sometimes junk on purpose

# Messages no widget accepts (Python ValueError, JS throw).
JUNK: list[Message] = ["check", 3, None, [], {}, {"action": 5}, {"action": "no-such-action"}]

# --- the fake estimator (both sides) ------------------------------------------------------

_SENTENCES = sorted(ESTIMATOR_TEXT)
# (text, score, crack seconds, warning sentence, suggestions, a user-input word matched)
_FAKE = [
    ("a", 0, 0.4, _SENTENCES[0], [_SENTENCES[15]], False),
    ("nguyen2010", 1, 2.5, "", [_SENTENCES[16], "A sentence no table knows."], True),
    ("summer", 1, 150.0, "A sentence no table knows.", [], False),
    ("hai con meo", 2, 3600.0, _SENTENCES[5], [_SENTENCES[20]], True),
    ("blue table", 2, 86400.0 * 3.5, "", [], False),
    ("correct horse battery", 3, 86400.0 * 45, _SENTENCES[9], [], True),
    ("four random words here", 4, 86400.0 * 400, "", [_SENTENCES[1], _SENTENCES[2]], False),
    ("x" * 120, 4, 4e9, "", [], False),
]


def _fake_result(score: int, seconds: float, warning: str, suggestions: list[str], local: bool) -> dict[str, Any]:
    return {
        "score": score,
        "crack_times_seconds": {SCENARIO: seconds},
        "feedback": {"warning": warning, "suggestions": suggestions},
        "sequence": [{"dictionary_name": "user_inputs" if local else "passwords"}],
    }


FAKE_ESTIMATES = {text[:100]: _fake_result(*rest) for text, *rest in _FAKE}


def ts_layout(raw: dict[str, Any]) -> dict[str, Any]:
    """The same estimate as zxcvbn-ts (the page's estimator) lays it out."""
    local = raw["sequence"][0]["dictionary_name"] == "user_inputs"
    return {
        "score": raw["score"],
        "crackTimes": {"offlineSlowHashingXPerSecond": {"seconds": raw["crack_times_seconds"][SCENARIO]}},
        "feedback": raw["feedback"],
        "sequence": [{"dictionaryName": "userInputs" if local else "passwords-common"}],
    }


def fake_zxcvbn(text: str, user_inputs: Any = None, max_length: int = 72) -> dict[str, Any]:
    if text not in FAKE_ESTIMATES:
        raise RuntimeError("no fake estimate for this text")
    return copy.deepcopy(FAKE_ESTIMATES[text])


# --- generated message sequences, per activity type -----------------------------------------


def _choice(a: Any) -> list[list[Message]]:
    right = list(a.correct)
    wrong = [o.id for o in a.options if o.id not in right]
    select = lambda ids: {"action": "select", "ids": ids}  # noqa: E731
    check: Message = {"action": "check"}
    cases = [
        [check, select(right), check, select(wrong[:1]), check, check],
        [m for i in range(tries(a)) for m in (select([wrong[i % len(wrong)]]), check)] + [select(right), check],
        [
            *JUNK,
            select("a"),
            select(["no-such-option"]),
            select([1]),
            select(None),
            {"action": "select"},
            select([*right, *wrong][:2]),
            select(wrong[:1] + wrong[:1]),
            check,
            select(right),
            check,
            select([1]),
            check,
        ],
    ]
    if a.multiple:
        cases.append([select(right[:1]), check, select(right + wrong[:1]), check, select(right[::-1]), check])
    return cases


def _verdict(a: Any) -> list[list[Message]]:
    scale = SCALE_ANSWERS[a.scale]
    judge = lambda item, verdict: {"action": "judge", "item": item, "verdict": verdict}  # noqa: E731
    other = {scale[0]: scale[1], scale[1]: scale[0]}
    right = [judge(i.id, i.answer) for i in a.items]
    wrong = [judge(i.id, other[i.answer]) for i in a.items]
    return [
        right + right[:1],
        [m for _ in range(3) for pair in zip(wrong, right, strict=True) for m in pair],
        [
            *JUNK,
            {"action": "judge"},
            judge("no-such-item", scale[0]),
            judge(1, scale[0]),
            judge(a.items[0].id, "maybe"),
            judge(a.items[0].id, None),
            {"action": "check"},
            *wrong,
            *right,
        ],
    ]


def _red_flags(a: Any) -> list[list[Message]]:
    bad = [p.id for p in a.parts if p.suspicious]
    fine = [p.id for p in a.parts if not p.suspicious]
    toggle = lambda ids: {"action": "toggle", "ids": ids}  # noqa: E731
    check: Message = {"action": "check"}
    repeated: list[Message] = []
    for i in range(tries(a)):
        repeated += [toggle([bad[i % len(bad)]] + fine[: i % 2]), check]
    return [
        [check, toggle(bad), check, toggle(fine), check],
        [toggle(fine[:1] + bad[:1]), check, toggle(fine[:1]), check, toggle(bad[1:]), check, check],
        repeated,
        [
            *JUNK,
            toggle("a"),
            toggle(["no-such-part"]),
            toggle([1]),
            toggle(None),
            toggle(bad[:1] * 2),
            check,
            toggle(bad),
        ],
    ]


def _ending_paths(a: Any, limit: int = 6) -> list[list[int]]:
    """Choice indexes from the start to each ending (a few, shortest first)."""
    nodes = {n.id: n for n in a.nodes}
    found: list[list[int]] = []
    queue: list[tuple[str, list[int]]] = [(a.start, [])]
    seen_endings: set[str] = set()
    while queue and len(found) < limit:
        node_id, path = queue.pop(0)
        node = nodes[node_id]
        if not node.choices:
            if node_id not in seen_endings:
                seen_endings.add(node_id)
                found.append(path)
            continue
        if len(path) < 12:
            queue += [(c.goto, [*path, i]) for i, c in enumerate(node.choices)]
    return found


def _branching(a: Any) -> list[list[Message]]:
    choose = lambda i: {"action": "choose", "index": i}  # noqa: E731
    restart: Message = {"action": "restart"}
    paths = _ending_paths(a)
    walk = [m for path in paths for m in [*map(choose, path), choose(0), restart]]
    repeated = [m for _ in range(tries(a)) for m in [*map(choose, paths[0]), restart]]
    junk = [*JUNK, choose(-1), choose(99), choose(True), choose("0"), choose(None), choose(1.5), restart, restart]
    return [walk, repeated, junk + list(map(choose, paths[-1])) + [choose(0), restart]]


def _passphrase(a: Any) -> list[list[Message]]:
    texts = [text for text, *_ in _FAKE]
    estimate = lambda text, **kw: {"action": "estimate", "text": text, **kw}  # noqa: E731
    check: Message = {"action": "check"}
    weak = next(t for t, score, *_ in _FAKE if score < a.goal_score)
    strong = next(t for t, score, *_ in _FAKE if score >= a.goal_score)
    return [
        [check, *[m for t in texts for m in (estimate(t, seq=len(t)), check)], estimate(""), check],
        [m for _ in range(tries(a)) for m in (estimate(weak), check)] + [estimate(strong, view="v1"), check, check],
        [
            *JUNK,
            estimate(5),
            {"action": "estimate"},
            estimate("not in the fake table"),
            estimate(weak, seq="a", view=3),
            check,
            estimate(""),
            check,
            estimate(strong, seq=7, view="v2"),
            check,
        ],
    ]


def _privacy(a: Any) -> list[list[Message]]:
    put = lambda s, o: {"action": "set", "setting": s, "option": o}  # noqa: E731
    check: Message = {"action": "check"}
    best = [put(s.id, s.best[0]) for s in a.settings]
    worst = [put(s.id, next(o.id for o in s.options if o.id not in s.best)) for s in a.settings]
    half = [b if i % 2 else w for i, (b, w) in enumerate(zip(best, worst, strict=True))]
    repeated = [m for i in range(tries(a)) for m in (*(half if i % 2 else worst), check)]
    first = a.settings[0]
    junk = [*JUNK, {"action": "set"}, put("no-such-setting", "x"), put(first.id, "no-such-option"), put(first.id, 1)]
    return [
        [check, *worst[:1], check, *worst, check, *best, check, *worst, check],
        [*half, check, *best, check],
        repeated + [*best, check],
        junk + [*best, check],
    ]


def _link_inspector(a: Any, spec: dict[str, Any]) -> list[list[Message]]:
    say = lambda item, domain, genuine: {"action": "answer", "item": item, "domain": domain, "genuine": genuine}  # noqa: E731
    right, wrong, odd = [], [], []
    for item, shown in zip(a.items, spec["items"], strict=True):
        real = links.inspect(item.url).domain
        labels = shown["labels"]
        other = next((lab["domain"] for lab in labels if lab["domain"] != real), "example")
        right.append(say(item.id, real, item.genuine))
        wrong.append(say(item.id, other, not item.genuine))
        odd += [
            say(item.id, f"  {real.upper()}. ", item.genuine),
            say(item.id, labels[0]["domain_shown"], not item.genuine),
            say(item.id, labels[-1]["domain_shown"], item.genuine),
        ]
    first = a.items[0].id
    junk = [
        *JUNK,
        {"action": "answer"},
        say("no-such-item", "x.example", True),
        say(first, 5, True),
        say(first, "x.example", "yes"),
        say(first, None, True),
        say(first, "   ", True),
        say(first, "x.example", None),
        say(first, "x" * 300, True),
    ]
    # Domains outside the lesson's own links: the engine's IDNA fallbacks (browser URL, punycode decoder).
    foreign = ["vcbаnk.example", "xn--bcher-kva.example", "Bücher.Example", "faß.de", "ñandú.test", "xn--mnchen-3ya.de"]
    strange = [say(item.id, foreign[n % len(foreign)], item.genuine) for n, item in enumerate(a.items)]
    return [right + right, [m for pair in zip(wrong, right, strict=True) for m in pair] * 2, odd, junk + right, strange]


def _rating(a: Any) -> list[list[Message]]:
    rate = lambda item, n: {"action": "rate", "item": item, "rating": n}  # noqa: E731
    ids = [i.id for i in a.items]
    spread = [rate(i, [7, 1, 4, 5, 3, 2, 6][n % 7]) for n, i in enumerate(ids)]
    keen = [rate(i.id, 6 if i.truth else 2) for i in a.items]
    junk = [*JUNK, {"action": "rate"}, rate("no-such-item", 3), *(rate(ids[0], bad) for bad in (0, 8, 3.5, True, "3"))]
    return [
        spread + spread,
        [rate(i, 4) for i in ids] * 2,
        [m for _ in range(3) for m in keen],
        [*junk, rate(ids[0], None), *keen],
    ]


GENERATORS = {
    "choice": _choice,
    "verdict": _verdict,
    "red_flags": _red_flags,
    "branching": _branching,
    "passphrase_lab": _passphrase,
    "privacy_settings": _privacy,
    "rating": _rating,
}


def sequences(activity: Any, spec: dict[str, Any]) -> list[list[Message]]:
    if activity.type == "link_inspector":
        return _link_inspector(activity, spec)
    return GENERATORS[activity.type](activity)


def _check_messages(widget: AssessmentWidget) -> list[list[Message]]:
    judge = lambda item, verdict: {"action": "judge", "item": item, "verdict": verdict}  # noqa: E731
    scale = SCALE_ANSWERS[widget.assessment.scale]
    other = {scale[0]: scale[1], scale[1]: scale[0]}
    right = [judge(i.id, i.answer) for i in widget.items]
    mixed = [judge(i.id, i.answer if n % 3 else other[i.answer]) for n, i in enumerate(widget.items)]
    before = {"action": "before", "counts": {"hits": 2, "signal": 4, "trusted": 1, "noise": 4}}
    bad_counts: list[Any] = [
        None,
        [],
        {"hits": 5, "signal": 4, "trusted": 1, "noise": 4},
        {"hits": True, "signal": 4, "trusted": 1, "noise": 4},
        {"hits": -1, "signal": 4, "trusted": 1, "noise": 4},
        {"hits": 1, "signal": 1001, "trusted": 1, "noise": 4},
        {"hits": 1, "signal": 4, "trusted": 1},
        {"hits": 1.5, "signal": 4, "trusted": 1, "noise": 4},
    ]
    junk = [*JUNK, {"action": "judge"}, judge("no-such-item", scale[0]), judge(widget.items[0].id, "maybe")]
    return [
        [*right, right[0], judge(widget.items[0].id, other[widget.items[0].answer])],
        [before, *mixed[:-1], before, mixed[-1], before],
        [*junk, *({"action": "before", "counts": c} for c in bad_counts), *mixed, *right],
    ]


# --- the Python side -------------------------------------------------------------------------


def _python_step(widget: Any, message: Message, sent: list[Any]) -> dict[str, Any]:
    sent.clear()
    try:
        widget.handle(copy.deepcopy(message))
    except ValueError as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": True, "state": json.loads(json.dumps(widget.state)), "sent": copy.deepcopy(sent)}


def _activity_case(lesson: Lesson, activity: Any, messages: list[Message]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case for Node and what Python did with it."""
    record = AnswerRecord(lesson.lesson_id, lesson.lang, None)
    widget = WIDGETS[type(activity)](
        activity, lesson_id=lesson.lesson_id, record=record, ui=lesson.ui, lang=lesson.lang
    )
    sent: list[Any] = []
    widget.send = sent.append
    payload = keys.widget_payload(widget)
    out: dict[str, Any] = {"initial": json.loads(json.dumps(widget.state)), "steps": []}
    out["steps"] = [_python_step(widget, m, sent) for m in messages]
    out["answers"] = record.data["answers"]
    out["score"] = asdict(scoring.activity_score(activity, record.answers(activity.id)))
    again = AnswerRecord(lesson.lesson_id, lesson.lang, None)
    again.data = copy.deepcopy(record.data)
    reopened = WIDGETS[type(activity)](
        activity, lesson_id=lesson.lesson_id, record=again, ui=lesson.ui, lang=lesson.lang
    )
    out["restored"] = json.loads(json.dumps(reopened.state))
    case = {
        "kind": "activity",
        "name": f"{lesson.lang}/{lesson.lesson_id}/{activity.id}",
        "lesson": lesson.lesson_id,
        "lang": lesson.lang,
        **payload,
        "messages": messages,
        "estimates": FAKE_ESTIMATES,
        "max_stored": DEFAULT_MAX_ATTEMPTS,
        "restore": record.data,
    }
    return case, out


def _check_case(
    module_id: str, form_id: str, lang: str, messages: list[Message]
) -> tuple[dict[str, Any], dict[str, Any]]:
    widget = AssessmentWidget(module_id, form_id, lang=lang)
    payload = keys.widget_payload(widget)
    out: dict[str, Any] = {"initial": json.loads(json.dumps(widget.state)), "steps": []}
    out["steps"] = [_python_step(widget, m, []) for m in messages]
    out["answers"] = widget.record.data["answers"]
    again = AssessmentWidget(module_id, form_id, lang=lang)
    again.record.data = copy.deepcopy(widget.record.data)  # reopened on the final record
    again._announce = again._end_text() if again.finished else ""
    again._refresh()
    out["restored"] = json.loads(json.dumps(again.state))
    case = {
        "kind": "check",
        "name": f"{lang}/{widget.form.record_id}",
        "lang": lang,
        **payload,
        "messages": messages,
        "restore": widget.record.data,
    }
    return case, out


def _lesson_case(lesson: Lesson) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every activity of a lesson answered in turn: the header and summary after each answer."""
    lesson_id, lang = lesson.lesson_id, lesson.lang
    summary = lesson.summary()
    payloads, steps = [], []
    for activity in lesson.lesson.activities:
        widget = lesson.show(activity.id)
        widget.send = lambda *_: None
        payloads.append(keys.widget_payload(widget))
        steps += [[activity.id, m] for m in sequences(activity, widget.spec)[0][:12]]

    def state() -> dict[str, Any]:
        return {"summary": json.loads(json.dumps(summary.state)), "header": json.loads(json.dumps(lesson.header.state))}

    out: dict[str, Any] = {"initial": state(), "steps": []}
    for activity_id, message in steps:
        try:
            lesson.show(activity_id).handle(copy.deepcopy(message))
            out["steps"].append({"ok": True, **state()})
        except ValueError as exc:
            out["steps"].append({"ok": False, "error": str(exc)})
    case = {
        "kind": "lesson",
        "name": f"{lang}/{lesson_id}",
        "lang": lang,
        "lesson": keys.lesson_data(lesson),
        "ui": dict(lesson.ui),
        "warning": lesson.warning_text,
        "in_memory": lesson.record.path is None,
        "activities": payloads,
        "estimates": FAKE_ESTIMATES,
        "steps": steps,
    }
    return case, out


def _numbers_case(lang: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Python's round() (ties to even on the exact value) and Babel's "0.#"/"0.##" over fractions
    like the scorer's (k/n, times points and 100), where a port is easy to get subtly wrong."""
    values = sorted({p * k / n for n in range(1, 41) for k in range(n + 1) for p in (1, 2.5, 3, 100)})
    values += [0.03125, 2.675, 1.005, 0.15625, 1234.5, 12345.25]
    out = [
        [
            round(x, 4),
            round(x, 2),
            round(x),
            format_decimal(x, format="0.#", locale=lang),
            format_decimal(x, format="0.##", locale=lang),
        ]
        for x in values
    ]
    case = {"kind": "numbers", "name": f"{lang}/numbers", "values": values, "decimal": keys.decimal_symbol(lang)}
    return case, {"values": out}


# --- comparing -------------------------------------------------------------------------------


def difference(py: Any, js: Any, where: str = "$") -> str | None:
    """Where two JSON values differ (a bool is never a number), or None."""
    if isinstance(py, bool) or isinstance(js, bool):
        same = type(py) is type(js) and py == js
    elif isinstance(py, int | float) and isinstance(js, int | float):
        same = py == js
    elif isinstance(py, dict) and isinstance(js, dict):
        if set(py) != set(js):
            return f"{where}: keys {sorted(set(py) ^ set(js))} on one side only"
        for key in py:
            found = difference(py[key], js[key], f"{where}.{key}")
            if found:
                return found
        return None
    elif isinstance(py, list) and isinstance(js, list):
        if len(py) != len(js):
            return f"{where}: {len(py)} items in Python, {len(js)} in the engine"
        for i, (a, b) in enumerate(zip(py, js, strict=True)):
            found = difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    else:
        same = type(py) is type(js) and py == js
    return None if same else f"{where}: Python {py!r}, engine {js!r}"


def _values(answers: dict[str, Any]) -> dict[str, Any]:
    """A record without its times (Python's are the clock's, the engine's a fake clock's)."""
    return {a: {p: [x["value"] for x in xs] for p, xs in parts.items()} for a, parts in answers.items()}


def compare(case: dict[str, Any], py: dict[str, Any], js: dict[str, Any]) -> str | None:
    name = case["name"]
    if "crashed" in js:
        return f"{name}: the engine crashed: {js['crashed']}"
    if case["kind"] == "numbers":
        found = difference(py["values"], js["values"], "values")
        return f"{name}: {found} (for {case['values'][int(found.split('[')[1].split(']')[0])]!r})" if found else None
    found = difference(py["initial"], js["initial"], "initial")
    if found:
        return f"{name}: {found}"
    for n, (p, j) in enumerate(zip(py["steps"], js["steps"], strict=True)):
        message = case["messages"][n] if "messages" in case else case["steps"][n]
        if p["ok"] != j["ok"]:
            refused = "Python" if not p["ok"] else "the engine"
            return f"{name}: step {n} {message!r}: only {refused} refused it ({p.get('error') or j.get('error')})"
        if p["ok"]:
            found = difference(
                {k: v for k, v in p.items() if k != "ok"}, {k: v for k, v in j.items() if k not in ("ok", "reply")}
            )
            if found:
                return f"{name}: step {n} {message!r}: {found}"
            if j.get("reply") is not None and j["sent"] and j["reply"] != j["sent"][-1]:
                return f"{name}: step {n}: the estimate reply is not what was sent"
    for key in ("answers", "score", "restored"):
        if key in py:
            p_value = _values(py[key]) if key == "answers" else py[key]
            j_value = _values(js[key]) if key == "answers" else js[key]
            found = difference(p_value, j_value, key)
            if found:
                return f"{name}: {found}"
    return None


# --- the test --------------------------------------------------------------------------------


@pytest.fixture
def node() -> str:
    path = shutil.which("node")
    if path is None:
        pytest.fail("node is not on PATH: the static site's engine test needs Node 18+ (apt-get install nodejs)")
    return path


@pytest.fixture
def python_side(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # a record file, if any were written, lands here
    monkeypatch.setenv(record_mod.MEMORY_ENV, "memory")  # as the browser: the record in memory
    monkeypatch.setenv(ESTIMATE_ENV, "0")  # no throttle: the browser has no kernel to protect
    monkeypatch.delenv(ATTEMPTS_ENV, raising=False)
    monkeypatch.setattr(zxcvbn, "zxcvbn", fake_zxcvbn)


def _canary(case: dict[str, Any]) -> dict[str, Any]:
    """The same case with one interface string changed on the engine's side only."""
    changed = copy.deepcopy(case)
    changed["name"] += " (canary)"
    changed["ui"]["correct"] = changed["ui"]["correct"] + "!"
    return changed


def _scales_canary(case: dict[str, Any]) -> dict[str, Any]:
    """The same case with the verdict scales of its page data changed on the engine's side only.

    A check form's scale takes another scale's signal answer (the engine then counts and words
    its summary differently); a verdict activity's scale loses its first answer (the engine then
    refuses it)."""
    changed = copy.deepcopy(case)
    changed["name"] += " (scales canary)"
    if changed["kind"] == "check":
        scales, scale = changed["check"]["scales"], changed["check"]["scale"]
        scales["signal"][scale] = next(s for name, s in scales["signal"].items() if name != scale)
    else:
        scales, scale = changed["activity"]["_site"]["scales"], changed["activity"]["scale"]
        scales["answers"][scale] = scales["answers"][scale][1:]
    return changed


def partly_flags(value: Any) -> Iterator[bool]:
    """Every feedback's ``partly`` flag in a state (or a list of step results)."""
    if isinstance(value, dict):
        if isinstance(value.get("feedback"), dict) and "partly" in value["feedback"]:
            yield value["feedback"]["partly"]
        for item in value.values():
            yield from partly_flags(item)
    elif isinstance(value, list):
        for item in value:
            yield from partly_flags(item)


@pytest.mark.timeout(240)
@pytest.mark.parametrize("lang", LANGS)
def test_engine_agrees_with_python(lang: str, node: str, python_side: None) -> None:
    curriculum = load_curriculum()
    cases: list[dict[str, Any]] = []
    expected: list[dict[str, Any]] = []
    types: set[str] = set()
    for lesson_id in curriculum.lessons:
        lesson = Lesson(lesson_id, lang)
        for activity in lesson.lesson.activities:
            types.add(activity.type)
            spec = lesson.show(activity.id).spec
            for messages in sequences(activity, spec):
                case, out = _activity_case(lesson, activity, messages)
                cases.append(case)
                expected.append(out)
            if activity.type == "passphrase_lab":  # the page's estimator lays its result out differently
                case, out = _activity_case(lesson, activity, sequences(activity, spec)[0])
                case["name"] += " (zxcvbn-ts layout)"
                case["estimates"] = {text: ts_layout(raw) for text, raw in FAKE_ESTIMATES.items()}
                case["async_estimator"] = True  # and as a Promise, as the page's lazily loaded estimator
                cases.append(case)
                expected.append(out)
        case, out = _lesson_case(lesson)  # its widgets have had no message yet: an empty record
        cases.append(case)
        expected.append(out)
    forms = 0
    for module_id in curriculum.assessments:
        for form in all_forms(curriculum, module_id):
            forms += 1
            probe = AssessmentWidget(module_id, form.form_id, lang=lang)
            for messages in _check_messages(probe):
                case, out = _check_case(module_id, form.form_id, lang, messages)
                cases.append(case)
                expected.append(out)
    case, out = _numbers_case(lang)
    cases.append(case)
    expected.append(out)
    assert types == set(ACTIVITY_TYPES), "the curriculum should hold every activity type"
    assert forms > 0

    # A partly right answer is in the cases, so the flag is compared both ways.
    flags = set(partly_flags([e for c, e in zip(cases, expected, strict=True) if c["kind"] == "activity"]))
    assert flags == {True, False}, f"the cases should give partly right and other answers, got {flags}"

    # The canaries: a check case answered in full and a verdict case, each with the page data's
    # verdict scales changed in Node only, and a choice case whose first answer is right, with
    # "correct" changed in Node only.
    check_at = next(i for i, c in enumerate(cases) if c["kind"] == "check")
    verdict_at = next(i for i, c in enumerate(cases) if c["kind"] == "activity" and c["activity"]["type"] == "verdict")
    canary_at = next(i for i, c in enumerate(cases) if c["kind"] == "activity" and c["activity"]["type"] == "choice")
    canaries = [_scales_canary(cases[check_at]), _scales_canary(cases[verdict_at]), _canary(cases[canary_at])]
    cases += canaries
    expected += [expected[check_at], expected[verdict_at], expected[canary_at]]

    batch = json.dumps({"engine": str(ENGINE), "cases": cases}, ensure_ascii=False)
    run = subprocess.run([node, str(RUNNER)], input=batch, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads(run.stdout)
    assert len(results) == len(cases)

    n = len(canaries)
    problems = [p for c, e, r in zip(cases[:-n], expected[:-n], results[:-n], strict=True) if (p := compare(c, e, r))]
    assert not problems, f"{len(problems)} of {len(cases) - n} cases differ; first: {problems[:5]}"
    # The comparison sees a change made on one side alone, and the engine scores with the data's scales.
    check_canary, verdict_canary, canary = (
        compare(*trio) for trio in zip(cases[-n:], expected[-n:], results[-n:], strict=True)
    )
    assert check_canary is not None and "crashed" not in check_canary and "summary" in check_canary, check_canary
    assert verdict_canary is not None and "only the engine refused it" in verdict_canary, verdict_canary
    assert canary is not None and "headline" in canary, canary
