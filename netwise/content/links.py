"""Where a link really goes: its host and registrable domain, computed offline.

The registrable domain (the part a person or company can buy: ``vcbank.example`` in
``login.vcbank.example``, ``bank.co.uk`` in ``www.bank.co.uk``) comes from the Public
Suffix List bundled with tldextract — never fetched: lessons open no outside site, and a
school network may have none. The reserved names of RFC 2606/6761 are added as suffixes
so scenario links on ``.example``/``.test`` split the way real ones would.

Hosts are compared in their ASCII (punycode) form: ``vcbаnk.example`` with a Cyrillic
"а" is ``xn--vcbnk-6ve.example``, another site than ``vcbank.example``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import idna

if TYPE_CHECKING:
    import tldextract

RESERVED_SUFFIXES: tuple[str, ...] = ("example", "test", "invalid", "localhost")


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # Imported here: the suffix list costs ~14 MiB, and most lesson kernels never need it.
    import tldextract

    # suffix_list_urls=() and cache_dir=None: the bundled snapshot only, no request, no cache file.
    return tldextract.TLDExtract(
        cache_dir=None,
        suffix_list_urls=(),
        fallback_to_snapshot=True,
        extra_suffixes=list(RESERVED_SUFFIXES),
    )


def ascii_label(label: str) -> str:
    """One host label in the form a browser sends it (punycode for non-ASCII letters)."""
    if label.isascii():
        return label.lower()
    try:
        return idna.encode(label, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        with contextlib.suppress(UnicodeError):
            return label.encode("idna").decode("ascii")  # IDNA 2003: still gives the xn-- form
    return label.lower()


def unicode_label(label: str) -> str:
    """One host label as it looks on screen (an ``xn--`` label decoded)."""
    if not label.lower().startswith("xn--"):
        return label
    try:
        return idna.decode(label)
    except (idna.IDNAError, UnicodeError, ValueError):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label


def host_of(url: str) -> str:
    """The host a browser would open for a link as written (no scheme means http)."""
    text = url.strip()
    if "://" not in text.split("/")[0] and not text.lower().startswith(("http:", "https:")):
        text = "http://" + text  # "www.x.example/..." or "x.example" as shown in a message
    text = text.replace("\\", "/")  # browsers read a backslash in a web address as a slash
    try:
        host = urlsplit(text).hostname or ""  # drops user@ and :port, the classic tricks
    except ValueError:
        return ""
    return host.strip(".")


def to_ascii(host: str) -> str:
    return ".".join(ascii_label(label) for label in host.strip().strip(".").split(".") if label)


def to_unicode(host: str) -> str:
    return ".".join(unicode_label(label) for label in host.split(".") if label)


def registrable(host: str) -> str:
    """The registrable domain of an ASCII host, or "" when it is only a public suffix."""
    if not host:
        return ""
    parts = _extractor()(host)
    return f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else ""


def normalize(domain: object) -> str:
    """A domain typed or picked by a learner, in comparable form ("" if unusable)."""
    if not isinstance(domain, str) or not domain.strip() or len(domain) > 253:
        return ""
    return to_ascii(domain.strip().lower())


@dataclass(frozen=True)
class Link:
    url: str
    host: str  # ASCII form, lower case
    labels: tuple[str, ...]  # ASCII labels of the host
    shown: tuple[str, ...]  # the same labels as they look on screen
    domain: str  # registrable domain (ASCII), "" if none

    @property
    def domain_shown(self) -> str:
        return to_unicode(self.domain)

    @property
    def lookalike(self) -> bool:
        """The registrable domain has letters a browser turns into punycode."""
        return any(label.startswith("xn--") for label in self.domain.split("."))

    def suffix_from(self, index: int) -> str:
        """The domain made of the labels from ``index`` to the end (what a tap selects)."""
        return ".".join(self.labels[index:])


def inspect(url: str) -> Link:
    host = to_ascii(host_of(url))
    labels = tuple(host.split(".")) if host else ()
    return Link(url, host, labels, tuple(unicode_label(label) for label in labels), registrable(host))
