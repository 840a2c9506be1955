"""What every request passes before it reaches a page or a kernel: Host, headers, owner, friendly errors.

Why this exists (issue 11, a hostile student's review):

- A kernel id worked as a password: a websocket opened without any cookie to another
  visitor's kernel read that visitor's answers, and ``DELETE /api/kernels/<id>`` ended it.
  A lesson page now comes with a secret in a cookie (HttpOnly, SameSite=Strict, Secure on
  https), and every route tied to a kernel asks whether the request's secret is the one the
  kernel was given to (:meth:`GuardMixin.owns`, netwise/app/admission.py). Any other client
  gets the friendly "not found" page: a kernel id alone is worth nothing, not even a "yes, it
  exists".
- The Host header was not checked, so a DNS-rebinding page could create kernels. A request
  is answered only for an IP-literal Host (rebinding needs a name; phones in a class send
  ``Host: 192.168.x.y:8866``), ``localhost``, this machine's name, ``<name>.local`` and the
  names given with ``--allow-host``.
- ``/voila/static`` went out without the security headers, and Jupyter's error pages leaked
  (``GET /logout`` answered 500, whose own template was missing). Every handler the app
  serves is wrapped with :class:`GuardMixin`: the same headers on every response, and errors
  as NetWise's message pages in the visitor's language.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
import secrets
import socket
from collections.abc import Awaitable, Iterable
from typing import Any

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

from netwise.app.admission import Admission
from netwise.app.config import NetwiseConfiguration
from netwise.app.pages import STATUS_KIND, PageMixin

# The browser may talk to this server only: no other host can be reached even by mistake.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

OWNER_COOKIE = "netwise-owner"
_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


def local_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """Host names this server answers to: localhost, this machine's name and ``.local``, and ``extra``."""
    names = {"localhost"}
    hostname = socket.gethostname().lower().rstrip(".")
    if hostname:
        names |= {hostname, f"{hostname.split('.')[0]}.local", f"{hostname}.local"}
    names |= {name.lower().rstrip(".") for name in extra if name.strip()}
    return frozenset(names)


def host_allowed(host: str, names: frozenset[str]) -> bool:
    """Whether a Host header names this server: any IP literal, or one of ``names`` (any port)."""
    host = host.strip().lower()
    if not host:
        return False
    if host.startswith("["):  # [IPv6]:port
        literal, _, _ = host[1:].partition("]")
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return False
        return True
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    return name.rstrip(".") in names


def _networks(addresses: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(a.strip(), strict=False) for a in addresses if a.strip()]


def _in(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: Any, trusted: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> str:
    """The visitor's address: the peer, or behind a trusted proxy the last untrusted X-Forwarded-For hop."""
    peer = str(request.remote_ip or "")
    if not trusted or not _in(peer, trusted):
        return peer
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _in(hop, trusted):
            return hop[:64]
    return hops[0][:64] if hops else peer


class GuardMixin(PageMixin):
    """Put first in the bases of every handler the app serves (see :func:`guarded`)."""

    settings: dict[str, Any]
    request: Any

    @property
    def netwise_conf(self) -> NetwiseConfiguration:
        conf: NetwiseConfiguration = self.settings["netwise_config"]
        return conf

    @property
    def netwise_log(self) -> logging.Logger:
        """The app's log (plain tornado handlers have none of their own)."""
        log: logging.Logger = self.settings["netwise_log"]
        return log

    @property
    def admission(self) -> Admission:
        admission: Admission = self.settings["netwise_admission"]
        return admission

    def set_default_headers(self) -> None:
        super().set_default_headers()  # type: ignore[misc]
        handler: Any = self
        for name, value in SECURITY_HEADERS.items():
            handler.set_header(name, value)

    def _check_host_then_prepare(self, *args: Any, **kwargs: Any) -> Awaitable[None] | None:
        if not host_allowed(self.request.headers.get("Host", ""), self.settings["netwise_hosts"]):
            self.netwise_log.warning("refused a request for a foreign Host")
            raise tornado.web.HTTPError(421)
        return super().prepare(*args, **kwargs)  # type: ignore[misc]

    # The bases' own prepare() differ in signature (sync, async, keyword-only): this one fits all.
    prepare: Any = _check_host_then_prepare

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """NetWise's message page in place of any error page: no traceback, no template missing."""
        kind = STATUS_KIND.get(status_code, "error")
        self.message_page(status_code, kind, self.visitor_language())

    # --- the kernel's owner ----------------------------------------------------------

    @property
    def client(self) -> str:
        return client_address(self.request, self.settings["netwise_proxies"])

    def https(self) -> bool:
        if self.request.protocol == "https":
            return True
        behind = _in(str(self.request.remote_ip or ""), self.settings["netwise_proxies"])
        return behind and self.request.headers.get("X-Forwarded-Proto", "").lower() == "https"

    def owner_secret(self) -> str | None:
        handler: Any = self
        value = handler.get_cookie(OWNER_COOKIE)
        return value if isinstance(value, str) and _SECRET.fullmatch(value) else None

    def issue_owner_secret(self) -> str:
        """This browser's secret, kept if it has one already (its other tabs keep working), else a new one."""
        secret = self.owner_secret() or secrets.token_urlsafe(32)
        handler: Any = self
        handler.set_cookie(OWNER_COOKIE, secret, path="/", httponly=True, samesite="Strict", secure=self.https())
        return secret

    def owns(self, kernel_id: str) -> bool:
        return self.admission.owns(kernel_id, self.owner_secret())

    def refuse_unless_owner(self, kernel_id: str) -> None:
        if not self.owns(kernel_id):
            self.netwise_log.warning("refused a request for a kernel from a client that does not own it")
            raise tornado.web.HTTPError(404)


@functools.cache
def guarded(handler: type) -> type:
    """``handler`` with :class:`GuardMixin` first in its bases (one class per handler)."""
    if issubclass(handler, GuardMixin):
        return handler
    return type(f"Guarded{handler.__name__}", (GuardMixin, handler), {"__module__": __name__})


class OwnedKernelHandler(GuardMixin, KernelHandler):
    """``/api/kernels/<id>``: the page's widget manager reads its kernel's model; only its owner may."""

    async def get(self, kernel_id: str) -> None:
        self.refuse_unless_owner(kernel_id)
        await ensure_async(super().get(kernel_id))

    async def delete(self, kernel_id: str) -> None:
        self.refuse_unless_owner(kernel_id)
        await ensure_async(super().delete(kernel_id))


class OwnedShutdownHandler(GuardMixin, VoilaShutdownKernelHandler):
    """``/voila/api/shutdown/<id>``: the page ends its own kernel when it is left, and no other."""

    async def post(self, kernel_id: str) -> None:
        self.refuse_unless_owner(kernel_id)
        await super().post(kernel_id)


class OwnedRequestInfoHandler(GuardMixin, RequestInfoSocketHandler):
    """``/voila/query/<id>`` (preheated pages): whoever opened it took over the kernel's waiting slot."""

    async def get(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self.refuse_unless_owner(kernel_id)
        await super().get(kernel_id, *args, **kwargs)

    def on_close(self) -> None:
        # Voilà's own deletes the last waiter when this one is not found (or fails when none is).
        waiters = RequestInfoSocketHandler._waiters
        for kernel_id, waiter in list(waiters.items()):
            if waiter is self:
                del waiters[kernel_id]


def forget_request_info(kernel_id: str) -> None:
    """Voilà caches each preheated page's request info until its kernel asks; drop it with the kernel."""
    RequestInfoSocketHandler._cache.pop(kernel_id, None)
    RequestInfoSocketHandler._waiters.pop(kernel_id, None)


def settings_for(conf: NetwiseConfiguration) -> dict[str, Any]:
    """The tornado settings the guard reads (``netwise_hosts``, ``netwise_proxies``)."""
    return {"netwise_hosts": local_names(conf.allow_hosts), "netwise_proxies": _networks(conf.trusted_proxies)}
