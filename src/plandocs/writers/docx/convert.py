"""The HTML tree → Word body: blocks onto named styles, inline elements onto runs.

Besides plain prose it understands the structure the templates mark up:

* ``<section data-page="cover|front|body|landscape">`` — a page kind; a change of
  kind starts a Word section with its own page numbering and orientation;
* ``<div class="running-header">`` — the text of the page header;
* ``<nav class="toc" data-field="TOC …">`` — a table of contents (or list of tables or
  figures), written as that Word field already showing its entries (and their page
  numbers, when the PDF was laid out);
* ``span.chapnum`` / ``span.secnum`` — heading numbers, which Word generates itself
  from multilevel numbering (:mod:`plandocs.writers.docx.numbering`);
* ``span.capnum`` — a caption number, written as a ``SEQ`` field Word recognizes;
* ``data-rule="below"`` on a container — a rule under its last paragraph (the
  letterhead); ``data-break="none"`` on a heading — no page break before it;
  ``data-tab="after"`` on a span — a tab after it (to the hanging indent);
* an ``<img>`` sized in its ``style`` (``height: 2.2cm``) — a picture of that size.

An element it does not know is an error that names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run
from lxml.etree import SubElement

from plandocs.errors import WriterError
from plandocs.render.styles import BLOCK_SPACE, STYLES, TABLE_SPACE_AFTER_PT, Style, word_style_for
from plandocs.writers.docx import numbering, ooxml, revisions
from plandocs.writers.docx.anchors import PREFIX, Anchor, paragraph_text, wrap
from plandocs.writers.docx.tables import write_table

SPACE_BEFORE = {style.word: style.space_before or 0.0 for style in STYLES}

CONTAINERS = frozenset(
    {"body", "div", "section", "article", "header", "footer", "main", "nav", "aside"}
)
PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
SKIPPED = frozenset({"script", "style", "template"})
LIST_BLOCKS = frozenset(
    {"blockquote", "pre", "table", "figure", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "div"}
)
"""Blocks a list item may hold besides paragraphs and nested lists (Markdown allows
any block inside an item)."""
_SPACE = re.compile(r"[ \t\r\n\f]+")
W = {
    name: qn(f"w:{name}")
    for name in (
        "r", "rPr", "rStyle", "rFonts", "b", "i", "strike", "u", "vertAlign", "lang", "t",
        "tab", "hyperlink", "anchor", "val", "bidi", "ascii", "hAnsi", "tc", "tcPr", "tr",
        "trPr", "tblHeader", "gridSpan", "vMerge", "p", "pPr", "pStyle", "jc", "delText",
    )
}  # fmt: skip
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ALIGN = re.compile(r"text-align:\s*(left|right|center|justify)")
_SIZE = re.compile(r"\b(width|height):\s*([\d.]+)(cm|mm|pt|in|px)")
_EMU = {"cm": 360000, "mm": 36000, "pt": 12700, "in": 914400, "px": 9525}


@dataclass(frozen=True)
class Fmt:
    """Character formatting inherited by the runs inside an inline element."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    mono: bool = False
    superscript: bool = False
    subscript: bool = False
    char_style: str | None = None
    href: str | None = None
    revision: tuple[str, str, str] | None = None
    """A tracked change: (``ins`` or ``del``, author, date), from a redline."""


@dataclass(frozen=True)
class Ctx:
    """Where a block element stands: enclosing tags (and ``tag.class``) and classes."""

    inside: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    list_level: int = 0

    def within(self, tag: str, classes: frozenset[str] = frozenset()) -> Ctx:
        tags = {tag, *(f"{tag}.{c}" for c in classes)}
        return replace(self, inside=self.inside | tags, classes=self.classes | classes)


@dataclass
class Segment:
    text: str
    fmt: Fmt
    kind: str = "text"
    """``text``, ``break``, ``tab``, ``image`` (text is its path, field its CSS size), or
    ``seq`` (a caption number field: text is the shown number)."""
    field: str = ""


def _drop_if_empty(paragraph: Any) -> bool:
    """Remove a list paragraph that got neither text nor a picture; say if it was."""
    if not paragraph.text and not paragraph._p.xpath(".//w:drawing"):
        paragraph._p.getparent().remove(paragraph._p)
        return True
    return False


def classes_of(el: Any) -> frozenset[str]:
    return frozenset((el.get("class") or "").split())


@dataclass
class Converter:
    document: Any
    word_lang: str
    source: Path
    settings: Any
    root: Path
    page_labels: dict[str, str] = field(default_factory=dict)
    keep_page_setup: bool = False
    """A reference document's: its page size stays (a landscape annex turns it), and
    its own header and footer, if it has any, are kept."""
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

    # -- blocks ---------------------------------------------------------------------
    def blocks(self, element: Any, ctx: Ctx) -> None:
        for child in element:
            self.block(child, ctx)

    def block(self, el: Any, ctx: Ctx) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            return
        classes = classes_of(el)
        if tag == "div" and "running-header" in classes:
            self.header_text = _SPACE.sub(" ", el.text_content()).strip()
        elif tag == "div" and "draft-mark" in classes:
            self.draft_mark = _SPACE.sub(" ", el.text_content()).strip()
        elif tag == "div" and "draft-line" in classes:
            self.draft_line = _SPACE.sub(" ", el.text_content()).strip()
        elif tag == "nav" and "toc" in classes:
            self.toc(el, ctx.within(tag, classes))
        elif tag in CONTAINERS:
            if el.get("data-page"):
                self.start_page(el.get("data-page"))
            space = max((BLOCK_SPACE.get(c, 0.0) for c in classes), default=0.0)
            if space:
                self.space_before = space
            self.loose_text(el)
            self.blocks(el, ctx.within(tag, classes))
            if el.get("data-rule") == "below":
                self.rule_below()
        elif tag in PARAGRAPHS:
            style = self.style_for(tag, classes | ctx.classes, ctx)
            paragraph = self.paragraph(style.word)
            self.fill(paragraph, el)
            self.anchor(paragraph, el)
            self.changed(paragraph._p, el)
            self.number(paragraph)
            if el.get("data-break") == "none":
                paragraph.paragraph_format.page_break_before = False
        elif tag == "blockquote":
            self.loose_text(el)
            self.blocks(el, ctx.within(tag, classes))
        elif tag in ("ul", "ol"):
            num_id = self.list_num(tag)
            for item in el:
                if isinstance(item.tag, str):
                    self.list_item(item, ctx.within(tag, classes), tag, num_id)
        elif tag == "table":
            self.table(el, ctx.within(tag, classes))
        elif tag == "figure":
            self.figure(el, ctx.within(tag, classes))
        elif tag == "hr":
            self.rule()
        elif tag == "pre":
            paragraph = self.paragraph("Normal")
            self.fill(paragraph, el, Fmt(mono=True), preserve=True)
        else:
            raise self.unknown(el, "the document body")

    def paragraph(self, style: str) -> Any:
        paragraph = self.document.add_paragraph()
        paragraph._p.style = self.style_id(style)
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

    def loose_text(self, el: Any) -> None:
        """Text standing directly in a container becomes a Normal paragraph of its own."""
        if el.text and el.text.strip():
            self.add_runs(self.paragraph("Normal"), [Segment(el.text, Fmt())])

    def bookmark(self, paragraph: Any, name: str) -> None:
        self.bookmarks += 1
        ooxml.bookmark(paragraph, name, self.bookmarks)

    def anchor(self, paragraph: Any, el: Any) -> None:
        """A hidden bookmark around a paragraph that says where its text was written."""
        src, fact = el.get("data-src"), el.get("data-fact")
        if not (src or fact):
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

    def list_num(self, list_tag: str) -> int:
        """The numbering of a list: the bullets, or a fresh ordered list from a. (1.)."""
        if self.lists is None:
            self.lists = numbering.list_definitions(self.document)
        bullets, numbers = self.lists
        return bullets if list_tag == "ul" else numbering.new_ordered_list(self.document, numbers)

    def list_paragraph(self, name: str, num_id: int, level: int) -> Any:
        paragraph = self.paragraph(name)
        ilvl = min(level, numbering.MAX_LIST_LEVEL) - 1
        numbering.set_num(paragraph._p.get_or_add_pPr(), num_id, ilvl)
        return paragraph

    def list_item(self, li: Any, ctx: Ctx, list_tag: str, num_id: int) -> None:
        if li.tag != "li":
            raise self.unknown(li, f"<{list_tag}>")
        level = ctx.list_level + 1
        base = self.style_for("li", frozenset(), ctx)
        name = base.word if level == 1 else f"{base.word} {min(level, 3)}"
        inner = replace(ctx, list_level=level)
        paragraph = self.list_paragraph(name, num_id, level)
        source = li
        segments: list[Segment] = []
        self.collect(li.text, Fmt(), segments)
        first_para = True
        for child in li:
            if not isinstance(child.tag, str):
                self.collect(child.tail, Fmt(), segments)
                continue
            if child.tag in ("ul", "ol"):
                self.add_runs(paragraph, segments)
                self.anchor(paragraph, source)
                segments = []
                nested = self.list_num(child.tag)
                for item in child:
                    if isinstance(item.tag, str):
                        self.list_item(item, inner.within(child.tag), child.tag, nested)
                paragraph = self.continuation(name, level)
                source = child  # the text after a nested list has no source of its own
            elif child.tag == "p":
                if not first_para:
                    self.add_runs(paragraph, segments)
                    self.anchor(paragraph, source)
                    segments = []
                    paragraph = self.continuation(name, level)
                    source = child
                first_para = False
                self.inline(child, Fmt(), segments, include_tail=False, root=True)
            elif child.tag in LIST_BLOCKS:
                # A quote, code block, heading, rule, table or figure inside an item:
                # written as its own block after the item's text, then the item goes on.
                self.add_runs(paragraph, segments)
                segments = []
                if not _drop_if_empty(paragraph):
                    self.anchor(paragraph, source)
                self.block(child, inner.within("li"))
                paragraph = self.paragraph(name)
                first_para = True
            else:
                self.inline(child, Fmt(), segments, include_tail=False)
            self.collect(child.tail, Fmt(), segments)
        self.add_runs(paragraph, segments)
        if _drop_if_empty(paragraph):
            return
        self.anchor(paragraph, source)
        self.changed(paragraph._p, li)

    def continuation(self, name: str, level: int) -> Any:
        """A further paragraph of a list item: indented like the item, without a mark."""
        paragraph = self.paragraph(name)
        numbering.set_num(paragraph._p.get_or_add_pPr(), 0, None)
        indent = numbering.LIST_INDENT * min(level, numbering.MAX_LIST_LEVEL)
        paragraph.paragraph_format.left_indent = indent
        paragraph.paragraph_format.first_line_indent = 0
        return paragraph

    # -- tables -------------------------------------------------------------------------
    def table(self, el: Any, ctx: Ctx) -> None:
        write_table(self, el, ctx)

    def separate_tables(self) -> None:
        """Word joins two tables that touch into one: put an empty paragraph between."""
        body = self.document.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
        if last.tag == qn("w:tbl"):
            self.paragraph("Normal")

    def table_ended(self) -> None:
        """The next paragraph keeps the stylesheet's space below a table."""
        self.after_table = True

    def figure(self, el: Any, ctx: Ctx) -> None:
        """A picture in its own centred paragraph, then its caption (a SEQ field)."""
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "img":
                paragraph = self.paragraph(self.style_for("figure", frozenset(), ctx).word)
                self.picture(paragraph, Path(self.image_path(child.get("src") or "")), child)
            elif child.tag == "figcaption":
                style = self.style_for("figcaption", classes_of(child), ctx)
                caption = self.paragraph(style.word)
                self.fill(caption, child)
                if el.get("id"):  # the target of the figure's entry in the list of figures
                    self.bookmark(caption, el.get("id"))
            else:
                raise self.unknown(child, "<figure>")

    def rule(self) -> None:
        paragraph = self.paragraph("Normal")
        borders = ooxml.element("w:pBdr")
        borders.append(ooxml.element("w:bottom", val="single", sz="6", space="1", color="auto"))
        paragraph._p.get_or_add_pPr().append(borders)

    def rule_below(self) -> None:
        """A rule under the last paragraph written (the letterhead's, 1.5 pt as in the PDF)."""
        paragraphs = self.document.element.body.findall(W["p"])
        if not paragraphs:
            return
        p_pr = paragraphs[-1].get_or_add_pPr()
        borders = ooxml.element("w:pBdr")
        borders.append(ooxml.element("w:bottom", val="single", sz="12", space="4", color="000000"))
        p_pr.append(borders)
        ooxml.reorder_ppr(p_pr)

    # -- the table of contents ------------------------------------------------------------
    def toc(self, nav: Any, ctx: Ctx) -> None:
        """A TOC field (contents, or a list of tables or figures with ``\\c``) whose
        result is already the entries, each with its page number when it is known."""
        instruction = nav.get("data-field") or 'TOC \\o "1-3" \\h \\z \\u'
        entries = [p for p in nav if isinstance(p.tag, str)]
        paragraphs = []
        for entry in entries:
            if entry.tag != "p":
                raise self.unknown(entry, '<nav class="toc">')
            style = self.style_for("p", classes_of(entry), ctx)
            paragraph = self.paragraph(style.word)
            paragraphs.append(paragraph)
            if not paragraphs[1:]:
                ooxml.field_begin(paragraph, instruction)
            self.fill(paragraph, entry)
            link = entry.find("a")
            target = (link.get("href") or "")[1:] if link is not None else ""
            page = self.page_labels.get(target)
            if page is not None:
                self.run(paragraph, "\t" + page, Fmt())
        if paragraphs:
            ooxml.field_end(paragraphs[-1])

    # -- page kinds and Word sections ---------------------------------------------------
    def start_page(self, kind: str) -> None:
        if kind == self.page_kind:
            return
        first = self.page_kind is None
        if not first:
            self.document.add_section(WD_SECTION.NEW_PAGE)
            self.section_start = True
        self.page_kind = kind
        section = self.document.sections[-1]
        landscape = kind == "landscape"
        short, long_ = sorted((section.page_width, section.page_height))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
        if kind == "cover":
            section.header.is_linked_to_previous = False
            section.footer.is_linked_to_previous = False
            ooxml.page_number_format(section, "decimal", None)
        elif kind == "front":
            self.own_header_footer(section)
            ooxml.page_number_format(section, "lowerRoman", 1)
        elif kind == "body":
            if first:
                self.own_header_footer(section)
            ooxml.page_number_format(section, "decimal", 1)
        else:
            if first:
                self.own_header_footer(section)
            ooxml.page_number_format(section, "decimal", None)

    def own_header_footer(self, section: Any) -> None:
        """A header with the running title and a footer with the page number, centred
        by a tab stop so the draft line can stand at its left on the same line, as in
        the PDF.

        With a reference document its own header and footer are kept instead, if it
        has any.
        """
        if self.keep_page_setup and self.reference_header_footer:
            return
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        head = section.header.paragraphs[0]
        head._p.style = self.style_id("Header")
        if self.header_text:
            self.run(head, self.header_text, Fmt())
        foot = section.footer.paragraphs[0]
        foot._p.style = self.style_id("Footer")
        width = ooxml.text_width(section)
        foot.paragraph_format.tab_stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
        foot.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        self.run(foot, "\t", Fmt())
        ooxml.field_runs(foot, "PAGE", "1", self.word_lang)

    def finish(self) -> None:
        """Footers and stamps that go on every page, once all sections exist."""
        if self.page_kind is None:
            section = self.document.sections[0]
            if not section.footer.paragraphs[0].text:
                self.own_header_footer(section)
        if self.draft_mark or self.draft_line:
            for index, section in enumerate(self.document.sections):
                # A linked header shows its predecessor's, stamp included.
                if index > 0 and section.header.is_linked_to_previous:
                    continue
                section.header.is_linked_to_previous = False
                section.footer.is_linked_to_previous = False
                if self.draft_mark:
                    ooxml.watermark(section.header, self.draft_mark, index + 1)
                if self.draft_line:
                    self.draft_footer(section.footer)

    def draft_footer(self, footer: Any) -> None:
        """The draft line at the left of the footer's line (before the page number's
        tab); in a reference document's footer, a line of its own."""
        foot = footer.paragraphs[0]
        if self.keep_page_setup and self.reference_header_footer:
            foot = footer.add_paragraph()
        foot._p.style = self.style_id("Footer")
        run = self.run(foot, self.draft_line, Fmt())
        p_pr = foot._p.pPr
        if p_pr is not None:
            p_pr.addnext(run._r)
        else:
            foot._p.insert(0, run._r)

    # -- inline content -------------------------------------------------------------------
    def fill(self, paragraph: Any, el: Any, fmt: Fmt = Fmt(), preserve: bool = False) -> None:
        """The element's inline content as runs; its ``id`` a bookmark (a link target)."""
        segments: list[Segment] = []
        self.inline(el, fmt, segments, include_tail=False, root=True)
        self.add_runs(paragraph, segments, preserve)
        if el.get("id"):
            self.bookmark(paragraph, el.get("id"))

    def collect(self, text: str | None, fmt: Fmt, out: list[Segment]) -> None:
        if text:
            out.append(Segment(text, fmt))

    def inline(
        self, el: Any, fmt: Fmt, out: list[Segment], include_tail: bool = True, root: bool = False
    ) -> None:
        tag = el.tag
        outer = fmt
        if isinstance(tag, str) and not root:
            classes = classes_of(el)
            if tag == "span" and classes & {"chapnum", "secnum"}:
                self.number_heading(el)
                if "chapnum" in classes:
                    out.append(Segment("", fmt, kind="break"))
                if include_tail:
                    self.collect(el.tail, outer, out)
                return
            if tag == "span" and "annexnum" in classes:
                # "LAMPIRAN I" on a line of its own, as the stylesheet sets it.
                self.collect(el.text_content(), fmt, out)
                out.append(Segment("", fmt, kind="break"))
                if include_tail:
                    self.collect(el.tail, outer, out)
                return
            if tag == "span" and "capnum" in classes:
                label = el.get("data-label", "")
                chapter = el.get("data-chapter", "")
                prefix = f"{label} {chapter}." if chapter else f"{label} "
                seq = el.get("data-seq", "1")
                instruction = f"SEQ {label} \\* ARABIC"
                if chapter:
                    # Word restarts the count at each chapter (\s 1); LibreOffice does not,
                    # but it honours an explicit restart on a chapter's first caption.
                    instruction += " \\r 1 \\s 1" if seq == "1" else " \\s 1"
                out.append(Segment(prefix, fmt))
                out.append(Segment(seq, fmt, kind="seq", field=instruction))
                if include_tail:
                    self.collect(el.tail, outer, out)
                return
            if tag in ("strong", "b"):
                fmt = replace(fmt, bold=True)
            elif tag in ("em", "i", "cite"):
                fmt = replace(fmt, italic=True)
            elif tag == "u":
                fmt = replace(fmt, underline=True)
            elif tag in ("ins", "del") and el.get("data-author"):
                kind = "ins" if tag == "ins" else "del"
                fmt = replace(fmt, revision=(kind, el.get("data-author"), el.get("datetime", "")))
            elif tag in ("s", "del"):
                fmt = replace(fmt, strike=True)
            elif tag in ("code", "kbd", "samp"):
                fmt = replace(fmt, mono=True)
            elif tag == "sup":
                fmt = replace(fmt, superscript=True)
            elif tag == "sub":
                fmt = replace(fmt, subscript=True)
            elif tag == "a":
                fmt = replace(fmt, href=el.get("href"))
            elif tag == "span":
                style = word_style_for("span", classes, frozenset())
                if style is not None:
                    fmt = replace(fmt, char_style=style.word)
            elif tag == "br":
                out.append(Segment("", fmt, kind="break"))
            elif tag == "wbr":  # a place a line may break: Word's zero-width space
                out.append(Segment("\u200b", fmt))
            elif tag == "img":
                path = self.image_path(el.get("src") or "")
                out.append(Segment(path, fmt, kind="image", field=el.get("style") or ""))
            else:
                raise self.unknown(el, "a paragraph")
        if isinstance(tag, str):
            self.collect(el.text, fmt, out)
            for child in el:
                self.inline(child, fmt, out)
            if el.get("data-tab") == "after":
                out.append(Segment("", fmt, kind="tab"))
        if include_tail and not root:
            self.collect(el.tail, outer, out)

    def image_path(self, src: str) -> str:
        """The file of an image: a real PNG, JPEG or GIF inside the project (a template may
        name one the content's URL policy never saw)."""
        from plandocs.errors import PlandocsError
        from plandocs.safety.images import check_image
        from plandocs.safety.paths import resolve_inside
        from plandocs.safety.reader import read_bytes

        try:
            path = resolve_inside(self.root, self.root / src, "image", WriterError)
            check_image(read_bytes(path, "image"))
        except PlandocsError as exc:
            raise WriterError(f"image {src!r}: {exc.message}", self.source) from None
        except ValueError as exc:
            raise WriterError(f"image {src!r}: {exc}", self.source) from None
        return str(path)

    def picture(self, paragraph: Any, path: Path, img: Any = None, style: str = "") -> None:
        """An inline picture at the size its ``style`` gives (``height: 2.2cm``), else its
        natural size; never wider than the text."""
        from docx.image.image import Image

        sizes = {
            name: int(float(value) * _EMU[unit])
            for name, value, unit in _SIZE.findall(
                img.get("style") or "" if img is not None else style
            )
        }
        try:
            image = Image.from_file(str(path))
            width, height = sizes.get("width"), sizes.get("height")
            if width is None and height is None:
                width = image.width
            elif width is None and height is not None:
                width = int(height * image.px_width / image.px_height)
            limit = ooxml.text_width(self.document.sections[-1])
            assert width is not None
            if width > limit:
                width, height = limit, None
            run = self.run(paragraph, "", Fmt())
            if height is not None and sizes.get("width") is not None:
                run.add_picture(str(path), width=width, height=height)
            else:
                run.add_picture(str(path), width=width)
        except Exception:  # python-docx reads image headers itself, more strictly than Pillow
            raise WriterError(
                f"image {path.name!r}: Word cannot take this image; save it again as PNG",
                self.source,
            ) from None

    def number_heading(self, span: Any) -> None:
        """Heading numbers come from Word's numbering (set up at the first one seen);
        the heading's paragraph takes its number once it is written."""
        if self.headings is None:
            self.headings = numbering.HeadingNumbers(self.document, span.get("data-label", ""))
        kind = "chapter" if "chapnum" in classes_of(span) else "section"
        self.heading_number = (kind, span.text_content().strip())

    def number(self, paragraph: Any) -> None:
        """Give the paragraph just filled the heading number its text had."""
        if self.heading_number is None or self.headings is None:
            return
        kind, text = self.heading_number
        self.heading_number = None
        p_pr = paragraph._p.get_or_add_pPr()
        if kind == "chapter":
            self.headings.chapter(p_pr)
        else:
            self.headings.section(p_pr, text)

    def add_runs(self, paragraph: Any, segments: list[Segment], preserve: bool = False) -> None:
        """Add runs with HTML's white-space rules: runs of space collapse, ends are trimmed."""
        pieces: list[list[Any]] = []
        after_space = True
        for seg in segments:
            if seg.kind != "text":
                pieces.append([seg.text, seg.fmt, seg.kind, seg.field])
                after_space = seg.kind in ("break", "tab")
                continue
            text = seg.text if preserve else _SPACE.sub(" ", seg.text)
            if not preserve and after_space:
                text = text.lstrip(" ")
            if text:
                pieces.append([text, seg.fmt, "text", ""])
                after_space = text.endswith(" ")
        if not preserve:
            for piece in reversed(pieces):
                if piece[2] != "text":
                    break
                piece[0] = piece[0].rstrip(" ")
                if piece[0]:
                    break
        for text, fmt, kind, instruction in pieces:
            if kind == "image":
                self.picture(paragraph, Path(text), style=instruction)
            elif kind == "break":
                self.run(paragraph, "", fmt).add_break()
            elif kind == "tab":
                self.run(paragraph, "\t", fmt)
            elif kind == "seq":
                ooxml.field_runs(paragraph, instruction, text, self.word_lang)
            elif text:
                self.run(paragraph, text, fmt)

    def run(self, paragraph: Any, text: str, fmt: Fmt) -> Any:
        """A run written as XML directly (python-docx's property setters search the
        run's properties for every attribute they set), in the document's language."""
        parent = paragraph._p
        if fmt.href:
            parent = self.hyperlink(paragraph, fmt.href)
            if not fmt.href.startswith("#"):
                fmt = replace(fmt, underline=True)
        if fmt.revision:
            kind, author, date = fmt.revision
            self.bookmarks += 1
            parent = revisions.revision(parent, kind, self.bookmarks, author, date)
        r = SubElement(parent, W["r"])
        r_pr = SubElement(r, W["rPr"])
        # Children in the schema's order.
        if fmt.char_style:
            SubElement(r_pr, W["rStyle"]).set(W["val"], self.style_id(fmt.char_style))
        if fmt.mono:
            fonts = SubElement(r_pr, W["rFonts"])
            fonts.set(W["ascii"], "Courier New")
            fonts.set(W["hAnsi"], "Courier New")
        if fmt.bold:
            SubElement(r_pr, W["b"])
        if fmt.italic:
            SubElement(r_pr, W["i"])
        if fmt.strike:
            SubElement(r_pr, W["strike"])
        if fmt.underline:
            SubElement(r_pr, W["u"]).set(W["val"], "single")
        if fmt.superscript or fmt.subscript:
            align = "superscript" if fmt.superscript else "subscript"
            SubElement(r_pr, W["vertAlign"]).set(W["val"], align)
        lang = SubElement(r_pr, W["lang"])
        lang.set(W["val"], self.word_lang)
        lang.set(W["bidi"], self.word_lang)
        for index, piece in enumerate(text.split("\t")):
            if index:
                SubElement(r, W["tab"])
            if piece:
                deleted = fmt.revision is not None and fmt.revision[0] == "del"
                t = SubElement(r, W["delText"] if deleted else W["t"])
                t.text = piece
                if piece != piece.strip():
                    t.set(XML_SPACE, "preserve")
        return Run(r, paragraph)

    def hyperlink(self, paragraph: Any, href: str) -> Any:
        link = SubElement(paragraph._p, W["hyperlink"])
        if href.startswith("#"):
            link.set(W["anchor"], href[1:])
        else:
            rel = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            link.set(qn("r:id"), rel)
        return link

    def unknown(self, el: Any, where: str) -> WriterError:
        text = _SPACE.sub(" ", el.text_content() if hasattr(el, "text_content") else "").strip()
        near = f" (near “{text[:40]}”)" if text else ""
        return WriterError(
            f"<{el.tag}> inside {where}{near} has no Word mapping; remove it from the template "
            "or content, or map it in plandocs.writers.docx",
            self.source,
        )
