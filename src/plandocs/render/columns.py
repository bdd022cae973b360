"""Table columns: their widths and the precision of their figures, decided once.

A table's column widths live in its HTML as ``<colgroup><col style="width: 12.5%">…``,
written once when the document is rendered: the PDF lays the table out with them
(``table-layout: fixed``) and the Word writer turns the same percentages into its grid
(``w:gridCol``), so both formats agree. They come from :func:`fit_table`:

* a template says, per column, ``"fit"`` (as wide as its figures or codes, which never
  wrap), ``"auto"`` (text: at least its longest word, and of the width the others leave
  as much as takes most lines off the table, :func:`share_by_height`) or a number (that
  column's share of the width left to the text columns, never narrower than its
  longest word);
* a Markdown table's columns are all ``"auto"``: shared out from their content the way
  a browser's automatic table layout does.

Text is measured with the advance widths of Arial (and its metric twin Liberation Sans),
the documents' font (:mod:`plandocs.render.textwidth`). An indicator's figures share one
number of decimals wherever it is shown (:func:`indicator_digits`); amounts in a column
share one (:func:`decimals`), so ``73.785.400`` never prints as ``73.785.400,0``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from markupsafe import Markup

from plandocs.render.styles import CELL_PADDING_PT, LINE_HEIGHT, size_pt, word_style_for
from plandocs.render.textwidth import (
    SAFETY,
    lines_of,
    measure,
    pieces,
    text_pieces,
)
from plandocs.settings import Settings

NOMINAL = (453.5, 9.0)
"""Text width and table font size (pt) of an A4 portrait page at 12 pt, for Markdown
tables, whose page the Markdown renderer does not know; only their proportions count."""


# -- the grid ----------------------------------------------------------------------------
Grid = list[dict[int, tuple[Any, int, int] | None]]
"""Per row: column → (cell element, row span, column span), or None where a cell spanning
from the left or from above covers it."""


def table_rows(table: Any) -> list[tuple[Any, Any]]:
    """Every ``<tr>`` of a table with the element holding it (``thead``, ``tbody`` …)."""
    rows = []
    for part in table:
        if not isinstance(part.tag, str):
            continue
        if part.tag in ("thead", "tbody", "tfoot"):
            rows += [(tr, part) for tr in part if isinstance(tr.tag, str) and tr.tag == "tr"]
        elif part.tag == "tr":
            rows.append((part, table))
    return rows


def grid(rows: Sequence[Any]) -> tuple[Grid, int]:
    """Lay the cells of ``rows`` out on a grid of columns: spans decide where each goes.
    Returns the grid and its number of columns."""
    cells: Grid = [{} for _ in rows]
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while c in cells[r]:
                c += 1
            rs = min(max(1, _span(cell.get("rowspan"))), len(rows) - r)
            cs = max(1, _span(cell.get("colspan")))
            cells[r][c] = (cell, rs, cs)
            for dr in range(1, rs):
                cells[r + dr][c] = None
                for dc in range(1, cs):
                    cells[r + dr].setdefault(c + dc, None)
            for dc in range(1, cs):
                cells[r].setdefault(c + dc, None)
            c += cs
            width = max(width, c)
    width = max([width, *(max(row, default=-1) + 1 for row in cells)])
    return cells, width


def _span(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() else 1


# -- measuring cells ---------------------------------------------------------------------
@dataclass
class Need:
    """What one column needs, in ems of table text."""

    word: float = 0.0
    """Its longest word: narrower, and a word breaks."""
    figure: float = 0.0
    """Its longest data cell unbroken (figures and codes never wrap)."""
    line: float = 0.0
    """Its longest cell on one line: wider is of no use."""


def needs(table: Any) -> list[Need]:
    """What each column of ``table`` needs, from the cells that span one column."""
    rows = table_rows(table)
    cells, width = grid([tr for tr, _ in rows])
    found = [Need() for _ in range(width)]
    for (tr, _part), row in zip(rows, cells, strict=True):
        heavy = "total" in (tr.get("class") or "").split()
        for c, entry in row.items():
            if entry is None or entry[2] != 1:
                continue
            cell = entry[0]
            word, line = measure(cell, heavy)
            # Figures are measured exactly (Arial's digits are all 0.556 em); text may
            # come out a little wider than measured.
            margin = 1.0 if _FIGURE.fullmatch(_text(cell)) else SAFETY
            need = found[c]
            need.word = max(need.word, word * margin)
            need.line = max(need.line, line * margin)
            if cell.tag == "td":
                need.figure = max(need.figure, line * margin)
    return found


_FIGURE = re.compile(r"[\d.,\s%–-]*")


def _text(cell: Any) -> str:
    return "".join(text for text, _ in text_pieces(cell, False))


# -- sharing out the width ---------------------------------------------------------------
Spec = Sequence[str | float]
"""Per column: ``"fit"``, ``"auto"``, or a share (a positive number) of the text width."""


def share_out(spec: Spec, found: Sequence[Need], width_em: float, padding_em: float) -> list[float]:
    """Column widths in ems adding up to ``width_em``; see the module docstring."""
    if len(spec) != len(found):
        raise ValueError(f"the table has {len(found)} columns but {len(spec)} are declared")
    pad = padding_em
    least = [n.word + pad for n in found]
    if all(s == "auto" for s in spec):
        line = [max(n.line + pad, low) for n, low in zip(found, least, strict=True)]
        if sum(line) <= width_em:
            return _scaled(line, width_em)
        return _spread(least, [ln - low for ln, low in zip(line, least, strict=True)], width_em)
    widths = [0.0] * len(spec)
    shares: dict[int, float] = {}
    for i, (kind, need) in enumerate(zip(spec, found, strict=True)):
        if kind == "fit":
            widths[i] = max(need.figure + pad, least[i])
        elif kind == "auto":
            shares[i] = 1.0
        elif isinstance(kind, int | float) and not isinstance(kind, bool) and kind > 0:
            shares[i] = float(kind)
        else:
            raise ValueError(f'column {i + 1}: use "fit", "auto" or a positive share, not {kind!r}')
    spare = width_em - sum(widths)
    if spare <= sum(least[i] for i in shares):
        # Too wide for the page: the figures stay whole, the text columns share what is
        # left in proportion to their longest words (and some words will break).
        room = max(spare, 0.05 * width_em)
        for i in shares:
            widths[i] = room * least[i] / sum(least[j] for j in shares)
        return _scaled(widths, width_em)
    # Share out the spare width; a column that would get less than its longest word
    # gets that, and the others share what remains.
    active = dict(shares)
    while active:
        total = sum(active.values())
        room = spare - sum(widths[i] for i in shares if i not in active)
        narrow = [i for i, s in active.items() if room * s / total < least[i]]
        if not narrow:
            for i, s in active.items():
                widths[i] = room * s / total
            break
        for i in narrow:
            widths[i] = least[i]
            del active[i]
    return _scaled(widths, width_em)


TABLE_FONT_PT = 9.0
"""A table's text size, for the padding of its rows measured in its lines (the exact
size matters little: the padding is a fraction of a line)."""
STEPS = 48
"""The spare width of a table is handed out to its ``"auto"`` columns in this many steps."""


def share_by_height(spec: Spec, table: Any, width_em: float, padding_em: float) -> list[float]:
    """Column widths in ems adding up to ``width_em`` for a spec of ``"fit"`` and
    ``"auto"`` columns: the figures as wide as they need, each text column at least its
    longest word, and the width left over given, step by step, where it takes most
    lines off the table (rows, and cells spanning rows, as tall as their tallest cell).
    So a column that holds much text gets much room, one that is mostly empty little."""
    found = needs(table)
    if len(spec) != len(found):
        raise ValueError(f"the table has {len(found)} columns but {len(spec)} are declared")
    pad = padding_em
    auto = [i for i, kind in enumerate(spec) if kind == "auto"]
    widths = [
        n.word + pad if kind == "auto" else max(n.figure + pad, n.word + pad)
        for kind, n in zip(spec, found, strict=True)
    ]
    spare = width_em - sum(widths)
    if not auto or spare <= 0:
        return share_out(spec, found, width_em, padding_em)
    step = spare / STEPS
    rows = table_rows(table)
    cells, _ = grid([tr for tr, _ in rows])
    # Per cell: its row, the rows it spans, its column, and its lines at each step of
    # its column's width (a constant for a "fit" column).
    model: list[tuple[int, int, int, list[int]]] = []
    most = {c: 0 for c in auto}
    for r, ((tr, _part), row) in enumerate(zip(rows, cells, strict=True)):
        heavy = "total" in (tr.get("class") or "").split()
        for c, entry in row.items():
            if entry is None or entry[2] != 1:
                continue
            cell, span, _ = entry
            found_pieces = pieces(cell, heavy or cell.tag == "th")
            if c not in most:
                model.append((r, span, c, [lines_of(found_pieces, (widths[c] - pad) / SAFETY)]))
                continue
            line = sum(sp + w for sp, w in found_pieces) - (
                found_pieces[0][0] if found_pieces else 0
            )
            reach = min(STEPS, max(0, math.ceil((line * SAFETY + pad - widths[c]) / step)))
            most[c] = max(most[c], reach)
            model.append(
                (
                    r,
                    span,
                    c,
                    [
                        lines_of(found_pieces, (widths[c] - pad + k * step) / SAFETY)
                        for k in range(reach + 1)
                    ],
                )
            )
    # A row's padding, in lines: a cell spanning two rows has room for two lines and
    # a little more.
    padding = 2 * CELL_PADDING_PT[0] / (LINE_HEIGHT * TABLE_FONT_PT)
    height = _Heights(model, len(rows), padding)
    # Only where a cell of a column takes a line less can the table get shorter.
    steps: dict[int, list[int]] = {c: [] for c in auto}
    for _r, _span, c, found_lines in model:
        if c in steps:
            steps[c] += [
                k for k in range(1, len(found_lines)) if found_lines[k] < found_lines[k - 1]
            ]
    breaks = {c: sorted(set(found)) for c, found in steps.items()}
    at = dict.fromkeys(auto, 0)
    left = STEPS
    while left > 0:
        now = height(at)
        best: tuple[float, int, int] = (0.0, -1, 0)
        for c in auto:
            for reach in breaks[c]:
                k = reach - at[c]
                if k <= 0 or k > left:
                    continue
                gain = (now - height({**at, c: reach})) / k
                if gain > best[0] + 1e-9:
                    best = (gain, c, k)
        if best[1] < 0:
            break
        at[best[1]] += best[2]
        left -= best[2]
    for c in auto:
        widths[c] += at[c] * step
    if left > 0:  # nothing more to gain: the rest goes to the text columns alike
        for c in auto:
            widths[c] += left * step / len(auto)
    return _scaled(widths, width_em)


class _Heights:
    """The height of a table, in lines, for given steps of its "auto" columns."""

    def __init__(
        self, model: list[tuple[int, int, int, list[int]]], count: int, padding: float
    ) -> None:
        self.model = model
        self.padding = padding
        # Rows joined by a cell spanning them are one band.
        band = list(range(count))
        for r, span, _c, _l in model:
            for other in range(r + 1, min(r + span, count)):
                band[other] = band[r]
        self.band = band

    def __call__(self, at: dict[int, int]) -> float:
        rows: dict[int, int] = {}
        spanning: dict[int, int] = {}
        for r, span, c, found in self.model:
            count = found[min(at.get(c, 0), len(found) - 1)]
            if span == 1:
                rows[r] = max(rows.get(r, 1), count)
            else:
                b = self.band[r]
                spanning[b] = max(spanning.get(b, 0), count)
        bands: dict[int, float] = {}
        for r, count in rows.items():
            bands[self.band[r]] = bands.get(self.band[r], 0.0) + count + self.padding
        return sum(max(total, spanning.get(b, 0) + self.padding) for b, total in bands.items())


def _scaled(widths: list[float], total: float) -> list[float]:
    factor = total / sum(widths) if sum(widths) > 0 else 1.0
    return [w * factor for w in widths]


def _spread(least: list[float], extra: list[float], total: float) -> list[float]:
    spare = total - sum(least)
    if spare <= 0 or sum(extra) <= 0:
        return _scaled(least, total)
    return [low + spare * e / sum(extra) for low, e in zip(least, extra, strict=True)]


def percentages(widths: Sequence[float]) -> list[float]:
    """Widths as percentages of their sum, rounded to 0.01 and adding up to 100."""
    total = sum(widths)
    if not widths or total <= 0:
        raise ValueError("a table needs at least one column of positive width")
    shares = [round(100 * w / total, 2) for w in widths]
    shares[-1] = round(100 - sum(shares[:-1]), 2)
    return shares


def colgroup(widths: Sequence[float]) -> str:
    """``<colgroup>`` with one ``<col style="width: N%">`` per column."""
    cols = "".join(f'<col style="width: {p:g}%">' for p in percentages(widths))
    return f"<colgroup>{cols}</colgroup>"


_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*([0-9.]+)\s*%")


def col_widths(cols: Iterable[tuple[str | None, str | None]]) -> list[float] | None:
    """The percentages of ``<col>`` elements given as ``(style, span)``; None unless
    every column has a width in percent."""
    widths: list[float] = []
    for style, span in cols:
        match = _WIDTH.search(style or "")
        if match is None:
            return None
        widths += [float(match.group(1))] * max(1, _span(span))
    return widths or None


# -- whole tables --------------------------------------------------------------------------
_OPEN_TABLE = re.compile(r"<table\b[^>]*>")
_BODY_START = re.compile(r"<(?:thead|tbody|tr)\b")


def with_colgroup(html: str, spec: Spec | None, width_pt: float, font_pt: float) -> str:
    """``html`` holding one ``<table>``, with a ``<colgroup>`` of widths from ``spec``
    (all ``"auto"`` if None) put before its first row group, and its rows grouped where
    the page may not break (:func:`plandocs.render.rowkeep.keep_rows`)."""
    from lxml import html as lxml_html

    from plandocs.render.rowkeep import keep_rows

    table = lxml_html.fragment_fromstring(html, create_parent="div").find(".//table")
    if table is None:
        raise ValueError("there is no <table> here")
    found = needs(table)
    if not found:
        return html
    kinds: Spec = spec if spec is not None else ["auto"] * len(found)
    padding_em = (2 * CELL_PADDING_PT[1] + 0.5) / font_pt
    if "auto" in kinds and set(kinds) <= {"auto", "fit"} and "fit" in kinds:
        widths = share_by_height(kinds, table, width_pt / font_pt, padding_em)
    else:
        widths = share_out(kinds, found, width_pt / font_pt, padding_em)
    start = _OPEN_TABLE.search(html)
    body = _BODY_START.search(html, start.end() if start else 0)
    at = body.start() if body else len(html)
    return keep_rows(html[:at] + colgroup(widths) + html[at:])


def markdown_tables(html: str) -> str:
    """Rendered Markdown with a ``<colgroup>`` in each table, from its content."""
    out, at = [], 0
    for match in re.finditer(r"<table>.*?</table>", html, flags=re.S):
        out += [html[at : match.start()], with_colgroup(match.group(0), None, *NOMINAL)]
        at = match.end()
    return "".join([*out, html[at:]])


class TableFitter:
    """``fit_columns(table_html, spec, landscape=false)`` for the templates: the table with
    the column widths its content and ``spec`` call for, on the settings' page."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def font_pt(self, classes: Iterable[str]) -> float:
        inside = frozenset({"table", *(f"table.{c}" for c in classes)})
        style = word_style_for("td", frozenset(), inside)
        base = self.settings.fonts.size_pt
        return size_pt(style, base) if style is not None else base

    def width_pt(self, landscape: bool) -> float:
        page = self.settings.page
        short, long_ = sorted(page.size_mm)
        across = long_ if landscape else short
        margins = page.margins_cm
        return (across - 10 * (margins.left + margins.right)) * 72 / 25.4

    def __call__(self, html: str, spec: Spec, landscape: bool = False) -> Markup:
        match = _OPEN_TABLE.search(str(html))
        classes = re.search(r'class="([^"]*)"', match.group(0)) if match else None
        font = self.font_pt(classes.group(1).split() if classes else ())
        return Markup(with_colgroup(str(html), list(spec), self.width_pt(landscape), font))


def indicator_digits(indicator: Any) -> int:
    """The precision of one indicator, in every table that shows it: the fewest decimals
    that write its baseline and each year's target exactly (``85.5, 87, 90`` → 1,
    ``1024, 1150`` → 0). A count never carries decimals; the figures of two indicators
    in one column may differ in precision."""
    if not isinstance(indicator, Mapping):
        return 0
    baseline = indicator.get("baseline")
    values: list[Any] = [baseline.get("value")] if isinstance(baseline, Mapping) else []
    targets = indicator.get("targets")
    if isinstance(targets, Mapping):
        values += list(targets.values())
    return decimals(values)


def decimals(values: Iterable[Any], unit: int = 1) -> int:
    """The most decimals any figure in ``values`` needs, counted in ``unit`` (1 000 000
    for amounts shown in millions): ``[10, 9.5, 0.25]`` → 2, ``[73785400, 1.0]`` → 0.
    Anything that is not a number (a missing figure) is skipped."""
    if unit < 1:
        raise ValueError(f"unit must be a positive whole number, got {unit}")
    most = 0
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            continue
        try:
            number = Decimal(str(value)) / unit
        except InvalidOperation:
            continue
        if not number.is_finite():
            continue
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            most = max(most, -exponent)
    return most
