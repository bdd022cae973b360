"""HTML tables → Word tables that keep the PDF's column widths and page-break rules.

The column proportions come from the table's ``<colgroup>`` (see :mod:`plandocs.render.columns`);
they become a fixed-layout grid (``w:tblGrid``, ``w:tcW`` and ``w:tblW`` in twips, adding
up to the section's text width), which Word and LibreOffice both honour. A table without
one gets proportions from its content, by the same rule as Markdown tables.

Page breaks follow the stylesheet's rules for the PDF: no row splits (``w:cantSplit``),
the header rows repeat (``w:tblHeader``) and stay with the first row, a
``<tr class="group">`` stays with the row below it, and the rows of a
``<tbody class="keep">`` or of a cell spanning rows stay together (keep-with-next on
their paragraphs, which is how Word keeps rows on one page). Word cannot print a
different caption on the pages a table continues onto; it repeats the header rows.

The rows are written as WordprocessingML directly: python-docx's cell and merge objects
cost seconds on a 200-row matrix.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

import plandocs.writers.docx.revisions as revisions
from plandocs.render.columns import Grid, col_widths, grid, needs, percentages, share_out
from plandocs.render.styles import CELL_PADDING_PT, size_pt
from plandocs.render.textwidth import lines
from plandocs.writers.docx.body import Ctx
from plandocs.writers.docx.inline import Inline
from plandocs.writers.docx.ooxml import text_width

W = {
    name: qn(f"w:{name}")
    for name in (
        "tc", "tcPr", "tcW", "tr", "trPr", "cantSplit", "tblHeader", "gridSpan", "vMerge",
        "vAlign", "p", "pPr", "pStyle", "keepNext", "jc", "val", "w", "type", "tblGrid",
        "gridCol", "tblW", "tblLayout", "tblCellMar", "top", "left", "bottom", "right",
        "tblStyle", "tblLook", "trHeight", "hRule",
    )
}  # fmt: skip
_ALIGN = re.compile(r"text-align:\s*(left|right|center|justify)")
TWIPS_PER_EMU = 1 / 635
TWIPS_PER_PT = 20
LINE_HEIGHT = 1.4 * 1.15
"""A generous line height in ems: Word's single spacing for Arial (1.15) at 1.4 lines."""


@dataclass
class Row:
    """One ``<tr>``: its element, whether it is a header row, and what keeps it with the next."""

    tr: Any
    header: bool
    group: int | None = None
    """The ``<tbody class="keep">`` it belongs to (rows of one group stay together)."""


def _classes(el: Any) -> frozenset[str]:
    return frozenset((el.get("class") or "").split())


Cols = list[tuple[str | None, str | None]]
"""``<col>`` elements as (style, span)."""


def column_percentages(
    converter: Inline, table: Any, cols: Cols, width: int, ctx: Ctx
) -> list[float]:
    """The table's declared column widths, or widths from its content if it declares none."""
    declared = col_widths(cols) if cols else None
    if declared is not None and len(declared) == width:
        return percentages(declared)
    font = size_pt(converter.style_for("td", frozenset(), ctx), converter.settings.fonts.size_pt)
    section = converter.document.sections[-1]
    width_pt = text_width(section).pt
    padding_em = (2 * CELL_PADDING_PT[1] + 0.5) / font
    spec = ["auto"] * width
    return percentages(share_out(spec, needs(table), width_pt / font, padding_em))


def twips(shares: list[float], total: int) -> list[int]:
    """Column widths in twips from percentages, adding up to exactly ``total``: each
    column edge is rounded, so no width is more than a twip off."""
    edges, running = [0], 0.0
    for share in shares:
        running += share
        edges.append(round(total * running / sum(shares)))
    return [b - a for a, b in itertools.pairwise(edges)]


def write_table(converter: Inline, el: Any, ctx: Ctx) -> Any | None:
    """Write ``<table>`` ``el`` (caption first) at the end of the document body; the
    ``w:tbl`` written (None for a table without rows, which writes none)."""
    rows: list[Row] = []
    cols: Cols = []
    groups = 0
    for part in el:
        if not isinstance(part.tag, str):
            continue
        if part.tag in ("thead", "tbody", "tfoot"):
            keep = part.tag == "tbody" and "keep" in _classes(part)
            groups += keep
            rows.extend(
                Row(tr, part.tag == "thead", groups if keep else None)
                for tr in part
                if isinstance(tr.tag, str)
            )
        elif part.tag == "tr":
            rows.append(Row(part, False))
        elif part.tag == "caption":
            if not "".join(part.itertext()).strip():
                continue  # a caption only for the PDF's continued pages (an annex's)
            style = converter.style_for("caption", _classes(part), ctx)
            caption = converter.paragraph(style.word)
            converter.fill(caption, part)
            converter.anchor(caption, part)
        elif part.tag == "colgroup":
            cols += [(c.get("style"), c.get("span")) for c in part if c.tag == "col"]
        elif part.tag == "col":
            cols.append((part.get("style"), part.get("span")))
        else:
            raise converter.unknown(part, "<table>")
    if not rows:
        return None
    # Leading rows of header cells repeat like a <thead>; a header row further down does not.
    for row in rows:
        if row.header:
            continue
        if not all(c.tag == "th" for c in row.tr if isinstance(c.tag, str)):
            break
        row.header = True
    for row in rows:
        for cell_el in row.tr:
            if isinstance(cell_el.tag, str) and cell_el.tag not in ("td", "th"):
                raise converter.unknown(cell_el, "<tr>")
    cells, width = grid([row.tr for row in rows])
    converter.separate_tables()
    total = int(text_width(converter.document.sections[-1]) * TWIPS_PER_EMU)
    widths = twips(column_percentages(converter, el, cols, width, ctx), total)
    table = converter.document.add_table(rows=0, cols=width)
    tbl = table._tbl
    # A table that only places text side by side (signatures) has no rules.
    plain = "layout" in _classes(el)
    _table_properties(tbl, converter.style_id("Normal Table" if plain else "Table Grid"), total)
    for gc, twip in zip(tbl.find(W["tblGrid"]).findall(W["gridCol"]), widths, strict=True):
        gc.set(W["w"], str(twip))
    kept = _kept_with_next(rows, cells)
    heights = _header_heights(converter, rows, cells, widths, ctx)
    for r, row in enumerate(rows):
        tr = SubElement(tbl, W["tr"])
        tr_pr = SubElement(tr, W["trPr"])
        SubElement(tr_pr, W["cantSplit"])
        if r in heights:
            height = SubElement(tr_pr, W["trHeight"])
            height.set(W["val"], str(heights[r]))
            height.set(W["hRule"], "atLeast")
        if row.header:
            SubElement(tr_pr, W["tblHeader"])
        row_cells = cells[r]
        c = 0
        while c < width:
            if c not in row_cells:  # a short row: pad it
                _cell(tr, widths[c : c + 1], None, keep=r in kept)
                c += 1
                continue
            entry = row_cells[c]
            if entry is None:  # below a cell that spans rows
                above = next(cells[k][c] for k in range(r - 1, -1, -1) if cells[k].get(c))
                assert above is not None
                span = above[2]
                _cell(tr, widths[c : c + span], "continue", keep=r in kept)
                c += span
                continue
            cell_el, rs, cs = entry
            style = converter.style_for(cell_el.tag, _classes(cell_el), ctx)
            align = _ALIGN.search(cell_el.get("style") or "")
            tc = _cell(
                tr,
                widths[c : c + cs],
                "restart" if rs > 1 else None,
                converter.style_id(style.word),
                align.group(1) if align else None,
                keep=r in kept,
                middle=cell_el.tag == "th",
            )
            converter.fill(Paragraph(tc[-1], table), cell_el)
            converter.anchor(Paragraph(tc[-1], table), cell_el)
            if "pd-changed" in _classes(cell_el):
                revisions.shade_cell(tc)
            c += cs
        converter.changed(tr, row.tr)
    converter.table_ended()
    return tbl


def _header_heights(
    converter: Inline, rows: list[Row], cells: Grid, widths: list[int], ctx: Ctx
) -> dict[int, int]:
    """Row heights (twips) that make room for header cells spanning rows.

    LibreOffice lays a repeated header row out without the text of a cell merged down
    into the next header row, and clips it; a header cell spanning rows therefore asks
    its last row for the room its wrapped text needs (a little more, never less).
    """
    heights: dict[int, int] = {}
    for r, row in enumerate(rows):
        if not row.header:
            break
        for c, entry in cells[r].items():
            if entry is None or entry[1] < 2:
                continue
            cell_el, rs, cs = entry
            style = converter.style_for(cell_el.tag, _classes(cell_el), ctx)
            font = size_pt(style, converter.settings.fonts.size_pt)
            inner = sum(widths[c : c + cs]) / TWIPS_PER_PT - 2 * CELL_PADDING_PT[1]
            count = lines(cell_el, inner / font, bold=cell_el.tag == "th")
            line = font * LINE_HEIGHT
            one_row = line + 2 * CELL_PADDING_PT[0]
            needed = count * line + 2 * CELL_PADDING_PT[0] - (rs - 1) * one_row
            last = r + rs - 1
            if needed > one_row:
                heights[last] = max(heights.get(last, 0), round(needed * TWIPS_PER_PT))
    return heights


def _kept_with_next(rows: list[Row], cells: Grid) -> set[int]:
    """The rows that must stay on the page of the row after them."""
    keep: set[int] = set()
    last = len(rows) - 1
    for r, row in enumerate(rows):
        if r == last:
            break
        grouped = row.group is not None and rows[r + 1].group == row.group
        if row.header or grouped or "group" in _classes(row.tr):
            keep.add(r)
        for entry in cells[r].values():
            if entry is not None and entry[1] > 1:
                keep.update(range(r, min(r + entry[1] - 1, last)))
    return keep


def _table_properties(tbl: Any, style_id: str, total: int) -> None:
    """Style, width, fixed layout and cell margins (the stylesheet's cell padding)."""
    import plandocs.writers.docx.ooxml as ooxml

    tbl_pr = tbl.tblPr
    for old in tbl_pr.findall(W["tblW"]) + tbl_pr.findall(W["tblLayout"]):
        tbl_pr.remove(old)
    tbl_pr.append(ooxml.element("w:tblStyle", val=style_id))
    tbl_pr.append(ooxml.element("w:tblW", w=str(total), type="dxa"))
    tbl_pr.append(ooxml.element("w:tblLayout", type="fixed"))
    vertical, horizontal = (round(v * TWIPS_PER_PT) for v in CELL_PADDING_PT)
    margins = ooxml.element("w:tblCellMar")
    for side, size in (("top", vertical), ("left", horizontal), ("bottom", vertical)):
        margins.append(ooxml.element(f"w:{side}", w=str(size), type="dxa"))
    margins.append(ooxml.element("w:right", w=str(horizontal), type="dxa"))
    tbl_pr.append(margins)
    ooxml.reorder(tbl_pr, ooxml.TBLPR_ORDER)


def _cell(
    row: Any,
    widths: list[int],
    merge: str | None,
    style_id: str | None = None,
    align: str | None = None,
    keep: bool = False,
    middle: bool = False,
) -> Any:
    """A ``w:tc`` as wide as the grid columns it spans, holding one paragraph; optionally
    vertically merged, centred vertically, kept with the next row; styled and aligned."""
    tc = SubElement(row, W["tc"])
    tc_pr = SubElement(tc, W["tcPr"])
    tc_w = SubElement(tc_pr, W["tcW"])
    tc_w.set(W["w"], str(sum(widths)))
    tc_w.set(W["type"], "dxa")
    if len(widths) > 1:
        SubElement(tc_pr, W["gridSpan"]).set(W["val"], str(len(widths)))
    if merge == "restart":
        SubElement(tc_pr, W["vMerge"]).set(W["val"], "restart")
    elif merge == "continue":
        SubElement(tc_pr, W["vMerge"])
    if middle:
        SubElement(tc_pr, W["vAlign"]).set(W["val"], "center")
    p = SubElement(tc, W["p"])
    if style_id or align or keep:
        p_pr = SubElement(p, W["pPr"])
        if style_id:
            SubElement(p_pr, W["pStyle"]).set(W["val"], style_id)
        if keep:
            SubElement(p_pr, W["keepNext"])
        if align:
            SubElement(p_pr, W["jc"]).set(W["val"], "both" if align == "justify" else align)
    return tc
