"""Numbers as people type them: Indonesian ``412.500`` and ``85,5``, English ``412,500``
and ``85.5`` — read so that one can never be silently taken for the other.

The rules (the README's "Numbers" section says the same to users):

* A number written with separators is read in a *style*: ``id`` (point groups
  thousands, comma marks decimals: ``1.234.567,5``) or ``en`` (``1,234,567.5``).
  Digits alone (``412500``) read the same in both.
* Without a declared style, a written number is read only when exactly one style
  can read it: ``85,5`` and ``1.234.567`` are Indonesian, ``12.5`` and ``1,234,567``
  English. ``412.500`` or ``1,250`` (one separator followed by exactly three digits)
  mean a thousand times more in one style than in the other: that is an error
  asking for the style to be declared or the number to be written without
  separators.
* With a declared style, a number the style cannot read is an error too (``12.5``
  in an Indonesian file): it is never guessed.
* ``NaN``, ``Infinity``, scientific notation (``1,5E+12``, what Excel shows for
  large amounts — with digits lost) and magnitudes beyond 10^18 are errors.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ValidationInfo

Style = Literal["id", "en"]
STYLES: tuple[Style, ...] = ("id", "en")
STYLE_NAMES = {"id": "Indonesian", "en": "English"}

MAX_MAGNITUDE = Decimal(10) ** 18
"""The largest magnitude plandocs reads or formats (a million trillion rupiah)."""
MAX_TEXT = 64
"""Characters a written number may have (10^18 with separators and decimals fits)."""

_SEPARATORS = {"id": (".", ","), "en": (",", ".")}
_PATTERNS = {
    style: re.compile(
        rf"(?:(?:[1-9]\d{{0,2}}(?:{re.escape(group)}\d{{3}})+|\d+)(?:{re.escape(dec)}\d+)?"
        rf"|{re.escape(dec)}\d+)"
    )
    for style, (group, dec) in _SEPARATORS.items()
}
_SPECIAL = re.compile(r"[-+]?(?:s?nan|inf|infinity)", re.I)
_EXPONENT = re.compile(r"[-+]?[\d.,]*\d[eE][-+]?\d+")
_DIGITS_ONLY = re.compile(r"[-+−]?[\d.,_ ]+")


class NumberError(ValueError):
    """A written number that cannot be read safely; the message says what to write."""


def shown(text: str) -> str:
    """``text`` quoted for a message, shortened when long."""
    return repr(text if len(text) <= 40 else f"{text[:20]}…{text[-8:]}")


def check_magnitude(value: Decimal, written: str | None = None) -> Decimal:
    """``value`` itself, if it is finite and at most 10^18 in magnitude."""
    if not value.is_finite():
        raise NumberError(f"{written or value} is not a number; write the value in digits")
    if value.copy_abs() > MAX_MAGNITUDE:
        what = shown(written) if written is not None else _magnitude(value)
        raise NumberError(f"{what} is larger than plandocs handles (at most 10^18 in magnitude)")
    return value


def _magnitude(value: Decimal) -> str:
    return f"a number of about 10^{value.adjusted()}"


def readings(text: str) -> dict[Style, Decimal]:
    """Every style that can read ``text`` (already stripped), and the value it reads."""
    sign = ""
    if text[:1] in "-+−":
        sign, text = ("-" if text[0] in "-−" else ""), text[1:]
    found: dict[Style, Decimal] = {}
    for style in STYLES:
        if _PATTERNS[style].fullmatch(text):
            group, dec = _SEPARATORS[style]
            found[style] = Decimal(sign + text.replace(group, "").replace(dec, "."))
    return found


def example(value: Decimal, style: Style) -> str:
    """``value`` written in ``style`` (for messages): 412500 → ``412.500`` / ``412,500``."""
    text = format(value, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    group, dec = _SEPARATORS[style]
    grouped = f"{int(whole):,}".replace(",", group)
    return sign + grouped + (dec + fraction if fraction else "")


def plain(value: Decimal) -> str:
    """``value`` without separators or exponent: ``412500``, ``412.5``."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def parse_number(text: str, style: Style | None = None) -> Decimal:
    """Read a number written as text, in ``style`` or (without one) only if unambiguous.

    Raises :class:`NumberError` with a message naming what to write instead.
    """
    raw = text
    text = text.strip()
    if not text:
        raise NumberError("the value is empty; write a number")
    if len(text) > MAX_TEXT:
        if _DIGITS_ONLY.fullmatch(text):
            raise NumberError(
                f"{shown(text)} ({sum(c.isdigit() for c in text)} digits) is larger than "
                "plandocs handles (at most 10^18 in magnitude)"
            )
        raise NumberError(f"{shown(text)} is not a number")
    if _SPECIAL.fullmatch(text):
        raise NumberError(f"{shown(text)} is not a number; write the value in digits")
    if _EXPONENT.fullmatch(text):
        raise NumberError(
            f"{shown(text)} is in scientific notation, which loses digits (Excel shows large "
            "amounts so); write all the digits — in Excel, format the column as a number "
            "without decimals and save again"
        )
    found = readings(text)
    if not found:
        raise NumberError(
            f"{shown(raw.strip())} is not a number; write digits, with `.` or `,` for "
            "decimals as the number style says (e.g. 8,5 or 1250000)"
        )
    if style is not None:
        if style not in found:
            other: Style = "en" if style == "id" else "id"
            value = found[other]
            instead = example(value, style)
            if value == value.to_integral() and plain(value) != instead:
                instead += f" (or {plain(value)})"
            raise NumberError(
                f"{shown(text)} is not written in the {STYLE_NAMES[style]} number style "
                f"declared for it; write {instead}"
            )
        return check_magnitude(found[style], text)
    values = set(found.values())
    if len(values) > 1:
        id_value, en_value = found["id"], found["en"]
        raise NumberError(
            f"{shown(text)} could be {plain(id_value)} (Indonesian) or {plain(en_value)} "
            f"(English); write {plain(id_value)} or {plain(en_value)} without separators, or "
            "declare the number style (`number_style: id` in plandocs.yaml, or "
            "`numbers: id` for a data file)"
        )
    return check_magnitude(values.pop(), text)


def style_of(text: str) -> Style | None:
    """The one style that reads ``text`` differently from the other, if it shows one."""
    found = readings(text.strip())
    if len(found) == 1:
        return next(iter(found))
    return None


def as_decimal(value: object, style: Style | None = None) -> Decimal:
    """A number given to plandocs (int, float, Decimal or written text) as a checked Decimal.

    Text is read by :func:`parse_number`; a yes/no value, NaN, infinity or a magnitude
    beyond 10^18 is an error.
    """
    if isinstance(value, bool):
        raise TypeError("a yes/no value is not a number")
    if isinstance(value, int):
        if abs(value) > MAX_MAGNITUDE:
            digits = int(value.bit_length() * 0.30103) + 1
            raise NumberError(
                f"a number of about {digits} digits is larger than plandocs handles "
                "(at most 10^18 in magnitude)"
            )
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberError(f"{value} is not a number; check the value it comes from")
        return check_magnitude(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return check_magnitude(value)
    if isinstance(value, str):
        return parse_number(value, style)
    if value is None:
        raise TypeError("a number is missing here; check that the fact is given")
    raise TypeError(f"{shown(str(value))} is not a number")


MAX_PLACES = 10
"""The most decimals a number of the content may have: as many as a document prints
(:data:`plandocs.render.i18n.MAX_DIGITS`)."""


def content_number(value: object, style: Style | None = None) -> Decimal:
    """A number the content gives (a fact, a table's cell): :func:`as_decimal`, and at
    most :data:`MAX_PLACES` decimals, so that a value no document could print is an
    error where it is written, not in the template that prints it."""
    number = as_decimal(value, style)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_PLACES:
        written = value if isinstance(value, str) else plain(number)
        raise NumberError(
            f"{shown(str(written).strip())} has {-exponent} decimals, more than a document "
            f"prints (at most {MAX_PLACES}); round it"
        )
    return number


def _fact_number(value: Any, info: ValidationInfo) -> Decimal:
    context = info.context if isinstance(info.context, dict) else {}
    style = context.get("number_style")
    try:
        return content_number(value, style if style in STYLES else None)
    except TypeError as exc:  # pydantic reports ValueErrors, and lets a TypeError through
        raise ValueError(str(exc)) from None


FactNumber = Annotated[Decimal, BeforeValidator(_fact_number)]
"""A number in facts: a YAML number, or text read in the project's ``number_style``
(given to validation as ``context={"number_style": …}``)."""
