"""Continued tables in the PDF: "Tabel 4.2 (lanjutan)" above every page a table runs onto.

WeasyPrint repeats a table's header rows on each page but not its caption. So a
captioned table that runs over pages is cut, where the pages break, into one table per
page; each piece after the first gets the caption line its template wrote into the
caption number (``data-continued``, e.g. "Tabel 4.2 (lanjutan)") and starts a page.

Where the pages break is found by a first layout of the chapters that hold such tables
(each up to its last one; a chapter starts on a new page, so the others do not matter),
with every caption standing in the first header row, so that it takes the same room on
every page as the continued caption will. Every caption then gets exactly the height it
took there, so the final layout puts everything where the first did. Should a piece
still run over a page, it is cut there and the document laid out again (a few times at
most; at worst a piece runs on without its continued caption). The first layout costs
about 40 % of the final one for a Renstra.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from typing import Any

from plandocs.render.columns import grid, table_rows
from plandocs.render.styles import CAPTION

Render = Callable[[str], Any]
"""HTML → a laid-out WeasyPrint document."""
MAX_RETRIES = 5


def render_with_continued_captions(html: str, render: Render) -> Any:
    """Lay ``html`` out with ``render``, continued tables captioned on every page."""
    from lxml import html as lxml_html

    if "data-continued" not in html:
        return render(html)
    tree = lxml_html.document_fromstring(html)
    tables = [t for t in tree.iter("table") if _continued_label(t) is not None]
    if not tables:
        return render(html)
    for k, table in enumerate(tables):
        table.set("data-table", str(k))
        for i, (tr, _part) in enumerate(_body_rows(table)):
            tr.set("data-row", f"{k}:{i}")
    measuring = _measuring_copy(tree)
    for table in measuring.iter("table"):
        if table.get("data-table") is not None:
            _caption_into_header(table)
    found = _scan(render(_serialize(measuring)))
    heights = {k: found.caption_heights.get(k, 0.0) for k in range(len(tables))}
    splits = {k: found.starts.get(k, []) for k in range(len(tables))}
    for _attempt in range(MAX_RETRIES + 1):
        laid_out = copy.deepcopy(tree)
        _split_tables(laid_out, splits, heights)
        document = render(_serialize(laid_out))
        # Each piece should open a page: a page opened by any other row is a new cut.
        again = {k: set(starts) - set(splits[k]) for k, starts in _scan(document).starts.items()}
        if not any(again.values()):
            return document
        # Cut there; the cuts after it are found again in the next layout.
        for k, starts in again.items():
            if starts:
                first = min(starts)
                splits[k] = sorted({s for s in splits[k] if s < first} | {first})
    return document


def _measuring_copy(tree: Any) -> Any:
    """A copy of the document with only what decides where its numbered tables break.

    A chapter (``<section>``) starts on a new page, so only the chapters holding numbered
    tables are kept, each up to its last such table. Should that assumption fail (a
    stylesheet that does not start chapters on a new page), the pieces do not match the
    pages and the second layout corrects them.
    """
    copied = copy.deepcopy(tree)
    body = copied.find("body")
    sections = [c for c in body if c.tag == "section"] if body is not None else []
    if not sections:
        return copied
    opens = any(t.get("data-table") is not None for t in sections[0].iter("table"))
    for section in sections:
        numbered = [t for t in section.iter("table") if t.get("data-table") is not None]
        if not numbered:
            body.remove(section)
            continue
        last: Any = numbered[-1]
        while last is not section:  # drop what follows the last numbered table
            for later in list(last.itersiblings()):
                last.getparent().remove(later)
            last = last.getparent()
    if not opens:
        # What opens this layout does not open the document: the body's top margin is
        # not on its first page.
        body.set("style", f"{body.get('style') or ''}; margin-top: 0".lstrip("; "))
    return copied


def _continued_label(table: Any) -> str | None:
    caption = table.find("caption")
    if caption is None:
        return None
    for span in caption.iter("span"):
        if span.get("data-continued"):
            return str(span.get("data-continued"))
    return None


def _body_rows(table: Any) -> list[tuple[Any, Any]]:
    return [(tr, part) for tr, part in table_rows(table) if part.tag != "thead"]


def _columns(table: Any) -> int:
    return grid([tr for tr, _ in table_rows(table)])[1]


def _serialize(tree: Any) -> str:
    from lxml import html as lxml_html

    return str(lxml_html.tostring(tree, doctype="<!DOCTYPE html>", encoding="unicode"))


def _caption_into_header(table: Any) -> None:
    """Move the caption into a first header row, which WeasyPrint repeats on every page."""
    from lxml import etree

    caption = table.find("caption")
    head = table.find("thead")
    if head is None:
        head = etree.Element("thead")
        first = next((c for c in table if c.tag in ("tbody", "tr", "tfoot")), None)
        if first is not None:
            first.addprevious(head)
        else:
            table.append(head)
    row = etree.Element("tr", {"class": "caprow", "data-caprow": table.get("data-table")})
    cell = etree.SubElement(row, "th", {"class": "caprow", "colspan": str(_columns(table))})
    cell.text = caption.text
    for child in list(caption):
        cell.append(child)
    head.insert(0, row)
    table.remove(caption)


class _Found:
    def __init__(self) -> None:
        self.starts: dict[int, list[int]] = {}
        """Per table: the rows that open a page after its first."""
        self.caption_heights: dict[int, float] = {}
        """Per table: the room its caption row took, in CSS pixels (WeasyPrint's unit)."""


def _scan(document: Any) -> _Found:
    """Where each numbered table's rows landed, and how tall its caption row was."""
    from weasyprint.formatting_structure import boxes

    found = _Found()
    first_page: dict[tuple[int, int], int] = {}
    caprow: tuple[int, float] | None = None
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableRowBox) or box.element is None:
                continue
            if caprow is not None:
                # The row under a caption row: the caption's room is the distance to it,
                # less the half of its top border that a table without the caption row
                # puts above its first row anyway (collapsed borders).
                border = max((c.border_top_width for c in box.children), default=0)
                room = box.position_y - caprow[1] - border
                found.caption_heights.setdefault(caprow[0], room)
                caprow = None
            if box.element.get("data-caprow") is not None:
                caprow = (int(box.element.get("data-caprow")), box.position_y)
                continue
            ident = box.element.get("data-row")
            if ident is None:
                continue
            k, i = (int(part) for part in ident.split(":"))
            first_page.setdefault((k, i), number)
    pages: dict[int, dict[int, int]] = {}
    for (k, i), number in first_page.items():
        pages.setdefault(k, {})
        pages[k][number] = min(pages[k].get(number, i), i)
    for k, by_page in pages.items():
        ordered = sorted(by_page)
        found.starts[k] = [by_page[p] for p in ordered[1:]]
    return found


def _split_tables(tree: Any, splits: dict[int, list[int]], heights: dict[int, float]) -> None:
    """Cut each numbered table at its split rows; give every caption its measured height."""
    from lxml import etree

    for table in list(tree.iter("table")):
        ident = table.get("data-table")
        if ident is None:
            continue
        k = int(ident)
        label = _continued_label(table) or ""
        caption = table.find("caption")
        _fix_height(caption, heights.get(k, 0.0))
        starts = sorted(set(splits.get(k, [])))
        if not starts:
            continue
        rows = _body_rows(table)
        bounds = [0, *starts, len(rows)]
        head = [c for c in table if c.tag in ("colgroup", "col", "thead")]
        carried = _carried_cells(rows, starts)
        parts = []
        for n, (start, end) in enumerate(itertools.pairwise(bounds)):
            part = etree.Element("table", dict(table.attrib))
            classes = (part.get("class") or "").split()
            if n > 0:
                part.attrib.pop("id", None)
                classes.append("continued")
                cap = etree.SubElement(part, "caption")
                etree.SubElement(cap, "span", {"class": "capnum"}).text = label
                _fix_height(cap, heights.get(k, 0.0))
            else:
                part.append(copy.deepcopy(caption))
            if end < len(rows):
                classes.append("continues")
            part.set("class", " ".join(classes))
            for element in head:
                part.append(copy.deepcopy(element))
            group = None
            for index, (tr, holder) in enumerate(rows[start:end]):
                row = copy.deepcopy(tr)
                if index == 0:
                    _carry(row, carried.get(start, []))
                _clamp(row, end - start - index)
                if holder is table:
                    part.append(row)
                    continue
                if group is None or group[0] is not holder:
                    group = (holder, etree.SubElement(part, holder.tag, dict(holder.attrib)))
                group[1].append(row)
            parts.append(part)
        for part in parts:
            table.addprevious(part)
        table.getparent().remove(table)


def _carried_cells(
    rows: list[tuple[Any, Any]], starts: list[int]
) -> dict[int, list[tuple[int, Any, int]]]:
    """Per cut (the row a piece starts with), the cells that span rows across it, each
    with the column it stands in: the piece repeats them (a program's name beside its
    indicators on the next page), spanning the rows left to them."""
    cells, width = grid([tr for tr, _ in rows])
    carried: dict[int, list[tuple[int, Any, int]]] = {}
    for start in starts:
        for column in range(width):
            if column not in cells[start] or cells[start][column] is not None:
                continue
            for above in range(start - 1, -1, -1):
                entry = cells[above].get(column)
                if entry is None:
                    continue
                element, span, _columns = entry
                if above + span > start:
                    copied = copy.deepcopy(element)
                    copied.tail = None
                    copied.set("rowspan", str(above + span - start))
                    position = [c for c, e in cells[start].items() if e is not None]
                    carried.setdefault(start, []).append(
                        (column, copied, sum(1 for c in position if c < column))
                    )
                break
    return carried


def _carry(row: Any, cells: list[tuple[int, Any, int]]) -> None:
    """Put the carried cells into a piece's first row, each before the cells to its right."""
    existing = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
    for _column, cell, before in sorted(cells, key=lambda item: item[0]):
        if before < len(existing):
            existing[before].addprevious(cell)
        else:
            row.append(cell)


def _clamp(row: Any, left: int) -> None:
    """A cell of a piece never spans more rows than the piece has left."""
    for cell in row:
        if isinstance(cell.tag, str) and cell.tag in ("td", "th") and cell.get("rowspan"):
            span = cell.get("rowspan", "1").strip()
            if span.isdigit() and int(span) > left:
                cell.set("rowspan", str(left))


def _fix_height(caption: Any, height: float) -> None:
    """Give a caption the room its caption row took when the pages were found."""
    if caption is None or height <= 0:
        return
    caption.set(
        "style",
        f"height: {height:.4f}px; margin: 0; padding-top: {CAPTION.space_before or 0:g}pt; "
        "box-sizing: border-box",
    )
