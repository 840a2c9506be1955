"""The old path of :mod:`netwise.kernels.fork`, kept because course configs name it.

``nbgrader_config.py`` files written by netwise 0.1 say
``c.Execute.kernel_manager_class = "netwise.kernel_fork.ForkingKernelManager"``; the
names here are the same objects as in ``netwise.kernels.fork``.
"""

from __future__ import annotations

from typing import Any

from netwise.kernels import fork as _fork
from netwise.kernels.fork import ForkingKernelManager, ForkingMixin, ForkProvisioner, ForkServer, QuickReadyClient

__all__ = ["ForkServer", "ForkProvisioner", "QuickReadyClient", "ForkingMixin", "ForkingKernelManager"]


def __getattr__(name: str) -> Any:
    return getattr(_fork, name)  # ForkingServerKernelManager is made on first use there
