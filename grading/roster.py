"""The class roster: a UTF-8 CSV ``id,first_name,last_name[,email]`` into the gradebook.

Commas or semicolons separate the columns: Excel on a computer with Vietnamese (or most
European) regional settings saves "CSV" with ``;``, so the header line decides which.
A Vietnamese name goes in as ``last_name`` = họ (the family name) and ``first_name`` =
tên đệm + tên: "Nguyễn Thị Lan" is last_name "Nguyễn", first_name "Thị Lan".

All or nothing: every bad row is reported with its row number (the header is row 1)
and nothing is imported until the whole file is good. Importing again updates names
and e-mails (a student whose row did not change is not counted as updated); students
and grades already in the gradebook are kept. A roster file that cannot be read is one
error line (RosterFileError), not a bad row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netwise.errors import NetwiseError

from .errors import RosterError

HEADER = ["id", "first_name", "last_name"]
# A student id becomes a folder name, a JupyterHub user name and a zip file name:
# ASCII letters, digits, '.', '_' and '-' only ('+' and '/' break nbgrader's paths).
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


DELIMITERS = ",;"


class RosterFileError(NetwiseError):
    """The roster file is missing or unreadable: one line, nothing imported."""


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


def delimiter(text: str) -> str:
    """``,`` or ``;``: whichever separates the header line's columns (a comma if neither does)."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=DELIMITERS).delimiter
    except csv.Error:  # a header of one column, e.g. a wrong file: the header check reports it
        return ","


def parse_roster(data: bytes, name: str = "roster") -> list[Student]:
    """Students from CSV bytes (comma- or semicolon-separated); RosterError lists every bad row."""
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
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
    if not path.exists():
        raise RosterFileError(f"roster {path}: no such file; nothing was imported")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterFileError(f"roster {path}: cannot read it ({exc.strerror or exc}); nothing was imported") from None
    return parse_roster(data, path.name)


def import_students(course: Any, students: list[Student]) -> tuple[int, int]:
    """Add or update every student in one transaction; returns (added, updated), where updated
    counts only students whose name or e-mail changed."""
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
                elif (row.first_name, row.last_name, row.email) != (
                    student.first_name,
                    student.last_name,
                    student.email,
                ):
                    row.first_name, row.last_name, row.email = student.first_name, student.last_name, student.email
                    updated += 1
            session.commit()
        except Exception:
            session.rollback()
            raise
    return added, updated
