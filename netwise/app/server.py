"""The lesson app's Voilà application: NetWise's settings, hardened, its handlers and two patches.

Settings: see :mod:`netwise.app.config` (trait defaults, then a config file, then the
flags, then the hardened settings, forced here after all of them).

Voilà 0.5 has no trait for the executor class or for the kernel pool's refill. Both
patches are made in :meth:`NetwiseVoila.patch_voila`, and nowhere else; :data:`PATCHED`
names what they replace, and tests/unit/test_serve_config.py fails if Voilà renames it.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import voila.app
import voila.notebook_renderer
from jupyter_server.base.handlers import FileFindHandler
from traitlets import Instance, Unicode, default
from traitlets.config import Config
from voila.app import Voila
from voila.static_file_handler import AllowListFileHandler, TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from netwise.app.config import (
    ALLOWED_MESSAGE_TYPES,
    AUTO_POOL_PAGES,
    EXTENSION_ALLOWLIST,
    KERNEL_PRELOAD,
    TEMPLATE_ROOT,
    NetwiseConfiguration,
)
from netwise.app.executor import NetwiseExecutor
from netwise.app.handlers import (
    CONTENT_SECURITY_POLICY,
    AllowedExtensionsHandler,
    LandingHandler,
    LessonHandler,
    NotFoundHandler,
    SafeTemplateStaticFileHandler,
    _page_env,
)
from netwise.app.pool import kernel_manager_factory
from netwise.app.site import prepare_site
from netwise.kernels.fork import FORK_AVAILABLE, ForkServer
from netwise.paths import CURRICULUM_ENV
from netwise.scoring.record import MEMORY_ENV

# (module, name) of what Voilà looks up at call time and NetwiseVoila.patch_voila replaces.
PATCHED = (
    ("voila.notebook_renderer", "VoilaExecutor"),  # NotebookRenderer makes each page's executor
    ("voila.app", "voila_kernel_manager_factory"),  # Voila.init_settings makes the kernel manager class
)


class NetwiseVoila(Voila):
    """Standalone Voilà serving NetWise lessons with hardened settings.

    It takes its settings as traitlets configuration only (``NetwiseVoila(config=...)``;
    ``netwise serve`` maps its flags and ``--config`` file onto it), never Voilà's flags.
    """

    name = "netwise-serve"
    description = "NetWise lessons as web pages (netwise serve)"
    classes = [*Voila.classes, NetwiseConfiguration]
    aliases: dict[Any, Any] = {}  # Voilà's flags are not NetWise's: see netwise/cli/serve.py
    flags: dict[Any, Any] = {}

    ip = Unicode("127.0.0.1", help="Address to listen on; 0.0.0.0 for a class on the local network").tag(config=True)
    netwise = Instance(NetwiseConfiguration, help="NetWise's own settings (c.NetwiseConfiguration)")

    @default("netwise")
    def _netwise_default(self) -> NetwiseConfiguration:
        return NetwiseConfiguration(parent=self)

    def _config_file_paths_default(self) -> list[str]:
        # A voila.json on the host must not quietly undo the hardened settings.
        return []

    def initialize(self, argv: Any = None) -> None:
        if argv:
            raise ValueError("NetwiseVoila takes traitlets configuration, not command-line arguments")
        # Answers stay in each visitor's kernel: never a file on a shared server.
        os.environ[MEMORY_ENV] = "memory"
        if self.netwise.curriculum:
            os.environ[CURRICULUM_ENV] = self.netwise.curriculum  # kernels load the same curriculum
        self.served_dir = Path(tempfile.mkdtemp(prefix="netwise-serve-"))  # private (0700)
        self.site = prepare_site(self.netwise, self.served_dir)
        if self.netwise.pool < 0:
            self.netwise.pool = 1 if self.site.preheated_pages <= AUTO_POOL_PAGES else 0
        # The hardened settings win over every config file and flag, loaded before this.
        self.hardened = self.netwise.voila_config()
        self.hardened[type(self).__name__].root_dir = str(self.served_dir)
        self.update_config(self.hardened)
        # ipc socket paths must stay under ~107 bytes: keep kernel connection files in a
        # short directory even when TMPDIR is deep (a long path made every kernel fail).
        if os.path.isdir("/tmp") and len(tempfile.gettempdir()) > 20:
            self.connection_dir_root = "/tmp"
        # Voilà finds templates on the Jupyter data path; ours ships inside the package.
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH")]))
        self.patch_voila()
        super().initialize([])
        if FORK_AVAILABLE:
            # Ready before the first visitor (it takes about half a second to preload); the
            # provisioner asks for the same preload (c.ForkProvisioner.preload, forced above).
            ForkServer.get(KERNEL_PRELOAD)

    def patch_voila(self) -> None:
        """The two replacements Voilà 0.5 has no trait for; the only place either is made (see PATCHED)."""
        # 1. Voilà strips cell errors from the page without logging them; ours logs them
        #    first, to this app's log (the executor's parent).
        voila.notebook_renderer.VoilaExecutor = functools.partial(NetwiseExecutor, parent=self)
        # 2. Preheated kernels are replaced when the class has arrived, not while it arrives.
        voila.app.voila_kernel_manager_factory = kernel_manager_factory(voila_kernel_manager_factory)

    def setup_template_dirs(self) -> None:
        # Voilà calls this right after making its VoilaConfiguration: the hardened values are
        # set on that object here, over any configuration (nested sections such as
        # c.Voila.VoilaConfiguration included), before the template folders are found.
        forced: Config = self.hardened.VoilaConfiguration
        for name, value in forced.items():
            setattr(self.voila_configuration, name, value)
        super().setup_template_dirs()

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
        # Voilà passes these too; set again on the objects themselves, whatever the configuration.
        self.kernel_manager.allowed_message_types = list(ALLOWED_MESSAGE_TYPES)
        self.contents_manager.root_dir = self.root_dir
        settings["netwise_config"] = self.netwise
        settings["netwise_site"] = self.site
        settings["netwise_pages"] = _page_env()
        headers = dict(settings.get("headers", {}))
        headers.update(
            {
                "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            }
        )
        settings["headers"] = headers
        return settings

    def init_handlers(self) -> list[Any]:
        # Voilà's tree, contents API, file handler and /voila/render are not part of the app.
        dropped = (TornadoVoilaTreeHandler, VoilaContentsHandler, AllowListFileHandler, TornadoVoilaHandler)
        handlers = []
        for spec in super().init_handlers():
            pattern, handler = spec[0], spec[1]
            if isinstance(handler, type) and issubclass(handler, dropped):
                continue
            if handler is TemplateStaticFileHandler:
                spec = (pattern, SafeTemplateStaticFileHandler, *spec[2:])
            if handler is FileFindHandler and "labextensions" in pattern:
                spec = (pattern, AllowedExtensionsHandler, {**spec[2], "allowed": EXTENSION_ALLOWLIST})
            handlers.append(spec)
        lesson_args = {
            "template_paths": self.template_paths,
            "config": self.config,
            "voila_configuration": self.voila_configuration,
        }
        return [
            (r"/", LandingHandler),
            (r"/lesson/([A-Za-z_-]+)/([a-z0-9-]+)/?", LessonHandler, lesson_args),
            (r"/check/([A-Za-z_-]+)/([a-z0-9-]+)/?", LessonHandler, {**lesson_args, "page_kind": "check"}),
            *handlers,
            (r"/(.*)", NotFoundHandler),
        ]

    def stop(self) -> None:
        try:
            super().stop()
        finally:
            shutil.rmtree(self.served_dir, ignore_errors=True)
