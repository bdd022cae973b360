"""The localization filters, checked against Babel (CLDR) for many dates and numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from plandocs.render.i18n import EN_DASH, NBSP, RANGE_DASH, Localizer, ordinal

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


def glue(text: str) -> str:
    """Plain text as a range is shown: no-break spaces, the dash joined to both sides."""
    return text.replace(" ", NBSP).replace("–", RANGE_DASH)


@pytest.mark.parametrize(
    ("start", "end", "id_text", "en_text", "en_ordinal"),
    [
        (
            (2024, 2, 5),
            (2024, 2, 7),
            "5–7 Februari 2024",
            "February 5–7, 2024",
            "February 5th–7th, 2024",
        ),
        (
            (2025, 1, 30),
            (2025, 2, 2),
            "30 Januari–2 Februari 2025",
            "January 30–February 2, 2025",
            "January 30th–February 2nd, 2025",
        ),
        (
            (2024, 1, 29),
            (2024, 1, 30),
            "29–30 Januari 2024",
            "January 29–30, 2024",
            "January 29th–30th, 2024",
        ),
        (
            (2023, 12, 30),
            (2024, 1, 2),
            "30 Desember 2023–2 Januari 2024",
            "December 30, 2023–January 2, 2024",
            "December 30th, 2023–January 2nd, 2024",
        ),
    ],
)
def test_date_ranges_one_style_per_language(
    start: tuple[int, int, int],
    end: tuple[int, int, int],
    id_text: str,
    en_text: str,
    en_ordinal: str,
) -> None:
    s, e = dt.date(*start), dt.date(*end)
    assert ID.date_range(s, e) == glue(id_text)
    assert EN_PLAIN.date_range(s, e) == glue(en_text)
    assert EN.date_range(s, e) == glue(en_ordinal)


def test_a_one_day_range_is_a_date() -> None:
    day = dt.date(2024, 2, 5)
    assert ID.date_range(day, day) == "5 Februari 2024"
    assert EN_PLAIN.date_range(day, None) == "February 5, 2024"


@given(dates, st.integers(min_value=1, max_value=400))
def test_a_range_never_offers_a_line_break(start: dt.date, days: int) -> None:
    """UAX #14: no space to break at, and the en dash (break after) held by word joiners."""
    end = start + dt.timedelta(days=days)
    for loc in (ID, EN, EN_PLAIN):
        text = loc.date_range(start, end)
        assert " " not in text
        assert text.count(EN_DASH) == 1
        assert RANGE_DASH in text
        assert "\u200b" not in text


@given(dates, st.integers(min_value=0, max_value=400))
def test_range_uses_wide_month_names_and_ends_with_the_end_date(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    for loc in (ID, EN_PLAIN):
        text = loc.date_range(start, end).replace(NBSP, " ")
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


@pytest.mark.parametrize("value", ["10:00", 600, None, dt.date(2024, 2, 5)])
def test_time_of_the_wrong_type_is_a_plain_error(value: object) -> None:
    with pytest.raises(TypeError, match="not a time; give a time fact"):
        ID.time(value, "WIB")  # type: ignore[arg-type]


# -- numbers: property tests against Babel's parser, at every scale up to 10^18 ------------
LOCALES = ((ID, "id"), (EN, "en_US"))
LIMIT = Decimal(10) ** 18
decimals = st.decimals(min_value=-LIMIT, max_value=LIMIT, places=3, allow_nan=False)
amounts = st.integers(min_value=-(10**18), max_value=10**18)
# Values spread over every order of magnitude, not only the large ones most draws give.
scaled = st.builds(
    lambda digits, exponent, sign: sign * Decimal(digits).scaleb(exponent),
    st.integers(min_value=0, max_value=999_999),
    st.integers(min_value=-6, max_value=12),
    st.sampled_from([1, -1]),
)


@given(st.one_of(decimals, scaled))
def test_numbers_round_trip_through_babel(value: Decimal) -> None:
    for loc, locale in LOCALES:
        text = loc.number(value)
        assert parse_decimal(text, locale=locale) == value


@given(st.one_of(decimals, scaled), st.integers(min_value=0, max_value=10))
def test_numbers_with_digits_round_trip_within_the_rounding(value: Decimal, digits: int) -> None:
    for loc, locale in LOCALES:
        text = loc.number(value, digits)
        back = parse_decimal(text, locale=locale)
        assert abs(back - value) <= Decimal(1).scaleb(-digits) / 2
        decimals_shown = len(text.rpartition(format_decimal(0.5, locale=locale)[1])[2])
        assert digits == 0 or decimals_shown == digits


@given(st.one_of(decimals, scaled))
def test_percent_round_trips_through_babel(value: Decimal) -> None:
    for loc, locale in LOCALES:
        text = loc.percent(value)
        assert text.endswith("%") and " " not in text
        assert parse_decimal(text.removesuffix("%"), locale=locale) == value


@given(amounts)
def test_rupiah_round_trips_through_babel(value: int) -> None:
    id_text, en_text = ID.rupiah(value), EN.rupiah(value)
    sign = -1 if value < 0 else 1
    assert parse_decimal(id_text.lstrip("-").removeprefix("Rp"), locale="id") == abs(value)
    assert parse_decimal(en_text.lstrip("-").removeprefix("IDR\u00a0"), locale="en_US") == abs(
        value
    )
    assert id_text.startswith("-Rp" if sign < 0 else "Rp") and " " not in id_text


UNITS = {
    "id": {"juta": 10**6, "miliar": 10**9, "triliun": 10**12},
    "en": {"million": 10**6, "billion": 10**9, "trillion": 10**12},
}


@given(amounts, st.integers(min_value=0, max_value=4))
def test_large_rupiah_round_trips_within_the_rounding(value: int, digits: int) -> None:
    for (loc, locale), lang in zip(LOCALES, ("id", "en"), strict=True):
        text = loc.rupiah(value, "large", digits).lstrip("-")
        # No-break spaces join "IDR", the figure and its scale.
        figure, _, unit = text.removeprefix("Rp").removeprefix("IDR\u00a0").partition("\u00a0")
        number = parse_decimal(figure, locale=locale)
        if not unit:  # below a million: the full amount
            assert number == abs(value)
            continue
        scale = UNITS[lang][unit]
        assert abs(number * scale - abs(value)) <= Decimal(scale).scaleb(-digits) / 2
        assert number < 1000 or unit in ("triliun", "trillion")
        shown = figure.rpartition("," if lang == "id" else ".")[2] if digits else ""
        assert len(shown) == digits


def test_number_conventions() -> None:
    assert ID.number(1234.5) == "1.234,5"
    assert EN.number(1234.5) == "1,234.5"
    assert ID.number(1234567.5) == "1.234.567,5"
    assert ID.number(3, digits=2) == "3,00"
    assert ID.number(Decimal("2.345"), 2) == "2,35"  # half up, where Babel rounds half even
    assert EN.number(Decimal("0.125"), 2) == "0.13"


def test_number_shows_at_most_ten_decimals_as_given() -> None:
    assert ID.number(0.1 + 0.2) == "0,3"
    assert EN.number(Decimal("1e-30")) == "0"


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
    assert EN.percent(Decimal("85.555"), digits=2) == "85.56%"


def test_rupiah_has_no_decimals_and_no_space() -> None:
    assert ID.rupiah(1234567) == "Rp1.234.567"
    assert EN.rupiah(1234567) == "IDR\u00a01,234,567"  # never "IDR" alone at a line end
    assert ID.rupiah(Decimal("1234567.5")) == "Rp1.234.568"  # half up


@pytest.mark.parametrize(
    ("value", "digits", "id_text", "en_text"),
    [
        (3_621_300_000_000_000, None, "Rp3.621,3\u00a0triliun", "IDR\u00a03,621.3\u00a0trillion"),
        (22_400_000_000_000, None, "Rp22,4\u00a0triliun", "IDR\u00a022.4\u00a0trillion"),
        (1_200_000_000, None, "Rp1,2\u00a0miliar", "IDR\u00a01.2\u00a0billion"),
        (3_000_000, None, "Rp3\u00a0juta", "IDR\u00a03\u00a0million"),
        (24_385_000_000, None, "Rp24,39\u00a0miliar", "IDR\u00a024.39\u00a0billion"),
        (24_380_000_000, None, "Rp24,38\u00a0miliar", "IDR\u00a024.38\u00a0billion"),
        (950_000, None, "Rp950.000", "IDR\u00a0950,000"),
        (-1_500_000_000, None, "-Rp1,5\u00a0miliar", "-IDR\u00a01.5\u00a0billion"),
        (24_385_000_000, 2, "Rp24,39\u00a0miliar", "IDR\u00a024.39\u00a0billion"),
        (24_250_000_000, 1, "Rp24,3\u00a0miliar", "IDR\u00a024.3\u00a0billion"),
        (999_996_000_000, 0, "Rp1\u00a0triliun", "IDR\u00a01\u00a0trillion"),
        (999_996_000_000, None, "Rp1\u00a0triliun", "IDR\u00a01\u00a0trillion"),
        (999_996_000_000, 1, "Rp1,0\u00a0triliun", "IDR\u00a01.0\u00a0trillion"),
        (999_960_000, 1, "Rp1,0\u00a0miliar", "IDR\u00a01.0\u00a0billion"),
        (999_949_999_999, 1, "Rp999,9\u00a0miliar", "IDR\u00a0999.9\u00a0billion"),
        (1_250_000_000, 2, "Rp1,25\u00a0miliar", "IDR\u00a01.25\u00a0billion"),
    ],
)
def test_large_rupiah(value: int, digits: int | None, id_text: str, en_text: str) -> None:
    assert ID.rupiah(value, "large", digits) == id_text
    assert EN.rupiah(value, "large", digits) == en_text


def test_neighbouring_large_amounts_have_one_precision() -> None:
    """The issue's page: Rp74,9 / Rp77,62 / Rp382,14 triliun — one decimal each when the
    amounts that stand together are given one precision."""
    figures = [
        ID.rupiah(v, "large", 1)
        for v in (74_900_000_000_000, 77_620_000_000_000, 382_140_000_000_000)
    ]
    assert [f.replace("\u00a0", " ") for f in figures] == [
        "Rp74,9 triliun",
        "Rp77,6 triliun",
        "Rp382,1 triliun",
    ]


# -- words (terbilang) ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "id_text", "en_text"),
    [
        (0, "nol", "zero"),
        (2, "dua", "two"),
        (10, "sepuluh", "ten"),
        (11, "sebelas", "eleven"),
        (19, "sembilan belas", "nineteen"),
        (100, "seratus", "one hundred"),
        (101, "seratus satu", "one hundred one"),
        (111, "seratus sebelas", "one hundred eleven"),
        (1000, "seribu", "one thousand"),
        (1100, "seribu seratus", "one thousand one hundred"),
        (2025, "dua ribu dua puluh lima", "two thousand twenty-five"),
        (21_000, "dua puluh satu ribu", "twenty-one thousand"),
        (101_000, "seratus satu ribu", "one hundred one thousand"),
        (1_000_000, "satu juta", "one million"),
        # num2words says "satu juta satu ribu": the standard form is "seribu"
        (1_001_000, "satu juta seribu", "one million one thousand"),
        (2_001_001_000, "dua miliar satu juta seribu", "two billion one million one thousand"),
        # num2words says "kuantiliun"; KBBI: kuintiliun
        (10**18, "satu kuintiliun", "one quintillion"),
        # num2words says "min lima"
        (-5, "minus lima", "minus five"),
        (Decimal("85.50"), "delapan puluh lima koma lima", "eighty-five point five"),
        (Decimal("0.05"), "nol koma nol lima", "zero point zero five"),
    ],
)
def test_words(value: int | Decimal, id_text: str, en_text: str) -> None:
    assert ID.words(value) == id_text
    assert EN.words(value) == en_text


def test_rupiah_in_words() -> None:
    assert ID.rupiah(1_200_000_000, "words") == "satu miliar dua ratus juta rupiah"
    assert EN.rupiah(1_200_000_000, "words") == "one billion two hundred million rupiah"
    assert ID.rupiah(Decimal("1500.5"), "words") == "seribu lima ratus satu rupiah"


@given(st.integers(min_value=0, max_value=10**18))
def test_indonesian_words_never_say_satu_ribu_after_a_unit(value: int) -> None:
    text = ID.words(value)
    assert "min " not in text and "kuantiliun" not in text
    for unit in ("juta", "miliar", "triliun", "kuadriliun"):
        assert f"{unit} satu ribu" not in text
    assert not text.startswith("satu ribu")


# -- values with units --------------------------------------------------------------
PERSEN = {"id": "persen", "en": "percent"}
FAMILIES = {"id": "keluarga", "en": "families"}


def test_unit() -> None:
    assert ID.unit(85.5, PERSEN) == "85,5 persen"
    assert EN.unit(85.5, PERSEN) == "85.5 percent"
    assert ID.unit(412500, FAMILIES) == "412.500 keluarga"
    assert EN.unit(412500, FAMILIES) == "412,500 families"
    assert ID.unit(85.5, "%") == "85,5%"
    assert EN.unit(3, "villages", digits=1) == "3.0 villages"


def test_unit_of_an_indicator_and_of_a_scale() -> None:
    indicator = {"code": "IKSS 2.1", "unit": "indeks"}
    assert ID.unit(78, indicator) == "indeks 78"
    assert EN.unit(Decimal("68.4"), {"unit": "index"}) == "an index of 68.4"
    assert EN.unit(88, "score") == "a score of 88"


@pytest.mark.parametrize("unit", [3, None, {"fr": "familles"}, "", ["keluarga"]])
def test_unit_that_is_not_a_unit(unit: object) -> None:
    with pytest.raises(TypeError, match="unit's name"):
        ID.unit(5, unit)


# -- text in facts, and arguments a template gets wrong --------------------------------
def test_numbers_as_text_follow_the_number_style() -> None:
    assert Localizer("id", number_style="id").unit("412.500", FAMILIES) == "412.500 keluarga"
    assert Localizer("en", number_style="id").unit("412.500", FAMILIES) == "412,500 families"
    assert Localizer("en", number_style="en").number("412.500") == "412.5"
    assert ID.number("85,5") == "85,5"  # one style alone reads it
    with pytest.raises(ValueError, match=r"could be 412500 \(Indonesian\) or 412.5"):
        ID.number("412.500")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: ID.number(float("nan")), ValueError, "not a number"),
        (lambda: ID.number(float("inf")), ValueError, "not a number"),
        (lambda: ID.number(Decimal("sNaN")), ValueError, "not a number"),
        (lambda: ID.number("NaN"), ValueError, "not a number"),
        (lambda: ID.number(Decimal("1e999999999")), ValueError, r"at most 10\^18"),
        (lambda: ID.number(10**5001), ValueError, "5002 digits"),
        (lambda: ID.number("9" * 5001), ValueError, "5001 digits"),
        (lambda: ID.number(10**18 + 1), ValueError, r"at most 10\^18"),
        (lambda: ID.percent(85, 10**9), ValueError, "digits must be from 0 to 10"),
        (lambda: ID.percent(85, 10**100000), ValueError, "digits must be from 0 to 10"),
        (lambda: ID.number(85, -1), ValueError, "digits must be from 0 to 10"),
        (lambda: ID.number(85, "2"), TypeError, "digits must be a whole number"),
        (lambda: ID.number(85, True), TypeError, "digits must be a whole number"),
        (lambda: ID.number(True), TypeError, "yes/no"),
        (lambda: ID.number(None), TypeError, "missing"),
        (lambda: ID.number([1]), TypeError, "not a number"),
        (lambda: ID.rupiah(5, "huge"), ValueError, "rupiah forms"),
        (lambda: ID.rupiah(5, "full", 2), ValueError, "without decimals"),
        (lambda: ID.words(10**19), ValueError, r"at most 10\^18"),
        (lambda: ID.number("1,5E+12"), ValueError, "scientific notation"),
    ],
)
def test_wrong_arguments_are_plain_errors(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()
