"""Drawing a chart (:mod:`plandocs.render.charts`): the SVG, its text alternative, its
data table and the figure element every writer reads.

The value axis is computed once (:func:`scale`) so the PDF's drawing and Word's native
chart show the same steps; every word and number is written by the document's
:class:`Localizer`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

from markupsafe import Markup

from plandocs.render.charts import COLOURS, FONT, HEIGHT, NBSP, WIDTH, Chart, digits_of, to_json
from plandocs.render.i18n import Localizer


def _ticks(low: float, high: float) -> list[float]:
    """Round steps over [low, high]: 1, 2 or 5 times a power of ten, four to eight of them."""
    if high <= low:
        high = low + 1
    raw = (high - low) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _tick_digits(ticks: list[float]) -> int:
    """The decimals that write every tick exactly (a step of 0.25 needs two)."""
    found = 0
    for tick in ticks:
        exponent = Decimal(repr(tick)).normalize().as_tuple().exponent
        if isinstance(exponent, int):
            found = max(found, -exponent)
    return min(found, 6)


def _range(chart: Chart) -> tuple[float, float]:
    values = [float(v) for v in chart.values()]
    if chart.reference is not None:
        values.append(float(chart.reference))
    low, high = min(values), max(values)
    if chart.kind == "bar":
        return min(0.0, low), max(0.0, high)
    spread = (high - low) or abs(high) or 1.0
    return (0.0 if low >= 0 and low < spread else low - spread * 0.15), high + spread * 0.1


def _t(
    x: float, y: float, text: str, anchor: str = "middle", size: float = FONT, extra: str = ""
) -> str:
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size:.2f}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def _line(
    x1: float, y1: float, x2: float, y2: float, colour: str, width: float, extra: str = ""
) -> str:
    return (
        f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="{colour}" '
        f'stroke-width="{width:g}"{extra}/>'
    )


def scale(chart: Chart) -> tuple[list[float], int]:
    """The value axis both writers draw: its ticks (the first and last are its ends) and
    the decimals its labels need."""
    ticks = _ticks(*_range(chart))
    return ticks, _tick_digits(ticks)


def svg(chart: Chart, l10n: Localizer, fonts: Sequence[str] = ("Arial",)) -> str:
    """The chart as an SVG drawing, its words and numbers in ``l10n``'s language."""
    digits = digits_of(chart)
    ticks, tick_digits = scale(chart)
    low, high = ticks[0], ticks[-1]
    tick_labels = [l10n.number(Decimal(str(t)), tick_digits) for t in ticks]
    legend = len(chart.series) > 1 or bool(chart.reference_label)
    left = 4 + max(len(label) for label in tick_labels) * FONT * 0.55
    right, top = 4.0, 9.0 if chart.unit else 5.0
    bottom = HEIGHT - (13.0 if legend else 7.0)
    plot_w, plot_h = WIDTH - left - right, bottom - top
    count = len(chart.categories)
    slot = plot_w / count

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * plot_h

    family = ", ".join(f"'{f}'" for f in fonts)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:g}mm" height="{HEIGHT:g}mm" '
        f'viewBox="0 0 {WIDTH:g} {HEIGHT:g}" role="img" aria-label="{escape(chart.title)}" '
        f'font-family="{escape(family)}" fill="#000">',
        f"<title>{escape(chart.title)}</title>",
        f"<desc>{escape(describe(chart, l10n))}</desc>",
    ]
    if chart.unit:
        parts.append(_t(left, 4.5, chart.unit, "start"))
    for value, label in zip(ticks, tick_labels, strict=True):
        y = y_of(value)
        colour = "#000" if value == 0 else "#C8C8C8"
        parts.append(
            f'<line x1="{left:.2f}" y1="{y:.2f}" x2="{WIDTH - right:.2f}" y2="{y:.2f}" '
            f'stroke="{colour}" stroke-width="{0.3 if value == 0 else 0.2}"/>'
        )
        parts.append(_t(left - 1.5, y + FONT * 0.35, label, "end"))
    size = FONT if max(len(c) for c in chart.categories) * FONT * 0.5 < slot else FONT * 0.8
    for index, category in enumerate(chart.categories):
        parts.append(_t(left + slot * (index + 0.5), bottom + FONT + 1.5, category, size=size))
    if chart.kind == "bar":
        parts += _bars(chart, l10n, digits, left, slot, y_of, low)
    else:
        parts += _lines(chart, l10n, digits, left, slot, y_of)
    if chart.reference is not None:
        y = y_of(float(chart.reference))
        parts.append(
            f'<line x1="{left:.2f}" y1="{y:.2f}" x2="{WIDTH - right:.2f}" y2="{y:.2f}" '
            'stroke="#B22222" stroke-width="0.4" stroke-dasharray="2,1.2"/>'
        )
    parts.append(_line(left, top, left, bottom, "#000", 0.3))
    if legend:
        parts += _legend(chart, HEIGHT - 3.5)
    parts.append("</svg>")
    return "".join(parts)


def _bars(
    chart: Chart, l10n: Localizer, digits: int, left: float, slot: float, y_of: Any, low: float
) -> list[str]:
    parts: list[str] = []
    groups = len(chart.series)
    width = slot * 0.7 / groups
    base = y_of(max(low, 0.0))
    for s_index, series in enumerate(chart.series):
        for index, value in enumerate(series.values):
            if value is None:
                continue
            colour = COLOURS[s_index % len(COLOURS)]
            if groups == 1 and chart.highlight is not None:
                colour = COLOURS[1] if index == chart.highlight else COLOURS[0]
            x = left + slot * index + slot * 0.15 + width * s_index
            y = y_of(float(value))
            top, height = min(y, base), abs(base - y)
            parts.append(
                f'<rect x="{x:.2f}" y="{top:.2f}" width="{width:.2f}" height="{height:.2f}" '
                f'fill="{colour}"/>'
            )
            label = l10n.number(value, digits)
            size = FONT * (0.85 if groups > 1 else 1.0)
            if len(label) * size * 0.5 <= width + slot * 0.3 / groups:
                if height > size * 2.2 and len(label) * size * 0.55 <= width:
                    # Inside the bar's top, in white: clear of a reference line above it.
                    parts.append(
                        _t(x + width / 2, top + size * 1.2, label, size=size, extra=' fill="#FFF"')
                    )
                else:
                    parts.append(_t(x + width / 2, top - 0.8, label, size=size))
    return parts


def _lines(
    chart: Chart, l10n: Localizer, digits: int, left: float, slot: float, y_of: Any
) -> list[str]:
    parts: list[str] = []
    for s_index, series in enumerate(chart.series):
        colour = COLOURS[s_index % len(COLOURS)]
        points = [
            (left + slot * (i + 0.5), y_of(float(v)), v)
            for i, v in enumerate(series.values)
            if v is not None
        ]
        runs: list[list[tuple[float, float, Decimal]]] = [[]]
        for index, value in enumerate(series.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((left + slot * (index + 0.5), y_of(float(value)), value))
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.2f},{y:.2f}" for x, y, _ in run)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="0.6"/>'
                )
        for x, y, value in points:
            parts.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="1" fill="{colour}"/>')
            below = s_index % 2 == 1
            parts.append(
                _t(
                    x,
                    y + (FONT + 1.2 if below else -1.5),
                    l10n.number(value, digits),
                    size=FONT * 0.85,
                    extra=f' fill="{colour}"',
                )
            )
    return parts


def _legend(chart: Chart, y: float) -> list[str]:
    items = [(s.name, COLOURS[i % len(COLOURS)], "box") for i, s in enumerate(chart.series)]
    if chart.reference is not None and chart.reference_label:
        items.append((chart.reference_label, "#B22222", "dash"))
    widths = [6 + len(name) * FONT * 0.5 + 4 for name, _, _ in items]
    x = (WIDTH - sum(widths)) / 2
    parts = []
    for (name, colour, mark), width in zip(items, widths, strict=True):
        if mark == "dash":
            parts.append(_line(x, y - 1, x + 4, y - 1, colour, 0.5, ' stroke-dasharray="1.5,0.8"'))
        elif chart.kind == "line":
            parts.append(_line(x, y - 1, x + 4, y - 1, colour, 0.6))
        else:
            parts.append(
                f'<rect x="{x:.2f}" y="{y - 2.5:.2f}" width="3" height="3" fill="{colour}"/>'
            )
        parts.append(_t(x + 5.5, y, name, "start"))
        x += width
    return parts


def describe(chart: Chart, l10n: Localizer) -> str:
    """The chart in words, for its text alternative: each series' values by category."""
    digits = digits_of(chart)
    lines = []
    for series in chart.series:
        values = "; ".join(
            f"{c} {l10n.number(v, digits) if v is not None else '–'}"
            for c, v in zip(chart.categories, series.values, strict=True)
        )
        lines.append(f"{series.name}: {values}" if series.name else values)
    if chart.reference is not None:
        lines.append(f"{chart.reference_label or '—'}: {l10n.number(chart.reference, digits)}")
    unit = f" ({chart.unit})" if chart.unit else ""
    return f"{chart.title}{unit}. " + ". ".join(lines) + "."


def data_table(chart: Chart, l10n: Localizer) -> str:
    """The chart's data as a table: a column per category, a row per series."""
    digits = digits_of(chart)
    right = 'style="text-align: right"'
    head = "".join(f"<th {right}>{escape(c).replace(' ', NBSP)}</th>" for c in chart.categories)
    rows = []
    for series in chart.series:
        cells = "".join(
            f"<td {right}>{l10n.number(v, digits) if v is not None else '–'}</td>"
            for v in series.values
        )
        name = escape(
            series.name + (f" ({chart.unit})" if chart.unit and len(chart.series) == 1 else "")
        )
        rows.append(f"<tr><td>{name}</td>{cells}</tr>")
    return (
        '<table class="chart-data"><thead>'
        f"<tr><th>{escape(chart.category_title)}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def figure(
    chart: Chart,
    l10n: Localizer,
    fit: Any,
    fonts: Sequence[str] = ("Arial",),
    caption: str = "",
    number: str | None = None,
    label: str = "",
) -> Markup:
    """The chart as the one element every writer reads: the drawing, its data table, its
    caption (``Gambar 3.1 …`` when numbered) and its data for a native Word chart.
    ``fit`` gives a table its column widths (:class:`plandocs.render.columns.TableFitter`)."""
    anchor = ""
    capnum = ""
    if number is not None:
        chapter, _, seq = number.partition(".")
        anchor = f' id="gambar_{escape(chapter)}_{escape(seq)}"'
        capnum = (
            f'<span class="capnum" data-label="{escape(label)}" data-chapter="{escape(chapter)}" '
            f'data-seq="{escape(seq)}">{escape(label)} {escape(number)}</span> '
        )
    table = fit(data_table(chart, l10n), ["fit"] * (len(chart.categories) + 1))
    caption_html = (
        f"<figcaption>{capnum}{escape(caption)}</figcaption>" if caption or capnum else ""
    )
    return Markup(
        f'<figure class="chart"{anchor} style="break-inside: avoid" '
        f'data-chart="{escape(to_json(chart), quote=True)}">'
        f"{svg(chart, l10n, fonts)}{table}{caption_html}</figure>\n"
    )
