"""Passphrase lab: type a password, see how long guessing it would take, and why.

Privacy is the point of this widget. What the learner types reaches Python only inside
an ``estimate`` custom message (never a synced trait, so it is not in the notebook's
saved widget state), is estimated, and dropped. The reply goes back as a custom message
too. The record, ``state`` and every log line hold at most the 0-4 strength score.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Any

from babel.dates import format_timedelta

from netwise import scoring
from netwise.content.model import PassphraseLabActivity

from .base import SingleAnswerWidget

MAX_LENGTH = 100  # the estimator's cost grows with length; longer is strong anyway
# Estimates a page may ask for: on average one per interval (the lesson app sets it, see
# netwise.app.config.ESTIMATE_ENV), a few at once. Typing is estimated in 300 ms pauses, so a
# learner never meets the limit; a script asking without pause gets "throttled" replies.
ESTIMATE_ENV = "NETWISE_ESTIMATE_INTERVAL"
ESTIMATE_BURST = 5


def estimate_interval() -> float:
    try:
        return max(0.0, float(os.environ.get(ESTIMATE_ENV, "0.2")))
    except ValueError:
        return 0.2


_CENTURY = 100 * 365.25 * 24 * 3600
# Which crack time to show: a stolen, well-protected password list (zxcvbn's usual display).
_SCENARIO = "offline_slow_hashing_1e4_per_second"

# The estimator's dictionaries are English: without help it rates "toiyeuvietnam" strong.
# Common Vietnamese name parts and phrases (unaccented, as typed in passwords) are passed as
# extra words to penalise, like the estimator's own name lists.
LOCAL_WORDS: tuple[str, ...] = (
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
    "duong", "ly", "van", "thi", "anh", "minh", "linh", "ngoc", "huong", "trang", "thao", "hoa", "mai", "lan",
    "hung", "tuan", "nam", "long", "duc", "thanh", "hai", "phuong", "quang", "khanh", "huy", "bao", "an",
    "vietnam", "hanoi", "saigon", "danang", "toiyeuvietnam", "anhyeuem", "emyeuanh", "yeuem", "matkhau",
)  # fmt: skip

# The estimator's English feedback, mapped to interface strings translators can reach.
# A text not listed here (a newer estimator version) is left out rather than shown in English.
ESTIMATOR_TEXT: dict[str, str] = {
    "This is a top-10 common password.": "zx_top10",
    "This is a top-100 common password.": "zx_top100",
    "This is a very common password.": "zx_very_common",
    "This is similar to a commonly used password.": "zx_similar_common",
    "A word by itself is easy to guess.": "zx_word_alone",
    "Names and surnames by themselves are easy to guess.": "zx_names_alone",
    "Common names and surnames are easy to guess.": "zx_names",
    "Straight rows of keys are easy to guess.": "zx_rows",
    "Short keyboard patterns are easy to guess.": "zx_keyboard",
    'Repeats like "aaa" are easy to guess.': "zx_repeat_char",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "zx_repeat_word",
    'Sequences like "abc" or "6543" are easy to guess.': "zx_sequence",
    "Recent years are easy to guess.": "zx_recent_years",
    "Dates are often easy to guess.": "zx_dates",
    "Use a few words, avoid common phrases.": "zx_few_words",
    "No need for symbols, digits, or uppercase letters.": "zx_no_symbols",
    "Add another word or two. Uncommon words are better.": "zx_add_word",
    "Use a longer keyboard pattern with more turns.": "zx_longer_keyboard",
    "Avoid repeated words and characters.": "zx_avoid_repeats",
    "Avoid sequences.": "zx_avoid_sequences",
    "Avoid recent years.": "zx_avoid_recent_years",
    "Avoid years that are associated with you.": "zx_avoid_your_years",
    "Avoid dates and years that are associated with you.": "zx_avoid_dates",
    "Capitalization doesn't help very much.": "zx_capitals",
    "All-uppercase is almost as easy to guess as all-lowercase.": "zx_all_upper",
    "Reversed words aren't much harder to guess.": "zx_reversed",
    "Predictable substitutions like '@' instead of 'a' don't help very much.": "zx_substitutions",
}


def guess_time(seconds: float, ui: dict[str, str], lang: str) -> str:
    """A crack time in words of the lesson language (CLDR units via Babel)."""
    if seconds < 1:
        return ui["time_instant"]
    if seconds >= _CENTURY:
        return ui["time_centuries"]
    try:
        return format_timedelta(timedelta(seconds=seconds), threshold=1, locale=lang)
    except (ValueError, LookupError):  # a language Babel does not know: English units
        return format_timedelta(timedelta(seconds=seconds), threshold=1, locale="en")


class PassphraseWidget(SingleAnswerWidget):
    """Python API: ``try_text(text)`` (shows an estimate), then ``check()`` (records only the result)."""

    activity_type = "passphrase_lab"
    activity: PassphraseLabActivity

    def _restore(self) -> None:
        # The last estimate, never the text it came from.
        self._estimate: dict[str, Any] | None = None
        self._allowance = float(ESTIMATE_BURST)  # estimates that may be made now (a token bucket)
        self._allowance_at = time.monotonic()

    def _may_estimate(self) -> bool:
        interval = estimate_interval()
        now = time.monotonic()
        if interval > 0:
            self._allowance = min(ESTIMATE_BURST, self._allowance + (now - self._allowance_at) / interval)
        else:
            self._allowance = ESTIMATE_BURST
        self._allowance_at = now
        if self._allowance < 1:
            return False
        self._allowance -= 1
        return True

    def _spec(self) -> dict[str, Any]:
        goal = self.activity.goal_score
        return {
            "goal_score": goal,
            "goal": self.ui["pass_goal"].format(level=self.ui[f"strength_{goal}"]),
            "tips": list(self.activity.tips),
            "max_length": MAX_LENGTH,
        }

    # --- Python API ---------------------------------------------------------------------

    def try_text(self, text: str) -> dict[str, Any] | None:
        """Estimate ``text`` as typing it in the page would; returns the estimate shown."""
        self.handle({"action": "estimate", "text": text, "seq": 0})
        return self.last_estimate

    def check(self) -> None:
        self.handle({"action": "check"})

    @property
    def last_estimate(self) -> dict[str, Any] | None:
        return dict(self._estimate) if self._estimate is not None else None

    # --- handler ------------------------------------------------------------------------

    def handle(self, message: dict[str, Any]) -> None:
        # Errors must never quote the message: it may hold what the learner typed, and the
        # base class logs a bad message's error text.
        if not isinstance(message, dict) or not isinstance(message.get("action"), str):
            raise ValueError("not a NetWise widget message")
        super().handle(message)

    def estimate(self, text: str) -> dict[str, Any] | None:
        """Strength, crack time and reasons for ``text``, in the lesson language; keeps nothing of it."""
        if not text:
            return None
        try:
            # Imported here: its word lists cost ~13 MiB in every kernel that never shows this lab.
            from zxcvbn import zxcvbn

            result = zxcvbn(text[:MAX_LENGTH], user_inputs=list(LOCAL_WORDS), max_length=MAX_LENGTH)
        except Exception:  # any failure: its error text could quote the password, so none is passed on
            raise ValueError("the estimator could not rate this text") from None
        score = int(result["score"])
        seconds = float(result["crack_times_seconds"][_SCENARIO])
        feedback = result["feedback"]
        local = any(m.get("dictionary_name") == "user_inputs" for m in result["sequence"])
        del result  # it holds the text and its pieces ("password", "sequence")
        warning = ESTIMATOR_TEXT.get(feedback.get("warning") or "")
        if warning is None and local and score <= 2:  # the estimator has no words for these
            warning = "zx_local_words"
        suggestions = [ESTIMATOR_TEXT.get(s) for s in feedback.get("suggestions") or []]
        level = self.ui[f"strength_{score}"]
        return {
            "score": score,
            "level": level,
            "strength": self.ui["pass_strength"].format(level=level),
            "time": self.ui["pass_time"].format(time=guess_time(seconds, self.ui, self.lang)),
            "warning": self.ui[warning] if warning else None,
            "suggestions": [self.ui[key] for key in suggestions if key],
            "reached": score >= self.activity.goal_score,
        }

    def _act(self, action: str, message: dict[str, Any]) -> None:
        if action == "estimate":
            text = message.pop("text", None)  # taken out, so no caller keeps the message with it
            if not isinstance(text, str):
                raise ValueError("estimate needs the text as a string")
            seq, view = message.get("seq"), message.get("view")
            throttled = not self._may_estimate()
            # Throttled: no estimate, so a check right after it is not recorded on an old one.
            self._estimate = None if throttled else self.estimate(text)
            del text  # nothing of what was typed outlives this call
            # The reply is a custom message, not state: it is not saved with the notebook. Every
            # view of this widget receives it; ``view`` lets only the one that asked show it.
            self.send(
                {
                    "kind": "estimate",
                    "view": view if isinstance(view, str) else None,
                    "seq": seq if isinstance(seq, int) else 0,
                    "estimate": self._estimate,
                    **({"throttled": True} if throttled else {}),
                }
            )
        elif action == "check":
            if self._locked(self._results()):
                return  # the goal is reached (or no tries left): trying more is still fine
            if self._estimate is None:
                self._notice = self.ui["pass_empty"]
                self._say(self._notice)
                return
            self._save("_", {"reached": bool(self._estimate["reached"]), "score": int(self._estimate["score"])})
            self._say(self._text(self._feedback(self._results())))
        else:
            raise ValueError(f"unknown action {action!r} for a passphrase lab")

    def _feedback(self, results: list[scoring.Result]) -> dict[str, Any] | None:
        if not results:
            return None
        last = results[-1]
        score = last.details["score"]
        goal = self.ui[f"strength_{self.activity.goal_score}"]
        level = self.ui[f"strength_{score}"] if score is not None else None
        if last.correct:
            headline = self.ui["pass_reached"].format(level=level or goal)
        else:
            headline = self.ui["pass_not_reached"].format(level=level or self.ui["strength_0"], goal=goal)
        locked = self._locked(results)
        return {
            "headline": headline,
            "correct": last.correct,
            "partly": False,  # a goal strength is reached or not
            "explanation": self.activity.explanation,
            "attempts_line": self._attempts_line(len(results), locked, last.correct),
        }

    def _text(self, feedback: dict[str, Any] | None) -> str:
        if feedback is None:
            return ""
        return "\n".join(x for x in (feedback["headline"], feedback["explanation"], feedback["attempts_line"]) if x)
