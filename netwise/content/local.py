"""Local colour: the placeholders scenarios use for what belongs to a region, not a language.

A lesson never hard-codes a currency, a phone-number format or the names of a bank, a school,
a neighbourhood or the apps children use. It writes named placeholders, in the English source
and, unchanged, in every translation (gettext tools check ``{name}`` placeholders):

- ``{bank}``, ``{school}``, ``{chat_app}`` …: a name from the region profile's ``local.names``
  (itself translated through the ``common`` catalog: "Ngân hàng Sông Xanh" in Vietnamese);
- ``{money:8}``: an amount in reference units (about what 8 US dollars buy), written the
  region's way in the lesson's language ("200,000 đ", "200.000 đ", "$8");
- ``{phone:31}``: fictional number 31 in the region's impossible or masked format
  ("+84 000 000 031");
- ``{cast:khoa}``: a name from the region's ``local.cast``: the people, games, pages and places
  a scenario names ("Khoa" in Vietnam, "Kai" elsewhere), so that an international lesson shows
  no Vietnamese name and a Vietnamese one keeps them.

The region fills them in after translation, so an English lesson served with the Vietnamese
profile reads as Vietnamese, and an NGO in another country changes one profile, not every
lesson. ``netwise check`` refuses an unknown placeholder, a translation that drops one, and a
lesson that hard-codes a region's currency or phone format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

from babel.core import UnknownLocaleError
from babel.numbers import format_decimal
from pydantic import BaseModel

from netwise.content.model import Currency, LocalNames, Region

M = TypeVar("M", bound=BaseModel)

# {name} or {name:argument}; the argument is a number (money, phone).
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([^{}\s]*))?\}")
NAMES: tuple[str, ...] = tuple(LocalNames.model_fields)
WITH_ARGUMENT: dict[str, str] = {
    "money": "an amount in reference units, e.g. {money:8} (about what 8 US dollars buy)",
    "phone": "a fictional number's last digits, e.g. {phone:31}",
    "cast": "a key of the region's cast of names, e.g. {cast:khoa}",
}
_CAST_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
KNOWN: tuple[str, ...] = (*NAMES, *WITH_ARGUMENT)


def cast_keys(text: str) -> list[str]:
    """The well-formed cast keys ``text`` names ("{cast:khoa}" -> "khoa"), in order (a malformed
    one is reported by ``placeholder_problems``)."""
    return [
        m.group(2) for m in PLACEHOLDER.finditer(text) if m.group(1) == "cast" and _CAST_KEY.fullmatch(m.group(2) or "")
    ]


def placeholders(text: str) -> list[str]:
    """Every placeholder in ``text`` as written ("{bank}", "{money:8}"), in order."""
    return [match.group(0) for match in PLACEHOLDER.finditer(text)]


def placeholder_problems(text: str) -> list[str]:
    """What is wrong with the placeholders of one text: unknown names, missing or bad arguments."""
    problems = []
    for match in PLACEHOLDER.finditer(text):
        name, argument = match.group(1), match.group(2)
        if name not in KNOWN:
            problems.append(
                f"unknown placeholder '{match.group(0)}'; the region profiles supply: "
                + ", ".join("{" + known + "}" for known in NAMES)
                + ", {money:N}, {phone:N}"
            )
        elif name == "cast":
            if argument is None or not _CAST_KEY.fullmatch(argument):
                problems.append(f"placeholder '{match.group(0)}' needs {WITH_ARGUMENT[name]}")
        elif name in WITH_ARGUMENT and not _number(argument):
            problems.append(f"placeholder '{match.group(0)}' needs a number: {WITH_ARGUMENT[name]}")
        elif name not in WITH_ARGUMENT and argument is not None:
            problems.append(f"placeholder '{match.group(0)}' takes no argument: write {{{name}}}")
    return problems


def _number(argument: str | None) -> Decimal | None:
    if not argument:
        return None
    try:
        value = Decimal(argument)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def _format_number(value: Decimal, lang: str) -> str:
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
    try:
        return format_decimal(value, format=pattern, locale=lang)
    except (UnknownLocaleError, ValueError):
        return format_decimal(value, format=pattern, locale="en")


def money(currency: Currency, amount: Decimal, lang: str) -> str:
    """``amount`` reference units in the region's currency, written in ``lang``."""
    step = Decimal(str(currency.step))
    local = (amount * Decimal(str(currency.per_unit)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return currency.format.replace("{amount}", _format_number(local.normalize(), lang))


@dataclass(frozen=True)
class LocalValues:
    """One region's local colour in one language: what the placeholders become."""

    region_id: str
    lang: str
    names: dict[str, str]
    currency: Currency
    phone: str
    cast: dict[str, str] = field(default_factory=dict)

    def value(self, name: str, argument: str | None) -> str | None:
        if name in self.names and argument is None:
            return self.names[name]
        if name == "cast":
            return self.cast.get(argument or "")
        number = _number(argument)
        if number is None:
            return None
        if name == "money":
            return money(self.currency, number, self.lang)
        if name == "phone" and number == number.to_integral_value():
            return self.phone.format(n=int(number))
        return None

    def fill(self, text: str) -> str:
        """``text`` with every known placeholder replaced (an unknown one stays, for check to report)."""
        if "{" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            found = self.value(match.group(1), match.group(2))
            return match.group(0) if found is None else found

        return PLACEHOLDER.sub(replace, text)


def local_values(region: Region, lang: str) -> LocalValues | None:
    """The values of a region profile (already in ``lang``); None if it has no ``local:`` block."""
    if region.local is None:
        return None
    names = {name: str(getattr(region.local.names, name)) for name in NAMES}
    return LocalValues(region.id, lang, names, region.local.currency, region.local.phone, dict(region.local.cast))


def localise(model: M, values: LocalValues | None) -> M:
    """A copy of a content model with the placeholders of every string filled in."""
    if values is None:
        return model
    return _fill(model, values)  # type: ignore[no-any-return]


def _fill(value: Any, values: LocalValues) -> Any:
    if isinstance(value, str):
        return values.fill(value)
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    if isinstance(value, BaseModel):
        update = {}
        for name in type(value).model_fields:
            current = getattr(value, name)
            if isinstance(current, (str, list, BaseModel)):
                filled = _fill(current, values)
                if filled is not current and filled != current:
                    update[name] = filled
        return value.model_copy(update=update) if update else value
    return value


# --- hard-coded local colour: what netwise check refuses in a lesson -------------------------


def _currency_patterns(currency: Currency) -> list[re.Pattern[str]]:
    before, _, after = currency.format.partition("{amount}")
    found = []
    if after.strip():
        found.append(re.compile(r"\d[\d.,]*\s?" + re.escape(after.strip()) + r"(?!\w)"))
    if before.strip():
        found.append(re.compile(r"(?<!\w)" + re.escape(before.strip()) + r"\s?\d"))
    if currency.code:
        code = re.escape(currency.code)
        found.append(re.compile(rf"\d[\d.,]*\s?{code}\b|\b{code}\s?\d"))
    return found


def _phone_pattern(phone: str) -> re.Pattern[str] | None:
    prefix = phone.split("{", 1)[0].split()
    if not prefix or not prefix[0].startswith("+"):
        return None
    return re.compile(r"(?<![\w+])" + re.escape(prefix[0]) + r"(?:[\s.()-]?[\dx])+")


@dataclass(frozen=True)
class HardCoded:
    region_id: str
    what: str  # "currency" or "phone"
    written: str


def hard_coded(text: str, regions: Iterable[Region]) -> list[HardCoded]:
    """Money or phone numbers written in a region's own format instead of a placeholder."""
    found: list[HardCoded] = []
    for region in regions:
        if region.local is None:
            continue
        for pattern in _currency_patterns(region.local.currency):
            found += [HardCoded(region.id, "currency", m.group(0).strip()) for m in pattern.finditer(text)]
        phone = _phone_pattern(region.local.phone)
        if phone is not None:
            found += [HardCoded(region.id, "phone", m.group(0).strip()) for m in phone.finditer(text)]
    return found


def hard_coded_message(found: HardCoded) -> str:
    if found.what == "currency":
        return (
            f"'{found.written}' hard-codes the currency of region '{found.region_id}'; write money as a "
            "placeholder such as {money:8} (reference units), which each region writes its own way"
        )
    return (
        f"'{found.written}' hard-codes the phone format of region '{found.region_id}'; write a fictional "
        "number as a placeholder such as {phone:31}, which each region writes in its own masked format"
    )
