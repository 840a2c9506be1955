"""The lesson app's Voilà application: NetWise's settings, hardened, its handlers and four patches.

Settings: see :mod:`netwise.app.config` (trait defaults, then a config file, then the
flags, then the hardened settings, forced here after all of them).

Routes: the app serves its own pages and, of what Voilà registers, only what a lesson page
uses (:data:`KEPT`), each behind the guard (netwise/app/guard.py) and the kernel routes
behind their owner's cookie. Everything else Voilà or Jupyter Server would offer (login,
logout, tree, render, contents, files, …) answers NetWise's "not found" page.

Voilà 0.5 has no trait for the executor class, the exporter class, the kernel pool's
refill or the renderer of a page whose kernel starts on request. The patches are made in
:meth:`NetwiseVoila.patch_voila`, and nowhere else; :data:`PATCHED` names what they replace,
and tests/unit/test_serve_config.py fails if Voilà renames it.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import tornado.web
import voila.app
import voila.handler
import voila.notebook_renderer
from jupyter_server.services.kernels.handlers import KernelHandler
from traitlets import Instance, Unicode, default
from traitlets.config import Config
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from netwise.app import compression, guard, limits, logsafe
from netwise.app.admission import Admission
from netwise.app.channels import NetwiseConnection, OwnedKernelWebsocketHandler, SocketCounts
from netwise.app.class_handlers import class_routes, class_settings, prepare_class_pages
from netwise.app.classroom import ClassRoom, open_classroom
from netwise.app.config import (
    ALLOWED_MESSAGE_TYPES,
    ATTEMPTS_ENV,
    AUTO_POOL_PAGES,
    ESTIMATE_ENV,
    KERNEL_PRELOAD,
    PAGE_MODE,
    PAGE_MODE_ENV,
    TEMPLATE_ROOT,
    NetwiseConfiguration,
)
from netwise.app.dashboard import dashboard_routes
from netwise.app.exporter import NetwiseExporter, NetwiseRenderer
from netwise.app.guard import (
    SECURITY_HEADERS,
    OwnedKernelHandler,
    OwnedRequestInfoHandler,
    OwnedShutdownHandler,
    guarded,
)
from netwise.app.handlers import (
    LandingHandler,
    LessonHandler,
    NotFoundHandler,
    SafeTemplateStaticFileHandler,
)
from netwise.app.lean import LeanExecutor
from netwise.app.logins import load_secrets, secrets_path
from netwise.app.pages import page_env
from netwise.app.pool import kernel_manager_factory, pool_sizes
from netwise.app.sessions import SessionStore
from netwise.app.site import Site, prepare_site
from netwise.errors import NetwiseError
from netwise.kernels.fork import FORK_AVAILABLE, ForkServer
from netwise.kernels.warm import WARM_ENV
from netwise.paths import CURRICULUM_ENV
from netwise.scoring.record import MEMORY_ENV

# Of Voilà's own handlers, the ones a lesson page uses, by class, and what serves each here.
# Any other (its login and logout, tree, render, contents and files handlers) is not served.
KEPT: dict[type, type] = {
    KernelHandler: OwnedKernelHandler,  # the widget manager reads its kernel's model
    VoilaKernelWebsocketHandler: OwnedKernelWebsocketHandler,
    RequestInfoSocketHandler: OwnedRequestInfoHandler,  # preheated pages only
    VoilaShutdownKernelHandler: OwnedShutdownHandler,  # the page ends its kernel when left
    TemplateStaticFileHandler: SafeTemplateStaticFileHandler,  # the lean page's hashed bundle
}
# Not kept since the lean page (issue 12) loads no JupyterLab front end: Voilà's /voila/static,
# the themes and the labextensions.

# (module, name) of what Voilà looks up at call time and NetwiseVoila.patch_voila replaces.
PATCHED = (
    ("voila.notebook_renderer", "VoilaExecutor"),  # NotebookRenderer makes each page's executor
    ("voila.notebook_renderer", "VoilaExporter"),  # ... and each page's exporter
    ("voila.app", "voila_kernel_manager_factory"),  # Voila.init_settings makes the kernel manager class
    ("voila.handler", "NotebookRenderer"),  # VoilaHandler renders a page whose kernel starts on request
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

    classroom: ClassRoom | None = None  # class mode (--course): the course, its students and pages
    class_sessions: SessionStore | None = None
    teacher_key: str | None = None  # the dashboard's key for this run: printed, kept only in memory

    def initialize(self, argv: Any = None) -> None:
        if argv:
            raise ValueError("NetwiseVoila takes traitlets configuration, not command-line arguments")
        if self.netwise.course:
            # Class mode: the course decides what is served; each answer is written by the
            # student's kernel into the course's submitted/ folder (netwise/app/classroom.py).
            self.classroom = open_classroom(Path(self.netwise.course), list(self.netwise.assignments))
            self.netwise.languages = [self.classroom.lang]
            self.netwise.region = self.classroom.region
            self.netwise.curriculum = str(self.classroom.course.curriculum_root)
            self.netwise.lessons = self.classroom.lesson_ids
            self.netwise.pool = 0  # pages are rendered once the student is known, never preheated
            self.netwise.max_students = len(self.classroom.students)
            os.environ.pop(MEMORY_ENV, None)
        else:
            # Answers stay in each visitor's kernel: never a file on a shared server.
            os.environ[MEMORY_ENV] = "memory"
        if self.netwise.curriculum:
            os.environ[CURRICULUM_ENV] = self.netwise.curriculum  # kernels load the same curriculum
        self.served_dir = Path(tempfile.mkdtemp(prefix="netwise-serve-"))  # private (0700)
        self.site = prepare_site(self.netwise, self.served_dir)
        if self.classroom is not None:
            prepare_class_pages(self.classroom, self.site)
            secrets = load_secrets(self.classroom.root)
            if not secrets:
                raise NetwiseError(
                    f"no student of course '{self.classroom.course_id}' has a login card yet; "
                    f"run 'netwise course cards {self.classroom.root}' first"
                )
            self.class_sessions = SessionStore(
                self.classroom.root / "class", secrets, list(self.classroom.students),
                secrets_file=secrets_path(self.classroom.root),  # a `course cards --reset` meanwhile counts
            )  # fmt: skip
            self.teacher_key = self.class_sessions.issue_teacher_key()
        if self.netwise.pool < 0:
            self.netwise.pool = len(self.site.lessons) if self.site.preheated_pages <= AUTO_POOL_PAGES else 0
        self.pools = served_pools(self.site, self.netwise.pool)
        # The fork server loads the served modules once for all kernels (netwise/kernels/warm.py).
        os.environ[WARM_ENV] = ",".join(sorted({page.module_id for page in self.site.lessons.values()}))
        # Kernels read these limits from their environment (netwise/widgets/base.py, passphrase.py).
        os.environ[ATTEMPTS_ENV] = str(self.netwise.max_stored_attempts)
        os.environ[ESTIMATE_ENV] = str(self.netwise.estimate_interval)
        # The lean lesson page draws the widgets with its own bundle: kernels' widgets carry a
        # stub renderer and only the strings it shows (netwise/widgets/page_mode.py).
        os.environ[PAGE_MODE_ENV] = PAGE_MODE
        # The hardened settings win over every config file and flag, loaded before this.
        self.hardened = self.netwise.voila_config(self.pools)
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
        """The replacements Voilà 0.5 has no trait for; the only place any is made (see PATCHED)."""
        # 1. Voilà strips cell errors from the page without logging them; ours logs them
        #    first, to this app's log (the executor's parent), and attaches each widget's
        #    page state to its output for the lean page (netwise/app/lean.py).
        voila.notebook_renderer.VoilaExecutor = functools.partial(LeanExecutor, parent=self)
        # 2. Each page's templates are loaded once per server, not once per page.
        voila.notebook_renderer.VoilaExporter = NetwiseExporter
        # 3. Preheated kernels are replaced when the class has arrived, not while it arrives.
        voila.app.voila_kernel_manager_factory = kernel_manager_factory(voila_kernel_manager_factory)
        # 4. A page rendered on request whose template fails answers an error instead of
        #    leaving the request waiting (netwise/app/exporter.py).
        voila.handler.NotebookRenderer = NetwiseRenderer

    def setup_template_dirs(self) -> None:
        # Voilà calls this right after making its VoilaConfiguration: the hardened values are
        # set on that object here, over any configuration (nested sections such as
        # c.Voila.VoilaConfiguration included), before the template folders are found.
        forced: Config = self.hardened.VoilaConfiguration
        for name, value in forced.items():
            setattr(self.voila_configuration, name, value)
        super().setup_template_dirs()

    def init_settings(self) -> dict[str, Any]:
        # Before the first ZeroMQ socket and the first visitor (netwise/app/limits.py).
        open_files = limits.raise_open_files()
        settings: dict[str, Any] = super().init_settings()
        zmq_sockets = limits.raise_zmq_sockets(self.kernel_manager.context, open_files)
        self.log.info("open files: %d; ZeroMQ sockets: %d", open_files, zmq_sockets)
        logsafe.install([self.log, logging.getLogger("tornado"), logging.getLogger("tornado.access")])
        # Voilà passes these too; set again on the objects themselves, whatever the configuration.
        self.kernel_manager.allowed_message_types = list(ALLOWED_MESSAGE_TYPES)
        self.contents_manager.root_dir = self.root_dir
        self.admission = Admission(self.netwise)
        sockets = SocketCounts(self.netwise)
        self.kernel_manager.admission = self.admission
        self.admission.evict = self.kernel_manager.evict
        self.admission.connections = self.kernel_manager.connections
        self.admission.on_gone += [sockets.close_kernel, guard.forget_request_info]
        settings.update(guard.settings_for(self.netwise))
        settings["netwise_config"] = self.netwise
        settings["netwise_log"] = self.log
        settings["netwise_site"] = self.site
        settings["netwise_pages"] = page_env()
        settings["netwise_admission"] = self.admission
        settings["netwise_sockets"] = sockets
        settings["kernel_websocket_connection_class"] = NetwiseConnection
        # A frame bigger than any message a page may send is cut off by tornado itself.
        settings["websocket_max_message_size"] = self.netwise.max_message_bytes + 4096
        settings["headers"] = {**settings.get("headers", {}), **SECURITY_HEADERS}
        settings.update(compression.TORNADO_SETTINGS)  # compressed responses and websocket
        if self.classroom is not None and self.class_sessions is not None:
            settings.update(class_settings(self.classroom, self.class_sessions, self.site, self.admission))
        return settings

    def voila_handlers(self) -> list[Any]:
        """Every handler Voilà itself would register for this app (before NetWise chooses)."""
        return list(super().init_handlers())

    def init_handlers(self) -> list[Any]:
        handlers = []
        for spec in self.voila_handlers():
            pattern, handler = spec[0], spec[1]
            served = KEPT.get(handler)
            if served is None:
                continue
            spec = (pattern, served, *spec[2:])
            if isinstance(spec[1], type) and issubclass(spec[1], tornado.web.StaticFileHandler):
                spec = (spec[0], compression.precompressed(spec[1]), *spec[2:])  # .gz/.br beside a file
            handlers.append((spec[0], guarded(spec[1]), *spec[2:]))
        lesson_args = {
            "template_paths": self.template_paths,
            "config": self.config,
            "voila_configuration": self.voila_configuration,
        }
        if self.classroom is not None:
            return [*class_routes(lesson_args), *teacher_routes(), *handlers, (r"/(.*)", NotFoundHandler)]
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


def teacher_routes() -> list[Any]:
    """The teacher's dashboard routes in class mode (netwise/app/dashboard.py), each behind the guard."""
    return [(spec[0], guarded(spec[1]), *spec[2:]) for spec in dashboard_routes()]


def served_pools(site: Site, total: int) -> dict[str, int]:
    """Preheated kernels per served notebook: ``total`` among the lessons, one per before/after check."""
    lessons = [entry.path for entry in site.lessons.values()]
    checks = [form.path for form in site.forms.values() if form.preheated]
    return pool_sizes(lessons, checks, total)
