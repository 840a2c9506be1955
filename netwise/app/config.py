"""The lesson app's one configuration object, shared by the command line, the app and its handlers.

:class:`NetwiseConfiguration` (a traitlets ``Configurable``, like Voilà's own
``VoilaConfiguration``) holds every NetWise setting; :meth:`voila_config` derives the
Voilà, kernel-manager and culling settings from it.
"""

from __future__ import annotations

from pathlib import Path

from traitlets import Int, List, Unicode
from traitlets.config import Config, Configurable

TEMPLATE_ROOT = Path(__file__).resolve().parent / "templates"  # a Jupyter data dir: voila/templates/netwise
TEMPLATE_NAME = "netwise"
TEMPLATE_DIR = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE_NAME

# Measured: a page needs the widget manager and Voilà's widgets-manager8 (ipywidgets 8),
# and anywidget's labextension renders our widgets. Every other extension only costs time.
EXTENSION_ALLOWLIST = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8", "anywidget"]

# Strings the page chrome and the server pages use (keys of netwise.ui_text.UI_TEXT).
PAGE_STRINGS = [
    "app_name", "app_tagline", "skip_to_content", "lessons_heading", "language_switch", "back_to_lessons",
    "lesson_count", "loading", "noscript", "footer_note", "class_full_title", "class_full_text", "try_again_link",
    "error_title", "error_text", "not_found_title", "not_found_text", "age_band", "duration",
    "check_before", "check_after", "check_booster", "check_items",
]  # fmt: skip

# The browser may talk to this server only: no other host can be reached even by mistake.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)


# Served booster notebooks (91-booster-2w.ipynb …) match this; Voilà never preheats them.
BOOSTER_PATTERN = r".*/9[1-9]-booster-[^/]*\.ipynb$"

AUTO_POOL_PAGES = 8  # each preheated page holds a kernel: more than this is the operator's call


class NetwiseConfiguration(Configurable):
    """NetWise's lesson-app settings, shared by the command line, the app and its handlers."""

    curriculum = Unicode("", help="Curriculum folder ('' = the bundled one).").tag(config=True)
    languages = List(Unicode(), help="Languages to serve ([] = every completely translated one).").tag(config=True)
    lessons = List(Unicode(), help="Lesson ids to serve ([] = all).").tag(config=True)
    pool = Int(
        -1,
        help="Preheated kernels kept ready per lesson and before/after check page (0 = start on request; "
        "-1 = one per page "
        f"when at most {AUTO_POOL_PAGES} pages are served, else none, so defaults stay within memory).",
    ).tag(config=True)
    max_students = Int(40, help="Live lesson kernels beyond which visitors see 'the class is full'.").tag(config=True)
    cull_idle_timeout = Int(
        120, help="Seconds after which a kernel with no open page and no activity is shut down."
    ).tag(config=True)
    cull_interval = Int(30, help="Seconds between checks for idle kernels.").tag(config=True)

    def voila_config(self) -> Config:
        """The Voilà, kernel and server settings these NetWise settings imply."""
        c = Config()
        v = c.VoilaConfiguration
        v.template = TEMPLATE_NAME
        v.strip_sources = True
        v.show_tracebacks = False  # tracebacks go to the server log only
        v.allow_template_override = "NO"
        v.allow_theme_override = "NO"
        v.extension_allowlist = list(EXTENSION_ALLOWLIST)
        v.file_allowlist = []  # nothing from the notebook folder is a public file
        v.file_denylist = [".*"]
        v.preheat_kernel = self.pool > 0
        v.default_pool_size = max(self.pool, 0)
        # Reminder quizzes are taken weeks later, one learner at a time: no kernel waits for them.
        c.VoilaKernelManager.preheat_denylist = [BOOSTER_PATTERN]
        c.VoilaExecutor.cell_error_instruction = ""  # the page shows its own friendly message
        # With TCP, one of twenty simultaneous kernels died on a port clash; ipc has no ports.
        c.KernelManager.transport = "ipc"
        # Each visitor still gets a kernel process of their own, forked from one that has
        # already imported IPython and NetWise: a class arriving together costs a fork each,
        # not a second of imports each, and the imported pages are shared between kernels.
        c.MultiKernelManager.kernel_manager_class = "netwise.kernels.fork.ForkingServerKernelManager"
        km = c.MappingKernelManager
        km.cull_idle_timeout = self.cull_idle_timeout
        km.cull_interval = self.cull_interval
        # Unconnected kernels (closed tabs, bare GETs) are culled; an open page keeps its kernel.
        km.cull_connected = False
        km.cull_busy = False
        return c
