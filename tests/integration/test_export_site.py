"""``netwise export-site`` (issue 17): real exports of the bundled curriculum, read back as files.

What a static host serves must be right before any browser opens it: errors are one line,
two exports give the same bytes (the zip too), links work under any base path, no file names
another host, and a cold lesson page with all its assets fits 300 KiB compressed (the
passphrase lab's estimator, loaded on first use only, aside). The browser side is in
tests/browser/test_static_site.py.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from netwise.cli.main import main
from netwise.site.export import ASSETS, MANIFEST, STATIC, export_site
from support.static_site import serve_folder

# One lesson per activity type between them (choice, verdict, red flags, branching, passphrase,
# privacy settings, link inspector, rating), and their modules' checks.
LESSONS = [
    "misinformation-check-the-source",
    "account-security-passphrases",
    "privacy-location-photos",
    "scams-hacked-friend",
]
BUDGET = 300 * 1024  # gzip bytes of a cold lesson page, all its assets included
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "manifest", "srcset", "background"}


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command line in process (a subprocess per case would cost seconds each)."""
    code = main(["export-site", *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netwise", "export-site", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    export_site(out, langs=["en", "vi"], lessons=LESSONS, make_zip=True)
    return out


class Links(HTMLParser):
    """Every URL an HTML file makes the browser fetch or follow."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if tag == "html" and name == "lang":
                self.lang = value
            if name in URL_ATTRIBUTES and value is not None:
                self.urls += [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]


def links(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def js_imports(text: str) -> tuple[list[str], list[str]]:
    """(static, dynamic) module specifiers of a minified ES module."""
    static = re.findall(r"""(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']""", text)
    dynamic = re.findall(r"""\bimport\(\s*["']([^"']+)["']\s*\)""", text)
    return static, dynamic


def test_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        ("--lessons", "no-such-lesson"): "unknown lesson(s): no-such-lesson",
        ("--lang", "fr"): "no lesson is completely translated into 'fr'",
        ("--base-url", "https://cdn.example/x/"): "--base-url must be a path",
        ("--region", "atlantis"): "atlantis",
    }
    for extra, wanted in cases.items():
        code, out, err = run_main(capsys, str(tmp_path / "out"), *extra)
        assert code == 1, (extra, out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("netwise: error:"), (extra, err)
        assert wanted in lines[0]
        assert not (tmp_path / "out").exists()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run_main(capsys, str(busy), "--lessons", LESSONS[0])
    assert code == 1 and "not empty and not an earlier export" in err and len(err.strip().splitlines()) == 1
    assert (busy / "notes.txt").read_text(encoding="utf-8") == "mine"  # nothing of the user's is touched


def test_the_cli_writes_a_site_and_replaces_an_earlier_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code, _, err = run_main(capsys, str(out), "--lessons", LESSONS[0], "--lang", "vi")
    assert code == 0, err
    assert (out / "vi" / f"{LESSONS[0]}.html").is_file() and not (out / "en").exists()
    # The real command, once: its exit status and output.
    again = run_cli(str(out), "--lessons", LESSONS[1], "--lang", "en", "--zip")
    assert again.returncode == 0, again.stderr
    assert not (out / "vi").exists(), "an earlier export is replaced, not merged"
    assert (out / "en" / f"{LESSONS[1]}.html").is_file()
    assert (tmp_path / "site.zip").is_file() and "site.zip" in again.stdout


def test_two_exports_are_identical(site: Path, tmp_path: Path) -> None:
    other = tmp_path / "site"
    export_site(other, langs=["en", "vi"], lessons=LESSONS, make_zip=True)
    mine = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(other).as_posix(): p.read_bytes() for p in other.rglob("*") if p.is_file()}
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []
    assert (site.parent / "site.zip").read_bytes() == (tmp_path / "site.zip").read_bytes()


def test_every_page_is_there_in_its_language(site: Path) -> None:
    for lang in ("en", "vi"):
        for lesson in LESSONS:
            page = site / lang / f"{lesson}.html"
            assert links(page).lang == lang
            text = page.read_text(encoding="utf-8")
            assert text.count('class="nw-data"') >= 3  # header, activities, summary
        checks = sorted(p.name for p in (site / lang).glob("check-*.html"))
        assert any(name.endswith("-pre.html") for name in checks) and any(n.endswith("-post.html") for n in checks)
        assert links(site / lang / "index.html").lang == lang
    landing = (site / "index.html").read_text(encoding="utf-8")
    # Honest about what it is: self-study, keys in the page, graded classes elsewhere.
    assert "nothing is" in landing and "graded" in landing and "nbgrader" in landing
    assert "nbgrader" in (site / "vi" / "index.html").read_text(encoding="utf-8")


def test_no_file_names_another_host(site: Path) -> None:
    outside = []
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            for url in links(path).urls:
                if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I) and not url.startswith("data:"):
                    outside.append(f"{name}: {url}")
        elif path.suffix in (".js", ".css"):
            text = path.read_text(encoding="utf-8")
            outside += [f"{name}: {m}" for m in re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"')]*", text)]
            for spec in sum(js_imports(text), []) if path.suffix == ".js" else []:
                if not spec.startswith("./"):
                    outside.append(f"{name}: import {spec}")
    assert outside == []


_serve = serve_folder


def _walk(start: str) -> set[str]:
    """Every same-site URL reachable from ``start`` by links and assets: each must answer 200."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        url = todo.pop().split("#")[0]
        if not url or url in seen:
            continue
        seen.add(url)
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200, url
            body = response.read()
        if url.endswith(".html") or url.endswith("/"):
            parser = Links()
            parser.feed(body.decode("utf-8"))
            for ref in parser.urls:
                if ref.startswith(("data:", "#")):
                    continue
                todo.append(urllib.parse.urljoin(url, ref))
        elif url.endswith(".js"):
            static, dynamic = js_imports(body.decode("utf-8"))
            todo += [urllib.parse.urljoin(url, ref) for ref in static + dynamic]
    return seen


@pytest.mark.slow  # a static server on loopback
def test_relative_links_work_under_any_path(site: Path, tmp_path: Path) -> None:
    holder = tmp_path / "host"
    (holder / "ngo" / "safety").mkdir(parents=True)
    (holder / "ngo" / "safety" / "lessons").symlink_to(site, target_is_directory=True)
    with _serve(holder) as base:
        seen = _walk(f"{base}/ngo/safety/lessons/index.html")
        paths = {urllib.parse.urlsplit(u).path for u in seen}
        assert all(p.startswith("/ngo/safety/lessons/") for p in paths), paths
        assert "/ngo/safety/lessons/sw.js" not in paths  # registered by script, not linked
        assert any(p.endswith(f"/vi/{LESSONS[0]}.html") for p in paths)
        assert any("/assets/" in p for p in paths)


def test_base_url_makes_every_link_absolute_under_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(out, langs=["en"], lessons=LESSONS[:1], base_url="/lessons")
    for page in out.rglob("*.html"):
        for url in links(page).urls:
            assert url.startswith(("/lessons/", "#", "data:")), (page.name, url)
        config = re.search(r'<script id="nw-page" type="application/json">(.*?)</script>', page.read_text("utf-8"))
        if config:
            data = json.loads(config.group(1))
            assert data["sw"] == "/lessons/sw.js" and data["scope"] == "/lessons/"


def test_a_cold_lesson_page_fits_the_budget(site: Path) -> None:
    manifest = json.loads((STATIC / MANIFEST).read_text(encoding="utf-8"))
    lazy = manifest["estimator"]
    assert lazy and (site / ASSETS / lazy).is_file()
    heaviest = 0
    for page in sorted(site.glob("*/*.html")):
        total = len(gzip.compress(page.read_bytes(), 9))
        todo = [(page.parent / url).resolve() for url in links(page).urls if url.endswith((".js", ".css"))]
        loaded: set[Path] = set()
        while todo:
            asset = todo.pop()
            if asset in loaded:
                continue
            loaded.add(asset)
            total += len(gzip.compress(asset.read_bytes(), 9))
            if asset.suffix == ".js":
                static, dynamic = js_imports(asset.read_text(encoding="utf-8"))
                todo += [(asset.parent / ref).resolve() for ref in static]
                # The estimator is fetched only when the passphrase lab is first used.
                assert all(Path(ref).name == lazy for ref in dynamic), dynamic
        assert lazy not in {p.name for p in loaded}
        heaviest = max(heaviest, total)
    assert 0 < heaviest <= BUDGET, f"heaviest cold page: {heaviest / 1024:.1f} KiB"
    estimator = len(gzip.compress((site / ASSETS / lazy).read_bytes(), 9))
    assert estimator > 50 * 1024, "the estimator's word lists are in its own chunk"


def test_the_site_bundle_is_whole() -> None:
    """assets.json names every built file and nothing stale is left beside them (build.mjs cleans up)."""
    manifest = json.loads((STATIC / MANIFEST).read_text(encoding="utf-8"))
    built = {p.name for p in STATIC.iterdir() if p.suffix in (".js", ".css")}
    assert built == {name for name in manifest["files"] if name.endswith((".js", ".css"))} | {manifest["sw"]}
    assert {manifest["js"], manifest["css"], manifest["estimator"]} <= set(manifest["files"])
    notices = (STATIC / "THIRD_PARTY_NOTICES.txt").read_text(encoding="utf-8")
    assert "@zxcvbn-ts/core" in notices and "MIT" in notices
