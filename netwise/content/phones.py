"""Phone numbers a child could dial: none may appear in a scenario.

Vietnam has no range reserved for fiction, so a made-up number in a real format (``+84 900
000 031`` is a live mobile range) may belong to someone, and a child may call or text it.
Scenarios use impossible or masked numbers instead: ``+84 000 000 031``, ``09xx xxx 031``.
Real numbers (111, 113, 5656) live only in the region profiles, which this rule does not read.
"""

from __future__ import annotations

import re

# A run of digits with the separators people write inside phone numbers, optionally after a
# country code: "+84 900 000 031", "(+84) 90-000-0031", "0900.000.031", "1900 1234".
_CANDIDATE = re.compile(r"(?<![\w+])(?:\(?\+\d{1,3}\)?[\s.-]?)?\d(?:[\s.-]?\d){6,14}(?![\w])")
_SEPARATORS = re.compile(r"[\s().-]")
ADVICE = "use an impossible or masked number such as +84 000 000 031 or 09xx xxx 031"


def national_form(number: str) -> str | None:
    """The number as dialled inside Vietnam ("0900000031"), or None if it is written for
    another country."""
    digits = _SEPARATORS.sub("", number)
    if digits.startswith("+84"):
        return "0" + digits[3:]
    if digits.startswith("0084"):
        return "0" + digits[4:]
    if digits.startswith("+"):
        return None
    return digits


def is_dialable_vn(number: str) -> bool:
    """A real Vietnamese format: a mobile (03, 05, 07, 08, 09 + 8 digits), a landline
    (02 + 9 digits) or a service number (1800 / 1900 + 4 or 6 digits)."""
    national = national_form(number)
    if national is None or not national.isdigit():
        return False
    if len(national) == 10 and national[0] == "0" and national[1] in "35789":
        return True
    if len(national) == 11 and national.startswith("02") and national[2] != "0":
        return True
    return national[:4] in ("1800", "1900") and len(national) in (8, 10)


def dialable_numbers(text: str) -> list[str]:
    """Every phone number in ``text`` that a child could dial in Vietnam, as written."""
    return [m.group(0).strip() for m in _CANDIDATE.finditer(text) if is_dialable_vn(m.group(0))]
