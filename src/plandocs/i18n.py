"""Dates, times, numbers and money in each language's conventions, on Babel.

Every call names its locale explicitly; nothing here reads or sets the process
locale. Where Babel (CLDR) differs from how the ministry writes (see DOMAIN.md),
the patterns are given here rather than taken from CLDR:

* Indonesian full dates without a zero-padded day (``Kamis, 8 Februari 2024``);
* English ordinal days (``February 8th, 2024``), which CLDR does not have;
* date ranges with wide month names (``5–7 Februari 2024``, ``February 5–7, 2024``);
* time zones named WIB/WITA/WIT rather than ``+0700``;
* rupiah without decimals and, in Indonesian, without a space (``Rp1.234.567``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_compact_decimal, format_decimal, format_percent

Number = int | float | Decimal
EnglishDates = Literal["ordinal", "plain"]

BABEL_LOCALES = {"id": "id_ID", "en": "en_US"}
WORD_LANGS = {"id": "id-ID", "en": "en-US"}
TIMEZONES = {"WIB": 7, "WITA": 8, "WIT": 9}

EN_DASH = "\u2013"


def ordinal(day: int) -> str:
    """English ordinal of a day number: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    teen = 10 <= day % 100 <= 20
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _decimal(value: Number | str) -> Decimal:
    """A Decimal with the digits as written (``85.5`` stays ``85.5``, not 85.49999…)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a yes/no value is not a number")
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value} is not a number; this filter formats numbers") from None


@dataclass(frozen=True)
class Localizer:
    """Formatting for one document language."""

    lang: str
    english_dates: EnglishDates = "ordinal"

    @property
    def locale(self) -> Locale:
        return Locale.parse(BABEL_LOCALES[self.lang])

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
        """``5–7 Februari 2024``, ``5 Januari – 2 Februari 2024``, ``February 5–7, 2024``."""
        start = _as_date(start)
        if end is None or _as_date(end) == start:
            return self.date(start)
        end = _as_date(end)
        if end < start:
            raise ValueError(f"the range ends ({end}) before it starts ({start})")
        if start.year != end.year:
            return f"{self.date(start)} {EN_DASH} {self.date(end)}"
        if self.lang == "en":
            if start.month == end.month:
                days = f"{self._day(start)}{EN_DASH}{self._day(end)}"
                return f"{self._month(start)} {days}, {end.year}"
            return (
                f"{self._month(start)} {self._day(start)} {EN_DASH} "
                f"{self._month(end)} {self._day(end)}, {end.year}"
            )
        if start.month == end.month:
            return f"{start.day}{EN_DASH}{end.day} {self._month(end)} {end.year}"
        return f"{start.day} {self._month(start)} {EN_DASH} {end.day} {self._month(end)} {end.year}"

    def time(self, value: dt.time, zone: str | None = None) -> str:
        """``10.00 WIB`` / ``10:00 AM WIB``."""
        pattern = "h:mm a" if self.lang == "en" else "HH.mm"
        text = format_time(value, pattern, locale=self.locale)
        if zone:
            if zone not in TIMEZONES:
                raise ValueError(f"unknown time zone {zone!r}; use WIB, WITA or WIT")
            text = f"{text} {zone}"
        return text

    # -- numbers -------------------------------------------------------------
    def number(self, value: Number | str, digits: int | None = None) -> str:
        """``1.234,5`` / ``1,234.5``; ``digits`` fixes the decimals, else kept as given."""
        amount = _decimal(value)
        if digits is None:
            return format_decimal(amount, locale=self.locale, decimal_quantization=False)
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return format_decimal(amount, pattern, locale=self.locale)

    def percent(self, value: Number | str, digits: int | None = None) -> str:
        """``85,5%`` / ``85.5%`` from ``85.5`` (the value is already in percent)."""
        amount = _decimal(value) / 100
        if digits is None:
            return format_percent(amount, locale=self.locale, decimal_quantization=False)
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
        return format_percent(amount, pattern, locale=self.locale)

    def rupiah(self, value: Number | str, form: Literal["full", "large"] = "full") -> str:
        """``Rp1.234.567`` / ``IDR 1,234,567``.

        ``large``: ``Rp22,4 triliun`` / ``IDR 22.4 trillion`` (miliar is the English billion).
        """
        amount = _decimal(value)
        if form == "large" and abs(amount) >= 1_000_000:
            # CLDR's long compact forms are the words the documents use:
            # juta/million, miliar/billion, triliun/trillion.
            figure = format_compact_decimal(
                amount, format_type="long", locale=self.locale, fraction_digits=2
            )
        else:
            figure = format_decimal(amount, "#,##0", locale=self.locale)
        sign = ""
        if figure.startswith("-"):
            sign, figure = "-", figure[1:]
        return f"{sign}IDR {figure}" if self.lang == "en" else f"{sign}Rp{figure}"


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
