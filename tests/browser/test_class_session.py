"""A whole class session in real browsers (issue 14's headline test): phones answer, the tablet sees, grading agrees.

A course of four students with Vietnamese names (one "Đặng Đức") is made with the real commands
(``course init``, ``course cards --json``) and run by the installed ``netwise serve --course``. In
one Chromium, three students sign in from their own 390x844 touch contexts and answer the lesson
through the real widgets: An answers everything right, Bình partly (a wrong first answer retried,
a wrong verdict, half the red flags, the unsafe ending), Đức first types a wrong secret (the kind
message, in Vietnamese), then the right one, and answers with some mistakes; Lan does nothing.
The teacher's dashboard, open in a tablet-sized fourth context, shows each student's statuses
and the class distribution within 2 s of the last feedback. Then ``netwise course grade`` gives
each student the exact score per activity, and the signed-in student's ``/class`` page links
their own graded feedback, in Vietnamese.

Nothing expected is written down as a number: every status, count and score comes from the
curriculum and the answers each student gave (``PLANS``), through ``netwise.scoring`` and the
class report's rows, and the clicks themselves are derived from the same plans.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from markupsafe import escape

from netwise.app.progress import cell
from netwise.content import load
from netwise.grading.activities import Context, class_rows
from netwise.grading.html import points
from netwise.i18n import Translator
from netwise.scoring import activity_score
from netwise.scoring.record import read, record_name
from support.classes import NAMES, ClassCourse, ClassServer, class_server, make_course
from support.coursework import gradebook_scores
from support.paths import NETWISE
from support.servers import chromium_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ASSIGNMENT, LESSON = "basics", "basics-one"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
SLOW_AFTER_WRONG = 1.1  # the join form's pause after a wrong secret (sessions.py rate limit)

# What each student does, as the widgets record it: (activity, part, value) in the order given.
# The clicks are derived from these values (``give``), the expected results from the curriculum.
Event = tuple[str, str, dict[str, Any]]
PLANS: dict[str, list[Event]] = {
    "an.nguyen": [  # everything right
        ("quiz", "_", {"selected": ["scammer"]}),
        ("judge", "otp", {"verdict": "scam"}),
        ("judge", "parcel", {"verdict": "legit"}),
        ("flags", "_", {"marked": ["from", "hurry"]}),
        ("chat", "_", {"path": ["ask", "check", "safe"]}),
    ],
    "binh.tran": [  # partly: a wrong first answer then the right one, a wrong verdict, half the flags
        ("quiz", "_", {"selected": ["bank"]}),
        ("quiz", "_", {"selected": ["scammer"]}),
        ("judge", "otp", {"verdict": "scam"}),
        ("judge", "parcel", {"verdict": "scam"}),
        ("flags", "_", {"marked": ["from"]}),
        ("chat", "_", {"path": ["ask", "gave"]}),
    ],
    "dang.duc": [  # signs in after a wrong secret; a false alarm among the flags, the first verdict wrong
        ("quiz", "_", {"selected": ["scammer"]}),
        ("judge", "otp", {"verdict": "legit"}),
        ("judge", "parcel", {"verdict": "legit"}),
        ("flags", "_", {"marked": ["from", "hello", "hurry"]}),
        ("chat", "_", {"path": ["ask", "check", "safe"]}),
    ],
}
IDLE = "lan.pham"  # on the roster, never signs in


def answers_of(plan: list[Event], activity: str) -> dict[str, list[dict[str, Any]]]:
    """One activity's block of an answer record, as the widgets would write it for ``plan``."""
    block: dict[str, list[dict[str, Any]]] = {}
    for act, part, value in plan:
        if act == activity:
            block.setdefault(part, []).append({"value": value})
    return block


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> ClassCourse:
    return make_course(tmp_path_factory.mktemp("class-session"))


@pytest.fixture(scope="module")
def server(course: ClassCourse) -> Iterator[ClassServer]:
    with class_server(course, (ASSIGNMENT,)) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as launched:
        yield launched


class Lesson:
    """The lesson in the course language: what the pages show and how each answer is clicked."""

    def __init__(self, course: ClassCourse) -> None:
        curriculum = load(course.curriculum)
        self.translator = Translator(curriculum, "vi")
        self.ui = self.translator.ui()
        self.lesson = self.translator.lesson(LESSON)
        self.activities = {a.id: a for a in self.lesson.activities}

    def section(self, page: Any, activity_id: str) -> Any:
        """The widget of an activity, found by what its type draws (the lesson has one of each type)."""
        kind = self.activities[activity_id].type
        marker = {"choice": ".nw-options", "verdict": ".nw-verdict-buttons", "red_flags": "button.nw-part",
                  "branching": ".nw-choices"}[kind]  # fmt: skip
        return page.locator(f"section.nw-activity:has({marker})").first

    def give(self, page: Any, event: Event) -> None:
        """Click one answer as a student does, then wait for the feedback the kernel sends back for it
        (sent only after the answer is on disk)."""
        activity_id, part, value = event
        activity = self.activities[activity_id]
        section = self.section(page, activity_id)
        if activity.type == "choice":
            for option in value["selected"]:
                section.locator(f'label.nw-option[data-key="{option}"]').tap()
            section.locator("button.nw-primary").tap()
            for option in value["selected"]:  # this attempt's options are marked right or wrong
                section.locator(f'label.nw-option[data-key="{option}"]:is(.nw-right, .nw-wrong)').wait_for()
            section.locator(".nw-feedback:not([hidden])").first.wait_for()
        elif activity.type == "verdict":
            item = next(i for i in activity.items if i.id == part)
            article = section.locator("article.nw-item", has_text=item.artifact.body[:20])
            article.locator(f"button.nw-v-{value['verdict']}").tap()
            article.locator(f'button.nw-v-{value["verdict"]}[aria-pressed="true"]').wait_for()
            article.locator(".nw-feedback:not([hidden])").wait_for()
        elif activity.type == "red_flags":
            for flag in value["marked"]:
                section.locator(f'button.nw-part[data-key="{flag}"]').first.tap()
                section.locator(f'button.nw-part[data-key="{flag}"][aria-pressed="true"]').first.wait_for()
            section.locator("button.nw-primary").tap()
            section.locator(".nw-feedback:not([hidden])").first.wait_for()
        elif activity.type == "branching":
            nodes = {n.id: n for n in activity.nodes}
            for here, there in zip(value["path"], value["path"][1:], strict=False):
                reply = next(c for c in nodes[here].choices if c.goto == there)  # the reply leading there
                section.locator(".nw-choices").get_by_role("button", name=reply.text, exact=True).tap()
            section.locator(".nw-feedback[class*='nw-outcome']:not([hidden])").wait_for()
        else:
            raise AssertionError(f"no clicks for a {activity.type} activity")


def grid_of(dash: Any) -> dict[str, dict[str, str]]:
    """Each student's statuses as the dashboard's grid shows them, by activity key (``page/activity``)."""
    return dict(
        dash.evaluate(
            """() => {
                const keys = [...document.querySelectorAll('section.answer')].map((s) => s.dataset.activity);
                const out = {};
                for (const row of document.querySelectorAll('tr[data-student]')) {
                    const cells = [...row.querySelectorAll('td')].map((td) => td.dataset.status);
                    out[row.dataset.student] = Object.fromEntries(keys.map((k, i) => [k, cells[i]]));
                }
                return out;
            }"""
        )
    )


def counts_of(dash: Any) -> dict[str, list[int]]:
    """Each activity's distribution as the dashboard shows it: the counts column of its tables, in order."""
    return dict(
        dash.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('section.answer')].map((s) =>
                [s.dataset.activity, [...s.querySelectorAll('table.dist td.num')].map((td) => Number(td.textContent))]))"""
        )
    )


def sign_in(context: Any, url: str, sid: str, secret: str, ui: dict[str, str]) -> Any:
    page = context.new_page()
    page.goto(f"{url}/")
    page.locator("#student").select_option(sid)
    page.locator("#secret").fill(secret)
    with page.expect_navigation():
        page.get_by_role("button", name=ui["class_sign_in"]).tap()
    return page


def test_a_class_session_from_phones_to_the_gradebook(course: ClassCourse, server: ClassServer, browser: Any) -> None:
    lesson = Lesson(course)
    ui, url = lesson.ui, server.url
    students = list(NAMES)
    expected_cells = {
        sid: {
            f"{LESSON}/{a}": cell(act, answers_of(PLANS.get(sid, []), a)).status for a, act in lesson.activities.items()
        }
        for sid in students
    }
    # What the plans mean, said without scoring: An is right first everywhere, Lan never started, and
    # Bình's retried quiz is "needed several tries" (the first answer counts).
    assert set(expected_cells["an.nguyen"].values()) == {"right_first"}
    assert set(expected_cells[IDLE].values()) == {"not_done"}
    assert expected_cells["binh.tran"][f"{LESSON}/quiz"] == "several_tries"
    ctx = Context(ui, "vi")
    expected_counts = {
        f"{LESSON}/{a}": [
            row.count
            for group in class_rows(act, [{a: answers_of(PLANS[s], a)} for s in PLANS], ctx).groups
            for row in group.rows
        ]
        for a, act in lesson.activities.items()
    }
    firsts = Counter(next(v["selected"][0] for a, _, v in plan if a == "quiz") for plan in PLANS.values())
    quiz_rows = [firsts[o.id] for o in lesson.activities["quiz"].options]  # counted here, not by the report
    assert expected_counts[f"{LESSON}/quiz"] == quiz_rows

    contexts = []
    try:
        tablet = browser.new_context(viewport=TABLET, has_touch=True)
        contexts.append(tablet)
        dash = tablet.new_page()
        dash.goto(f"{url}/teacher?key={server.key}")
        assert dash.url == f"{url}/teacher"  # the key left the address bar
        assert grid_of(dash) == {sid: {k: "not_done" for k in expected_cells[sid]} for sid in students}

        phones: dict[str, Any] = {}
        for sid in PLANS:
            phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            contexts.append(phone)
            if sid == "dang.duc":  # a wrong secret first: the kind message, and the name stays chosen
                page = sign_in(phone, url, sid, "sai bét", ui)
                message = page.locator("#join-message")
                assert message.inner_text() == ui["class_wrong"].format(tries=2)
                assert page.locator("#student").input_value() == sid
                assert phone.cookies() and not any(c["name"] == "nw_class" for c in phone.cookies())
                time.sleep(SLOW_AFTER_WRONG)
                page.locator("#secret").fill(course.secrets[sid])
                with page.expect_navigation():
                    page.get_by_role("button", name=ui["class_sign_in"]).tap()
            else:
                page = sign_in(phone, url, sid, course.secrets[sid], ui)
            assert page.url == f"{url}/class", page.locator("main").inner_text()
            assert page.get_by_role("heading", level=1).inner_text() == ui["class_hello"].format(name=NAMES[sid])
            # Each page is rendered on request for its student: open all three, then wait for them.
            page.locator(f'a[data-page="{LESSON}"]').click(no_wait_after=True)
            phones[sid] = page
        for page in phones.values():
            page.wait_for_url(f"{url}/class/lesson/{LESSON}", timeout=60_000)
            page.wait_for_selector("html[data-nw-ready]", timeout=60_000)

        late: dict[str, float] = {}
        for sid, plan in PLANS.items():
            for event in plan:
                lesson.give(phones[sid], event)
            shown = time.monotonic()  # the student's last feedback is on screen
            row = expected_cells[sid]
            dash.wait_for_function(
                """([sid, want]) => {
                    const keys = [...document.querySelectorAll('section.answer')].map((s) => s.dataset.activity);
                    const row = document.querySelector(`tr[data-student="${sid}"]`);
                    const cells = row ? [...row.querySelectorAll('td')].map((td) => td.dataset.status) : [];
                    return keys.length > 0 && keys.every((k, i) => cells[i] === want[k]);
                }""",
                arg=[sid, row],
                timeout=5_000,
            )
            late[sid] = time.monotonic() - shown
        for sid, seconds in late.items():
            assert seconds <= 2.0, f"the dashboard showed {sid}'s answers {seconds:.1f} s after the feedback"
        assert grid_of(dash) == expected_cells
        assert counts_of(dash) == expected_counts  # the class distribution, from the class report's rows

        # Every answer went to the student's own submission folder, as given, before its feedback.
        for sid, plan in PLANS.items():
            record = read(course.root / "submitted" / sid / ASSIGNMENT / record_name(LESSON), LESSON)
            for activity_id in lesson.activities:
                given = answers_of(plan, activity_id)
                stored = record["answers"].get(activity_id, {})
                assert {p: [a["value"] for a in tries] for p, tries in stored.items()} == {
                    p: [a["value"] for a in tries] for p, tries in given.items()
                }, (sid, activity_id)
        assert not (course.root / "submitted" / IDLE).exists()

        # The teacher grades while the students are still signed in: exact scores per student and activity.
        started = time.monotonic()
        graded = subprocess.run(
            [NETWISE, "course", "grade", str(course.root), ASSIGNMENT],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert graded.returncode == 0, graded.stderr
        grading_seconds = time.monotonic() - started
        expected_scores = {
            sid: {a: activity_score(act, answers_of(plan, a)).score for a, act in lesson.activities.items()}
            for sid, plan in PLANS.items()
        }
        assert expected_scores["an.nguyen"] == {a: float(act.points) for a, act in lesson.activities.items()}
        assert gradebook_scores(course.root, ASSIGNMENT) == {
            sid: (sum(s.values()), s) for sid, s in expected_scores.items()
        }

        # Đức's class page now links his own graded feedback, in the course language.
        home = phones["dang.duc"]
        home.goto(f"{url}/class")
        link = home.locator(f'a[data-feedback="{ASSIGNMENT}"]')
        assert link.count() == 1
        title = ui["class_feedback_for"].format(title=lesson.lesson.title)
        assert link.locator(".lesson-title").inner_text() == title
        link.click()
        home.wait_for_load_state()
        assert home.evaluate("document.documentElement.lang") == "vi"
        html = home.content()
        total = sum(expected_scores["dang.duc"].values())
        most = sum(float(a.points) for a in lesson.activities.values())
        assert str(escape(ui["fb_total"].format(score=points(total, "vi"), max=points(most, "vi")))) in html
        assert str(escape(ui["fb_first_counts"])) in html
        assert NAMES["an.nguyen"] not in html and NAMES["binh.tran"] not in html
    finally:
        for context in contexts:
            context.close()
    print(f"dashboard late (s): {late}; course grade: {grading_seconds:.1f} s")
