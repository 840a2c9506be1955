"""The lesson app's Voilà application: hardened settings, NetWise's handlers and the patches.

Voilà 0.5 has no trait for the executor class or for the kernel pool's refill; both
patches are made here, in :meth:`NetwiseVoila.initialize`, and nowhere else.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import voila.app
import voila.notebook_renderer
from jupyter_server.base.handlers import FileFindHandler
from voila.app import Voila
from voila.static_file_handler import AllowListFileHandler, TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from netwise.app.config import AUTO_POOL_PAGES, EXTENSION_ALLOWLIST, TEMPLATE_ROOT, NetwiseConfiguration
from netwise.app.executor import _SERVER_LOG, NetwiseExecutor
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


class NetwiseVoila(Voila):
    """Standalone Voilà serving NetWise lessons with hardened settings."""

    name = "netwise-serve"
    classes = [*Voila.classes, NetwiseConfiguration]

    def _config_file_paths_default(self) -> list[str]:
        # A voila.json on the host must not quietly undo the hardened settings.
        return []

    def initialize(self, argv: Any = None) -> None:
        self.netwise = NetwiseConfiguration(parent=self)
        self.served_dir = Path(tempfile.mkdtemp(prefix="netwise-serve-"))  # private (0700)
        self.site = prepare_site(self.netwise, self.served_dir)
        if self.netwise.pool < 0:
            self.netwise.pool = 1 if self.site.preheated_pages <= AUTO_POOL_PAGES else 0
        self.update_config(self.netwise.voila_config())
        self.root_dir = str(self.served_dir)
        # ipc socket paths must stay under ~107 bytes: keep kernel connection files in a
        # short directory even when TMPDIR is deep (a long path made every kernel fail).
        if os.path.isdir("/tmp") and len(tempfile.gettempdir()) > 20:
            self.connection_dir_root = "/tmp"
        # Voilà finds templates on the Jupyter data path; ours ships inside the package.
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH")]))
        # Voilà strips cell errors from the page without logging them; ours logs first.
        voila.notebook_renderer.VoilaExecutor = NetwiseExecutor  # type: ignore[misc]
        # Preheated kernels are replaced when the class has arrived, not while it arrives.
        voila.app.voila_kernel_manager_factory = kernel_manager_factory(voila_kernel_manager_factory)
        _SERVER_LOG[:] = [self.log]
        super().initialize(argv or [])
        if FORK_AVAILABLE:
            ForkServer.get()  # ready before the first visitor (it takes about half a second to preload)

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
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
