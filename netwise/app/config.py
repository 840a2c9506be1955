"""The lesson app's one configuration model, shared by the command line, the app and its handlers.

Every setting is a trait, and its default is written once, there: NetWise's own in
:class:`NetwiseConfiguration` (traitlets, like Voilà's own
``VoilaConfiguration``), the address, port and log level on the Voilà application
(:class:`netwise.app.server.NetwiseVoila`). Later sources win:

1. those defaults;
2. a traitlets config file, only when asked for (``netwise serve --config FILE``), e.g.
   ``c.NetwiseConfiguration.max_students = 30`` or ``c.NetwiseVoila.port = 8000``;
3. the command-line flags, each set onto one trait (netwise/cli/serve.py);
4. :meth:`NetwiseConfiguration.voila_config`: the Voilà, kernel and server settings the
   NetWise settings imply, and the hardened ones (no code execution, no files, no sources,
   no tracebacks for visitors). The app applies them after everything else, so no config
   file can change them; change what they derive from here instead.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

from traitlets import Float, Int, List, TraitError, Unicode, default, validate
from traitlets.config import Config, LoggingConfigurable

TEMPLATE_ROOT = Path(__file__).resolve().parent / "templates"  # a Jupyter data dir: voila/templates/netwise
TEMPLATE_NAME = "netwise"
TEMPLATE_DIR = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE_NAME  # landing and message pages (pages.py)
# Lesson pages: the lean page (issue 12; voila/templates/netwise-lean, netwise/app/lean.py).
LEAN_TEMPLATE_NAME = "netwise-lean"

# Measured: a page needs the widget manager and Voilà's widgets-manager8 (ipywidgets 8),
# and anywidget's labextension renders our widgets. Every other extension only costs time.
# (The lean lesson page loads none; an empty list would mean "all" to Voilà, so it stays.)
EXTENSION_ALLOWLIST = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8", "anywidget"]

# All a page may send its kernel: widget messages, kernel info and its own shutdown. No
# execute_request: a visitor never runs code. (Voilà's own list; pinned here, since it is the
# whole of what a visitor can do.)
ALLOWED_MESSAGE_TYPES = [
    "comm_open",
    "comm_close",
    "comm_msg",
    "comm_info_request",
    "kernel_info_request",
    "shutdown_request",
]

# Served booster notebooks (91-booster-2w.ipynb …) match this; Voilà never preheats them.
BOOSTER_PATTERN = r".*/9[1-9]-booster-[^/]*\.ipynb$"

AUTO_POOL_PAGES = 8  # each preheated page holds a kernel: more than this is the operator's call

# What the kernel fork server imports once for every lesson kernel (netwise/kernels/fork.py).
# netwise.kernels.warm loads the served modules of the curriculum there too, so kernels need not.
KERNEL_PRELOAD = ["ipywidgets", "anywidget", "netwise.widgets", "netwise.kernels.warm"]
FORK_PROVISIONER = "netwise-fork"  # jupyter_client's entry point name (pyproject.toml)
QUICK_READY_CLIENT = "netwise.kernels.provisioner.QuickReadyClient"
# Limits the kernels apply, passed in their environment (read by netwise.widgets.base and
# .passphrase under the same names; tests/integration/test_serve_attacks.py checks they match).
ATTEMPTS_ENV = "NETWISE_MAX_ATTEMPTS"
ESTIMATE_ENV = "NETWISE_ESTIMATE_INTERVAL"
# Page mode for the kernels' widgets (netwise.widgets.page_mode.PAGE_MODE_ENV; tests/unit/test_page_mode.py).
PAGE_MODE_ENV = "NETWISE_PAGE"
PAGE_MODE = "lean"


def _at_least(minimum: int, proposal: Any) -> int:
    value = int(proposal["value"])
    if value < minimum:
        raise TraitError(f"{proposal['trait'].name} must be at least {minimum}, not {value}")
    return value


class NetwiseConfiguration(LoggingConfigurable):
    """NetWise's lesson-app settings (``c.NetwiseConfiguration.<name>`` in a config file)."""

    curriculum = Unicode(
        "", help="Curriculum folder, as a path from the current folder (default: the bundled one)"
    ).tag(config=True)
    languages = List(
        Unicode(), help="Languages to serve (default: each language some served lesson is completely translated into)"
    ).tag(config=True)
    region = Unicode(
        "", help="Region profile: help lines, money, phone format and local names (default: each language's usual one)"
    ).tag(config=True)
    lessons = List(
        Unicode(), help="Lesson ids to serve (default: all); a module's checks come with any of its lessons"
    ).tag(config=True)
    # Class mode (issue 14, netwise/app/classroom.py): an nbgrader course's students sign in.
    course = Unicode(
        "",
        help="Class mode: a course folder (netwise course init) whose students sign in with their login cards; "
        "its language, lessons and curriculum are the course's (default: none, the lessons for anyone)",
    ).tag(config=True)
    assignments = List(
        Unicode(),
        help="The course's assignments this class session serves, in order (no default: at least one with --course)",
    ).tag(config=True)
    pool = Int(
        -1,
        help="Preheated lesson kernels in total, divided among the lesson pages served; each before/after "
        "check page keeps at most one; 0 starts each kernel on request "
        f"(default, -1: one per page when at most {AUTO_POOL_PAGES} such pages are served, else 0)",
    ).tag(config=True)
    max_students = Int(40, help="Live lesson pages at once; beyond that, visitors see 'the class is full'").tag(
        config=True
    )
    # Fair admission (netwise/app/admission.py).
    cull_idle_timeout = Int(
        60,
        help="Seconds after which a lesson kernel whose page never connected (a bare GET, a page that never "
        "loaded) is shut down; longer than the slowest phone takes to load a page",
    ).tag(config=True)
    silent_cull_after = Int(
        600,
        help="Seconds without a message from its page after which a lesson kernel may be shut down: "
        "when its page has gone, or while the class is full and a new student is waiting",
    ).tag(config=True)
    cull_interval = Int(10, help="Seconds between checks for kernels to shut down").tag(config=True)
    # What a visitor can send (netwise/app/channels.py, netwise/app/guard.py).
    websockets_per_kernel = Int(3, help="Open kernel connections per lesson page (a reconnect needs a spare)").tag(
        config=True
    )
    websockets_per_address = Int(
        help="Open kernel connections per client address (default: twice --max-students, "
        "since a whole class may share one school address)"
    ).tag(config=True)
    max_message_bytes = Int(65536, help="Largest message a page may send its kernel, in bytes").tag(config=True)
    answer_rate = Float(10.0, help="Messages per second a page may send its kernel, on average").tag(config=True)
    answer_burst = Int(60, help="Messages a page may send its kernel at once before answer_rate applies").tag(
        config=True
    )
    max_stored_attempts = Int(
        20,
        help="Attempts kept per activity with unlimited tries (the first, which is graded, and the latest)",
    ).tag(config=True)
    estimate_interval = Float(
        0.2, help="Seconds between two passphrase strength estimates of one page (typing is estimated in pauses)"
    ).tag(config=True)
    trusted_proxies = List(
        Unicode(),
        help="Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed",
    ).tag(config=True)
    allow_hosts = List(
        Unicode(),
        help="Host names the server answers to besides any IP address, localhost and this machine's name "
        "(a guard against DNS rebinding)",
    ).tag(config=True)

    @validate("trusted_proxies")
    def _addresses(self, proposal: Any) -> list[str]:
        for address in proposal["value"]:
            try:
                ipaddress.ip_network(address, strict=False)
            except ValueError:
                raise TraitError(f"trusted_proxies: {address!r} is not an IP address or network") from None
        return list(proposal["value"])

    @default("websockets_per_address")
    def _per_address(self) -> int:
        return 2 * self.max_students

    @validate("curriculum")
    def _absolute(self, proposal: Any) -> str:
        return os.path.abspath(proposal["value"]) if proposal["value"] else ""

    @validate("pool")
    def _pool(self, proposal: Any) -> int:
        return _at_least(-1, proposal)

    @validate(
        "max_students", "cull_idle_timeout", "silent_cull_after", "cull_interval", "websockets_per_kernel",
        "websockets_per_address", "max_message_bytes", "answer_burst", "max_stored_attempts",
    )  # fmt: skip
    def _positive(self, proposal: Any) -> int:
        return _at_least(1, proposal)

    @validate("answer_rate", "estimate_interval")
    def _positive_rate(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if value <= 0 and proposal["trait"].name == "answer_rate":
            raise TraitError(f"answer_rate must be more than 0, not {value}")
        if value < 0:
            raise TraitError(f"{proposal['trait'].name} must be at least 0, not {value}")
        return value

    def voila_config(self, pools: dict[str, int] | None = None) -> Config:
        """The Voilà, kernel and server settings these NetWise settings imply, and the hardened ones.

        The app applies this after every config file and flag. Settings of the Voilà
        application itself go in the section of the app's own class (``parent``), the most
        specific one, so that neither ``c.Voila`` nor ``c.NetwiseVoila`` in a file wins.
        ``pools``: preheated kernels per served notebook (netwise.app.pool.pool_sizes).
        """
        c = Config()
        # Hardened: what a visitor can reach and see.
        v = c.VoilaConfiguration
        v.template = LEAN_TEMPLATE_NAME
        v.allow_template_override = "NO"
        v.allow_theme_override = "NO"
        v.strip_sources = True
        v.show_tracebacks = False  # tracebacks go to the server log only
        v.extension_allowlist = list(EXTENSION_ALLOWLIST)
        v.extension_denylist = []
        v.extra_labextensions_path = []
        v.file_allowlist = []  # nothing from the notebook folder is a public file
        v.file_denylist = [".*"]
        v.progressive_rendering = False  # would add Voilà's execution request handler
        v.prelaunch_hook = None  # a page is the notebook NetWise built, nothing else
        v.page_config_hook = None
        v.multi_kernel_manager_class = "jupyter_server.services.kernels.kernelmanager.AsyncMappingKernelManager"
        v.kernel_spec_manager_class = "jupyter_client.kernelspec.KernelSpecManager"
        app = c[type(self.parent).__name__ if self.parent is not None else "Voila"]
        app.open_browser = False
        app.port_retries = 0  # the command line checks the port: one clear line, not another port
        app.autoreload = False
        app.notebook_path = None  # a folder of pages, behind NetWise's handlers
        app.base_url = "/"  # NetWise's handlers are at the root
        app.server_url = "/"
        app.prelaunch_hook = None
        app.tornado_settings = {}  # Voilà applies these after NetWise's headers and settings
        app.config_file_paths = []  # a voila.json on the host must not quietly undo the above
        c.VoilaExecutor.cell_error_instruction = ""  # the page shows its own friendly message

        # Implied by the NetWise settings.
        v.preheat_kernel = self.pool > 0 if pools is None else any(pools.values())
        v.default_pool_size = max(self.pool, 0)
        if pools is not None:  # each page its own share; a page not named here gets none
            c.VoilaKernelManager.kernel_pools_config = {
                "default": {"pool_size": 0},
                **{path: {"pool_size": size} for path, size in pools.items() if size > 0},
            }
        # Reminder quizzes are taken weeks later, one learner at a time: no kernel waits for them.
        c.VoilaKernelManager.preheat_denylist = [BOOSTER_PATTERN]
        # With TCP, one of twenty simultaneous kernels died on a port clash; ipc has no ports.
        c.KernelManager.transport = "ipc"
        # Each visitor still gets a kernel process of their own, forked from one that has
        # already imported IPython and NetWise: a class arriving together costs a fork each,
        # not a second of imports each, and the imported pages are shared between kernels.
        c.KernelProvisionerFactory.default_provisioner_name = FORK_PROVISIONER
        c.ForkProvisioner.preload = list(KERNEL_PRELOAD)
        c.AsyncKernelManager.client_class = QUICK_READY_CLIENT
        km = c.MappingKernelManager
        # jupyter_server's culler calls the app's admission rules for students' kernels
        # (netwise/app/admission.py): never-connected pages after cull_idle_timeout, silent
        # ones after silent_cull_after, connected ones only while the class is full.
        km.cull_idle_timeout = self.cull_idle_timeout
        km.cull_interval = self.cull_interval
        km.cull_connected = False
        km.cull_busy = False
        km.allow_tracebacks = False  # an error message to a page carries no traceback
        km.traceback_replacement_message = "This lesson could not do that."
        return c
