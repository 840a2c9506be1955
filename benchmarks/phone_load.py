"""A cold lesson page on a phone: bytes, requests, first readable text, usable activity, long tasks.

Debian's chromium, a fresh profile per load, 390x844 with touch, throttled through the
DevTools protocol. Profiles: none; cpu4 (CPU 4x slower, fast network); phone (CPU 4x, 150 ms
round trip, 1.6 Mbit/s down, 750 kbit/s up). Servers, loaded alternately, each with its own
fresh profile per load:

- netwise: `netwise serve` (the lean lesson page, netwise-lean template), pool 1;
- voila: plain `voila <notebook>` (lab template, all extensions).

Per server and profile it prints medians (and the spread) of: bytes over HTTP (CDP
encodedDataLength) and websocket payloads (uncompressed, as CDP reports them), requests,
time to the first readable lesson text, time to a usable activity (lean page: activities
drawn, kernel connected, states received; other pages: the first activity control
painted), largest contentful paint, layout shift, the longest main-thread task and total
blocking time until usable. Then the last of 40 students on a shared 20 Mbit/s link:
40 x bytes / link rate + the median load on the phone profile.

``--trace`` also records a DevTools trace of each load and prints, per server and profile, the
longest main-thread task in CPU time (the trace's thread time, which other processes on a
busy machine do not inflate as they do the wall time the long-task observer reports) and what
it spent that time on (issue 12: it was Layout).

    python benchmarks/phone_load.py [--loads 5] [--profiles none,cpu4,phone] [--servers netwise,voila] [--trace]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from netwise.paths import bundled_notebooks

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))
from support.servers import CHROMIUM, CHROMIUM_ARGS, free_port, serving  # noqa: E402
from support.traffic import PAGE_CLOCK, PROFILES, Traffic, throttle  # noqa: E402

CLASS_SIZE = 40
LINK_BPS = 20e6
SERVERS = ("netwise", "voila")


@dataclass
class Load:
    http: int
    ws: int
    requests: int
    readable: float
    usable: float
    lcp: float
    cls: float
    longest: float
    tbt: float
    cpu_longest: float = float("nan")  # --trace: the longest main-thread task's CPU time, ms
    cause: tuple[tuple[str, float], ...] = ()  # --trace: its biggest parts (event, CPU ms)

    @property
    def total(self) -> int:
        return self.http + self.ws


@contextlib.contextmanager
def server(command: list[str], url: str, env: dict[str, str], cwd: str) -> Iterator[None]:
    """The tests' ``serving`` (ready once ``url`` answers, stopped with its group); its log is kept to read."""
    fd, log = tempfile.mkstemp(prefix="phone-load-", suffix=".log")
    os.close(fd)
    with serving(command, url, Path(log), env=env, cwd=Path(cwd), timeout=120, stop_timeout=60):
        yield


def server_command(
    name: str, bin_dir: Path, notebook: Path, port: int, lang: str, lesson: str
) -> tuple[list[str], str]:
    """How to start plain Voilà on ``notebook`` or ``netwise serve`` on one lesson, and the page to load."""
    base = f"http://127.0.0.1:{port}"
    if name == "voila":
        return [
            str(bin_dir / "voila"),
            str(notebook),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
        ], base + "/"
    flags = ["--lang", lang, "--lessons", lesson, "--pool", "1"]
    return [str(bin_dir / "netwise"), "serve", "--port", str(port), *flags], f"{base}/lesson/{lang}/{lesson}"


TRACE_CATEGORIES = ["devtools.timeline", "toplevel", "v8.execute"]
TASKS = ("ThreadControllerImpl::RunTask", "RunTask")


def longest_task(events: list[dict[str, Any]]) -> tuple[float, tuple[tuple[str, float], ...]]:
    """The page's longest main-thread task by CPU time (ms) and its three biggest parts.

    The page's main thread is the one that parsed the most HTML; tasks before its document
    (the navigation itself) do not count, as for the long-task observer.
    """
    parsed: Counter[tuple[int, int]] = Counter()
    for e in events:
        if e.get("name") == "ParseHTML" and e.get("ph") == "X":
            parsed[(e["pid"], e["tid"])] += e.get("dur", 0)
    if not parsed:
        return float("nan"), ()
    thread = parsed.most_common(1)[0][0]
    mine = [e for e in events if (e.get("pid"), e.get("tid")) == thread and e.get("ph") == "X"]
    start = min(e["ts"] for e in mine if e["name"] == "ParseHTML")
    tasks = [e for e in mine if e["name"] in TASKS and e["ts"] + e.get("dur", 0) > start]
    if not tasks:
        return float("nan"), ()
    task = max(tasks, key=lambda e: e.get("tdur", 0))
    end = task["ts"] + task.get("dur", 0)
    parts: Counter[str] = Counter()
    for e in mine:
        if e is not task and e["name"] not in TASKS and task["ts"] <= e["ts"] < end:
            parts[e["name"]] += e.get("tdur", 0) / 1000
    return task.get("tdur", 0) / 1000, tuple((name, ms) for name, ms in parts.most_common(3))


def one_load(playwright: Any, url: str, profile_name: str, timeout_s: float, trace: bool = False) -> Load:
    """A cold load: a fresh profile, the throttling, until the page is usable (and settled)."""
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
        )  # fmt: skip
        try:
            context.add_init_script(PAGE_CLOCK)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            traffic = Traffic(cdp)
            throttle(cdp, PROFILES[profile_name])
            events: list[dict[str, Any]] = []
            finished: list[bool] = []
            if trace:
                cdp.on("Tracing.dataCollected", lambda params: events.extend(params["value"]))
                cdp.on("Tracing.tracingComplete", lambda _params: finished.append(True))
                cdp.send("Tracing.start", {"traceConfig": {"includedCategories": TRACE_CATEGORIES},
                                           "transferMode": "ReportEvents"})  # fmt: skip
            page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_function(
                "window.__nw && window.__nw.usable > 0 && window.__nw.readable > 0", timeout=timeout_s * 1000
            )
            time.sleep(1.0)  # late frames and entries (the websocket's last replies, layout shifts)
            clock = page.evaluate("window.__nw")
            cpu_longest, cause = float("nan"), ()
            if trace:
                cdp.send("Tracing.end")
                while not finished:
                    page.wait_for_timeout(50)
                cpu_longest, cause = longest_task(events)
            return Load(
                http=traffic.http_bytes, ws=traffic.ws_bytes, requests=traffic.request_count,
                readable=clock["readable"] / 1000, usable=clock["usable"] / 1000, lcp=clock["lcp"] / 1000,
                cls=clock["cls"], longest=clock["longest"], tbt=clock["tbt"], cpu_longest=cpu_longest, cause=cause,
            )  # fmt: skip
        finally:
            context.close()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}" if values else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="cold loads per server and profile (default 5)")
    parser.add_argument("--profiles", default="none,cpu4,phone", help="comma-separated: none, cpu4, phone")
    parser.add_argument("--servers", default=",".join(SERVERS), help="comma-separated: netwise, voila")
    parser.add_argument("--lesson", default="scams-real-or-scam")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a load may take")
    parser.add_argument("--trace", action="store_true", help="the longest task's CPU time and parts (DevTools trace)")
    args = parser.parse_args()
    profiles = [p for p in args.profiles.split(",") if p]
    servers = [s for s in args.servers.split(",") if s]
    for name in profiles:
        if name not in PROFILES:
            parser.error(f"unknown profile {name!r}")
    for name in servers:
        if name not in SERVERS:
            parser.error(f"unknown server {name!r}")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "NETWISE_ANSWERS": "memory"}
    # The committed lesson notebook (what `netwise serve` serves, built from the curriculum).
    found = sorted(bundled_notebooks().glob(f"{args.lang}/*/[0-9][0-9]-{args.lesson}.ipynb"))
    if not found:
        parser.error(f"no notebook for lesson {args.lesson!r} in {args.lang!r}")
    results: dict[tuple[str, str], list[Load]] = {}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        notebook = Path(tmp) / found[0].name
        notebook.write_bytes(found[0].read_bytes())
        urls: dict[str, str] = {}
        for name in servers:
            port = free_port()
            command, urls[name] = server_command(name, bin_dir, notebook, port, args.lang, args.lesson)
            stack.enter_context(server(command, f"http://127.0.0.1:{port}/", {**env, "TMPDIR": tmp}, tmp))
        time.sleep(5)  # the pools fill
        with sync_playwright() as playwright:
            for profile in profiles:
                for _ in range(args.loads):
                    for name in servers:  # alternating
                        time.sleep(2.5)  # a preheated pool refills between visitors
                        load_ = one_load(playwright, urls[name], profile, args.timeout, args.trace)
                        results.setdefault((name, profile), []).append(load_)
                        print(f"  {profile:<6} {name:<8} {load_.total / 1024:8.1f} KiB  usable {load_.usable:6.2f} s",
                              file=sys.stderr, flush=True)  # fmt: skip
    print(f"cold lesson page {args.lang}/{args.lesson}, {args.loads} loads per server and profile, fresh profile, "
          "390x844 touch; medians (min-max)")  # fmt: skip
    head = (f"{'profile':<8}{'server':<9}{'HTTP KiB':>9}{'WS KiB':>8}{'total KiB':>10}{'reqs':>6}{'readable s':>12}"
            f"{'usable s':>10}{'usable min-max':>16}{'LCP s':>7}{'CLS':>6}{'longest ms':>11}{'TBT ms':>8}")  # fmt: skip
    print(head)
    for profile in profiles:
        for name in servers:
            loads = results[(name, profile)]
            print(
                f"{profile:<8}{name:<9}{median([x.http / 1024 for x in loads]):>9.1f}"
                f"{median([x.ws / 1024 for x in loads]):>8.1f}{median([x.total / 1024 for x in loads]):>10.1f}"
                f"{median([x.requests for x in loads]):>6.0f}{median([x.readable for x in loads]):>12.2f}"
                f"{median([x.usable for x in loads]):>10.2f}{spread([x.usable for x in loads]):>16}"
                f"{median([x.lcp for x in loads]):>7.2f}{median([x.cls for x in loads]):>6.3f}"
                f"{median([x.longest for x in loads]):>11.0f}{median([x.tbt for x in loads]):>8.0f}"
            )
    if args.trace:
        print("\nthe longest main-thread task in CPU time (DevTools trace), median, and its parts in the median load")
        for profile in profiles:
            for name in servers:
                loads = sorted(results[(name, profile)], key=lambda x: x.cpu_longest)
                middle = loads[len(loads) // 2]
                parts = ", ".join(f"{part} {ms:.0f} ms" for part, ms in middle.cause)
                print(f"{profile:<8}{name:<9}{median([x.cpu_longest for x in loads]):>7.0f} ms  ({parts})")
    if "phone" in profiles:
        print(f"\nthe last of {CLASS_SIZE} students on a shared {LINK_BPS / 1e6:.0f} Mbit/s link "
              "(40 x bytes / link rate + median phone load)")  # fmt: skip
        for name in servers:
            loads = results[(name, "phone")]
            total = median([x.total for x in loads])
            transfer = CLASS_SIZE * total * 8 / LINK_BPS
            usable = median([x.usable for x in loads])
            print(f"{name:<9}{CLASS_SIZE} x {total / 1024:.0f} KiB = {CLASS_SIZE * total / 2**20:.1f} MiB: "
                  f"{transfer:.1f} s + {usable:.1f} s = {transfer + usable:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
