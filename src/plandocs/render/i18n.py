"""Dates, times, numbers and money in each language's conventions, on Babel.

Every call names its locale explicitly; nothing here reads or sets the process
locale. Where Babel (CLDR) differs from how the ministry writes (see DOMAIN.md),
the patterns are given here rather than taken from CLDR:

* Indonesian full dates without a zero-padded day (``Kamis, 8 Februari 2024``);
* English ordinal days (``February 8th, 2024``), which CLDR does not have;
* date ranges in one style per language, with wide month names and glued so that a
  line never breaks inside one (``30 Januari–2 Februari 2025``,
  ``January 30–February 2, 2025``);
* time zones named WIB/WITA/WIT rather than ``+0700``;
* rupiah without decimals and, in Indonesian, without a space (``Rp1.234.567``);
  large amounts in juta/miliar/triliun at a fixed precision, grouped at every scale
  (``Rp3.621,3 triliun``) — CLDR's compact forms stop grouping and drop zeros;
* numbers and amounts in words (terbilang) from num2words, with its Indonesian
  corrected where it departs from the standard forms (see :func:`spell`).

Rounding is half up everywhere (``24,385`` → ``24,39``), as money is rounded; Babel's
own default is half even. Arguments are checked before any work: a value must be a
finite number of at most 10^18 in magnitude, ``digits`` a whole number 0–10, so no
filter can be made to hang or to allocate without bound.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

from plandocs.content.numbers import Style, as_decimal, shown

Number = int | float | Decimal
EnglishDates = Literal["ordinal", "plain"]

BABEL_LOCALES = {"id": "id_ID", "en": "en_US"}
WORD_LANGS = {"id": "id-ID", "en": "en-US"}
TIMEZONES = {"WIB": 7, "WITA": 8, "WIT": 9}

EN_DASH = "\u2013"
NBSP = "\u00a0"
WORD_JOINER = "\u2060"
RANGE_DASH = f"{WORD_JOINER}{EN_DASH}{WORD_JOINER}"
"""The en dash of a range, joined to both sides so no line breaks at it (UAX #14 WJ)."""

MAX_DIGITS = 10
"""The most decimals a filter shows; also the most a value keeps when shown as given."""
LARGE_DIGITS = 2
"""At most this many decimals in ``rupiah("large")`` unless ``digits`` is given, and only
those the figure needs (``Rp22,4 triliun``, ``Rp24,39 miliar``, ``Rp1 triliun``). Amounts
shown side by side pass ``digits`` so that they share one precision
(``Rp74,9 / Rp77,6 / Rp382,1 triliun`` with ``digits=1``)."""

# CLDR's long compact names, largest first; above a trillion the trillions are grouped
# (Rp3.621,3 triliun), as the state budget is written.
LARGE_UNITS = {
    "id": ((12, "triliun"), (9, "miliar"), (6, "juta")),
    "en": ((12, "trillion"), (9, "billion"), (6, "million")),
}
# Units that name a scale rather than things counted stand before the figure.
SCALE_UNITS = {"id": frozenset({"indeks", "nilai", "skor"}), "en": frozenset({"index", "score"})}
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)


def _trimmed(value: Decimal) -> Decimal:
    """``24.390`` → ``24.39``, ``1.00`` → ``1``: only the decimals a figure needs."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def ordinal(day: int) -> str:
    """English ordinal of a day number: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    teen = 10 <= day % 100 <= 20
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def check_digits(digits: object) -> int | None:
    """``digits`` if it is ``None`` or a whole number 0–10; else a plain error."""
    if digits is None:
        return None
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError(f"digits must be a whole number from 0 to {MAX_DIGITS}")
    if not 0 <= digits <= MAX_DIGITS:
        given = f", not {digits}" if abs(digits) < 10**6 else ""
        raise ValueError(f"digits must be from 0 to {MAX_DIGITS}{given}")
    return digits


def round_half_up(amount: Decimal, digits: int) -> Decimal:
    """``amount`` rounded to ``digits`` decimals, halves away from zero."""
    return amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=_CONTEXT)


def _as_given(amount: Decimal) -> Decimal:
    """``amount`` with its own decimals, but at most :data:`MAX_DIGITS` of them."""
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DIGITS:
        return round_half_up(amount, MAX_DIGITS).normalize(_CONTEXT)
    return amount


_ID_SCALES = "juta|miliar|triliun|kuadriliun|kuintiliun"


def spell(amount: Decimal, lang: str) -> str:
    """``amount`` in words: ``dua ribu dua puluh lima`` / ``two thousand twenty-five``.

    num2words gives the words; we correct what departs from the standard forms:

    * id: a thousands group of one after a larger unit is ``seribu``, not ``satu ribu``
      (1.001.000 → ``satu juta seribu``); 10^18 is ``kuintiliun`` (KBBI), not
      ``kuantiliun``; negative is ``minus``, not ``min``; decimals are read digit by
      digit after ``koma`` without the zeros that only pad (``85,50`` → ``koma lima``);
    * en: American usage, as the en_US locale — no ``and`` or commas (``one hundred
      one``, ``one billion two hundred million``).
    """
    from num2words import num2words

    amount = _as_given(amount)
    sign = "minus " if amount < 0 else ""
    text = format(amount.copy_abs(), "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    words = num2words(int(whole), lang=lang)
    if lang == "id":
        words = re.sub(rf"(^|\b(?:{_ID_SCALES}) )satu ribu\b", r"\1seribu", words)
        words = words.replace("kuantiliun", "kuintiliun")
    else:
        words = re.sub(r",| and\b", "", words)
    if fraction:
        point = "koma" if lang == "id" else "point"
        digits = " ".join(num2words(int(d), lang=lang) for d in fraction)
        words = f"{words} {point} {digits}"
    return sign + words


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES[lang])


_FIGURES: dict[tuple[str, str, int | None], str] = {}
"""Figures already formatted (a table of 500 regions shows many a figure more than once,
and Babel takes a tenth of a millisecond for each)."""


@dataclass(frozen=True)
class Localizer:
    """Formatting for one document language."""

    lang: str
    english_dates: EnglishDates = "ordinal"
    number_style: Style | None = None
    """How numbers given as text (``"412.500"``) are read; ``None``: only if unambiguous."""

    @property
    def locale(self) -> Locale:
        return _locale(self.lang)

    @property
    def _ordinal(self) -> bool:
        return self.lang == "en" and self.english_dates == "ordinal"

    # -- dates ---------------------------------------------------------------
    def _day(self, value: dt.date) -> str:
        return ordinal(value.day) if self._ordinal else str(value.day)

    def _month(self, value: dt.date) -> str:
        return format_date(value, "MMMM", locale=self.locale)

    def date(self, value: dt.date, style: Literal["long", "full"] = "long") -> str:
        """``8 Februari 2024`` / ``February 8th, 2024``; ``full`` adds the weekday."""
        value = _as_date(value)
        if self.lang == "en":
            text = f"{self._month(value)} {self._day(value)}, {value.year}"
        else:
            text = f"{value.day} {self._month(value)} {value.year}"
        if style == "full":
            weekday = format_date(value, "EEEE", locale=self.locale)
            text = f"{weekday}, {text}"
        return text

    def date_range(self, start: dt.date, end: dt.date | None) -> str:
        """``5–7 Februari 2024``, ``30 Januari–2 Februari 2025``, ``February 5–7, 2024``.

        One style per language whatever the months and years, with no-break spaces and
        an en dash joined to both sides, so the range never breaks across lines.
        """
        start = _as_date(start)
        if end is None or _as_date(end) == start:
            return self.date(start)
        end = _as_date(end)
        if end < start:
            raise ValueError(f"the range ends ({end}) before it starts ({start})")
        if self.lang == "en":
            first = f"{self._month(start)} {self._day(start)}"
            if start.year != end.year:
                first += f", {start.year}"
            last = f"{self._day(end)}, {end.year}"
            if (start.year, start.month) != (end.year, end.month):
                last = f"{self._month(end)} {last}"
        else:
            first = str(start.day)
            if (start.year, start.month) != (end.year, end.month):
                first += f" {self._month(start)}"
            if start.year != end.year:
                first += f" {start.year}"
            last = f"{end.day} {self._month(end)} {end.year}"
        return f"{first}{RANGE_DASH}{last}".replace(" ", NBSP)

    def time(self, value: dt.time, zone: str | None = None) -> str:
        """``10.00 WIB`` / ``10:00 AM WIB``."""
        if isinstance(value, dt.datetime):
            value = value.time()
        if not isinstance(value, dt.time):
            what = "text" if isinstance(value, str) else "not a time"
            raise TypeError(
                f"{shown(str(value))} is {what}, not a time; give a time fact such as "
                '`event.time: "10:00"` (with `event.timezone`), which plandocs reads as a time'
            )
        pattern = "h:mm a" if self.lang == "en" else "HH.mm"
        text = format_time(value, pattern, locale=self.locale)
        if zone:
            if zone not in TIMEZONES:
                raise ValueError(f"unknown time zone {zone!r}; use WIB, WITA or WIT")
            text = f"{text} {zone}"
        return text

    # -- numbers -------------------------------------------------------------
    def amount(self, value: object) -> Decimal:
        """A filter's value as a checked Decimal (text read in the project's number style)."""
        return as_decimal(value, self.number_style)

    def _figure(self, amount: Decimal, digits: int | None) -> str:
        key = (self.lang, str(amount), digits)
        found = _FIGURES.get(key)
        if found is not None:
            return found
        if digits is None:
            amount, pattern = _as_given(amount), None
        else:
            amount = round_half_up(amount, digits)
            pattern = "#,##0" + ("." + "0" * digits if digits else "")
        with localcontext(_CONTEXT):
            text = format_decimal(amount, pattern, locale=self.locale, decimal_quantization=False)
        if len(_FIGURES) >= 100_000:
            _FIGURES.clear()
        _FIGURES[key] = text
        return text

    def number(self, value: Number | str, digits: int | None = None) -> str:
        """``1.234,5`` / ``1,234.5``; ``digits`` fixes the decimals, else kept as given."""
        return self._figure(self.amount(value), check_digits(digits))

    def percent(self, value: Number | str, digits: int | None = None) -> str:
        """``85,5%`` / ``85.5%`` from ``85.5`` (the value is already in percent)."""
        amount, digits = self.amount(value), check_digits(digits)
        if digits is None:
            amount, pattern = _as_given(amount), None
        else:
            amount = round_half_up(amount, digits)
            pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        with localcontext(_CONTEXT):
            return format_percent(
                amount / 100, pattern, locale=self.locale, decimal_quantization=False
            )

    def rupiah(self, value: Number | str, form: str = "full", digits: int | None = None) -> str:
        """``Rp1.234.567`` / ``IDR 1,234,567``, rounded half up to the rupiah.

        ``large``: ``Rp22,4 triliun`` / ``IDR 22.4 trillion`` (miliar is the English
        billion) with exactly ``digits`` decimals, or by default at most two and only those
        the figure needs; a figure that rounds to 1.000 moves up a unit (``Rp1 triliun``,
        not ``Rp1000 miliar``).
        ``words``: ``satu miliar dua ratus juta rupiah`` / ``one billion two hundred
        million rupiah``.
        """
        if form not in ("full", "large", "words"):
            raise ValueError(f"rupiah forms are 'full', 'large' and 'words', not {shown(form)}")
        amount, digits = self.amount(value), check_digits(digits)
        whole = round_half_up(amount, 0)
        if form == "words":
            return f"{spell(whole, self.lang)} rupiah"
        if form == "full" and digits not in (None, 0):
            raise ValueError('rupiah are shown without decimals; `digits` is for rupiah("large")')
        if form == "large" and abs(whole) >= 10**6:
            places = LARGE_DIGITS if digits is None else digits
            units = LARGE_UNITS[self.lang]
            index = next(i for i, (power, _) in enumerate(units) if abs(whole) >= 10**power)
            figure = round_half_up(amount.scaleb(-units[index][0], _CONTEXT), places)
            if abs(figure) >= 1000 and index > 0:
                index -= 1  # 999,996 miliar rounds to 1.000: say 1 triliun
                figure = round_half_up(amount.scaleb(-units[index][0], _CONTEXT), places)
            if digits is None:
                figure = _trimmed(figure)
            # No-break spaces: a line never ends on "IDR" nor separates the figure from
            # its scale.
            text = f"{self._figure(abs(figure), digits)}\u00a0{units[index][1]}"
        else:
            figure = whole
            text = self._figure(abs(whole), 0)
        sign = "-" if figure < 0 else ""
        return f"{sign}IDR\u00a0{text}" if self.lang == "en" else f"{sign}Rp{text}"

    def words(self, value: Number | str) -> str:
        """``2`` → ``dua`` / ``two``; ``85,5`` → ``delapan puluh lima koma lima``."""
        return spell(self.amount(value), self.lang)

    def unit(self, value: Number | str, unit: object, digits: int | None = None) -> str:
        """A value with its unit: ``85,5 persen`` / ``85.5 percent``, ``412.500 keluarga`` /
        ``412,500 families``; ``%`` joins without a space; a scale comes first
        (``indeks 78`` / ``an index of 78``).

        ``unit`` is a name, ``{id: …, en: …}`` text, or an indicator (its ``unit``).
        """
        name = self._unit_name(unit)
        if name == "%":
            return self.percent(value, digits)
        figure = self.number(value, digits)
        if name.casefold() in SCALE_UNITS[self.lang]:
            if self.lang == "id":
                return f"{name} {figure}"
            article = "an" if name[:1].casefold() in "aeiou" else "a"
            return f"{article} {name} of {figure}"
        return f"{figure} {name}"

    def _unit_name(self, unit: object) -> str:
        if isinstance(unit, Mapping):
            if "unit" in unit:
                return self._unit_name(unit["unit"])
            if self.lang in unit:
                return self._unit_name(unit[self.lang])
        if isinstance(unit, str) and unit.strip() and len(unit) <= 200:
            return unit.strip()
        raise TypeError(
            "unit(…) takes the unit's name, text per language ({'id': 'keluarga', "
            "'en': 'families'}) or an indicator, whose unit it uses"
        )


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if value is None:
        raise ValueError("a date is missing here; check that the fact is given")
    raise ValueError(f"{value!r} is not a date; write dates as YYYY-MM-DD")
