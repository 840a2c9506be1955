"""``python -m netwise``: the same command line as ``netwise``."""

import sys

from netwise.cli import main

sys.exit(main())
