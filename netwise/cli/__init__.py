"""The ``netwise`` command line: ``main`` builds the parser from each command group's ``register``."""

from netwise.cli.main import main, parser

__all__ = ["main", "parser"]
