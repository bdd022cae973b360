"""The Word body a converter writes into: its state, and the paragraph-level steps every
part of the conversion shares.

:class:`Body` holds what the walk over the HTML tree keeps between elements (the Word
document, the page kind, the heading numbers, the bookmarks, the source anchors) and
adds paragraphs in a named style; :class:`Ctx` says where a block element stands. The
inline content (:mod:`plandocs.writers.docx.inline`), the page kinds
(:mod:`plandocs.writers.docx.sections`), the tables (:mod:`plandocs.writers.docx.tables`)
and the blocks (:mod:`plandocs.writers.docx.convert`) build on it, in that order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Pt

import plandocs.writers.docx.numbering as numbering
import plandocs.writers.docx.ooxml as ooxml
import plandocs.writers.docx.revisions as revisions
from plandocs.errors import WriterError
from plandocs.render.styles import STYLES, TABLE_SPACE_AFTER_PT, Style, word_style_for
from plandocs.writers.docx.anchors import PREFIX, Anchor, paragraph_text, wrap

SPACE_BEFORE = {style.word: style.space_before or 0.0 for style in STYLES}
WHITESPACE = re.compile(r"[ \t\r\n\f]+")
W = {
    name: qn(f"w:{name}")
    for name in (
        "r", "rPr", "rStyle", "rFonts", "b", "i", "strike", "u", "vertAlign", "lang", "t",
        "tab", "hyperlink", "anchor", "val", "bidi", "ascii", "hAnsi", "tc", "tcPr", "tr",
        "trPr", "tblHeader", "gridSpan", "vMerge", "p", "pPr", "pStyle", "jc", "delText",
    )
}  # fmt: skip
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(frozen=True)
class Ctx:
    """Where a block element stands: enclosing tags (and ``tag.class``) and classes."""

    inside: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    list_level: int = 0

    def within(self, tag: str, classes: frozenset[str] = frozenset()) -> Ctx:
        tags = {tag, *(f"{tag}.{c}" for c in classes)}
        return replace(self, inside=self.inside | tags, classes=self.classes | classes)


def classes_of(el: Any) -> frozenset[str]:
    return frozenset((el.get("class") or "").split())


@dataclass
class Body:
    """The state of one conversion, and the paragraph-level steps every part shares."""

    document: Any
    word_lang: str
    source: Path
    settings: Any
    root: Path
    page_labels: dict[str, str] = field(default_factory=dict)
    keep_page_setup: bool = False
    """Written with a reference document: its own header and footer, if it has any, are
    kept (the page itself is always plandocs.yaml's)."""
    page_kind: str | None = None
    header_text: str = ""
    draft_mark: str = ""
    draft_line: str = ""
    section_start: bool = False
    headings: numbering.HeadingNumbers | None = None
    heading_number: tuple[str, str] | None = None
    """The number (``chapter`` or ``section``, text) of the heading being written."""
    lists: tuple[int, int] | None = None
    bookmarks: int = 0
    after_table: bool = False
    style_ids: dict[str, str] = field(default_factory=dict)
    anchors: list[Anchor] = field(default_factory=list)
    """Source anchors (see :mod:`plandocs.writers.docx.anchors`), in document order."""
    anchor_all: bool = False
    """Anchor the paragraphs and cells templates wrote too (not in a redline)."""
    reference_hf: bool | None = None
    space_before: float = 0.0
    """Points of space the next paragraph starts with (the first of a spaced block)."""

    @property
    def reference_header_footer(self) -> bool:
        """Whether the reference document brought a header or footer of its own."""
        if self.reference_hf is None:
            section = self.document.sections[0]
            parts = (section.header, section.footer)
            self.reference_hf = any(
                not part.is_linked_to_previous
                and (
                    "".join(part._element.itertext()).strip()
                    or part._element.find(".//" + qn("w:drawing")) is not None
                )
                for part in parts
            )
        return self.reference_hf

    def paragraph(self, style: str) -> Any:
        paragraph = self.document.add_paragraph()
        paragraph._p.style = self.style_id(style)
        if style in KEEP_WITH_PREVIOUS:
            keep_previous(paragraph._p)
        space, self.space_before = self.space_before, 0.0
        if self.after_table:
            self.after_table = False
            space = max(space, SPACE_BEFORE.get(style, 0.0), TABLE_SPACE_AFTER_PT)
        if space:
            # The first paragraph after a table, or of a block spaced off from what
            # precedes it.
            paragraph.paragraph_format.space_before = Pt(space)
        if self.section_start:
            # The section break already starts a new page; a page break before the
            # first paragraph would leave an empty page.
            paragraph.paragraph_format.page_break_before = False
            self.section_start = False
        return paragraph

    def style_id(self, name: str) -> str:
        """A style's id by its name. python-docx looks names up by scanning every style
        each time, which dominated the writer's time; one lookup per name is enough."""
        if not self.style_ids:
            # By name: python-docx's lookup misses a style LibreOffice names "Header"
            # (Word's is "header") and falls back to its id, with a warning.
            self.style_ids.update({style.name: style.style_id for style in self.document.styles})
        return self.style_ids[name]

    def style_for(self, tag: str, classes: frozenset[str], ctx: Ctx) -> Style:
        style = word_style_for(tag, classes, ctx.inside)
        if style is None and tag in ("h5", "h6"):
            # Markdown has six heading levels, the style source fewer: the deepest
            # heading style serves the levels below it.
            for deeper in ("h4", "h3", "h2"):
                style = word_style_for(deeper, classes, ctx.inside)
                if style is not None:
                    break
        if style is None:
            raise WriterError(
                f"<{tag}> has no Word style in plandocs.render.styles; add one there", self.source
            )
        return style

    def bookmark(self, paragraph: Any, name: str) -> None:
        self.bookmarks += 1
        ooxml.bookmark(paragraph, name, self.bookmarks)

    def anchor(self, paragraph: Any, el: Any) -> None:
        """A hidden bookmark around a paragraph that says where its text was written —
        or, with :attr:`anchor_all`, around one a template wrote, with its text then, so
        that review finds every edit (and where the words stand, if anywhere)."""
        src, fact = el.get("data-src"), el.get("data-fact")
        if not (src or fact or self.anchor_all):
            return
        if not (src or fact) and not paragraph_text(paragraph._p).strip():
            return
        name = f"{PREFIX}{len(self.anchors) + 1}"
        self.bookmarks += 1
        wrap(paragraph._p, name, self.bookmarks)
        self.anchors.append(Anchor(name, src, fact, paragraph_text(paragraph._p)))

    def changed(self, element: Any, el: Any) -> None:
        """A paragraph or table row a redline marks inserted or deleted as a whole."""
        change = el.get("data-change")
        if change not in ("inserted", "deleted"):
            return
        kind = "ins" if change == "inserted" else "del"
        author = el.get("data-author", "plandocs")
        date = next((d.get("datetime") for d in el.iter("ins", "del") if d.get("datetime")), "")
        self.bookmarks += 1
        if element.tag == W["tr"]:
            revisions.mark_row(element, kind, self.bookmarks, author, date or "")
        else:
            revisions.mark_paragraph(element, kind, self.bookmarks, author, date or "")

    def separate_tables(self) -> None:
        """Word joins two tables that touch into one: put an empty paragraph between."""
        body = self.document.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
        if last.tag == qn("w:tbl"):
            self.paragraph("Normal")

    def table_ended(self) -> None:
        """The next paragraph keeps the stylesheet's space below a table."""
        self.after_table = True

    def unknown(self, el: Any, where: str) -> WriterError:
        text = WHITESPACE.sub(" ", el.text_content() if hasattr(el, "text_content") else "").strip()
        near = f" (near “{text[:40]}”)" if text else ""
        return WriterError(
            f"<{el.tag}> inside {where}{near} has no Word mapping; remove it from the template "
            "or content, or map it in plandocs.writers.docx",
            self.source,
        )


KEEP_WITH_PREVIOUS = frozenset(style.word for style in STYLES if style.keep_with_previous)
"""Word styles whose paragraph stays on the page of what comes before it (a signature
block with the end of the text it signs). Word has no such property: what comes
before keeps with the next paragraph instead."""


def keep_previous(p: Any) -> None:
    """Keep what stands before paragraph ``p`` on its page: the paragraph before it, or
    every paragraph of a table's last row (Word keeps a row with the next paragraph
    when its paragraphs keep with the next)."""
    before = p.getprevious()
    if before is None:
        return
    if before.tag == qn("w:tbl"):
        rows = before.findall(qn("w:tr"))
        paragraphs = list(rows[-1].iter(qn("w:p"))) if rows else []
    elif before.tag == qn("w:p") and before.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
        paragraphs = [before]
    else:
        return
    keep_with_next(paragraphs)


def keep_with_next(paragraphs: Iterable[Any]) -> None:
    """Each of ``paragraphs`` (``w:p`` elements) stays on the page of the paragraph
    after it. On every paragraph of a table, the whole table stays with what follows."""
    for paragraph in paragraphs:
        p_pr = paragraph.find(qn("w:pPr"))
        if p_pr is None:
            p_pr = ooxml.element("w:pPr")
            paragraph.insert(0, p_pr)
        if p_pr.find(qn("w:keepNext")) is None:
            p_pr.append(ooxml.element("w:keepNext"))
            ooxml.reorder_ppr(p_pr)
