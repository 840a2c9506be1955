"""Login cards for a class session: one printable, offline page, eight cards to an A4 sheet.

A teacher prints the cards before class (``netwise course cards DIR``) and hands each child
theirs: the name, the course, the join address (as text and as a QR code a phone camera opens)
and the child's secret (:mod:`netwise.app.logins`). The page is one self-contained HTML file:
no font, script or image from anywhere else (a school's printer room may be offline, and a
child's page never calls out), the QR codes made here by segno as inline SVG.

The join address defaults to this computer's LAN address and ``netwise serve``'s port, since
phones on the school Wi-Fi cannot reach 127.0.0.1. :func:`terminal_qr` draws the same QR code
with text blocks for ``serve --course``'s banner.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import segno
from markupsafe import Markup

from netwise.app.logins import PICTURE_AGES, PICTURES, Secret, ensure_secrets, picture_svg
from netwise.errors import NetwiseError
from netwise.grading.course import Course, unknown_id

# `netwise serve`'s port when none is given: Voilà's default, which NetwiseVoila keeps
# (tests/unit/test_cards_parts.py checks the two agree without importing Voilà here).
SERVE_PORT = 8866
CARDS_PER_PAGE = 8
TEMPLATES = Path(__file__).with_name("templates") / "cards"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Login cards",
        "course": "Course",
        "join": "Open on your phone",
        "secret": "Your secret words",
        "pictures": "Your secret pictures, in this order",
        "keep": "Keep this card. Do not show your secret to anyone.",
        "qr": "QR code for",
        "print_hint": "Print on A4, eight cards to a page, then cut along the lines.",
    },
    "vi": {
        "title": "Thẻ đăng nhập",
        "course": "Lớp",
        "join": "Mở trên điện thoại",
        "secret": "Từ bí mật của em",
        "pictures": "Hình bí mật của em, theo thứ tự này",
        "keep": "Giữ thẻ này. Đừng cho ai xem bí mật của em.",
        "qr": "Mã QR của",
        "print_hint": "In trên giấy A4, tám thẻ một trang, rồi cắt theo đường kẻ.",
    },
}


@dataclass(frozen=True)
class Card:
    student_id: str
    name: str
    secret: Secret


def lan_address() -> str:
    """This computer's address on the local network (the one its default route uses), else 127.0.0.1.

    A UDP socket's ``connect`` only picks a route: it sends no packet, so nothing leaves the machine.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 9))
        address = str(probe.getsockname()[0])
    except OSError:  # no network at all: the teacher gives --url
        address = "127.0.0.1"
    finally:
        probe.close()
    return address


def default_url(port: int = SERVE_PORT) -> str:
    return f"http://{lan_address()}:{port}/"


def uses_pictures(course: Course) -> bool:
    """Picture secrets for a class of ages 8-10: its age band, else every lesson of its assignments."""
    if course.age_band:
        return course.age_band == PICTURE_AGES
    lessons = course.curriculum.lessons
    bands = {
        lessons[entry].age_band
        for entries in course.settings.assignments.values()
        for entry in entries
        if entry in lessons  # checks (assessment forms) have no age band of their own
    }
    return bands == {PICTURE_AGES}


def display_name(lang: str, first: str, last: str) -> str:
    """A Vietnamese name is said family name first ("Đặng Đức"); others given name first."""
    parts = (last, first) if lang == "vi" else (first, last)
    return " ".join(p for p in parts if p).strip()


def roster(course: Course) -> list[tuple[str, str]]:
    """(id, name) of every student in the gradebook, by id."""
    with course.gradebook() as gradebook:
        return sorted(
            (s.id, display_name(course.lang, s.first_name or "", s.last_name or "")) for s in gradebook.students
        )


def make_cards(course: Course, reset: str | None = None) -> tuple[list[Card], int]:
    """Cards for the students issued a secret now (those without one, and ``reset``); returns (cards,
    secrets kept). A kept secret has no card: only its hash is stored."""
    students = roster(course)
    ids = [sid for sid, _ in students]
    if reset is not None and reset not in ids:
        raise NetwiseError(unknown_id("student", reset, ids))
    issued, kept = ensure_secrets(course.root, ids, course.lang, uses_pictures(course), reset)
    return [Card(sid, name, issued[sid]) for sid, name in students if sid in issued], kept


def qr_code(url: str) -> segno.QRCode:
    """A full QR code, never a Micro QR (which segno picks for a short address and phones do not read)."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> str:
    """The QR code as inline SVG (no XML declaration), drawn in millimetres so it prints sharp."""
    qr = qr_code(url)
    return str(qr.svg_inline(scale=1, border=4, unit="mm", dark="#000", light="#fff", svgclass="qr"))


def terminal_qr(url: str) -> str:
    """The QR code as text for a terminal banner: two rows of modules a line, in half blocks.

    A terminal draws light text on a dark background, so a light module is a block and a dark
    module is left blank: the code reads dark on light, as a phone camera expects, with the
    quiet zone (four light modules) around it.
    """
    matrix = [[bool(m) for m in row] for row in qr_code(url).matrix]
    border = 4
    size = len(matrix) + 2 * border

    def dark(y: int, x: int) -> bool:
        y, x = y - border, x - border
        return 0 <= y < len(matrix) and 0 <= x < len(matrix) and matrix[y][x]

    lines = []
    for y in range(0, size, 2):
        line = []
        for x in range(size):
            top, bottom = dark(y, x), (dark(y + 1, x) if y + 1 < size else False)
            line.append({(False, False): "█", (False, True): "▀", (True, False): "▄", (True, True): " "}[top, bottom])
        lines.append("".join(line))
    return "\n".join(lines)


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=jinja2.StrictUndefined
    )


def render_cards(course: Course, cards: list[Card], url: str) -> str:
    """The cards page: A4 sheets of eight, in the course language."""
    lang = course.lang if course.lang in STRINGS else "en"
    pages: list[list[dict[str, Any]]] = []
    qr = Markup(qr_svg(url))  # segno's own SVG: no text from a user inside but the escaped URL
    for index, card in enumerate(cards):
        if index % CARDS_PER_PAGE == 0:
            pages.append([])
        pictures = []
        if card.secret.kind == "pictures":
            for picture in card.secret.parts:
                names = PICTURES[picture]
                pictures.append({"svg": Markup(picture_svg(picture)), "name": names.get(lang, names["en"])})
        pages[-1].append({"card": card, "pictures": pictures})
    return (
        environment()
        .get_template("cards.html.j2")
        .render(lang=lang, s=STRINGS[lang], course=course.course_id, url=url, qr=qr, pages=pages)
    )


def write_cards(course: Course, out: Path, url: str, reset: str | None = None) -> tuple[list[Card], int]:
    """Write the cards of the secrets issued now; with none issued, the page is left as it was."""
    cards, kept = make_cards(course, reset)
    if cards:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_cards(course, cards, url), encoding="utf-8")
    return cards, kept
