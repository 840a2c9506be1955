"""netwise/app/compression.py: gzipped copies made once, served with the original type and caching."""

from __future__ import annotations

import gzip
import shutil
import tempfile
from pathlib import Path

import tornado.testing
import tornado.web

from netwise.app import compression


def test_accept_encoding() -> None:
    assert compression.accepts_gzip("gzip, deflate, br")
    assert compression.accepts_gzip("br;q=1.0, gzip;q=0.8")
    assert compression.accepts_gzip("*")
    assert not compression.accepts_gzip("gzip;q=0")
    assert not compression.accepts_gzip("identity")
    assert not compression.accepts_gzip("")


def test_gzip_copy_once_per_version(tmp_path: Path) -> None:
    source = tmp_path / "app.js"
    source.write_text("console.log('netwise');\n" * 200)
    first = compression.gzip_copy(source)
    assert first is not None and gzip.decompress(first.read_bytes()) == source.read_bytes()
    assert compression.gzip_copy(source) == first  # made once
    small = tmp_path / "small.js"
    small.write_text("x")
    assert compression.gzip_copy(small) is None


class PrecompressedTest(tornado.testing.AsyncHTTPTestCase):
    def get_app(self) -> tornado.web.Application:
        self.root = Path(tempfile.mkdtemp(prefix="netwise-static-"))
        self.addCleanup(shutil.rmtree, self.root, True)
        (self.root / "netwise-lean.0123456789.js").write_text("export const a = 1;\n" * 300)
        (self.root / "plain.css").write_text("body { margin: 0 }\n" * 300)
        handler = compression.precompressed(tornado.web.StaticFileHandler)
        return tornado.web.Application([(r"/s/(.*)", handler, {"path": str(self.root)})], compress_response=True)

    def test_gzip_with_original_type_and_length(self) -> None:
        response = self.fetch(
            "/s/netwise-lean.0123456789.js", headers={"Accept-Encoding": "gzip"}, decompress_response=False
        )
        assert response.code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Content-Type"] == "text/javascript"
        assert int(response.headers["Content-Length"]) == len(response.body)
        assert gzip.decompress(response.body) == (self.root / "netwise-lean.0123456789.js").read_bytes()
        assert response.headers["Cache-Control"] == compression.IMMUTABLE

    def test_identity_when_not_accepted(self) -> None:
        response = self.fetch("/s/plain.css", headers={"Accept-Encoding": "identity"}, decompress_response=False)
        assert response.code == 200
        assert "Content-Encoding" not in response.headers
        assert response.body == (self.root / "plain.css").read_bytes()
        assert "immutable" not in response.headers.get("Cache-Control", "")
