"""``netwise serve``: the lesson app on standalone Voilà (see netwise.app)."""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from typing import Any

from netwise.errors import NetwiseError
from netwise.paths import CURRICULUM_ENV
from netwise.scoring.record import MEMORY_ENV


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("serve", help="serve the lessons as web pages (Voilà) for phones and classrooms")
    p.add_argument("--curriculum", metavar="DIR", help="curriculum folder (default: the bundled one)")
    p.add_argument(
        "--lang", action="append", metavar="LANG", help="serve this language (repeatable; default: all complete)"
    )
    p.add_argument(
        "--lessons",
        metavar="IDS",
        help="comma-separated lesson ids (default: all); a module's checks come with any of its lessons",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; 0.0.0.0 for a class)")
    p.add_argument("--port", type=int, default=8866, help="port (default: 8866)")
    p.add_argument(
        "--pool",
        type=int,
        default=None,
        metavar="N",
        help="preheated kernels per lesson and before/after check page (default: 1 when at most 8 such pages "
        "are served, else 0)",
    )
    p.add_argument("--max-students", type=int, default=40, metavar="N", help="live lesson pages at once (default: 40)")
    p.add_argument("--cull-after", type=int, default=120, metavar="SECONDS", help=argparse.SUPPRESS)
    p.add_argument("--cull-interval", type=int, default=30, metavar="SECONDS", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)


def _check_port(host: str, port: int) -> None:
    """Fail with one clear line before Voilà would silently try other ports."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise NetwiseError(f"cannot listen on {host}: {exc.strerror}") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado does
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise NetwiseError(f"port {port} is already in use on {host}; choose another with --port") from None
            raise NetwiseError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    from traitlets.config import Config

    # Voilà and Jupyter Server take about a second to import: only this command needs them.
    from netwise.app.server import NetwiseVoila

    if (args.pool is not None and args.pool < 0) or args.max_students < 1:
        raise NetwiseError("--pool must be 0 or more and --max-students at least 1")
    _check_port(args.host, args.port)
    config = Config()
    n = config.NetwiseConfiguration
    if args.curriculum:
        n.curriculum = os.path.abspath(args.curriculum)
        os.environ[CURRICULUM_ENV] = n.curriculum  # kernels load the same curriculum
    n.languages = list(args.lang or [])
    n.lessons = [x.strip() for x in (args.lessons or "").split(",") if x.strip()]
    n.pool = -1 if args.pool is None else args.pool
    n.max_students = args.max_students
    n.cull_idle_timeout = args.cull_after
    n.cull_interval = args.cull_interval
    config.Voila.ip = args.host
    config.Voila.port = args.port
    config.Voila.port_retries = 0
    config.Voila.open_browser = False
    # Answers stay in each visitor's kernel: never a file on a shared server.
    os.environ[MEMORY_ENV] = "memory"
    app = NetwiseVoila(config=config)
    app.initialize([])
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    lessons = len(app.site.lessons)
    checks = len(app.site.checks)
    print(
        f"NetWise lessons: http://{shown}:{args.port}/  ({lessons} lesson pages, {checks} check pages, "
        f"{', '.join(app.site.languages)}; "
        f"Ctrl-C stops the server and every kernel)",
        flush=True,
    )
    pool = app.netwise.pool
    if pool:
        print(
            f"Preheating {pool * app.site.preheated_pages} kernels ({pool} per lesson and before/after check "
            "page, about 30 MiB each); "
            "--pool 0 or --lessons to use less memory.",
            flush=True,
        )
    else:
        print("Kernels start when a lesson is opened (--pool N with --lessons keeps some ready).", flush=True)
    if args.host in ("0.0.0.0", "::"):
        print("Listening on every network interface: students use this computer's address.", flush=True)
    app.start()  # returns after Ctrl-C or SIGTERM, once every kernel is shut down
    print("netwise serve: stopped", file=sys.stderr)
    return 0
