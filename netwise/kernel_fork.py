"""The old path of :mod:`netwise.kernels.fork`, kept because course configs name it.

``nbgrader_config.py`` files written by netwise 0.1 say
``c.Execute.kernel_manager_class = "netwise.kernel_fork.ForkingKernelManager"``; the
names here are the same objects as in ``netwise.kernels.fork`` and ``netwise.kernels.provisioner``.
"""

from __future__ import annotations

from netwise.kernels.fork import ForkingKernelManager, ForkServer, ProvisionedKernelManager
from netwise.kernels.provisioner import ForkProvisioner, QuickReadyClient

__all__ = ["ForkServer", "ForkProvisioner", "QuickReadyClient", "ProvisionedKernelManager", "ForkingKernelManager"]
