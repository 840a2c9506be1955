"""Class mode's student pages: join, wait for a release, the student's home, lesson pages and own feedback.

``netwise serve --course DIR --assignment NAME`` (issue 14) turns the lesson app into a class
session. A child opens ``/`` on a phone, picks their name from the roster (a plain ``<select>``,
with a small script that finds a name typed without diacritics) and types the two words on their
login card, or picks its two pictures. It is a plain HTML form (``POST /join``: ``student``,
``secret``, ``_xsrf``), so it works without JavaScript, and Jupyter Server's XSRF check stays on.

Sign-in rules live in netwise/app/sessions.py; here each outcome gets a kind page: a wrong secret
says how many tries are left, a locked name says to ask the teacher, a name with no card yet says to
ask the teacher for it, a second device waits on a
page that retries by itself (meta refresh) until the teacher releases the first one.

A signed-in browser carries the HttpOnly, SameSite=Strict cookie ``nw_class`` (a random token the
course folder keeps only hashed), and ``nw_device`` (random, set on the join page) names the
device for "one device per student". ``/class`` lists the session's pages with the student's own
progress and, once ``netwise course grade`` wrote it, their own feedback. ``/class/lesson/<page>``
is the lesson app's own lesson page (:class:`ClassLessonHandler` is a
:class:`~netwise.app.handlers.LessonHandler`), rendered on request with its kernel started in the
student's ``submitted/<id>/<assignment>/`` folder (netwise/app/classroom.py says why the kernel
writes the answers); a student holds one live lesson kernel, so opening a page shuts the previous
one down, its answers already on disk. No page a student can load holds the teacher's key.
"""

from __future__ import annotations

import asyncio
import functools
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import nbformat
import tornado.web
from jupyter_server.base.handlers import JupyterHandler

from netwise.app.admission import KERNEL_HOME, Admission, KernelHome
from netwise.app.classroom import ClassRoom
from netwise.app.config import TEMPLATE_DIR
from netwise.app.guard import GuardMixin
from netwise.app.handlers import LessonHandler
from netwise.app.logins import PICTURES, fold, picture_svg
from netwise.app.progress import page_progress
from netwise.app.sessions import SessionStore, SignIn
from netwise.app.site import ServedForm, Site
from netwise.build.notebooks import form_notebook
from netwise.content.assessment import form
from netwise.i18n import Translator

CLASS_COOKIE = "nw_class"
DEVICE_COOKIE = "nw_device"
CLASS_TEMPLATES = Path(__file__).with_name("templates") / "netwise"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")
_FEEDBACK_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.html")
WAIT_REFRESH = 5  # seconds between two looks of a waiting device
STOPPED_KEPT = 256  # kernels stopped on purpose that are remembered (pages render in seconds)


@functools.cache
def class_env() -> jinja2.Environment:
    """Class mode's templates, the students' and the teacher's (templates/netwise/), with the lesson app's
    chrome and stylesheet beside them: autoescaped, and a name missing from the context is an error."""
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(str(CLASS_TEMPLATES)), jinja2.FileSystemLoader(str(TEMPLATE_DIR))]
    )
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)


def render_template(template: str, /, **context: Any) -> str:
    """One of class mode's templates rendered (safe from any thread: jinja2 environments are)."""
    return class_env().get_template(template).render(**context)


def class_strings(classroom: ClassRoom, site: Site) -> dict[str, str]:
    """The page chrome's strings and the class pages' own, in the course's language and its learners' wording."""
    ui = Translator(classroom.course.curriculum, classroom.lang, classroom.region).ui(classroom.course.age_band)
    # The lesson app's footer says answers are not saved on the server; a class's answers are, for
    # the teacher: class pages say so instead (prepare_class_pages puts it in the site's strings too).
    return {**ui, **site.strings[classroom.lang], "footer_note": ui["class_footer_note"]}


@dataclass
class ClassKernels:
    """Which student's page each live class kernel serves: one per student (see the module's docstring)."""

    classroom: ClassRoom
    by_student: dict[str, str] = field(default_factory=dict)  # sid -> kernel id
    owners: dict[str, tuple[str, str]] = field(default_factory=dict)  # kernel id -> (sid, assignment)
    # Kernels stopped on purpose (another page, sign-out, the teacher), the latest few: a page still
    # rendering when its kernel is stopped so fails without a fault (a double tap's earlier page).
    stopped: dict[str, None] = field(default_factory=dict)

    def bind(self, kernel_id: str, sid: str, assignment: str) -> None:
        self.by_student[sid] = kernel_id
        self.owners[kernel_id] = (sid, assignment)

    def gone(self, kernel_id: str) -> None:
        owner = self.owners.pop(kernel_id, None)
        if owner is not None and self.by_student.get(owner[0]) == kernel_id:
            del self.by_student[owner[0]]

    def answered(self, kernel_id: str) -> None:
        """The server passed an answer to this kernel: the submission's timestamp.txt says when."""
        owner = self.owners.get(kernel_id)
        if owner is not None:
            self.classroom.touch(*owner)

    def stop_student(self, sid: str, admission: Admission, why: str) -> None:
        kernel_id = self.by_student.pop(sid, None)
        if kernel_id is not None:
            self.owners.pop(kernel_id, None)
            self.stopped[kernel_id] = None
            while len(self.stopped) > STOPPED_KEPT:
                del self.stopped[next(iter(self.stopped))]
            admission.drop(kernel_id, why=why)


def prepare_class_pages(classroom: ClassRoom, site: Site) -> None:
    """Make each page of the session a served page that behaves as a class page.

    The lesson app built the lessons and the module's checks as written; a younger class's check
    (``pre-8-10``) is built here. Every class page says in its footer that answers are saved on the
    teacher's computer (``class_footer_note``), goes back to ``/class``, offers no language
    switch (the course has one language), and, since its answers are saved as they are given, does
    not ask before it is left and reloads itself once its kernel is gone after a server restart (a
    new kernel restores them from disk; the lean page, widgets/js/src/page.js).
    """
    ui = class_strings(classroom, site)
    # Every page this server shows is a class page (the lesson app's message pages and the lean
    # pages read the site's strings): none may say that answers are not saved.
    site.strings[classroom.lang]["footer_note"] = ui["footer_note"]
    strings = {
        **site.strings[classroom.lang],
        "connection_lost": ui["class_reconnecting"],
        "lesson_stopped": ui["class_stopped"],  # not "the answers are gone": they are on disk
    }
    for page in classroom.pages:
        target = site.root / page.path
        key = (classroom.lang, page.page_id)
        if page.kind == "check" and key not in site.forms:
            module_id, form_id = page.entry.split(":", 1)
            chosen = form(classroom.course.curriculum, module_id, form_id)
            target.parent.mkdir(parents=True, exist_ok=True)
            nb = form_notebook(classroom.course.curriculum, classroom.lang, module_id, form_id, classroom.region)
            nbformat.write(nb, target)
            site.forms[key] = ServedForm(
                classroom.lang, page.page_id, module_id, chosen.kind, page.title, len(chosen.items), page.path
            )
        nb = nbformat.read(target, as_version=4)
        nb.metadata.setdefault("netwise", {})["app"] = {
            "lang": classroom.lang,
            "title": page.title,
            "kind": page.kind,
            "home": "/class",
            "languages": [],
            "strings": strings,
            "answers_saved": True,  # the lean page neither asks before leaving nor stays stopped
        }
        nbformat.write(nb, target)
        served = site.forms.get(key) if page.kind == "check" else site.lessons.get(key)
        if served is None or served.path != page.path:
            raise RuntimeError(f"class page {page.page_id} is not served from {page.path}")  # a bug, not input


class ClassMixin(GuardMixin):
    """What every class mode page shares, the students' and the teacher's (netwise/app/dashboard.py):
    the course, the sign-ins, the class's kernels, cookies only this site's own pages send, and
    pages nobody caches."""

    @property
    def classroom(self) -> ClassRoom:
        classroom: ClassRoom = self.settings["netwise_classroom"]
        return classroom

    @property
    def sessions(self) -> SessionStore:
        sessions: SessionStore = self.settings["netwise_sessions"]
        return sessions

    @property
    def class_kernels(self) -> ClassKernels:
        kernels: ClassKernels = self.settings["netwise_class_kernels"]
        return kernels

    @property
    def ui_strings(self) -> dict[str, str]:
        """The class pages' strings in the course's language (:func:`class_strings`, made once at start)."""
        strings: dict[str, str] = self.settings["netwise_class_strings"]
        return strings

    def cookie_value(self, name: str) -> str | None:
        """A class mode cookie's value, only when it looks like one of our random tokens."""
        handler: Any = self
        value = handler.get_cookie(name)
        return value if isinstance(value, str) and _TOKEN.fullmatch(value) else None

    def set_strict_cookie(self, name: str, value: str, path: str = "/", **options: Any) -> None:
        """A cookie no script reads (HttpOnly), no other site's page sends (SameSite=Strict), and
        https-only when the class is served over https."""
        handler: Any = self
        handler.set_cookie(name, value, path=path, httponly=True, samesite="Strict", secure=self.https(), **options)

    def private_page(self, template: str, status: int = 200, /, **context: Any) -> None:
        """A page with a person's data in it, or forms that post back: never cached, and its forms pass
        the XSRF check (under the app's "no-referrer" Chromium sends "Origin: null", which Jupyter
        Server refuses; same-origin requests only carry the referrer, and no page has a secret in its
        address)."""
        handler: Any = self
        handler.set_status(status)
        handler.set_header("Content-Type", "text/html; charset=UTF-8")
        handler.set_header("Cache-Control", "no-store")
        handler.set_header("Referrer-Policy", "same-origin")
        handler.finish(render_template(template, **context))

    def student(self) -> str | None:
        return self.sessions.student_for(self.cookie_value(CLASS_COOKIE))

    def device(self) -> str:
        """This browser's device id (the ``nw_device`` cookie), set now if it has none."""
        value = self.cookie_value(DEVICE_COOKIE)
        if value is None:
            value = secrets.token_urlsafe(24)
            self.set_strict_cookie(DEVICE_COOKIE, value, expires_days=365)
        return value

    def class_page(self, template: str, status: int = 200, /, **context: Any) -> None:
        """A student's page, in the course's language."""
        self.private_page(
            template, status, lang=self.classroom.lang, s=self.ui_strings, course=self.classroom.course_id, **context
        )


class JoinHandler(ClassMixin, JupyterHandler):
    """``/``: the join page; ``POST /join``: a sign-in, as a plain form."""

    def get(self) -> None:
        if self.student() is not None:
            self.redirect("/class")
            return
        self.device()
        self.join_page()

    def join_page(self, message: str = "", status: int = 200, chosen: str = "") -> None:
        classroom = self.classroom
        s = self.ui_strings
        pictures = [
            {"id": pid, "name": names.get(classroom.lang, names["en"]), "svg": picture_svg(pid)}
            for pid, names in PICTURES.items()
        ]
        self.class_page(
            "join.html",
            status,
            title=s["class_join_title"],
            students=[
                {"id": sid, "name": name, "search": f"{fold(name)} {sid}"} for sid, name in classroom.students.items()
            ],
            pictures=pictures if classroom.pictures else [],
            message=message,
            chosen=chosen,
            xsrf=self.xsrf_form_html(),
        )

    async def post(self) -> None:
        sid = self.get_body_argument("student", "")
        secret = self.get_body_argument("secret", "")
        if not secret:  # picture secrets come as two choices when the page has no script
            secret = " ".join(self.get_body_argument(f"picture{i}", "") for i in (1, 2)).strip()
        device = self.device()
        # scrypt takes ~50 ms: off the event loop, so the class's answers never wait for a sign-in.
        result: SignIn = await asyncio.get_running_loop().run_in_executor(
            None, self.sessions.sign_in, sid[:100], secret[:200], device
        )
        s = self.ui_strings
        if result.status == "ok" and result.token:
            self.sign_in_cookie(result.token)
            self.redirect("/class", status=303)
        elif result.status == "busy":
            self.redirect("/join/wait", status=303)
        elif result.status == "wrong":
            self.join_page(s["class_wrong"].format(tries=result.tries_left), 401, sid)
        elif result.status == "locked":
            self.join_page(s["class_locked"], 403, sid)
        elif result.status == "slow":
            self.set_header("Retry-After", str(max(1, round(result.retry_after))))
            self.join_page(s["class_slow"], 429, sid)
        elif result.status == "no_card":  # a newcomer: the teacher prints a card or gives one on the dashboard
            self.join_page(s["class_no_card"], 403, sid)
        else:
            self.join_page(s["class_unknown"], 400)

    def sign_in_cookie(self, token: str) -> None:
        self.set_strict_cookie(CLASS_COOKIE, token)


class WaitHandler(JoinHandler):
    """``/join/wait``: a second device waits here, looking again every few seconds, until released."""

    def get(self) -> None:
        result = self.sessions.resume(self.device())
        s = self.ui_strings
        if result.status == "ok" and result.token:
            self.sign_in_cookie(result.token)
            self.redirect("/class")
        elif result.status == "busy":
            self.set_header("Refresh", str(WAIT_REFRESH))
            self.class_page(
                "class_wait.html", title=s["class_wait_title"], text=s["class_wait_text"], refresh=WAIT_REFRESH
            )
        elif result.status == "locked":
            self.join_page(s["class_locked"], 403)
        else:
            self.redirect("/")

    async def post(self) -> None:
        raise tornado.web.HTTPError(404)


class StudentMixin(ClassMixin):
    def signed_in_student(self) -> str | None:
        """The student, or None after redirecting to the join page."""
        sid = self.student()
        if sid is None:
            handler: Any = self
            handler.redirect("/")
        return sid


class HomeHandler(StudentMixin, JupyterHandler):
    """``/class``: the session's pages with the student's own progress, and their own graded feedback."""

    def get(self) -> None:
        sid = self.signed_in_student()
        if sid is None:
            return
        classroom = self.classroom
        s = self.ui_strings
        pages = []
        for page in classroom.pages:
            activities = classroom.course.unit(page.entry).activities
            done, total = page_progress(activities, classroom.record(sid, page))
            if done == 0:
                state = s["class_not_started"]
            elif done >= total:
                state = s["class_done"]
            else:
                state = s["class_progress"].format(done=done, total=total)
            pages.append({"page": page, "state": state, "done": done, "total": total})
        self.class_page(
            "class_home.html",
            title=s["class_home_title"],
            hello=s["class_hello"].format(name=classroom.students[sid]),
            pages=pages,
            feedback=feedback_files(classroom, sid),
            xsrf=self.xsrf_form_html(),
        )


def feedback_files(classroom: ClassRoom, sid: str) -> list[dict[str, str]]:
    """The student's own feedback pages, one per page of the session that ``netwise course grade`` gave
    feedback on (``DIR/feedback/<id>/<assignment>/<notebook>.html``), titled as the page."""
    found = []
    for page in classroom.pages:
        name = f"{classroom.course.notebook_name(page.entry)}.html"
        if _FEEDBACK_FILE.fullmatch(name) and (classroom.root / "feedback" / sid / page.assignment / name).is_file():
            url = f"/class/feedback/{page.assignment}/{name}"
            found.append({"assignment": page.assignment, "name": page.title, "url": url})
    return found


class FeedbackHandler(StudentMixin, JupyterHandler):
    """``/class/feedback/<assignment>/<file>``: the signed-in student's own feedback, nobody else's."""

    def get(self, assignment: str, name: str) -> None:
        sid = self.signed_in_student()
        if sid is None:
            return
        classroom = self.classroom
        if assignment not in classroom.assignments or not _FEEDBACK_FILE.fullmatch(name):
            raise tornado.web.HTTPError(404)
        path = classroom.root / "feedback" / sid / assignment / name  # only ever the student's own folder
        if not path.is_file():
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(path.read_bytes())


class LeaveHandler(StudentMixin, JupyterHandler):
    """``POST /class/leave``: sign out; the device is free and the student's kernel stops (answers are on disk)."""

    def post(self) -> None:
        sid = self.student()
        if sid is not None:
            self.class_kernels.stop_student(sid, self.admission, why="the student signed out")
            self.sessions.release(sid)
        self.clear_cookie(CLASS_COOKIE, path="/")
        self.redirect("/", status=303)

    def get(self) -> None:
        self.redirect("/class" if self.student() else "/")


class ClassLessonHandler(StudentMixin, LessonHandler):
    """``/class/lesson/<page>``: the lesson app's page, its kernel working in the student's submission folder."""

    async def get(self, page_id: str) -> None:  # type: ignore[override]
        sid = self.signed_in_student()
        if sid is None:
            return
        classroom = self.classroom
        page = classroom.page(page_id)
        if page is None:
            self.message_page(404, "not_found", classroom.lang)
            return
        folder = classroom.ensure_submission(sid, page.assignment)
        kernels, admission = self.class_kernels, self.admission
        why = "the student opened another page"
        # One live lesson kernel per student: the previous page's answers are already on disk. It
        # goes before this page takes a seat (the cap is the roster), and again when this page's
        # kernel starts, in case another of the student's pages started one meanwhile.
        kernels.stop_student(sid, admission, why=why)

        def started(kernel_id: str) -> None:
            kernels.stop_student(sid, admission, why=why)
            kernels.bind(kernel_id, sid, page.assignment)

        self.home = KernelHome(str(folder), on_start=started)
        token = KERNEL_HOME.set(self.home)
        self.page_kind = page.kind
        try:
            await super().get(classroom.lang, page.page_id)
        finally:
            KERNEL_HOME.reset(token)

    def kernel_stopped_on_purpose(self) -> bool:
        """This page's kernel was stopped while it rendered because the student opened another page
        (a double tap), signed out, or was released: the browser is elsewhere, nothing failed."""
        home: KernelHome | None = getattr(self, "home", None)
        return home is not None and home.kernel_id is not None and home.kernel_id in self.class_kernels.stopped


def class_routes(lesson_args: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The student side of class mode (netwise/app/server.py adds the teacher's from dashboard.py)."""
    return [
        (r"/", JoinHandler),
        (r"/join", JoinHandler),
        (r"/join/wait", WaitHandler),
        (r"/class/?", HomeHandler),
        (r"/class/leave", LeaveHandler),
        (r"/class/lesson/([A-Za-z0-9_-]+)/?", ClassLessonHandler, lesson_args),
        (r"/class/feedback/([A-Za-z0-9._-]+)/([^/]+)", FeedbackHandler),
    ]


def class_settings(classroom: ClassRoom, sessions: SessionStore, site: Site, admission: Admission) -> dict[str, Any]:
    """The tornado settings class mode adds (read by these handlers and by dashboard.py)."""
    kernels = ClassKernels(classroom)
    admission.on_gone.append(kernels.gone)
    return {
        "netwise_classroom": classroom,
        "netwise_sessions": sessions,
        "netwise_class_kernels": kernels,
        "netwise_class_strings": class_strings(classroom, site),
        "netwise_on_answer": kernels.answered,  # netwise/app/channels.py calls it for each answer passed on
    }
