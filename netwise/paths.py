"""Where the bundled curriculum and notebooks live, in a wheel or in a checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries the data under netwise/_data; a checkout has it beside netwise/.
_DATA = _PACKAGE / "_data"
_CHECKOUT = _PACKAGE.parent

CURRICULUM_ENV = "NETWISE_CURRICULUM"


def bundled_curriculum() -> Path:
    installed = _DATA / "curriculum"
    return installed if installed.is_dir() else _CHECKOUT / "curriculum"


def bundled_notebooks() -> Path:
    installed = _DATA / "notebooks"
    return installed if installed.is_dir() else _CHECKOUT / "notebooks"


def default_curriculum() -> Path:
    """The curriculum a kernel should use: an NGO's copy if the environment names one."""
    named = os.environ.get(CURRICULUM_ENV)
    return Path(named) if named else bundled_curriculum()
