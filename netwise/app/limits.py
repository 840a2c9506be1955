"""The process limits a class of 200 runs into: open files, and ZeroMQ's sockets per context.

Why: with 200 students, 250 page loads failed with ``zmq.error.ZMQError: Too many open
files``. That was ZeroMQ's own socket limit (``MAX_SOCKETS``, 1,023 per context by default),
not the system's: each kernel connection holds four ZeroMQ sockets and each kernel a few
more. The soft open-file limit (often 1,024) comes next. Both are raised as far as the
system allows: the soft limit to the hard one, and the context's socket limit to what those
file descriptors can hold (ZeroMQ's own ceiling permitting). Set before the context makes
its first socket: ZeroMQ reads ``MAX_SOCKETS`` once, then.
"""

from __future__ import annotations

import logging
import resource
from typing import Any

import zmq

log = logging.getLogger(__name__)


def raise_open_files() -> int:
    """Raise the soft open-file limit to the hard limit; returns the soft limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:  # a container may forbid it: keep what there is
            log.warning("could not raise the open-file limit from %d: %s", soft, exc)
    return int(soft)


def raise_zmq_sockets(context: Any, open_files: int) -> int:
    """Let ``context`` open as many sockets as the open files allow; returns its limit."""
    try:
        ceiling = int(context.get(zmq.SOCKET_LIMIT))
    except (zmq.ZMQError, AttributeError):
        ceiling = 65535
    wanted = max(1023, min(ceiling, open_files))
    try:
        context.set(zmq.MAX_SOCKETS, wanted)
    except zmq.ZMQError as exc:
        log.warning("could not raise ZeroMQ's socket limit: %s", exc)
    return int(context.get(zmq.MAX_SOCKETS))
