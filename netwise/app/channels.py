"""The kernel websocket of a lesson page: only its owner, only the widget messages a page sends, within limits.

Why this exists (issue 11):

- **Owner only.** The websocket is refused (before any upgrade) unless the request carries
  the secret the kernel was given to (netwise/app/guard.py).
- **Counted.** With a soft limit of 1,024 open files, 130 websockets made another student's
  page fail and restarted the attacked kernel. Open sockets are counted per kernel and per
  client address (behind ``--trusted-proxy``, the X-Forwarded-For address); one more is refused.
- **Only what a page sends.** Widget models are created by the kernel; the only comm a page
  opens is ``jupyter.widget.control`` (for ``request_states``), once per connection.
  ``comm_open`` of large models grew a kernel from 63 to 177 MB in 2 s. Every incoming message
  is parsed here, never evaluated, and checked: its size, its type, its shape (a comm message
  whose data is a string, null or a list came back with a traceback), and a rate per kernel.
  A refused message is dropped; a connection that keeps sending them is closed.
- **Nothing internal goes out.** ``error`` and ``stream`` messages (tracebacks, warnings with
  installation paths) never reach the page; only what the widgets need does.
- **A page connects without waiting half a second.** jupyter_server holds a new connection
  until the kernel's IOPub reaches it, asking for kernel info every 0.5 s; the first answer
  often went out before the new subscription was in place (ZeroMQ's slow joiner), so about
  every other page waited 0.5 s, and more under load, before the kernel heard its
  ``request_states``. Here the kernel is also asked every 50 ms meanwhile (:data:`POKE_EVERY`).
- **The kernel_info race, fixed at its cause.** jupyter_server's connection sets, reads and
  deletes ``_kernel_info_future`` *on the kernel manager* to mean "a kernel_info request is
  pending", so several websockets opening and closing on one kernel raced into
  ``AttributeError: ... has no attribute '_kernel_info_future'``. Here the pending request
  lives in a table of this module, keyed by kernel manager, and the manager is never touched.
"""

from __future__ import annotations

import asyncio
import json
import time
import weakref
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import tornado.web
from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
)
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection, _ensure_future
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from netwise.app.admission import Admission
from netwise.app.config import ALLOWED_MESSAGE_TYPES, NetwiseConfiguration
from netwise.app.guard import GuardMixin
from netwise.app.logsafe import shown

V1 = "v1.kernel.websocket.jupyter.org"
WIDGET_CONTROL = "jupyter.widget.control"
# What a page's widget manager and anywidget send in a comm_msg (ipywidgets' protocol).
COMM_METHODS = frozenset({"update", "request_state", "request_states", "custom"})
IN_CHANNELS = frozenset({"shell", "control"})
# What a page needs from its kernel; everything else (error, stream, execute_*) stays on the server.
OUT_TYPES = frozenset(
    {
        "status", "comm_open", "comm_msg", "comm_close", "display_data", "update_display_data", "clear_output",
        "kernel_info_reply", "comm_info_reply", "shutdown_reply",
    }
)  # fmt: skip
POKE_EVERY = 0.05  # seconds between kernel_info requests while a new connection waits for IOPub
POKES = 40  # at most (2 s): jupyter_server's own nudge goes on after that
STRIKES = 20  # refused messages before the connection is closed
LOGGED_STRIKES = 3  # refused messages logged per connection (the log is not the attacker's to fill)


@dataclass
class Bucket:
    """A token bucket: ``rate`` per second on average, ``burst`` at once."""

    rate: float
    burst: int
    tokens: float = -1.0
    at: float = field(default_factory=time.monotonic)

    def take(self) -> bool:
        now = time.monotonic()
        if self.tokens < 0:
            self.tokens = float(self.burst)
        self.tokens = min(float(self.burst), self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class SocketCounts:
    """Open kernel websockets per kernel and per client address, and each kernel's message bucket."""

    def __init__(self, conf: NetwiseConfiguration) -> None:
        self.conf = conf
        self.by_kernel: dict[str, set[Any]] = {}
        self.by_address: dict[str, int] = {}
        self.buckets: dict[str, Bucket] = {}

    def take(self, kernel_id: str, address: str, handler: Any) -> bool:
        if len(self.by_kernel.get(kernel_id, ())) >= self.conf.websockets_per_kernel:
            return False
        if self.by_address.get(address, 0) >= self.conf.websockets_per_address:
            return False
        self.by_kernel.setdefault(kernel_id, set()).add(handler)
        self.by_address[address] = self.by_address.get(address, 0) + 1
        return True

    def give_back(self, kernel_id: str, address: str, handler: Any) -> None:
        handlers = self.by_kernel.get(kernel_id)
        if handlers is None or handler not in handlers:
            return
        handlers.discard(handler)
        if not handlers:
            del self.by_kernel[kernel_id]
        left = self.by_address.get(address, 1) - 1
        if left > 0:
            self.by_address[address] = left
        else:
            self.by_address.pop(address, None)

    def bucket(self, kernel_id: str) -> Bucket:
        if kernel_id not in self.buckets:
            self.buckets[kernel_id] = Bucket(self.conf.answer_rate, self.conf.answer_burst)
        return self.buckets[kernel_id]

    def close_kernel(self, kernel_id: str) -> None:
        """The kernel is gone: close its pages' sockets, so they notice now and offer to start again."""
        self.buckets.pop(kernel_id, None)
        for handler in list(self.by_kernel.get(kernel_id, ())):
            handler.close(4004, "kernel gone")


# kernel manager -> the future of its pending (or answered) kernel_info request.
_KERNEL_INFO: weakref.WeakKeyDictionary[Any, Future[Any]] = weakref.WeakKeyDictionary()


_POKING: set[asyncio.Future[None]] = set()


class Refused(Exception):
    """A message the page may not send; the text is for the server log (already made safe)."""


class NetwiseConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel connection, with the checks above (``kernel_websocket_connection_class``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._control_opened = False
        self._strikes = 0

    # --- incoming --------------------------------------------------------------------

    def handle_incoming_message(self, incoming_msg: Any) -> None:
        if not self.channels:
            return
        try:
            answer = self._check(incoming_msg)
        except Refused as why:
            self._refuse(str(why))
            return
        except Exception:  # anything unparsable: refused, never a traceback
            self._refuse("an unreadable message")
            return
        admission: Admission = self.websocket_handler.settings["netwise_admission"]
        admission.heard(self.kernel_id)
        super().handle_incoming_message(incoming_msg)
        on_answer = self.websocket_handler.settings.get("netwise_on_answer")
        if answer and on_answer is not None:
            on_answer(self.kernel_id)  # class mode: the submission's timestamp.txt (netwise/app/class_handlers.py)

    def _check(self, raw: Any) -> bool:
        """Refuse what a page may not send; True for an answer (a widget's update or custom message)."""
        settings = self.websocket_handler.settings
        conf: NetwiseConfiguration = settings["netwise_config"]
        if len(raw) > conf.max_message_bytes:
            raise Refused(f"a message of {len(raw)} bytes")
        if self.subprotocol == V1:
            if not isinstance(raw, bytes):
                raise Refused("a text frame on a binary protocol")
            channel, parts = deserialize_msg_from_ws_v1(raw)
            if len(parts) < 4:
                raise Refused("an incomplete message")
            header, content = json.loads(parts[0]), json.loads(parts[3])
        else:
            msg = deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)
            if not isinstance(msg, dict):
                raise Refused("a message that is not an object")
            channel, header, content = msg.get("channel"), msg.get("header"), msg.get("content")
        if channel not in IN_CHANNELS:
            raise Refused(f"a message on channel {shown(channel)}")
        if not isinstance(header, dict) or not isinstance(content, dict):
            raise Refused("a message without a header and content")
        msg_type = header.get("msg_type")
        if msg_type not in ALLOWED_MESSAGE_TYPES:
            raise Refused(f"a message of type {shown(msg_type)}")
        comm_id = content.get("comm_id")
        if msg_type.startswith("comm_") and msg_type != "comm_info_request":
            if not isinstance(comm_id, str) or not 0 < len(comm_id) <= 64:
                raise Refused(f"a {msg_type} without a proper comm id")
            if not isinstance(content.get("data", {}), dict):
                raise Refused(f"a {msg_type} whose data is not an object")
        if msg_type == "comm_open":
            target = content.get("target_name")
            if target != WIDGET_CONTROL:
                raise Refused(f"comm_open of target {shown(target)}")
            if self._control_opened:
                raise Refused("a second comm_open")
            self._control_opened = True
        elif msg_type == "comm_msg":
            data = content.get("data", {})
            if data.get("method") not in COMM_METHODS:
                raise Refused(f"a comm_msg of method {shown(data.get('method'))}")
        counts: SocketCounts = settings["netwise_sockets"]
        if not counts.bucket(self.kernel_id).take():
            raise Refused("a message over the rate limit")
        return msg_type == "comm_msg" and content.get("data", {}).get("method") in ("update", "custom")

    def _refuse(self, why: str) -> None:
        self._strikes += 1
        if self._strikes <= LOGGED_STRIKES:
            self.log.warning("kernel %s: refused %s from its page", self.kernel_id, why)
        if self._strikes >= STRIKES:
            self.log.warning("kernel %s: closing a connection that kept sending refused messages", self.kernel_id)
            self.websocket_handler.close(1008, "refused messages")

    # --- outgoing --------------------------------------------------------------------

    def handle_outgoing_message(self, stream: Any, outgoing_msg: list[Any]) -> None:
        try:
            _, parts = self.session.feed_identities(outgoing_msg)
            msg_type = self.session.unpack(parts[1])["msg_type"]
        except Exception:
            self.log.warning("kernel %s: dropped an unreadable message to its page", self.kernel_id)
            return
        if msg_type not in OUT_TYPES:
            self.log.debug("kernel %s: kept a %s message from its page", self.kernel_id, shown(msg_type))
            return
        super().handle_outgoing_message(stream, outgoing_msg)

    # --- connecting ------------------------------------------------------------------

    def nudge(self) -> Any:
        """jupyter_server's nudge (until the kernel's IOPub reaches this connection), poked every 50 ms."""
        connected = super().nudge()
        if not connected.done():  # not a busy kernel (jupyter_server does not nudge those)
            task = asyncio.ensure_future(self._poke(connected))
            _POKING.add(task)  # held until done: the loop keeps only a weak reference
            task.add_done_callback(_POKING.discard)
        return connected

    async def _poke(self, connected: asyncio.Future[None]) -> None:
        # Any IOPub message resolves the nudge; a kernel_info request makes the kernel publish
        # its status. Replies come back on a channel of our own, which nobody reads.
        shell = self.kernel_manager.connect_shell()
        try:
            for _ in range(POKES):
                await asyncio.sleep(POKE_EVERY)
                if connected.done() or shell.closed():
                    return
                self.session.send(shell, "kernel_info_request")
        finally:
            if not shell.closed():
                shell.close()

    # --- the kernel_info request -----------------------------------------------------

    def request_kernel_info(self) -> Any:
        """One kernel_info request per kernel, shared by its connections (see the module's docstring)."""
        shared = _KERNEL_INFO.get(self.kernel_manager)
        if shared is None:
            self.log.debug("Requesting kernel info from %s", self.kernel_id)
            if self.kernel_info_channel is None:
                self.kernel_info_channel = self.multi_kernel_manager.connect_shell(self.kernel_id)
            self.kernel_info_channel.on_recv(self._handle_kernel_info_reply)
            self.session.send(self.kernel_info_channel, "kernel_info_request")
            _KERNEL_INFO[self.kernel_manager] = self._kernel_info_future
        elif shared is not self._kernel_info_future:
            shared.add_done_callback(lambda f: self._finish_kernel_info(f.result()))
        return _ensure_future(self._kernel_info_future)

    # jupyter_server's own disconnect() is not async either, whatever its base class says.
    def disconnect(self) -> None:  # type: ignore[override]
        # Closing before the reply came: let the next connection ask again (and anyone waiting go on).
        if _KERNEL_INFO.get(self.kernel_manager) is self._kernel_info_future and not self._kernel_info_future.done():
            del _KERNEL_INFO[self.kernel_manager]
            self._kernel_info_future.set_result({})
        super().disconnect()

    def on_kernel_restarted(self) -> None:
        _KERNEL_INFO.pop(self.kernel_manager, None)
        super().on_kernel_restarted()


class OwnedKernelWebsocketHandler(GuardMixin, VoilaKernelWebsocketHandler):
    """``/api/kernels/<id>/channels``: the page's own kernel only, within the socket limits."""

    _counted: tuple[str, str] | None = None

    async def get(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self.refuse_unless_owner(kernel_id)
        if self.request.headers.get("Upgrade", "").lower() != "websocket":
            raise tornado.web.HTTPError(400)  # before any kernel connection is made for it
        counts: SocketCounts = self.settings["netwise_sockets"]
        address = self.client
        if not counts.take(kernel_id, address, self):
            self.log.warning("kernel %s: refused a websocket over the limit", kernel_id)
            raise tornado.web.HTTPError(429)
        self._counted = (kernel_id, address)
        try:
            await super().get(kernel_id, *args, **kwargs)
        except BaseException:
            self._give_back()
            raise
        if self.ws_connection is None:  # not upgraded (a plain GET, a bad handshake)
            self._give_back()

    async def open(self, kernel_id: str) -> None:
        self.admission.opened(kernel_id)
        await super().open(kernel_id)

    def on_close(self) -> None:
        self._give_back()
        if getattr(self, "connection", None) is not None:
            super().on_close()

    def on_connection_close(self) -> None:
        self._give_back()
        super().on_connection_close()

    def _give_back(self) -> None:
        if self._counted is not None:
            kernel_id, address = self._counted
            self._counted = None
            counts: SocketCounts = self.settings["netwise_sockets"]
            counts.give_back(kernel_id, address, self)
