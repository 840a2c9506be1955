"""The ``netwise`` command line. Errors are one line and a non-zero exit, never a traceback.

Each command group lives in a module of its own with a ``register(subparsers)``; the
order here is the order ``netwise --help`` lists them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from netwise import __version__
from netwise.cli import build, cards, catalogs, classroom, content, guide, serve, site
from netwise.cli.common import print_problems
from netwise.errors import ContentError, NetwiseError
from netwise.grading import cli as course_cli


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="netwise",
        description="NetWise: online-safety lessons as notebooks, class assignments and lesson apps.",
    )
    main.add_argument("--version", action="version", version=f"netwise {__version__}")
    sub = main.add_subparsers(dest="command", metavar="COMMAND", required=True)
    content.register(sub)
    build.register(sub)
    catalogs.register(sub)
    serve.register(sub)
    course_actions = course_cli.register(sub)
    cards.register(course_actions)
    classroom.register(course_actions)
    guide.register(sub)
    site.register(sub)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ContentError as exc:
        print_problems(exc.problems)
        print(
            f"netwise: {len(exc.problems)} problem(s) in the curriculum; fix them and run 'netwise check'",
            file=sys.stderr,
        )
        return 1
    except NetwiseError as exc:
        print(f"netwise: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("netwise: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line, with a way to see the details
        if os.environ.get("NETWISE_DEBUG"):
            raise
        print(
            f"netwise: internal error: {type(exc).__name__}: {exc} (set NETWISE_DEBUG=1 for details)", file=sys.stderr
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
