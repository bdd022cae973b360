"""Charts drawn from the facts, the same chart in every format: what a chart is.

A chart is declared over data — categories, one or more series of numbers, the unit —
and becomes one HTML element, ``<figure class="chart" data-chart='…'>``, holding

* an SVG drawing (bars or lines, the axis, value labels, the legend), every word and
  number written in the document's language by its :class:`Localizer`; WeasyPrint lays
  it out in the PDF and the HTML shows it as it is;
* its text alternative (the SVG's ``<title>`` and ``<desc>``) and its data as a table;
* the caption, numbered as the document's figures are (``Gambar 3.1``);
* the chart's data as JSON, from which the Word writer makes a native chart with its
  data embedded (:mod:`plandocs.writers.docx.charts`), so a reviewer can edit the data
  in Word or LibreOffice.

What reaches a chart comes from templates and content, so it is checked as untrusted
(:func:`chart_from`): known keys only, finite numbers, bounded sizes. The drawing and the
figure are :mod:`plandocs.render.chartdraw`'s.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

MAX_CATEGORIES = 40
MAX_SERIES = 6
MAX_TEXT = 200
MAX_VALUE = Decimal(10) ** 15
KINDS = ("bar", "line")
COLOURS = ("#142D64", "#D4A017", "#3C8D93", "#8C8C8C", "#7A3E48", "#5B7F3A")
"""Navy and gold (the sample's emblem), then colours that stay apart in grey print."""
WIDTH, HEIGHT = 160.0, 78.0
"""The drawing in millimetres: the text width of an A4 page with plandocs' margins."""
NBSP = "\u00a0"
FONT = 3.0
"""Text size in millimetres (8.5 pt)."""


class ChartError(ValueError):
    """Chart data that cannot be drawn: the message says what to change."""


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class Chart:
    """What a chart shows; every text already in the document's language."""

    kind: Literal["bar", "line"]
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    title: str = ""
    """What the chart shows, in a sentence: its text alternative."""
    unit: str = ""
    """The values' unit, over the axis (``persen``, ``Rp triliun``)."""
    category_title: str = ""
    """The first cell of the data table's header row (``Tahun``, ``Indikator``)."""
    digits: int | None = None
    """Decimals of every value shown; unset, the fewest that write each value."""
    highlight: int | None = None
    """A category whose bars are drawn in the accent colour (the latest year)."""
    reference: Decimal | None = None
    """A value marked across the plot (100 %, the plan's end target)."""
    reference_label: str = ""

    def values(self) -> list[Decimal]:
        return [v for s in self.series for v in s.values if v is not None]


# -- untrusted data → a Chart --------------------------------------------------------


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ChartError(f"{what} must be text, not {type(value).__name__}")
    text = str(value)
    if len(text) > MAX_TEXT:
        raise ChartError(f"{what} is longer than {MAX_TEXT} characters")
    return drawable(text, what)


def drawable(text: str, what: str) -> str:
    """``text`` if the drawing, the Word chart and its workbook can all hold it: a
    character XML cannot hold (``\x01``, ``\x1b``, a lone surrogate) is an error, as the
    writers would otherwise fail on it."""
    from plandocs.safety.text import xml_safe

    _, removed = xml_safe(text)
    if removed is not None:
        raise ChartError(
            f"{what} {text[:40]!r} holds a control character ({removed.names}) that Word and "
            "PDF cannot hold; delete it"
        )
    return text


def _number(value: Any, what: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ChartError(f"{what} must be a number, not {type(value).__name__}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ChartError(f"{what} {str(value)[:40]!r} is not a number") from None
    if not number.is_finite() or abs(number) > MAX_VALUE:
        raise ChartError(f"{what} must be a finite number of at most 10^15")
    return number


def chart_from(data: Mapping[str, Any]) -> Chart:
    """A :class:`Chart` from plain data (a template's mapping, or the JSON the Word writer
    reads back), every part checked."""
    if not isinstance(data, Mapping):
        raise ChartError("a chart is a mapping: {kind, categories, series, …}")
    known = {
        "kind", "categories", "series", "title", "unit", "category_title", "digits",
        "highlight", "reference", "reference_label",
    }  # fmt: skip
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise ChartError(
            f"unknown chart key {unknown[0]!r}; the keys are {', '.join(sorted(known))}"
        )
    kind = data.get("kind", "bar")
    if kind not in KINDS:
        raise ChartError(f"a chart's kind is `bar` or `line`, not {str(kind)[:20]!r}")
    categories = data.get("categories")
    if not isinstance(categories, Sequence) or isinstance(categories, str) or not categories:
        raise ChartError("a chart needs `categories`: a list of one or more labels")
    if len(categories) > MAX_CATEGORIES:
        raise ChartError(f"a chart shows at most {MAX_CATEGORIES} categories")
    labels = tuple(_text(c, "a category") for c in categories)
    series_data = data.get("series")
    if not isinstance(series_data, Sequence) or isinstance(series_data, str) or not series_data:
        raise ChartError("a chart needs `series`: a list of {name, values}")
    if len(series_data) > MAX_SERIES:
        raise ChartError(f"a chart shows at most {MAX_SERIES} series")
    series = []
    for item in series_data:
        if not isinstance(item, Mapping) or set(item) - {"name", "values"}:
            raise ChartError("each series is a mapping {name, values}")
        values = item.get("values")
        if not isinstance(values, Sequence) or isinstance(values, str):
            raise ChartError("a series' `values` is a list of numbers")
        if len(values) != len(labels):
            raise ChartError(
                f"the series {str(item.get('name'))[:40]!r} has {len(values)} values for "
                f"{len(labels)} categories"
            )
        series.append(
            Series(
                _text(item.get("name"), "a series' name"),
                tuple(_number(v, "a value") for v in values),
            )
        )
    digits = data.get("digits")
    if digits is not None and (
        not isinstance(digits, int) or isinstance(digits, bool) or not 0 <= digits <= 6
    ):
        raise ChartError("`digits` is a whole number from 0 to 6")
    highlight = data.get("highlight")
    if highlight is not None and (
        not isinstance(highlight, int)
        or isinstance(highlight, bool)
        or not 0 <= highlight < len(labels)
    ):
        raise ChartError("`highlight` is the index of one of the categories")
    chart = Chart(
        kind=kind,
        categories=labels,
        series=tuple(series),
        title=_text(data.get("title"), "the title"),
        unit=_text(data.get("unit"), "the unit"),
        category_title=_text(data.get("category_title"), "the category title"),
        digits=digits,
        highlight=highlight,
        reference=_number(data.get("reference"), "the reference"),
        reference_label=_text(data.get("reference_label"), "the reference's label"),
    )
    if not chart.values():
        raise ChartError("a chart needs at least one value")
    return chart


def to_json(chart: Chart) -> str:
    """The chart's data for the Word writer: numbers as exact text."""

    def number(value: Decimal | None) -> str | None:
        return None if value is None else format(value, "f")

    return json.dumps(
        {
            "kind": chart.kind,
            "categories": list(chart.categories),
            "series": [
                {"name": s.name, "values": [number(v) for v in s.values]} for s in chart.series
            ],
            "title": chart.title,
            "unit": chart.unit,
            "category_title": chart.category_title,
            "digits": chart.digits,
            "highlight": chart.highlight,
            "reference": number(chart.reference),
            "reference_label": chart.reference_label,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def from_json(text: str) -> Chart:
    """A chart's data as :func:`to_json` wrote it, checked again (it came through HTML)."""
    if len(text) > 200_000:
        raise ChartError("the chart's data is too large")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ChartError("the chart's data is not valid JSON") from None
    return chart_from(data)


def digits_of(chart: Chart) -> int:
    """The decimals the values are shown with: the chart's, else the fewest that write
    every value exactly (at most two)."""
    if chart.digits is not None:
        return chart.digits
    needed = 0
    for value in chart.values():
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int):
            needed = max(needed, -exponent)
    return min(needed, 2)
