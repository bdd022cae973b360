"""The localization filters, checked against Babel (CLDR) for many dates and numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from plandocs.i18n import Localizer, ordinal

ID = Localizer("id")
EN = Localizer("en", "ordinal")
EN_PLAIN = Localizer("en", "plain")
dates = st.dates(min_value=dt.date(1945, 8, 17), max_value=dt.date(2100, 12, 31))


@given(dates)
def test_indonesian_long_date_is_cldr_without_zero_padding(day: dt.date) -> None:
    text = ID.date(day)
    assert text == format_date(day, "d MMMM y", locale="id")
    assert text == format_date(day, "long", locale="id").lstrip("0")
    assert not text.startswith("0")


@given(dates)
def test_english_plain_long_date_is_cldr(day: dt.date) -> None:
    assert EN_PLAIN.date(day) == format_date(day, "long", locale="en_US")


@given(dates)
def test_full_dates_name_the_weekday(day: dt.date) -> None:
    assert ID.date(day, "full") == format_date(day, "EEEE, d MMMM y", locale="id")
    assert EN_PLAIN.date(day, "full") == format_date(day, "full", locale="en_US")


@given(dates)
def test_english_ordinal_date(day: dt.date) -> None:
    text = EN.date(day)
    month = format_date(day, "MMMM", locale="en_US")
    assert text == f"{month} {ordinal(day.day)}, {day.year}"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (30, "30th"),
        (31, "31st"),
    ],
)
def test_ordinal(day: int, expected: str) -> None:
    assert ordinal(day) == expected


def test_documented_examples() -> None:
    d = dt.date(2024, 2, 8)
    assert ID.date(d) == "8 Februari 2024"
    assert EN.date(d) == "February 8th, 2024"
    assert EN_PLAIN.date(d) == "February 8, 2024"
    assert ID.date(d, "full") == "Kamis, 8 Februari 2024"


@pytest.mark.parametrize(
    ("start", "end", "id_text", "en_text"),
    [
        ((2024, 2, 5), (2024, 2, 7), "5–7 Februari 2024", "February 5–7, 2024"),
        ((2024, 1, 5), (2024, 2, 2), "5 Januari – 2 Februari 2024", "January 5 – February 2, 2024"),
        (
            (2023, 12, 30),
            (2024, 1, 2),
            "30 Desember 2023 – 2 Januari 2024",
            "December 30, 2023 – January 2, 2024",
        ),
        ((2024, 2, 5), (2024, 2, 5), "5 Februari 2024", "February 5, 2024"),
    ],
)
def test_date_ranges(
    start: tuple[int, int, int], end: tuple[int, int, int], id_text: str, en_text: str
) -> None:
    s, e = dt.date(*start), dt.date(*end)
    assert ID.date_range(s, e) == id_text
    assert EN_PLAIN.date_range(s, e) == en_text


def test_ordinal_range() -> None:
    assert EN.date_range(dt.date(2024, 2, 5), dt.date(2024, 2, 7)) == "February 5th–7th, 2024"


@given(dates, st.integers(min_value=0, max_value=400))
def test_range_uses_wide_month_names_and_ends_with_the_end_date(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    for loc in (ID, EN_PLAIN):
        text = loc.date_range(start, end)
        assert format_date(end, "MMMM", locale=loc.locale) in text
        assert text.endswith(str(end.year))


def test_range_backwards_is_an_error() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        ID.date_range(dt.date(2024, 2, 7), dt.date(2024, 2, 5))


@pytest.mark.parametrize(
    ("hour", "minute", "id_text", "en_text"),
    [
        (10, 0, "10.00 WIB", "10:00 AM WIB"),
        (14, 30, "14.30 WIB", "2:30 PM WIB"),
        (0, 5, "00.05 WIB", "12:05 AM WIB"),
    ],
)
def test_time(hour: int, minute: int, id_text: str, en_text: str) -> None:
    t = dt.time(hour, minute)
    assert ID.time(t, "WIB") == id_text
    assert EN.time(t, "WIB") == en_text
    assert ID.time(t, "WITA").endswith(" WITA")


def test_unknown_zone() -> None:
    with pytest.raises(ValueError, match="WIB, WITA or WIT"):
        ID.time(dt.time(10), "CET")


decimals = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=3, allow_nan=False
)


@given(decimals)
def test_numbers_round_trip_through_babel(value: Decimal) -> None:
    for loc, locale in ((ID, "id"), (EN, "en_US")):
        text = loc.number(value)
        assert parse_decimal(text, locale=locale) == value
        assert text == format_decimal(value, locale=locale, decimal_quantization=False)


def test_number_conventions() -> None:
    assert ID.number(1234.5) == "1.234,5"
    assert EN.number(1234.5) == "1,234.5"
    assert ID.number(1234567.5) == "1.234.567,5"
    assert ID.number(3, digits=2) == "3,00"


@pytest.mark.parametrize(
    ("value", "id_text", "en_text"),
    [
        (85.5, "85,5%", "85.5%"),
        (85, "85%", "85%"),
        (99.75, "99,75%", "99.75%"),
        ("12.30", "12,3%", "12.3%"),
    ],
)
def test_percent_keeps_given_digits(value: float | str, id_text: str, en_text: str) -> None:
    assert ID.percent(value) == id_text
    assert EN.percent(value) == en_text


def test_percent_fixed_digits() -> None:
    assert ID.percent(85.5, digits=2) == "85,50%"


@given(st.integers(min_value=0, max_value=10**15))
def test_rupiah(value: int) -> None:
    id_text, en_text = ID.rupiah(value), EN.rupiah(value)
    assert id_text == "Rp" + format_decimal(value, locale="id")
    assert en_text == "IDR " + format_decimal(value, locale="en_US")
    assert parse_decimal(id_text.removeprefix("Rp"), locale="id") == value
    assert "," not in id_text and " " not in id_text


@pytest.mark.parametrize(
    ("value", "id_text", "en_text"),
    [
        (22_400_000_000_000, "Rp22,4 triliun", "IDR 22.4 trillion"),
        (1_200_000_000, "Rp1,2 miliar", "IDR 1.2 billion"),
        (1_250_000_000, "Rp1,25 miliar", "IDR 1.25 billion"),
        (3_000_000, "Rp3 juta", "IDR 3 million"),
        (950_000, "Rp950.000", "IDR 950,000"),
        (-1_500_000_000, "-Rp1,5 miliar", "-IDR 1.5 billion"),
    ],
)
def test_large_rupiah(value: int, id_text: str, en_text: str) -> None:
    assert ID.rupiah(value, "large") == id_text
    assert EN.rupiah(value, "large") == en_text


def test_rupiah_has_no_decimals_and_no_space() -> None:
    assert ID.rupiah(1234567) == "Rp1.234.567"
    assert EN.rupiah(1234567) == "IDR 1,234,567"
