"""Log lines a visitor cannot forge or flood: control characters escaped, long values cut.

Why: a message type with a newline and ANSI codes forged a line in the teacher's console,
and a 10 MB value wrote 10 MB to the log. Every record that reaches the server's log
handlers passes :class:`SafeLogFilter`: its message (with its arguments) has control
characters other than newline and tab escaped, each further line indented (so it cannot
pass for a line of its own), and it is cut at ``MAX_CHARS``. Values quoted from a visitor
go through :func:`shown` as well, which also cuts them short and escapes newlines.
"""

from __future__ import annotations

import logging
import re

MAX_CHARS = 4000  # a logged message, a traceback included
SHOWN_CHARS = 60  # a value quoted from a visitor
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}"


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A visitor's value as one short, quoted, escaped piece of a log line."""
    text = value if isinstance(value, str) else repr(value)
    length = len(text)
    text = _ANY_CONTROL.sub(_escape, text[:limit])
    return f"'{text}'" + (f"… ({length} chars)" if length > limit else "")


def safe(message: str, limit: int = MAX_CHARS) -> str:
    """A whole log message made safe (see the module's docstring)."""
    extra = len(message) - limit
    message = _CONTROL.sub(_escape, message[:limit])
    message = message.replace("\n", "\n    ")
    return message + (f" … ({extra} more chars cut)" if extra > 0 else "")


class SafeLogFilter(logging.Filter):
    """Makes each record's message safe once (attach it to the server's log handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "netwise_safe", False):
            try:
                message = record.getMessage()
            except Exception:  # a bad format string: show it as it is
                message = f"{record.msg!r} {record.args!r}"
            record.msg, record.args = safe(message), None
            record.netwise_safe = True
        return True


def install(loggers: list[logging.Logger]) -> None:
    """Put the filter on every handler of these loggers and of the root logger (once each)."""
    for logger in [*loggers, logging.getLogger()]:
        for handler in logger.handlers:
            if not any(isinstance(f, SafeLogFilter) for f in handler.filters):
                handler.addFilter(SafeLogFilter())
