"""Tracked changes in WordprocessingML, for redlines (``plandocs build --compare``).

Word, LibreOffice and pandoc (``--track-changes=all``) read these as changes a
reviewer can accept or reject: runs inside ``w:ins`` / ``w:del`` (deleted text in
``w:delText``), a paragraph's own mark inserted or deleted (``w:pPr/w:rPr/w:ins``),
table rows inserted or deleted (``w:trPr/w:ins``). A changed table cell is also
shaded, as a reader's eye needs in a wide matrix.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from lxml.etree import SubElement

CHANGED_CELL_FILL = "FFF2CC"
"""The shading of a changed table cell (the PDF's ``td.pd-changed`` background)."""


def _stamp(el: Any, ident: int, author: str, date: str) -> Any:
    el.set(qn("w:id"), str(ident))
    el.set(qn("w:author"), author)
    if date:
        el.set(qn("w:date"), date)
    return el


def revision(parent: Any, kind: str, ident: int, author: str, date: str) -> Any:
    """A ``w:ins`` or ``w:del`` appended to ``parent``, for runs to go in."""
    return _stamp(SubElement(parent, qn(f"w:{kind}")), ident, author, date)


def mark_paragraph(p: Any, kind: str, ident: int, author: str, date: str) -> None:
    """Mark a paragraph's own mark inserted or deleted (the paragraph as a whole)."""
    p_pr = p.get_or_add_pPr()
    r_pr = p_pr.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = SubElement(p_pr, qn("w:rPr"))
        for later in ("w:sectPr", "w:pPrChange"):
            found = p_pr.find(qn(later))
            if found is not None:
                found.addprevious(r_pr)
                break
    r_pr.insert(0, _stamp(SubElement(r_pr, qn(f"w:{kind}")), ident, author, date))


def mark_row(tr: Any, kind: str, ident: int, author: str, date: str) -> None:
    """Mark a table row inserted or deleted."""
    tr_pr = tr.find(qn("w:trPr"))
    if tr_pr is None:
        tr_pr = SubElement(tr, qn("w:trPr"))
        tr.insert(0, tr_pr)
    revision(tr_pr, kind, ident, author, date)


_TCPR_ORDER = [
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark",
]  # fmt: skip


def shade_cell(tc: Any, fill: str = CHANGED_CELL_FILL) -> None:
    tc_pr = tc.find(qn("w:tcPr"))
    shd = SubElement(tc_pr, qn("w:shd"))
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_TCPR_ORDER)}
    for child in sorted(tc_pr, key=lambda c: rank.get(c.tag, len(rank))):
        tc_pr.append(child)  # the schema's order, which Word insists on
