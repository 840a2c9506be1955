"""Quiet, honest logs (issue 13): jupyter_server's frightening lines about served pages.

"Notebook … is not trusted" about the copies `serve` builds is dropped, and culling by
jupyter_server's idle rule is logged at info; everything else passes unchanged (and made safe).
"""

from __future__ import annotations

import io
import logging

from netwise.app import logsafe


def capture() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger(f"test-quiet-{id(stream)}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    logsafe.install([logger])
    logsafe.install([logger])  # twice: still one filter of each kind
    assert [type(f) for f in handler.filters] == [logsafe.QuietLogFilter, logsafe.SafeLogFilter]
    return logger, stream


def test_untrusted_served_notebook_is_not_logged() -> None:
    logger, stream = capture()
    logger.warning("Notebook %s is not trusted", "en/scams/02-scams-real-or-scam.ipynb")
    logger.warning("Notebook %s is trusted", "x.ipynb")  # not the same line: it passes
    assert stream.getvalue() == "WARNING Notebook x.ipynb is trusted\n"


def test_culling_is_logged_at_info() -> None:
    logger, stream = capture()
    logger.warning(
        "Culling '%s' kernel '%s' (%s) with %d connections due to %s seconds of inactivity.",
        "idle",
        "k1",
        "python3",
        0,
        61,
    )
    logger.warning("Culling '%s' dead kernel '%s' (%s).", "idle", "k2", "python3")
    logger.warning("Kernel %s died, removing from map.", "k3")  # a real warning stays one
    assert stream.getvalue().splitlines() == [
        "INFO Culling 'idle' kernel 'k1' (python3) with 0 connections due to 61 seconds of inactivity.",
        "INFO Culling 'idle' dead kernel 'k2' (python3).",
        "WARNING Kernel k3 died, removing from map.",
    ]


def test_visitor_text_is_still_made_safe() -> None:
    logger, stream = capture()
    logger.warning("bad type %s", "x\n[NetwiseVoila] forged")
    assert stream.getvalue() == "WARNING bad type x\n    [NetwiseVoila] forged\n"
