"""One visitor, real Chromium: time from navigation to a usable widget, NetWise vs plain Voilà.

Each load is timed twice: by the page's own clock (navigation start to the frame that paints
the first activity control, once the page is free to take a tap) and as Playwright observed it from outside (which adds its
polling and the round trips between this script and the browser).

Ten loads of the same lesson notebook each: `netwise serve` (the lean lesson page,
preheated kernels) and plain `voila <notebook>` (lab template, all extensions).

    python benchmarks/page_load.py [--loads 10 --lesson scams-real-or-scam --lang en]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import sync_playwright

from netwise.build.notebooks import build, notebook_path
from netwise.content import load
from netwise.paths import bundled_curriculum

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.servers import CHROMIUM, CHROMIUM_ARGS, free_port, serving  # noqa: E402

USABLE = "section.nw-activity button, section.nw-activity input"
# NetWise's lean lesson page (it has #nw-page) paints its activities before its kernel answers:
# it is usable once it says so (activities drawn, kernel connected, states received).
LEAN_READY = "html[data-nw-ready]"
# The page's own clock: milliseconds from navigation start until the first control of an
# activity is painted with a size (on the lean page: and the page is ready) and the page is
# free to take a tap, without Playwright's polling.
MARK_USABLE = (
    """
new MutationObserver((_, observer) => {
  const control = document.querySelector("""
    + json.dumps(USABLE)
    + """);
  const lean = document.getElementById("nw-page");
  if (lean && !document.querySelector("""
    + json.dumps(LEAN_READY)
    + """)) return;
  if (control && control.getBoundingClientRect().height > 0) {
    observer.disconnect();
    // the frame that paints it, and the page free again to take a tap
    requestAnimationFrame(() => setTimeout(() => { window.__usable = performance.now(); }));
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
)


@contextlib.contextmanager
def server(command: list[str], url: str, env: dict[str, str]) -> Iterator[None]:
    """The tests' ``serving`` (ready once ``url`` answers, stopped with its group); its log is kept to read."""
    fd, log = tempfile.mkstemp(prefix="page-load-", suffix=".log")
    os.close(fd)
    with serving(command, url, Path(log), env=env, timeout=120, stop_timeout=60):
        yield


def measure(url: str, loads: int, warmup_wait: float) -> tuple[list[float], list[float]]:
    """Seconds to a usable widget per load: (the page's own clock, as Playwright saw it)."""
    in_page: list[float] = []
    observed: list[float] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport={"width": 390, "height": 844}
        )
        context.add_init_script(MARK_USABLE)
        for _ in range(loads):
            time.sleep(warmup_wait)  # let a preheated pool refill, as between real visitors
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.locator(USABLE).first.wait_for(state="visible", timeout=120_000)
            if page.locator("#nw-page").count():
                page.wait_for_selector(LEAN_READY, timeout=120_000)
            observed.append(time.perf_counter() - start)
            page.wait_for_function("window.__usable !== undefined")
            in_page.append(page.evaluate("window.__usable") / 1000)
            page.close()
        context.close()
    return in_page, observed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--lesson", default="scams-real-or-scam")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--curriculum", help="curriculum folder (default: the bundled one)")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "NETWISE_ANSWERS": "memory"}

    curriculum = load(Path(args.curriculum) if args.curriculum else bundled_curriculum())
    if args.curriculum:
        env["NETWISE_CURRICULUM"] = str(Path(args.curriculum).resolve())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        build(curriculum, Path(tmp), [args.lang])
        notebook = Path(tmp) / notebook_path(curriculum, args.lang, args.lesson)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        cmd = [str(bin_dir / "voila"), str(notebook), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
        with server(cmd, base + "/", env):
            rows.append(("plain voila (lab template)", measure(base + "/", args.loads, 0.5)))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        cmd = [str(bin_dir / "netwise"), "serve", f"--port={port}", "--lang", args.lang, "--lessons", args.lesson,
               "--pool", "1", *(["--curriculum", args.curriculum] if args.curriculum else [])]  # fmt: skip
        with server(cmd, base + "/", env):
            time.sleep(3)  # the pool fills
            rows.append(
                ("netwise serve (pool 1)", measure(f"{base}/lesson/{args.lang}/{args.lesson}", args.loads, 2.5))
            )
    print(f"page load to usable widget, lesson {args.lang}/{args.lesson}, {args.loads} loads each, Chromium 390x844")
    print(f"{'server':<30}{'measured':<22}{'p50 (s)':>10}{'p95 (s)':>10}{'min (s)':>10}{'max (s)':>10}")
    for name, (in_page, observed) in rows:
        for how, times in (("in the page", in_page), ("by Playwright", observed)):
            print(f"{name:<30}{how:<22}{pct(times, 0.5):>10.2f}{pct(times, 0.95):>10.2f}"
                  f"{min(times):>10.2f}{max(times):>10.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
