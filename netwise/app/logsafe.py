"""Log lines a visitor cannot forge or flood: control characters escaped, long values cut.

Why: a message type with a newline and ANSI codes forged a line in the teacher's console,
and a 10 MB value wrote 10 MB to the log. Every record that reaches the server's log
handlers passes :class:`SafeLogFilter`: its message (with its arguments) has control
characters other than newline and tab escaped, each further line indented (so it cannot
pass for a line of its own), and it is cut at ``MAX_CHARS``. Values quoted from a visitor
go through :func:`shown` as well, which also cuts them short and escapes newlines.

Quiet, honest logs (issue 13): :class:`QuietLogFilter` drops what would only frighten a
teacher and lowers what is routine. The served notebooks are copies that ``serve`` builds
into its own folder and Voilà executes afresh; jupyter_server's "Notebook … is not trusted"
warning about them says nothing useful (the committed notebooks stay unsigned: a
per-machine signature in them would break deterministic builds), and a kernel culled by
jupyter_server's idle rule is routine, so it is logged at info like the admission's culling.
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


# jupyter_server's format strings (services/contents/manager.py, services/kernels/kernelmanager.py).
UNTRUSTED = "Notebook %s is not trusted"
CULLING = ("Culling '%s' kernel ", "Culling '%s' dead kernel ")


class QuietLogFilter(logging.Filter):
    """Drops the "not trusted" warning about served copies and logs jupyter_server's culling at info."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not isinstance(record.msg, str) or getattr(record, "netwise_safe", False):
            return True
        if record.msg == UNTRUSTED:
            return False
        if record.msg.startswith(CULLING) and record.levelno > logging.INFO:
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True


def install(loggers: list[logging.Logger]) -> None:
    """Put the filters on every handler of these loggers and of the root logger (once each).

    The quiet filter goes first: it reads jupyter_server's format string, which the safe
    filter replaces with the finished message.
    """
    for logger in [*loggers, logging.getLogger()]:
        for handler in logger.handlers:
            if not any(isinstance(f, QuietLogFilter) for f in handler.filters):
                handler.filters.insert(0, QuietLogFilter())
            if not any(isinstance(f, SafeLogFilter) for f in handler.filters):
                handler.addFilter(SafeLogFilter())
