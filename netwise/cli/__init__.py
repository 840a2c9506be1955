"""The ``netwise`` command line: ``main`` builds the parser from each command group's ``register``."""

import sys

# rfc3987_syntax compiles about forty Lark grammars when it is imported: a second of every
# command's start. Only jsonschema's optional "iri" format checker imports it (nbformat and
# jupyter_events pull jsonschema in), it does without it, and no schema NetWise meets uses "iri".
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from netwise.cli.main import main, parser  # noqa: E402  (after the line above, by design)

__all__ = ["main", "parser"]
