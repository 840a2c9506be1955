"""Fair admission: the class-size cap counted exactly, kernels bound to a browser, and which to shut down.

Why this exists:

- The cap raced. Kernels were counted after they were registered, so thirty simultaneous
  arrivals against a cap of ten all passed. Here a page *reserves* its seat synchronously
  (one step of the event loop, so nothing can interleave) before any kernel starts, and
  the seat becomes the kernel's when the kernel is handed to the page.
- A kernel id is not a password. Each seat holds the digest of a secret the browser got in
  an HttpOnly, SameSite=Strict cookie with the page (netwise/app/guard.py); every route tied
  to a kernel asks :meth:`Admission.owns`.
- One student could keep the class full: an open websocket was never culled, and a bare GET
  held a seat for two minutes. Here a kernel whose page never connected goes after
  ``cull_idle_timeout`` (60 s); a kernel whose page has been silent for
  ``silent_cull_after`` (10 min) goes when its page has gone, or while the class is full and
  someone is waiting. A discussion pause or a locked phone never costs a student their
  answers before that.

Pooled (preheated) kernels belong to no one and are never culled or counted.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from jupyter_client.session import Session
from jupyter_core.utils import ensure_async

from netwise.app.config import NetwiseConfiguration


def digest(secret: str) -> str:
    """What the server keeps of a browser's secret: never the secret itself."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass
class Ticket:
    """A reserved seat, until the page's kernel takes it (or the page fails and gives it back)."""

    owner: str  # digest of the browser's secret
    kernel_id: str | None = None
    released: bool = False


@dataclass
class Seat:
    owner: str
    since: float
    heard: float  # the last message from the page (or when the seat was taken)
    opened: bool = False  # the page connected at least once


# The ticket of the page being rendered in this task: the kernel manager gives the page's
# kernel to it (see AdmittingKernelManager). Pool refills run in tasks of their own and never
# call the methods that read it.
_STOPPING: set[asyncio.Future[None]] = set()

PAGE_TICKET: contextvars.ContextVar[Ticket | None] = contextvars.ContextVar("netwise_page_ticket", default=None)


@dataclass
class KernelHome:
    """Where a class page's kernel runs (the student's submission folder), and the kernel, once started."""

    cwd: str
    kernel_id: str | None = None
    on_start: Callable[[str], None] | None = None  # told the kernel id as soon as the kernel exists


# Class mode (netwise/app/classroom.py): the page being rendered in this task starts its kernel in
# the student's submission folder, so the kernel's answer records land there. Set by the class
# page's handler, read by the kernel manager's cwd_for_path; fixed when the kernel starts.
KERNEL_HOME: contextvars.ContextVar[KernelHome | None] = contextvars.ContextVar("netwise_kernel_home", default=None)


@dataclass
class Admission:
    """The seats of the class: reserved, taken (kernel id -> seat), and the culling rules."""

    conf: NetwiseConfiguration
    clock: Callable[[], float] = time.monotonic
    seats: dict[str, Seat] = field(default_factory=dict)
    reserved: int = 0
    # Called with a kernel id to shut it down (set by the kernel manager).
    evict: Callable[[str], None] | None = None
    # Called with a kernel id once it is gone (e.g. to close its websockets).
    on_gone: list[Callable[[str], None]] = field(default_factory=list)
    # Open websockets of a kernel (set by the kernel manager).
    connections: Callable[[str], int] = lambda _kernel_id: 0

    @property
    def students(self) -> int:
        return len(self.seats) + self.reserved

    def reserve(self, owner: str) -> Ticket | None:
        """A seat for a new page, or None when the class is full (after freeing what may be freed)."""
        if self.students >= self.conf.max_students:
            victim = self._longest_silent()
            if victim is None:
                return None
            self.drop(victim, why="a new student is waiting")
        self.reserved += 1
        return Ticket(owner)

    def release(self, ticket: Ticket) -> None:
        """The page failed before its kernel took the seat: give it back (once)."""
        if ticket.kernel_id is None and not ticket.released:
            ticket.released = True
            self.reserved -= 1

    def assign(self, ticket: Ticket, kernel_id: str) -> None:
        """The page's kernel takes the reserved seat; a ticket binds one kernel only."""
        if ticket.kernel_id is not None or ticket.released:
            return
        ticket.kernel_id = kernel_id
        self.reserved -= 1
        now = self.clock()
        self.seats[kernel_id] = Seat(owner=ticket.owner, since=now, heard=now)

    def owns(self, kernel_id: str, secret: str | None) -> bool:
        seat = self.seats.get(kernel_id)
        if seat is None or not secret:
            return False
        return hmac.compare_digest(seat.owner, digest(secret))

    def opened(self, kernel_id: str) -> None:
        seat = self.seats.get(kernel_id)
        if seat is not None:
            seat.opened = True
            seat.heard = self.clock()

    def heard(self, kernel_id: str) -> None:
        seat = self.seats.get(kernel_id)
        if seat is not None:
            seat.heard = self.clock()

    def gone(self, kernel_id: str) -> None:
        """The kernel is shut down: its seat is free, and whoever watches is told."""
        if self.seats.pop(kernel_id, None) is not None:
            for hook in self.on_gone:
                hook(kernel_id)

    def drop(self, kernel_id: str, why: str) -> None:
        """Free the seat now and have the kernel shut down."""
        self.gone(kernel_id)
        if self.evict is not None:
            self.evict(kernel_id)

    # --- culling --------------------------------------------------------------------

    def should_cull(self, kernel_id: str, connections: int) -> str | None:
        """Why this kernel should go now, or None. Unowned (pooled, starting) kernels never go."""
        seat = self.seats.get(kernel_id)
        if seat is None:
            return None
        now = self.clock()
        if not seat.opened and connections == 0:
            if now - seat.since > self.conf.cull_idle_timeout:
                return f"its page never connected in {self.conf.cull_idle_timeout} s"
            return None
        silent = now - seat.heard
        if silent <= self.conf.silent_cull_after:
            return None
        if connections == 0:
            return f"its page has gone and was silent for {int(silent)} s"
        if self.students >= self.conf.max_students:
            return f"the class is full and its page was silent for {int(silent)} s"
        return None

    def _longest_silent(self) -> str | None:
        """The seat to free for a waiting student: one past a culling rule, the longest silent first."""
        candidates = [
            (seat.heard, kernel_id)
            for kernel_id, seat in self.seats.items()
            if self.should_cull(kernel_id, self.connections(kernel_id)) is not None
        ]
        return min(candidates)[1] if candidates else None


def _now() -> datetime:
    return datetime.now(UTC)  # as jupyter_server's utcnow


class AdmittingKernelManager:
    """Mixin for the app's multi-kernel manager: seats for pages' kernels, and culling by :class:`Admission`.

    Placed before Voilà's manager in the MRO: a page's kernel, started for it
    (``start_kernel``) or taken from the pool (``get_rendered_notebook``), takes the
    ticket of the page being rendered. Pool kernels are started through Voilà's
    ``super().start_kernel``, which does not pass here.
    """

    admission: Admission | None = None  # set by the app (netwise/app/server.py)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id: str = await super().start_kernel(*args, **kwargs)  # type: ignore[misc]
        self._seat(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        result = await super().get_rendered_notebook(*args, **kwargs)  # type: ignore[misc]
        self._seat(result[2])  # (render task, rendered cells, kernel id)
        return result

    def cwd_for_path(self, path: str, **kwargs: Any) -> str:
        home = KERNEL_HOME.get()
        if home is not None:
            return home.cwd
        return str(super().cwd_for_path(path, **kwargs))  # type: ignore[misc]

    def _seat(self, kernel_id: str) -> None:
        home = KERNEL_HOME.get()
        if home is not None:
            home.kernel_id = kernel_id
            if home.on_start is not None:
                home.on_start(kernel_id)
        ticket = PAGE_TICKET.get()
        if ticket is None or self.admission is None:
            return
        self.admission.assign(ticket, kernel_id)
        # A kernel restarted after a crash has none of the page's widgets: the page would go on
        # without feedback. It is shut down instead, and its page offers to start again.
        self.add_restart_callback(kernel_id, lambda: self._lost(kernel_id), "restart")  # type: ignore[attr-defined]

    def _lost(self, kernel_id: str) -> None:
        self.log.warning("kernel %s died; its page is told to start again", kernel_id)  # type: ignore[attr-defined]
        if self.admission is not None:
            self.admission.drop(kernel_id, why="it died")

    def evict(self, kernel_id: str) -> None:
        """Shut a kernel down in the background (its seat is already free)."""

        async def shutdown() -> None:
            if kernel_id in self.list_kernel_ids():  # type: ignore[attr-defined]
                try:
                    await ensure_async(self.shutdown_kernel(kernel_id))
                except Exception:  # already gone, or failing to stop: nothing a visitor can use
                    self.log.warning("kernel %s could not be shut down", kernel_id)  # type: ignore[attr-defined]

        task = asyncio.ensure_future(shutdown())
        _STOPPING.add(task)  # held until done: the loop keeps only a weak reference
        task.add_done_callback(_STOPPING.discard)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[misc]
        finally:
            if self.admission is not None:
                self.admission.gone(kernel_id)

    def start_watching_activity(self, kernel_id: str) -> None:
        """jupyter_server's activity watcher, reading only what it uses of each IOPub message.

        jupyter_server deserializes every message a kernel publishes, parsing its dates (and
        a status message twice): about a tenth of the server's work for a page rendered on
        request, whose kernel publishes some hundred messages while Voilà executes it. Here
        each message's signature is checked, its and its parent's types read, and a status
        message's content; last activity and execution state follow jupyter_server's rules.
        """
        kernel = self._kernels[kernel_id]  # type: ignore[attr-defined]
        kernel.reason = ""
        kernel.last_activity = _now()
        kernel._activity_stream = kernel.connect_iopub()
        session = Session(config=kernel.session.config, key=kernel.session.key)
        track: Callable[[Any], bool] = self.track_message_type  # type: ignore[attr-defined]

        def record_activity(msg_list: list[bytes]) -> None:
            _idents, fed = session.feed_identities(msg_list)
            parts = cast(list[bytes], fed)  # ZMQStream.on_recv hands over bytes
            if len(parts) < 5 or (
                session.auth is not None and not hmac.compare_digest(parts[0], session.sign(parts[1:5]))
            ):
                return  # not a message of this kernel's
            msg_type = json.loads(parts[1]).get("msg_type")
            parent_type = (json.loads(parts[2]) or {}).get("msg_type")
            if track(msg_type) or track(parent_type) or kernel.execution_state == "busy":
                self.last_kernel_activity = kernel.last_activity = _now()
            if msg_type == "status":
                state = json.loads(parts[4]).get("execution_state")
                if track(parent_type):
                    kernel.execution_state = state
                elif kernel.execution_state == "starting" and state != "starting":
                    kernel.execution_state = "idle"  # as jupyter_server normalizes it

        kernel._activity_stream.on_recv(record_activity)

    def connections(self, kernel_id: str) -> int:
        return int(self._kernel_connections.get(kernel_id, 0))  # type: ignore[attr-defined]

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """jupyter_server's culler asks for each kernel every ``cull_interval``: the admission rules answer.

        A student's kernel follows :meth:`Admission.should_cull`; any other kernel (pooled ones
        are protected by Voilà) follows jupyter_server's idle rule, dead kernels included.
        """
        if self.admission is None or kernel_id not in self.admission.seats:
            await super().cull_kernel_if_idle(kernel_id)  # type: ignore[misc]
            return
        kernel = self.get_kernel(kernel_id)  # type: ignore[attr-defined]
        dead = getattr(kernel, "execution_state", None) == "dead"
        why = "it died" if dead else self.admission.should_cull(kernel_id, self.connections(kernel_id))
        if why is not None:
            self.log.info("culling kernel %s: %s", kernel_id, why)  # type: ignore[attr-defined]
            self.admission.gone(kernel_id)
            await ensure_async(self.shutdown_kernel(kernel_id))
