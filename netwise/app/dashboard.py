"""The teacher's dashboard of a class session (issue 14, item 4): the class live, on a tablet.

Who may see it: only whoever holds the key ``netwise serve --course`` prints. ``/teacher?key=K``
swaps that key (netwise/app/sessions.py) for the HttpOnly, SameSite=Strict cookie ``nw_teacher``
and redirects to ``/teacher``, so the key never stays in the tablet's address bar or history.
Every route here answers anyone else with the app's friendly "not found" page, so a student
learns nothing, not even that a dashboard exists; the POST actions also pass Jupyter Server's
XSRF check (``_xsrf``) before that.

What it shows, all read from the course folder (``submitted/<id>/<assignment>/``, where the
students' kernels write their answer records) by netwise/app/progress.py, which scores nothing
its own way: a grid of students x activities (not done, in progress, right first time, needed
several tries); per activity the class's answer distribution and most common wrong answer,
from the class report's per-type rows (grading/activities.py ``REPORT``, drawn with the class
report's own fragments); the class's before/after discernment when the session holds a
module's ``-pre`` and ``-post`` checks (grading/gains.py); who is signed in, with buttons to
free a device, unlock a name, give a lost card a new secret (shown once, here) and end the
session; a CSV of the grid; and a projector view of one activity, anonymous, with the join QR
code for latecomers.

"At most 2 s late": the page asks ``/teacher/data.json`` every second (a small inline script:
the app's Content-Security-Policy allows inline scripts and ``connect-src 'self'`` only). The
answer is recomputed only when a record file or a sign-in changed (their mtimes and the
session state make a version), so a tablet and a projector polling cost a few stat calls a
second; the page swaps in the sections that changed. Every build runs in one thread of its own
(:data:`WORKER`), never on the server's event loop, which carries the students' answers: a large
class's build takes a few hundred milliseconds, and no child's feedback may wait for it.

The pages share class mode's templates, cookies and headers with the students' pages
(netwise/app/class_handlers.py ``ClassMixin``): one way to render a private page, one way to set a
cookie.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import threading
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import tornado.escape
from jupyter_server.base.handlers import JupyterHandler
from markupsafe import Markup

from netwise.app import progress
from netwise.app.cards import lan_address, qr_svg
from netwise.app.class_handlers import ClassMixin, render_template
from netwise.app.classroom import ClassRoom
from netwise.app.logins import PICTURES, Secret, StoredSecret, ensure_secrets, load_secrets, picture_svg
from netwise.app.sessions import SessionStore
from netwise.grading import charts
from netwise.grading.activities import Context
from netwise.grading.html import decimal, fragment
from netwise.i18n import Translator
from netwise.scoring.record import record_name

TEACHER_COOKIE = "nw_teacher"
POLL_MS = 1000  # the page asks every second: the class shows at most about 2 s late
STATUS_MARK = {"not_done": "–", "in_progress": "…", "right_first": "✓", "several_tries": "↻"}
ACTIONS = ("release", "unlock", "reset", "end")


@dataclass
class Snapshot:
    """The dashboard's data at one version: JSON for scripts and the HTML sections the page swaps."""

    version: str
    data: dict[str, Any]
    sections: dict[str, str]  # the same for every teacher's browser: grid, answers, learning
    people: list[dict[str, Any]]  # rendered per request: its forms carry the browser's own _xsrf
    answers: dict[str, dict[str, Any]]  # activity key -> its view, for the projector


class Dashboard:
    """The class's live state for the dashboard, recomputed only when the course folder or the sign-ins change.

    Used from the dashboard's own thread (:data:`WORKER`); the lock keeps its caches whole should
    anything else ever call it.
    """

    def __init__(self, classroom: ClassRoom, sessions: SessionStore, render: Callable[..., str]) -> None:
        self.classroom = classroom
        self.sessions = sessions
        self.render = render  # renders one of the teacher's templates, by name, with a context
        course = classroom.course
        self.translator = Translator(course.curriculum, classroom.lang, classroom.region)
        self.ui = self.translator.ui()
        self.ctx = Context(self.ui, classroom.lang)
        self.activities = progress.session_activities(course, classroom.pages, self.translator)
        self.by_key = {a.key: (n, a) for n, a in enumerate(self.activities, start=1)}
        self._lock = threading.Lock()
        self._files: dict[tuple[str, str], tuple[tuple[int, int], dict[str, Any] | None]] = {}
        self._snapshot: Snapshot | None = None
        self._learning: tuple[str, list[progress.ModuleLearning]] | None = None

    # --- reading the course folder --------------------------------------------------------

    def _stamp(self) -> tuple[dict[str, dict[str, dict[str, Any] | None]], str, str]:
        """Every student's records (re-read only when a file changed), a version of what is shown, and a
        version of the checks' records alone (before/after reads the gradebook: only when they change)."""
        records: dict[str, dict[str, dict[str, Any] | None]] = {}
        digest, checks = hashlib.sha256(), hashlib.sha256()
        for sid in self.classroom.students:
            mine: dict[str, dict[str, Any] | None] = {}
            for page in self.classroom.pages:
                path = self.classroom.submission_dir(sid, page.assignment) / record_name(page.record_id)
                try:
                    stat = path.stat()
                    stamp = (stat.st_mtime_ns, stat.st_size)
                except OSError:
                    stamp = (0, 0)
                cached = self._files.get((sid, page.page_id))
                if cached is None or cached[0] != stamp:
                    cached = (stamp, self.classroom.record(sid, page) if stamp != (0, 0) else None)
                    self._files[(sid, page.page_id)] = cached
                mine[page.record_id] = cached[1]
                line = f"{sid}\0{page.page_id}\0{stamp}\n".encode()
                digest.update(line)
                if page.kind == "check":
                    checks.update(line)
            records[sid] = mine
        digest.update(json.dumps(self._people(), sort_keys=True).encode())
        return records, digest.hexdigest()[:16], checks.hexdigest()[:16]

    def _people(self) -> dict[str, dict[str, Any]]:
        signed = self.sessions.signed_in()
        return {
            sid: {"signed_in": sid in signed, "locked": self.sessions.locked(sid)} for sid in self.classroom.students
        }

    def _learning_for(self, version: str) -> list[progress.ModuleLearning]:
        # grading/gains.py reads the gradebook's roster: only when a check's record changed.
        if self._learning is None or self._learning[0] != version:
            found = progress.session_learning(self.classroom.course, self.classroom.assignments, self.translator)
            self._learning = (version, found)
        return self._learning[1]

    # --- the snapshot ---------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        with self._lock:
            records, version, checks = self._stamp()
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = self._build(records, version, checks)
            return self._snapshot

    def _build(self, records: progress.Records, version: str, checks: str) -> Snapshot:
        ui, lang = self.ui, self.classroom.lang
        students = self.classroom.students
        people = self._people()
        cells = progress.grid(self.activities, students, records)
        reports = [progress.class_report(a, students, records, self.ctx) for a in self.activities]
        activities = []
        for index, ((n, activity), report) in enumerate(zip(self.by_key.values(), reports, strict=True)):
            column = [row[index] for row in cells.values()]
            most = report.most_common
            activities.append(
                {
                    "number": n,
                    "key": activity.key,
                    "page": activity.page_id,
                    "page_title": activity.page_title,
                    "title": activity.title,
                    "answered": report.answered,
                    "counts": progress.status_counts(column),
                    "most_common": None
                    if most is None
                    else {
                        "key": most.key,
                        "label": most.label,
                        "count": most.count,
                        "explanation": most.explanation,
                        "cues": progress.missed_cues(activity.activity, most),
                    },
                    "distribution": [
                        {"item": g.id, "answer": r.key, "text": r.answer, "count": r.count, "right": r.right}
                        for g in report.groups
                        for r in g.rows
                    ],
                }
            )
        learning = self._learning_for(checks)
        data = {
            "version": version,
            "course": self.classroom.course_id,
            "students": [
                {
                    "id": sid,
                    "name": name,
                    **people[sid],
                    "cells": [{"status": c.status, "tries": c.tries} for c in cells[sid]],
                }
                for sid, name in students.items()
            ],
            "activities": activities,
            "learning": [
                {
                    "module": m.module_id,
                    "forms": [
                        {
                            "form": f.form_id,
                            "kind": f.kind,
                            "measured": f.measured,
                            "accuracy": f.accuracy,
                            "d_prime": f.d_prime,
                            "gain_accuracy": f.gain_accuracy,
                            "gain_d_prime": f.gain_d_prime,
                        }
                        for f in m.forms
                    ],
                }
                for m in learning
            ],
        }
        answers = [self._answer_view(a, r) for a, r in zip(self.activities, reports, strict=True)]
        context = {
            "ui": ui,
            "lang": lang,
            "marks": STATUS_MARK,
            "grid": self._grid_view(cells),
            "answers": answers,
            "learning": [self._learning_view(m) for m in learning],
        }
        sections = {name: self.render(f"teacher_{name}.html", **context) for name in ("grid", "answers", "learning")}
        roster = [{"id": sid, "name": name, **people[sid]} for sid, name in students.items()]
        return Snapshot(version, data, sections, roster, {a["key"]: a for a in answers})

    def people_section(self, snap: Snapshot, xsrf: Markup) -> str:
        """Who is signed in, with the action buttons: POST forms carrying this browser's ``_xsrf``."""
        return self.render("teacher_people.html", ui=self.ui, lang=self.classroom.lang, people=snap.people, xsrf=xsrf)

    def _grid_view(self, cells: dict[str, list[progress.Cell]]) -> dict[str, Any]:
        ui = self.ui
        columns = [{"number": n, "title": a.title, "page": a.page_title} for n, a in self.by_key.values()]
        rows = []
        for sid, name in self.classroom.students.items():
            row = []
            for c in cells[sid]:
                label = ui[f"db_status_{c.status}"]
                if c.tries > 1:
                    label = f"{label} ({ui['db_tries'].format(count=c.tries)})"
                row.append({"status": c.status, "label": label, "tries": c.tries})
            rows.append({"id": sid, "name": name, "cells": row})
        return {"columns": columns, "rows": rows}

    def _answer_view(self, activity: progress.SessionActivity, report: Any) -> dict[str, Any]:
        # The class report's own fragment (grading/templates/report/): the same table as the report.
        table = fragment(report.distribution.template, view=report.distribution.view, ui=self.ui, share=charts.share)
        most = report.most_common
        return {
            "number": self.by_key[activity.key][0],
            "key": activity.key,
            "title": activity.title,
            "page": activity.page_title,
            "answered": self.ui["rp_answered_by"].format(count=report.answered, total=len(self.classroom.students)),
            "none": report.answered == 0,
            "table": table,
            "most": most,
            "cues": progress.missed_cues(activity.activity, most) if most else [],
            "chosen_by": self.ui["rp_chosen_by"].format(count=most.count, total=report.answered) if most else "",
        }

    def _learning_view(self, module: progress.ModuleLearning) -> dict[str, Any]:
        ui, lang = self.ui, self.classroom.lang

        def pct(value: float | None, signed: bool = False) -> str:
            return num(None if value is None else 100 * value, signed, digits=1)

        def num(value: float | None, signed: bool = False, digits: int = 2) -> str:
            if value is None:
                return "–"
            text = decimal(value, lang, digits)
            return f"+{text}" if signed and value > 0 else text

        rows = [
            {
                "form": f.form_id,
                "label": ui[f"rp_form_{f.kind}"].format(weeks=f.weeks),
                "measured": ui["db_measured"].format(count=f.measured),
                "accuracy": pct(f.accuracy),
                "d_prime": num(f.d_prime),
                "gain": pct(f.gain_accuracy, True) if f.kind != "pre" else "",
                "gain_d": num(f.gain_d_prime, True) if f.kind != "pre" else "",
            }
            for f in module.forms
        ]
        return {"title": module.title, "rows": rows}

    def projector(self, snap: Snapshot, key: str) -> str | None:
        """The projector's live section for one activity (no names), or None for an unknown activity."""
        view = snap.answers.get(key)
        if view is None:
            return None
        return self.render("teacher_projected.html", ui=self.ui, lang=self.classroom.lang, a=view)

    def csv(self) -> str:
        with self._lock:
            records, _, _ = self._stamp()
        cells = progress.grid(self.activities, self.classroom.students, records)
        labels = {s: self.ui[f"db_status_{s}"] for s in progress.STATUSES}
        return progress.grid_csv(self.activities, self.classroom.students, cells, labels)


# --- handlers ----------------------------------------------------------------------------

# One thread builds the dashboard, off the event loop: a build of a large class takes a few hundred
# milliseconds, and the students' answers and their feedback (on the loop) must never wait for it.
# One only, so builds never run side by side (a tablet and a projector polling get the same
# snapshot, the second finds it built), the Dashboard and its caches are only ever touched from
# this thread, and sign-ins' scrypt (the loop's default executor) never queues behind a build.
# Its thread starts with the first teacher request: a server that is not in class mode has none.
WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="netwise-dashboard")
T = TypeVar("T")


def join_url(request: Any) -> str:
    """The address phones join at: the one the teacher's browser used, or this machine's LAN address
    instead of a loopback one (a phone cannot reach the laptop's 127.0.0.1)."""
    host = str(request.host or "")
    parts = urllib.parse.urlsplit(f"//{host}")
    try:
        loopback = ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        loopback = parts.hostname == "localhost"
    if loopback:
        host = f"{lan_address()}:{parts.port}" if parts.port else lan_address()
    return f"{request.protocol}://{host}/"


class TeacherHandler(ClassMixin, JupyterHandler):
    """What every teacher route shares: the teacher's cookie, or the friendly "not found"; the
    dashboard, built in :data:`WORKER`; the class pages' templates, cookies and headers."""

    async def in_worker(self, work: Callable[[Dashboard], T]) -> T:
        """``work(dashboard)`` run in the dashboard's thread, made there on the first teacher request
        (the students' pages never pay for it)."""
        settings, classroom, sessions = self.settings, self.classroom, self.sessions

        def run() -> T:
            found: Dashboard | None = settings.get("netwise_dashboard")
            if found is None:  # only this one thread makes it: never two
                found = Dashboard(classroom, sessions, render_template)
                settings["netwise_dashboard"] = found
            return work(found)

        return await asyncio.get_running_loop().run_in_executor(WORKER, run)

    @property
    def lang(self) -> str:
        return self.site.language(self.classroom.lang)

    def is_teacher(self) -> bool:
        return self.sessions.is_teacher(self.cookie_value(TEACHER_COOKIE))

    def not_found(self) -> None:
        self.message_page(404, "not_found", self.lang)

    def teacher_page(self, template: str, ui: dict[str, str], /, **context: Any) -> None:
        strings = self.site.strings[self.lang]
        self.private_page(template, lang=self.lang, s=strings, ui=ui, marks=STATUS_MARK, **context)


class DashboardHandler(TeacherHandler):
    """``/teacher``: the dashboard; ``/teacher?key=K`` swaps the printed key for the teacher's cookie."""

    async def get(self) -> None:
        key = self.get_argument("key", None)
        if key is not None:
            token = self.sessions.swap_teacher_key(key)
            if token is None:
                self.netwise_log.warning("refused a dashboard key")
                self.not_found()
                return
            self.set_strict_cookie(TEACHER_COOKIE, token, path="/teacher")
            self.set_header("Cache-Control", "no-store")
            self.redirect("/teacher", status=303)  # the key leaves the address bar and the history
            return
        if not self.is_teacher():
            self.not_found()
            return
        xsrf = Markup(self.xsrf_form_html())  # on the loop: it reads and may set this request's cookie

        def build(board: Dashboard) -> tuple[Snapshot, str, dict[str, str]]:
            snap = board.snapshot()
            return snap, board.people_section(snap, xsrf), board.ui

        snap, people, ui = await self.in_worker(build)
        self.teacher_page(
            "teacher.html",
            ui,
            snap=snap,
            sections={k: Markup(v) for k, v in snap.sections.items()},
            poll="/teacher/data.json",
            poll_ms=POLL_MS,
            course=self.classroom.course_id,
            count=len(self.classroom.students),
            people=Markup(people),
            done=self.get_argument("done", None) in ACTIONS,
        )


class DataHandler(TeacherHandler):
    """``/teacher/data.json``: the class now; ``?since=<version>`` answers only the version when nothing changed;
    ``?activity=<page>/<activity>`` adds the projector's section for that activity."""

    async def get(self) -> None:
        if not self.is_teacher():
            self.not_found()
            return
        activity = self.get_argument("activity", None)
        since = self.get_argument("since", None)
        xsrf = Markup(self.xsrf_form_html()) if activity is None else Markup()

        def build(board: Dashboard) -> dict[str, Any]:
            snap = board.snapshot()
            if since == snap.version:
                return {"version": snap.version, "same": True}
            if activity is not None:  # the projector: one activity, and not a name in the answer
                return {"version": snap.version, "html": {"projected": board.projector(snap, activity) or ""}}
            people = board.people_section(snap, xsrf)
            return {**snap.data, "html": {**snap.sections, "people": people}}

        body = await self.in_worker(build)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body, ensure_ascii=False))


class ProjectorHandler(TeacherHandler):
    """``/teacher/projector?activity=<page>/<activity>``: one activity for the class to discuss, no names."""

    async def get(self) -> None:
        if not self.is_teacher():
            self.not_found()
            return
        key = self.get_argument("activity", "")

        def build(board: Dashboard) -> tuple[Snapshot, str | None, dict[str, str]]:
            snap = board.snapshot()
            return snap, board.projector(snap, key), board.ui

        snap, projected, ui = await self.in_worker(build)
        if projected is None:
            self.not_found()
            return
        url = join_url(self.request)
        self.teacher_page(
            "projector.html",
            ui,
            snap=snap,
            title=snap.answers[key]["title"],
            projected=Markup(projected),
            qr=Markup(qr_svg(url)),  # segno's own SVG: nothing in it but the escaped address
            join=url,
            poll=f"/teacher/data.json?activity={tornado.escape.url_escape(key, plus=False)}",
            poll_ms=POLL_MS,
        )


class CsvHandler(TeacherHandler):
    """``/teacher/class.csv``: the grid for a spreadsheet (UTF-8 with a byte-order mark)."""

    async def get(self) -> None:
        if not self.is_teacher():
            self.not_found()
            return
        text = await self.in_worker(Dashboard.csv)
        self.set_header("Content-Type", "text/csv; charset=UTF-8")
        self.set_header("Content-Disposition", f'attachment; filename="{self.classroom.course_id}-class.csv"')
        self.set_header("Cache-Control", "no-store")
        self.finish(text.encode("utf-8"))


class ActionHandler(TeacherHandler):
    """``POST /teacher/<release|unlock|reset|end>`` with ``student`` and ``_xsrf``; then back to the dashboard."""

    async def post(self, action: str) -> None:
        if not self.is_teacher() or action not in ACTIONS:
            self.not_found()
            return
        sid = self.get_body_argument("student", "")
        if action != "end" and sid not in self.classroom.students:
            self.not_found()
            return
        sessions = self.sessions
        if action == "release":
            sessions.release(sid)
            self.stop_kernels([sid], "device released by the teacher")
        elif action == "unlock":
            sessions.unlock(sid)
        elif action == "end":
            sessions.end()
            self.stop_kernels(list(self.classroom.students), "session ended by the teacher")
        else:
            await self.reset(sid)
            return
        self.netwise_log.info("dashboard: %s", action)  # never a student id in the server's log
        self.redirect(f"/teacher?done={action}#people", status=303)

    def stop_kernels(self, students: list[str], why: str) -> None:
        """A signed-out student's open page must not go on answering: its kernel is ended
        (class mode's kernels, netwise/app/class_handlers.py; its answers are already on disk)."""
        for sid in students:
            self.class_kernels.stop_student(sid, self.admission, why)

    async def reset(self, sid: str) -> None:
        """A lost card: a new secret, shown once on this page (only its hash is kept), the old one refused."""
        room = self.classroom

        def issue() -> tuple[Secret, StoredSecret]:
            # Only this student: a newcomer without a card gets one here or from `course cards`.
            issued, _ = ensure_secrets(room.root, [sid], room.lang, room.pictures, reset=sid)
            return issued[sid], load_secrets(room.root)[sid]

        # scrypt and an fsync'd file: off the loop, like a sign-in's check.
        secret, stored = await asyncio.get_running_loop().run_in_executor(None, issue)
        self.sessions.replace_secret(sid, stored)  # the running server checks the new one from now on
        self.stop_kernels([sid], "new secret issued by the teacher")  # whoever holds the lost card
        pictures = []
        if secret.kind == "pictures":
            for picture in secret.parts:
                names = PICTURES[picture]
                pictures.append({"svg": Markup(picture_svg(picture)), "name": names.get(room.lang, names["en"])})
        self.netwise_log.info("dashboard: reset")
        ui = await self.in_worker(lambda board: board.ui)
        self.teacher_page(
            "teacher_secret.html",
            ui,
            name=room.students[sid],
            words=secret.value if not pictures else "",
            pictures=pictures,
        )


def dashboard_routes() -> list[tuple[Any, ...]]:
    """The dashboard's routes, which netwise/app/server.py adds in class mode (before its catch-all)."""
    return [
        (r"/teacher/?", DashboardHandler),
        (r"/teacher/data\.json", DataHandler),
        (r"/teacher/projector", ProjectorHandler),
        (r"/teacher/class\.csv", CsvHandler),
        (r"/teacher/(release|unlock|reset|end)", ActionHandler),
    ]
