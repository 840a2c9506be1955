"""``netwise serve``: the lesson app on standalone Voilà (see netwise.app).

The flags are argparse, as the whole ``netwise`` command line is, but each one only names
a trait, of :class:`~netwise.app.config.NetwiseConfiguration` or of the Voilà application,
and the trait holds the default and the help. A flag that is not given sets nothing; the
given ones go into a traitlets ``Config`` over the ``--config`` file, and the app forces
its hardened settings over both (netwise/app/config.py).
"""

from __future__ import annotations

import argparse
import errno
import functools
import logging
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from traitlets import TraitError
from traitlets.config import Config, Configurable
from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader

from netwise.app.config import NetwiseConfiguration
from netwise.errors import NetwiseError

APP = "NetwiseVoila"  # the config section of the Voilà application (netwise.app.server.NetwiseVoila)
LOG_LEVELS = ("DEBUG", "INFO", "WARN", "ERROR", "CRITICAL")


def _comma_list(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def _log_level(text: str) -> str:
    level = text.upper().replace("WARNING", "WARN")
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"choose one of {', '.join(LOG_LEVELS)}, not {text!r}")
    return level


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"a port is a number from 1 to 65535, not {text!r}")
    return port


@dataclass(frozen=True)
class Flag:
    """A command-line flag that sets one trait (``Section.name``), like an alias of a traitlets application."""

    option: str
    trait: str
    metavar: str
    parse: Callable[[str], Any] | None = None  # text to value; default: the trait's from_string, validated
    repeat: bool = False  # each use adds one item to the list
    note: str = ""  # how the flag spells its value, after the trait's help
    help: str = ""  # instead of the trait's help
    hidden: bool = False

    @property
    def dest(self) -> str:
        return self.option.lstrip("-").replace("-", "_")

    @property
    def section(self) -> str:
        return self.trait.split(".")[0]

    @property
    def name(self) -> str:
        return self.trait.split(".")[1]


FLAGS = (
    Flag("--curriculum", "NetwiseConfiguration.curriculum", "DIR"),
    Flag("--lang", "NetwiseConfiguration.languages", "LANG", parse=str, repeat=True, note="repeat the flag for more"),
    Flag("--region", "NetwiseConfiguration.region", "ID", parse=str),
    Flag("--lessons", "NetwiseConfiguration.lessons", "IDS", parse=_comma_list, note="several comma-separated"),
    Flag("--course", "NetwiseConfiguration.course", "DIR", parse=str),
    Flag("--assignment", "NetwiseConfiguration.assignments", "NAME", parse=str, repeat=True,
         note="repeat the flag for more (e.g. the module's -pre, lessons and -post)"),
    Flag("--host", f"{APP}.ip", "HOST", parse=str),
    Flag("--port", f"{APP}.port", "PORT", parse=_port, help="Port to listen on"),
    Flag("--pool", "NetwiseConfiguration.pool", "N"),
    Flag("--max-students", "NetwiseConfiguration.max_students", "N"),
    Flag(
        "--trusted-proxy", "NetwiseConfiguration.trusted_proxies", "ADDRESS", parse=str, repeat=True,
        note="an address or network; repeat the flag for more",
    ),
    Flag("--allow-host", "NetwiseConfiguration.allow_hosts", "NAME", parse=str, repeat=True,
         note="repeat the flag for more"),
    Flag("--cull-after", "NetwiseConfiguration.cull_idle_timeout", "SECONDS", hidden=True),
    Flag("--cull-silent-after", "NetwiseConfiguration.silent_cull_after", "SECONDS", hidden=True),
    Flag("--cull-interval", "NetwiseConfiguration.cull_interval", "SECONDS", hidden=True),
)  # fmt: skip
LOG_FLAG = Flag(
    "--log-level", f"{APP}.log_level", "LEVEL", parse=_log_level, help=f"Server log level: {', '.join(LOG_LEVELS)}"
)


def _trait_parser(flag: Flag) -> Callable[[str], Any]:
    """The flag's text as its NetwiseConfiguration trait reads it, checked as a config file's value is."""
    trait = NetwiseConfiguration.class_traits()[flag.name]

    def parse(text: str) -> Any:
        try:
            value = trait.from_string(text)
            NetwiseConfiguration(**{flag.name: value})
        except (TraitError, ValueError) as exc:
            raise argparse.ArgumentTypeError(
                str(exc) if isinstance(exc, TraitError) else f"invalid value {text!r}"
            ) from None
        return value

    return parse


@functools.cache
def _defaults() -> dict[str, Configurable]:
    """One default instance per section, to show each trait's default (only when help is asked for)."""
    # Voilà takes about a second to import: only `netwise serve --help` and the command itself need it.
    from netwise.app.server import NetwiseVoila

    return {"NetwiseConfiguration": NetwiseConfiguration(), APP: NetwiseVoila()}


def _describe(flag: Flag) -> str:
    """The flag's help: its trait's help (or its own), how it is spelled, and the trait's default."""
    owner = _defaults()[flag.section]
    text = flag.help or owner.traits()[flag.name].help or ""
    text = text[:1].lower() + text[1:]  # as argparse's own help reads
    if flag.note:
        text += f"; {flag.note}"
    if "default" not in text:
        value = getattr(owner, flag.name)
        text += f" (default: {logging.getLevelName(value) if flag is LOG_FLAG else value})"
    return text


class _TraitHelpFormatter(argparse.HelpFormatter):
    """argparse's help, each flag's text and default read from its trait when help is shown."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        flag = _FLAG_BY_OPTION.get(action.option_strings[0]) if action.option_strings else None
        if flag is None:
            return action.help
        return _describe(flag).replace("%", "%%")


_FLAG_BY_OPTION = {flag.option: flag for flag in (*FLAGS, LOG_FLAG)}


def _one_line_errors(parser: argparse.ArgumentParser) -> None:
    """Usage errors of this command as one ``netwise: error:`` line and exit 2, unknown flags included.

    The parent parser (netwise/cli/main.py) would report an unknown flag itself, after a
    usage line; this command checks its arguments whole instead.
    """

    def error(message: str) -> NoReturn:
        parser.exit(2, f"netwise: error: {message} (see 'netwise serve --help')\n")

    parse_known = parser.parse_known_args

    def parse_known_args(args: Any = None, namespace: Any = None) -> tuple[argparse.Namespace, list[str]]:
        parsed, extra = parse_known(args, namespace)
        if extra:
            error(f"unrecognized arguments: {' '.join(extra)}")
        return parsed, extra

    parser.error = error  # type: ignore[method-assign]
    parser.parse_known_args = parse_known_args  # type: ignore[method-assign, assignment]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "serve",
        help="serve the lessons as web pages (Voilà) for phones and classrooms",
        description="Serve the lessons as web pages (Voilà). Settings: trait defaults, then --config FILE, "
        "then these flags; the hardened settings (no code execution, no files, no tracebacks) always win.",
        formatter_class=_TraitHelpFormatter,
    )
    p.add_argument(
        "--config",
        metavar="FILE",
        dest="config_file",
        help="traitlets config file (.py or .json) read before the flags, "
        "e.g. c.NetwiseConfiguration.max_students = 30",
    )
    for flag in FLAGS:
        p.add_argument(
            flag.option,
            dest=flag.dest,
            metavar=flag.metavar,
            type=flag.parse or _trait_parser(flag),
            action="append" if flag.repeat else "store",
            default=argparse.SUPPRESS,
            help=argparse.SUPPRESS if flag.hidden else flag.trait,  # the text comes from the trait
        )
    logs = p.add_mutually_exclusive_group()
    logs.add_argument(
        "--debug", dest=LOG_FLAG.dest, action="store_const", const="DEBUG", default=argparse.SUPPRESS,
        help="log everything (--log-level DEBUG); visitors still never see a traceback",
    )  # fmt: skip
    logs.add_argument(
        LOG_FLAG.option, dest=LOG_FLAG.dest, metavar=LOG_FLAG.metavar, type=LOG_FLAG.parse,
        default=argparse.SUPPRESS, help=LOG_FLAG.trait,
    )  # fmt: skip
    p.set_defaults(func=cmd_serve)
    _one_line_errors(p)


def load_config_file(path: str) -> Config:
    """A traitlets config file, Python (``c.NetwiseConfiguration.max_students = 30``) or JSON."""
    file = Path(path)
    loaders = {".py": PyFileConfigLoader, ".json": JSONFileConfigLoader}
    if file.suffix not in loaders:
        raise NetwiseError(f"{path}: a config file is Python (.py) or JSON (.json)")
    if not file.is_file():
        raise NetwiseError(f"config file not found: {path}")
    try:
        return loaders[file.suffix](file.name, path=str(file.resolve().parent)).load_config()
    except Exception as exc:  # the file's own error: a Python or JSON mistake
        raise NetwiseError(f"{path} cannot be read: {type(exc).__name__}: {exc}") from None


def settings(args: argparse.Namespace) -> Config:
    """The configuration the command line asks for: the ``--config`` file, then the flags given."""
    config = load_config_file(args.config_file) if getattr(args, "config_file", None) else Config()
    given = Config()
    for flag in (*FLAGS, LOG_FLAG):
        if flag.dest in vars(args):
            given[flag.section][flag.name] = getattr(args, flag.dest)
    config.merge(given)
    return config


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


# What a course decides in class mode: giving one of these with --course is a mistake.
COURSE_DECIDES = ("--lang", "--lessons", "--curriculum", "--region")


def _class_mode_usage(args: argparse.Namespace) -> str | None:
    """The usage error of the class-mode flags, or None."""
    given = vars(args)
    if "course" not in given:
        return "--assignment needs --course DIR" if "assignment" in given else None
    clash = [option for option in COURSE_DECIDES if option.lstrip("-") in given]
    if clash:
        return (
            f"{', '.join(clash)} cannot be given with --course: the course decides its language, lessons and curriculum"
        )
    if "assignment" not in given:
        return "--course needs at least one --assignment NAME (the assignments of this session)"
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    usage = _class_mode_usage(args)
    if usage is not None:
        print(f"netwise: error: {usage} (see 'netwise serve --help')", file=sys.stderr)
        return 2
    config = settings(args)
    # Voilà and Jupyter Server take about a second to import: only this command needs them.
    from netwise.app.server import NetwiseVoila

    try:
        app = NetwiseVoila(config=config)
        settings_ = app.netwise  # NetWise's settings, checked here before anything starts
    except TraitError as exc:
        raise NetwiseError(f"invalid setting: {exc}") from None
    _check_port(app.ip, app.port)
    app.initialize()
    if app.classroom is not None:
        _class_banner(app)
        app.start()
        print("netwise serve: stopped", file=sys.stderr)
        return 0
    shown = "127.0.0.1" if app.ip in ("0.0.0.0", "::") else app.ip
    print(
        f"NetWise lessons: http://{shown}:{app.port}/  ({len(app.site.lessons)} lesson pages, "
        f"{len(app.site.forms)} check pages, {', '.join(app.site.languages)}; "
        f"Ctrl-C stops the server and every kernel)",
        flush=True,
    )
    if settings_.pool:
        print(
            f"Preheating {sum(app.pools.values())} kernels ({settings_.pool} shared by {len(app.site.lessons)} "
            "lesson pages, one per before/after check page, about 30 MiB each); --pool 0 to use less memory.",
            flush=True,
        )
    else:
        print("Kernels start when a lesson is opened (--pool N with --lessons keeps some ready).", flush=True)
    if app.ip in ("0.0.0.0", "::"):
        print("Listening on every network interface: students use this computer's address.", flush=True)
    app.start()  # returns after Ctrl-C or SIGTERM, once every kernel is shut down
    print("netwise serve: stopped", file=sys.stderr)
    return 0


def _class_banner(app: Any) -> None:
    """Class mode: where students join (as text and as the cards' QR code) and the teacher's dashboard key."""
    # deferred import: cards.py loads nbgrader's course module, which only class mode needs
    from netwise.app.cards import lan_address, terminal_qr

    host = lan_address() if app.ip in ("0.0.0.0", "::") else app.ip
    join = f"http://{host}:{app.port}/"
    room = app.classroom
    print(
        f"NetWise class '{room.course_id}': {len(room.students)} students, {len(room.pages)} pages "
        f"({', '.join(room.assignments)}); Ctrl-C stops the server (answers are already saved)",
        flush=True,
    )
    print(f"Students join at: {join}", flush=True)
    print(terminal_qr(join), flush=True)
    if app.ip not in ("0.0.0.0", "::") and host.startswith("127."):
        print("Only this computer can join: --host 0.0.0.0 lets phones on the school network in.", flush=True)
    # The key is printed once here and never put in any page a student can load.
    print(f"Teacher dashboard: http://{host}:{app.port}/teacher?key={app.teacher_key}", flush=True)
