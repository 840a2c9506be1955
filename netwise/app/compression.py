"""Compression for the lesson app: every text response and the kernel websocket (issue 12).

Measured before: not one response was compressed, and a cold lesson page moved 4.5 MB of
text. Three parts, each to plug into the app (netwise/app/server.py):

- :data:`TORNADO_SETTINGS` — ``compress_response``: tornado gzips HTML and JSON responses
  (pages, /api/kernels/<id>) as they stream, chunk by chunk, so a lesson page still shows
  its first cells while later ones execute; and ``websocket_compression_options``:
  jupyter_server's kernel websocket handler returns it from ``get_compression_options``, so
  the kernel websocket negotiates permessage-deflate.
- :class:`PrecompressedStaticMixin` — static files (the lean bundle, Voilà's and JupyterLab's
  JavaScript, CSS) gzipped once per file and version, at its first request, then served as
  they are: no per-request compression. A content-hashed file is also marked immutable.
- :class:`DeflateWebsocketMixin` — permessage-deflate for a websocket handler that does not
  read the setting.

What is never done: compressing a response that mixes a secret with text a visitor controls
(BREACH). The lesson page holds its kernel id, but no visitor's input is reflected into it,
and the owner secret travels in an HttpOnly cookie, not in a body.
"""

from __future__ import annotations

import atexit
import gzip
import hashlib
import mimetypes
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import tornado.web

# tornado's own list (GZipContentEncoding.CONTENT_TYPES) decides for dynamic responses; for
# static files, by name:
COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".json", ".html", ".svg", ".txt", ".map", ".xml", ".ico"})
MIN_BYTES = 1024  # below this a gzip header costs more than it saves (tornado's MIN_LENGTH too)
GZIP_LEVEL = 9  # once per file: the best ratio is worth the time
# permessage-deflate on the kernel websocket. mem_level 5 keeps each connection's compressor
# near 16 KiB + the 32 KiB window instead of 256 KiB (40 pages: ~2 MiB, not 10 MiB), at a few
# per cent of ratio on messages of a few KiB.
WEBSOCKET_COMPRESSION: dict[str, Any] = {"compression_level": 6, "mem_level": 5}
TORNADO_SETTINGS: dict[str, Any] = {
    "compress_response": True,
    "websocket_compression_options": WEBSOCKET_COMPRESSION,
}
IMMUTABLE = "public, max-age=31536000, immutable"
# A file named by its content hash: netwise-lean.2cc59c5503.js, remoteEntry.c8c9eed2.js, 84.09c61a35.js
CONTENT_HASHED = re.compile(r"[./-][0-9a-f]{8,}\.(?:js|mjs|css)$")

_cache_dir: Path | None = None


def _cache() -> Path:
    """A private folder for this process's gzipped copies (removed at exit)."""
    global _cache_dir
    if _cache_dir is None:
        _cache_dir = Path(tempfile.mkdtemp(prefix="netwise-gz-"))
        atexit.register(shutil.rmtree, _cache_dir, True)
    return _cache_dir


def compressible(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in COMPRESSIBLE


def gzip_copy(path: str | os.PathLike[str]) -> Path | None:
    """The gzipped copy of ``path`` (made now if this version has none yet), or None when not worth it.

    Keyed by path, size and modification time: a changed file gets a new copy. Written to a
    temporary name and renamed, so a concurrent request never reads half a file.
    """
    source = Path(path)
    stat = source.stat()
    if stat.st_size < MIN_BYTES:
        return None
    key = hashlib.sha256(f"{source.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    target = _cache() / f"{key}.gz"
    skipped = target.with_suffix(".raw")  # marker: compressing did not pay
    if target.exists():
        return target
    if skipped.exists():
        return None
    data = gzip.compress(source.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
    if len(data) >= stat.st_size:
        skipped.touch()
        return None
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.utime(partial, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # Last-Modified stays the file's
    partial.replace(target)
    return target


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (``gzip`` or ``*``, without ``q=0``)."""
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.replace(" ", "").lower()
            return not re.fullmatch(r"q=0(\.0*)?", q)
    return False


class PrecompressedStaticMixin:
    """For a ``tornado.web.StaticFileHandler`` subclass: serve a gzipped copy made once per file.

    ``class Handler(PrecompressedStaticMixin, SomeStaticFileHandler)``. The copy is chosen in
    ``validate_absolute_path`` (after the handler's own checks), so sizes, ranges, ETags and
    304s all apply to the bytes sent; the type is still the original file's, and tornado's
    gzip transform leaves a response that already has a Content-Encoding alone.
    """

    _served_from: str | None = None
    _gzipped = False
    _stat_result: os.stat_result

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        path: str | None = super().validate_absolute_path(root, absolute_path)  # type: ignore[misc]
        self._served_from = path
        self._gzipped = False
        if path is None or not compressible(path):
            return path
        request: Any = self.request  # type: ignore[attr-defined]
        if not accepts_gzip(request.headers.get("Accept-Encoding", "")):
            return path
        copy = gzip_copy(path)
        if copy is None:
            return path
        self._gzipped = True
        self._stat_result = os.stat(copy)  # tornado keeps the stat of the path it validated
        return str(copy)

    def get_content_type(self) -> str:
        if self._gzipped and self._served_from is not None:
            mime, _encoding = mimetypes.guess_type(self._served_from)
            return mime or "application/octet-stream"
        result: str = super().get_content_type()  # type: ignore[misc]
        return result

    def set_extra_headers(self, path: str) -> None:
        super().set_extra_headers(path)  # type: ignore[misc]
        handler: Any = self
        # tornado's gzip transform (compress_response) adds Vary to every response itself.
        transform = handler.settings.get("compress_response") or handler.settings.get("gzip")
        if compressible(self._served_from or path) and not transform:
            handler.add_header("Vary", "Accept-Encoding")
        if self._gzipped:
            handler.set_header("Content-Encoding", "gzip")
        if CONTENT_HASHED.search(handler.request.path):
            handler.set_header("Cache-Control", IMMUTABLE)


def precompressed(handler_class: type[tornado.web.StaticFileHandler]) -> type[tornado.web.StaticFileHandler]:
    """``handler_class`` serving gzipped copies made once (a subclass of the same name)."""
    return type(handler_class.__name__, (PrecompressedStaticMixin, handler_class), {"__doc__": handler_class.__doc__})


class DeflateWebsocketMixin:
    """For a ``tornado.websocket.WebSocketHandler``: negotiate permessage-deflate."""

    def get_compression_options(self) -> dict[str, Any]:
        return dict(WEBSOCKET_COMPRESSION)
