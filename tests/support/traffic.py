"""What a page load moves and when it is usable, through Chromium's DevTools protocol (CDP).

:class:`Traffic` records every HTTP response of a page (URL, status, headers, CDP's
``encodedDataLength``: the bytes on the wire, compressed, headers included) and every
websocket (handshake headers, frame payload bytes as CDP reports them: uncompressed).
:func:`throttle` applies a profile (CPU slowdown, round trip, bandwidth).
:data:`PAGE_CLOCK` is an init script that notes, by the page's own clock, the first
readable lesson text, the moment the activities are usable, long tasks and layout shifts.
Used by tests/browser/test_lean_page.py and benchmarks/phone_load.py.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

# Text responses: each should be compressed.
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/x-javascript", "image/svg+xml")
# Below this tornado does not compress (a gzip header would cost more than it saves).
SMALL = 1024


@dataclass(frozen=True)
class Profile:
    name: str
    cpu: float = 1.0  # Emulation.setCPUThrottlingRate
    latency_ms: float = 0.0  # round trip added by Network.emulateNetworkConditions
    down_bps: float = -1.0  # bits per second, -1: not limited
    up_bps: float = -1.0


PROFILES = {
    "none": Profile("none"),
    "cpu4": Profile("cpu4", cpu=4.0),
    "phone": Profile("phone", cpu=4.0, latency_ms=150.0, down_bps=1.6e6, up_bps=750e3),
}


def throttle(cdp: Any, profile: Profile) -> None:
    """Apply ``profile`` to the page behind the CDP session ``cdp`` (before it navigates)."""
    cdp.send("Network.enable")
    if profile.cpu != 1.0:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile.cpu})
    if profile.latency_ms or profile.down_bps > 0 or profile.up_bps > 0:
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": profile.latency_ms,
                "downloadThroughput": profile.down_bps / 8 if profile.down_bps > 0 else -1,
                "uploadThroughput": profile.up_bps / 8 if profile.up_bps > 0 else -1,
            },
        )


@dataclass
class Response:
    url: str
    status: int
    mime: str
    headers: dict[str, str]
    encoded: int = 0  # bytes on the wire (CDP encodedDataLength at loadingFinished)
    decoded: int = 0  # body bytes after decompression (sum of dataReceived dataLength)
    finished: bool = False

    @property
    def encoding(self) -> str:
        return self.headers.get("content-encoding", "")

    @property
    def is_text(self) -> bool:
        return self.mime.startswith(TEXT_TYPES)


@dataclass
class Socket:
    url: str
    extensions: str = ""
    sent: int = 0
    received: int = 0
    frames: list[tuple[str, int, str]] = field(default_factory=list)  # (direction, bytes, first 200 chars)


def _payload_bytes(frame: dict[str, Any]) -> tuple[int, str]:
    data = frame.get("payloadData", "")
    if frame.get("opcode") == 2:  # binary frames come base64-encoded
        raw = base64.b64decode(data)
        return len(raw), raw[:400].decode("utf-8", "replace")
    return len(data.encode("utf-8")), data[:400]


class Traffic:
    """Every response and websocket of the page behind ``cdp`` (call before navigating)."""

    def __init__(self, cdp: Any) -> None:
        self.requests: dict[str, str] = {}  # request id -> url
        self.responses: dict[str, Response] = {}
        self.sockets: dict[str, Socket] = {}
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketCreated", self._socket)
        cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)
        cdp.on("Network.webSocketFrameSent", lambda e: self._frame(e, "sent"))
        cdp.on("Network.webSocketFrameReceived", lambda e: self._frame(e, "received"))

    def _request(self, event: dict[str, Any]) -> None:
        self.requests[event["requestId"]] = event["request"]["url"]

    def _response(self, event: dict[str, Any]) -> None:
        r = event["response"]
        headers = {k.lower(): str(v) for k, v in r.get("headers", {}).items()}
        self.responses[event["requestId"]] = Response(r["url"], int(r["status"]), r.get("mimeType", ""), headers)

    def _data(self, event: dict[str, Any]) -> None:
        response = self.responses.get(event["requestId"])
        if response is not None:
            response.decoded += int(event.get("dataLength", 0))

    def _finished(self, event: dict[str, Any]) -> None:
        response = self.responses.get(event["requestId"])
        if response is not None:
            response.encoded = int(event.get("encodedDataLength", 0))
            response.finished = True

    def _socket(self, event: dict[str, Any]) -> None:
        self.sockets[event["requestId"]] = Socket(event["url"])

    def _handshake(self, event: dict[str, Any]) -> None:
        socket = self.sockets.setdefault(event["requestId"], Socket(""))
        headers = {k.lower(): str(v) for k, v in event["response"].get("headers", {}).items()}
        socket.extensions = headers.get("sec-websocket-extensions", "")

    def _frame(self, event: dict[str, Any], direction: str) -> None:
        socket = self.sockets.setdefault(event["requestId"], Socket(""))
        size, text = _payload_bytes(event["response"])
        if direction == "sent":
            socket.sent += size
        else:
            socket.received += size
        socket.frames.append((direction, size, text))

    # --- totals ------------------------------------------------------------------------

    @property
    def http_bytes(self) -> int:
        return sum(r.encoded for r in self.responses.values())

    @property
    def ws_bytes(self) -> int:
        return sum(s.sent + s.received for s in self.sockets.values())

    @property
    def total_bytes(self) -> int:
        return self.http_bytes + self.ws_bytes

    @property
    def request_count(self) -> int:
        return len(self.requests)

    def uncompressed_text(self) -> list[Response]:
        """Text responses of more than :data:`SMALL` bytes that came without a content encoding."""
        return [
            r for r in self.responses.values() if r.is_text and not r.encoding and max(r.decoded, r.encoded) > SMALL
        ]


# The page's own clock (performance.now(), ms from navigation start), kept on window.__nw:
# readable: the lesson's first heading is in the document and a frame has painted it;
# usable: the lean page says it is ready (html[data-nw-ready]: activities drawn, kernel
# connected, states received) or, on other pages, an activity's first control is painted;
# lcp, cls, longest (long task ms), tbt (sum of each long task's time over 50 ms, until usable).
PAGE_CLOCK = """
(() => {
  const nw = window.__nw = { readable: null, usable: null, lcp: 0, cls: 0, longest: 0, tbt: 0, tasks: 0 };
  const painted = (key) => requestAnimationFrame(() => setTimeout(() => { if (nw[key] < 0) nw[key] = performance.now(); }));
  const check = () => {
    if (nw.readable === null && document.querySelector("main h1, .jp-RenderedMarkdown h1, h1")) { nw.readable = -1; painted("readable"); }
    // The lean page (it has #nw-page) draws activities before its kernel answers: it is usable
    // once it says so. Elsewhere the first live control (the static look is not a section).
    const lean = document.getElementById("nw-page");
    const ready = document.querySelector(lean ? "html[data-nw-ready]" : "section.nw-activity button, section.nw-activity input");
    if (nw.usable === null && ready && (ready.matches("html") || ready.getBoundingClientRect().height > 0)) {
      nw.usable = -1; painted("usable");
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) nw.lcp = Math.max(nw.lcp, e.startTime); })
      .observe({ type: "largest-contentful-paint", buffered: true });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) nw.cls += e.value; })
      .observe({ type: "layout-shift", buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        nw.tasks += 1;
        nw.longest = Math.max(nw.longest, e.duration);
        if (nw.usable === null || nw.usable < 0 || e.startTime < nw.usable) nw.tbt += Math.max(0, e.duration - 50);
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (err) { /* an older browser: no such entries */ }
})();
"""
