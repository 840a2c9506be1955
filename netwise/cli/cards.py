"""``netwise course cards``: printable login cards and sign-in secrets for a class session.

It is a ``netwise course`` action, but ``grading`` (rank 4) may not import the lesson app
(rank 6) where the cards live, so the command line adds it to the course parser from here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def cmd_cards(args: argparse.Namespace) -> int:
    # deferred import: the gradebook's nbgrader and SQLAlchemy take about a second to import,
    # and every other netwise command would pay for it
    from netwise.app.cards import default_url, write_cards

    # deferred import: nbgrader again (the course's gradebook)
    from netwise.grading.course import load_course

    course = load_course(args.dir)
    url = args.url or default_url()
    out = Path(args.out) if args.out else course.root / "cards.html"
    cards, kept = write_cards(course, out, url, args.reset)
    if args.json:
        print(
            json.dumps(
                [{"id": c.student_id, "name": c.name, "secret": c.secret.value, "kind": c.secret.kind} for c in cards],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    if not cards:
        print(f"no new login card: {kept} secret(s) kept (only their hashes are stored; a lost card: --reset ID)")
        return 0
    reset = f" (a new one for {args.reset})" if args.reset else ""
    print(f"{len(cards)} login card(s) in {out}: {len(cards)} new secret(s){reset}, {kept} kept; join address {url}")
    return 0


def register(course_actions: Any) -> None:
    """Add ``cards`` to the actions of ``netwise course`` (grading/cli.py's ``register`` returns them)."""
    p = course_actions.add_parser(
        "cards",
        help="printable login cards (A4, eight a page) with each student's secret for class sessions",
        description="Write an offline page of login cards, eight to an A4 sheet, in the course language: each "
        "student's name, the course, the join address (text and QR code) and a secret (two easy words; two "
        "pictures for ages 8-10). A secret is shown only on the card printed when it is issued: the course keeps "
        "a salted hash of it (DIR/class/secrets.json, readable only by you), so later runs print cards only "
        "for students without one; --reset ID issues a new one for that student (a lost card).",
    )
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--url", help="join address on the cards (default: this computer's LAN address, port 8866)")
    p.add_argument("--out", metavar="FILE", help="HTML file to write (default: DIR/cards.html)")
    p.add_argument(
        "--json", action="store_true", help="print the id, name and secret of each student issued one now, as JSON"
    )
    p.add_argument("--reset", metavar="ID", help="a new secret for this student (a lost card); others are kept")
    p.set_defaults(func=cmd_cards)
