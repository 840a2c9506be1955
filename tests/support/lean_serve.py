"""``netwise serve`` with the lean lesson page wired in, before server.py carries the wiring.

``python tests/support/lean_serve.py serve --port 8866 [netwise serve's flags]`` runs the
command line's own ``serve`` with :class:`netwise.app.lean.LeanVoila` in place of
``NetwiseVoila`` (the command imports the app class when it runs). Once server.py has the
lean wiring, ``netwise serve`` itself is the same thing and this file can go.
"""

from __future__ import annotations

import sys

import netwise.app.server
from netwise.app.lean import LeanVoila
from netwise.cli import main

if __name__ == "__main__":
    netwise.app.server.NetwiseVoila = LeanVoila  # type: ignore[misc]
    sys.exit(main(sys.argv[1:]))
