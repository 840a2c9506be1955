"""The class roster: a UTF-8 CSV ``id,first_name,last_name[,email]`` into the gradebook.

All or nothing: every bad row is reported with its row number (the header is row 1)
and nothing is imported until the whole file is good. Importing again updates names
and e-mails; students and grades already in the gradebook are kept.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import RosterError

HEADER = ["id", "first_name", "last_name"]
# A student id becomes a folder name, a JupyterHub user name and a zip file name:
# ASCII letters, digits, '.', '_' and '-' only ('+' and '/' break nbgrader's paths).
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


@dataclass(frozen=True)
class Student:
    id: str
    first_name: str
    last_name: str
    email: str | None = None


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")  # spreadsheets often add a byte-order mark
    except UnicodeDecodeError:
        bad = []
        for number, line in enumerate(data.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(f"{name}: row {number}: not UTF-8 text; save the roster as 'CSV UTF-8'")
        raise RosterError(bad or [f"{name}: not UTF-8 text; save the roster as 'CSV UTF-8'"]) from None


def parse_roster(data: bytes, name: str = "roster") -> list[Student]:
    """Students from CSV bytes; RosterError lists every bad row."""
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise RosterError([f"{name}: row 1: the file is empty; expected the header id,first_name,last_name[,email]"])
    columns = [h.strip().lower() for h in header]
    if columns[:3] != HEADER or columns[3:] not in ([], ["email"]):
        raise RosterError(
            [
                f"{name}: row 1: header is {','.join(header)!r}; expected id,first_name,last_name or id,first_name,last_name,email"
            ]
        )
    width = len(columns)
    problems: list[str] = []
    students: list[Student] = []
    first_row: dict[str, int] = {}
    row = 1
    for fields in reader:
        row = reader.line_num  # counts physical lines, so quoted line breaks keep numbers right
        if not any(f.strip() for f in fields):
            continue  # blank lines are harmless
        if len(fields) != width:
            problems.append(f"{name}: row {row}: {len(fields)} columns, expected {width}")
            continue
        sid, first, last = (f.strip() for f in fields[:3])
        email = fields[3].strip() if width == 4 and fields[3].strip() else None
        if not sid:
            problems.append(f"{name}: row {row}: empty id")
        elif not STUDENT_ID.match(sid):
            problems.append(
                f"{name}: row {row}: id {sid!r} cannot be used by nbgrader; use ASCII letters, digits, '.', '_' or '-' (no spaces or accents), at most 64"
            )
        elif sid.lower() in first_row:
            # ids become folder names, which are case-insensitive on Windows and macOS
            problems.append(f"{name}: row {row}: id {sid!r} repeats row {first_row[sid.lower()]}")
        else:
            first_row[sid.lower()] = row
        if not first:
            problems.append(f"{name}: row {row}: empty first_name")
        if email is not None and not EMAIL.match(email):
            problems.append(f"{name}: row {row}: e-mail {email!r} is not an address")
        students.append(Student(sid, first, last, email))
    if problems:
        raise RosterError(problems)
    if not students:
        raise RosterError([f"{name}: row {row + 1}: no students after the header"])
    return students


def read_roster(path: str | Path) -> list[Student]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError([f"{path}: cannot read the roster: {exc.strerror or exc}"]) from None
    return parse_roster(data, path.name)


def import_students(course: Any, students: list[Student]) -> tuple[int, int]:
    """Add or update every student in one transaction; returns (added, updated)."""
    from nbgrader.api import Student as DbStudent  # deferred: nbgrader is slow to import

    added = updated = 0
    with course.gradebook() as gradebook:
        # One session, one commit: a failure half-way leaves the gradebook as it was.
        session = gradebook.db
        try:
            existing = {s.id: s for s in session.query(DbStudent).all()}
            for student in students:
                row = existing.get(student.id)
                if row is None:
                    session.add(
                        DbStudent(
                            id=student.id,
                            first_name=student.first_name,
                            last_name=student.last_name,
                            email=student.email,
                        )
                    )
                    added += 1
                else:
                    row.first_name, row.last_name, row.email = student.first_name, student.last_name, student.email
                    updated += 1
            session.commit()
        except Exception:
            session.rollback()
            raise
    return added, updated
