"""One lesson on a phone: the static page (netwise export-site) vs netwise serve vs plain Voilà.

The same cold load as benchmarks/phone_load.py, by its own machinery (imported, not copied):
Debian's chromium, a fresh profile per load, 390x844 with touch, the phone profile (CPU 4x,
150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up), loads alternating between:

- static: the lesson's page of an export, served by nginx with the configuration of
  docs/static-site.md (gzip, cache headers), or by ``python -m http.server`` without nginx;
- netwise: ``netwise serve`` (the lean lesson page), pool 1;
- voila: plain ``voila <notebook>`` (lab template).

Per server: bytes over HTTP and websocket, requests, time to the first readable lesson text and
to a usable activity (medians, with the spread). Then what one small static server answers per
second for lesson pages on this machine: keep-alive clients fetching the exported lesson pages
(with and without gzip) for a few seconds from nginx (one worker) and from ``python -m http.server``.

    python benchmarks/static_site.py [--loads 3] [--servers static,netwise,voila] [--seconds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from phone_load import TESTS, Load, median, one_load, server, server_command, spread
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from netwise.paths import bundled_notebooks
from netwise.site.export import export_site

sys.path.insert(0, str(TESTS))
from support.servers import free_port  # noqa: E402
from support.static_site import nginx_conf  # noqa: E402

SERVERS = ("static", "netwise", "voila")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@contextlib.contextmanager
def static_server(site: Path, folder: Path, use_nginx: bool) -> Iterator[str]:
    """The exported folder on loopback: nginx with the documented block, or Python's http.server."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    if use_nginx:
        conf = nginx_conf(site, port, folder)
        command = [NGINX, "-p", str(folder), "-c", str(conf)]
    else:
        command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    with server(command, base + "/index.html", dict(os.environ), str(folder)):
        yield base


def requests_per_second(base: str, paths: list[str], seconds: float, clients: int, gzip: bool) -> float:
    """Lesson pages answered per second by ``clients`` keep-alive connections, for ``seconds``."""
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    host, port = base.removeprefix("http://").split(":")
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        for path in itertools.cycle(paths[index:] + paths[:index]):
            if time.monotonic() >= stop:
                break
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: {response.status}")
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=3, help="cold loads per server on the phone profile (default 3)")
    parser.add_argument("--servers", default=",".join(SERVERS), help="comma-separated: static, netwise, voila")
    parser.add_argument("--lesson", default="scams-real-or-scam")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--profile", default="phone", help="a profile of tests/support/traffic.py (default phone)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of the requests-per-second run")
    parser.add_argument("--clients", type=int, default=8, help="keep-alive clients of that run (default 8)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a load may take")
    args = parser.parse_args()
    servers = [s for s in args.servers.split(",") if s]
    for name in servers:
        if name not in SERVERS:
            parser.error(f"unknown server {name!r}")
    found = sorted(bundled_notebooks().glob(f"{args.lang}/*/[0-9][0-9]-{args.lesson}.ipynb"))
    if not found:
        parser.error(f"no notebook for lesson {args.lesson!r} in {args.lang!r}")
    use_nginx = Path(NGINX).is_file()
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "NETWISE_ANSWERS": "memory"}
    results: dict[str, list[Load]] = {}
    timeouts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        site = Path(tmp) / "site"
        export_site(site, langs=[args.lang])  # every lesson: the requests-per-second run cycles through them
        urls: dict[str, str] = {}
        for name in servers:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            if name == "static":
                base = stack.enter_context(static_server(site, Path(tmp), use_nginx))
                urls[name] = f"{base}/{args.lang}/{args.lesson}.html"
                continue
            notebook = Path(tmp) / found[0].name
            notebook.write_bytes(found[0].read_bytes())
            command, urls[name] = server_command(name, bin_dir, notebook, port, args.lang, args.lesson)
            stack.enter_context(server(command, base + "/", {**env, "TMPDIR": tmp}, tmp))
        time.sleep(5)  # the pools fill
        with sync_playwright() as playwright:
            for _ in range(args.loads):
                for name in servers:  # alternating
                    time.sleep(2.5)  # a preheated pool refills between visitors
                    try:
                        load = one_load(playwright, urls[name], args.profile, args.timeout)
                    except PlaywrightTimeout:  # plain Voilà on a loaded phone may not make it: said, not hidden
                        timeouts[name] = timeouts.get(name, 0) + 1
                        print(f"  {name:<8} not usable within {args.timeout:.0f} s", file=sys.stderr)
                        continue
                    results.setdefault(name, []).append(load)
                    print(f"  {name:<8} {load.total / 1024:8.1f} KiB  usable {load.usable:6.2f} s", file=sys.stderr)
        stack.close()  # the lesson servers stop: the static servers get the machine to themselves
        pages = sorted(f"/{p.relative_to(site).as_posix()}" for p in (site / args.lang).glob("*.html"))
        rates: list[tuple[str, float]] = []
        runs = (
            ("nginx (1 worker), gzip", True, True),  # compressed on every request (no gzip_static)
            ("nginx (1 worker), plain", True, False),
            ("python -m http.server", False, False),  # it never compresses
        )
        for label, with_nginx, gzip in runs:
            if with_nginx and not use_nginx:
                continue
            with tempfile.TemporaryDirectory() as folder, static_server(site, Path(folder), with_nginx) as base:
                rates.append((label, requests_per_second(base, pages, args.seconds, args.clients, gzip)))
    static_by = "nginx (docs/static-site.md)" if use_nginx else "python -m http.server"
    print(f"cold lesson page {args.lang}/{args.lesson} on the {args.profile} profile, {args.loads} loads per server, "
          f"fresh profile, 390x844 touch; medians (min-max); static served by {static_by}")  # fmt: skip
    print(f"{'server':<9}{'HTTP KiB':>9}{'WS KiB':>8}{'total KiB':>10}{'reqs':>6}{'readable s':>12}"
          f"{'usable s':>10}{'usable min-max':>16}{'timeouts':>10}")  # fmt: skip
    for name in servers:
        loads = results.get(name, [])
        print(
            f"{name:<9}{median([x.http / 1024 for x in loads]):>9.1f}{median([x.ws / 1024 for x in loads]):>8.1f}"
            f"{median([x.total / 1024 for x in loads]):>10.1f}{median([x.requests for x in loads]):>6.0f}"
            f"{median([x.readable for x in loads]):>12.2f}{median([x.usable for x in loads]):>10.2f}"
            f"{spread([x.usable for x in loads]):>16}{timeouts.get(name, 0):>10}"
        )
    print(f"\nlesson pages answered per second on this machine ({len(pages)} pages, {args.clients} keep-alive "
          f"clients in this process, {args.seconds:.0f} s; the clients share the CPU with the server)")  # fmt: skip
    for label, rate in rates:
        print(f"{label:<28}{rate:>8.0f} pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
