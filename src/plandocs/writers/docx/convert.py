"""The HTML tree → Word body: blocks onto named styles, inline elements onto runs.

Besides plain prose it understands the structure the templates mark up:

* ``<section data-page="cover|front|body|landscape">`` — a page kind; a change of
  kind starts a Word section with its own page numbering and orientation;
* ``<div class="running-header">`` — the text of the page header;
* ``<nav class="toc">`` — a table of contents, written as a Word TOC field that
  already shows its entries (and their page numbers, when the PDF was laid out);
* ``span.chapnum`` / ``span.secnum`` — heading numbers, which Word generates itself
  from the heading styles' multilevel numbering;
* ``span.capnum`` — a caption number, written as a ``SEQ`` field Word recognizes.

An element it does not know is an error that names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml.etree import SubElement

from plandocs.errors import WriterError
from plandocs.styles import Style, word_style_for
from plandocs.writers.docx import ooxml

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
        "trPr", "tblHeader", "gridSpan", "vMerge", "p", "pPr", "pStyle", "jc",
    )
}  # fmt: skip
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ALIGN = re.compile(r"text-align:\s*(left|right|center|justify)")


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
    """``text``, ``break``, or ``seq`` (a caption number field: text is the shown number)."""
    field: str = ""


def _cell(
    row: Any, span: int, merge: str | None, style_id: str | None = None, align: str | None = None
) -> Any:
    """A ``w:tc`` with one paragraph, spanning ``span`` grid columns, optionally
    vertically merged; its paragraph styled and aligned."""
    tc = SubElement(row, W["tc"])
    tc_pr = SubElement(tc, W["tcPr"])
    if span > 1:
        SubElement(tc_pr, W["gridSpan"]).set(W["val"], str(span))
    if merge == "restart":
        SubElement(tc_pr, W["vMerge"]).set(W["val"], "restart")
    elif merge == "continue":
        SubElement(tc_pr, W["vMerge"])
    p = SubElement(tc, W["p"])
    if style_id or align:
        p_pr = SubElement(p, W["pPr"])
        if style_id:
            SubElement(p_pr, W["pStyle"]).set(W["val"], style_id)
        if align:
            SubElement(p_pr, W["jc"]).set(W["val"], "both" if align == "justify" else align)
    return tc


def _drop_if_empty(paragraph: Any) -> None:
    """Remove a list paragraph that got neither text nor a picture."""
    if not paragraph.text and not paragraph._p.xpath(".//w:drawing"):
        paragraph._p.getparent().remove(paragraph._p)


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
    page_kind: str | None = None
    header_text: str = ""
    draft_mark: str = ""
    draft_line: str = ""
    section_start: bool = False
    numbered: bool = False
    bookmarks: int = 0
    style_ids: dict[str, str] = field(default_factory=dict)

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
            self.loose_text(el)
            self.blocks(el, ctx.within(tag, classes))
        elif tag in PARAGRAPHS:
            style = self.style_for(tag, classes | ctx.classes, ctx)
            paragraph = self.paragraph(style.word)
            self.fill(paragraph, el)
            if el.get("id"):
                self.bookmark(paragraph, el.get("id"))
        elif tag == "blockquote":
            self.loose_text(el)
            self.blocks(el, ctx.within(tag, classes))
        elif tag in ("ul", "ol"):
            for item in el:
                if isinstance(item.tag, str):
                    self.list_item(item, ctx.within(tag, classes), tag)
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
        if self.section_start:
            # The section break already starts a new page; a page break before the
            # first paragraph would leave an empty page.
            paragraph.paragraph_format.page_break_before = False
            self.section_start = False
        return paragraph

    def style_id(self, name: str) -> str:
        """A style's id by its name. python-docx looks names up by scanning every style
        each time, which dominated the writer's time; one lookup per name is enough."""
        found = self.style_ids.get(name)
        if found is None:
            found = self.style_ids[name] = self.document.styles[name].style_id
        return found

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
                f"<{tag}> has no Word style in plandocs.styles; add one there", self.source
            )
        return style

    def loose_text(self, el: Any) -> None:
        """Text standing directly in a container becomes a Normal paragraph of its own."""
        if el.text and el.text.strip():
            self.add_runs(self.paragraph("Normal"), [Segment(el.text, Fmt())])

    def bookmark(self, paragraph: Any, name: str) -> None:
        self.bookmarks += 1
        ooxml.bookmark(paragraph, name, self.bookmarks)

    def list_item(self, li: Any, ctx: Ctx, list_tag: str) -> None:
        if li.tag != "li":
            raise self.unknown(li, f"<{list_tag}>")
        level = ctx.list_level + 1
        base = self.style_for("li", frozenset(), ctx)
        name = base.word if level == 1 else f"{base.word} {min(level, 3)}"
        inner = replace(ctx, list_level=level)
        paragraph = self.paragraph(name)
        segments: list[Segment] = []
        self.collect(li.text, Fmt(), segments)
        first_para = True
        for child in li:
            if not isinstance(child.tag, str):
                self.collect(child.tail, Fmt(), segments)
                continue
            if child.tag in ("ul", "ol"):
                self.add_runs(paragraph, segments)
                segments = []
                for item in child:
                    if isinstance(item.tag, str):
                        self.list_item(item, inner.within(child.tag), child.tag)
                paragraph = self.paragraph(name)
            elif child.tag == "p":
                if not first_para:
                    self.add_runs(paragraph, segments)
                    segments = []
                    paragraph = self.paragraph(name)
                first_para = False
                self.inline(child, Fmt(), segments, include_tail=False, root=True)
            elif child.tag in LIST_BLOCKS:
                # A quote, code block, heading, rule, table or figure inside an item:
                # written as its own block after the item's text, then the item goes on.
                self.add_runs(paragraph, segments)
                segments = []
                _drop_if_empty(paragraph)
                self.block(child, inner.within("li"))
                paragraph = self.paragraph(name)
                first_para = True
            else:
                self.inline(child, Fmt(), segments, include_tail=False)
            self.collect(child.tail, Fmt(), segments)
        self.add_runs(paragraph, segments)
        _drop_if_empty(paragraph)

    # -- tables -------------------------------------------------------------------------
    def table(self, el: Any, ctx: Ctx) -> None:
        rows: list[tuple[Any, bool]] = []
        for part in el:
            if not isinstance(part.tag, str):
                continue
            if part.tag in ("thead", "tbody", "tfoot"):
                rows.extend((tr, part.tag == "thead") for tr in part if isinstance(tr.tag, str))
            elif part.tag == "tr":
                rows.append((part, False))
            elif part.tag == "caption":
                style = self.style_for("caption", classes_of(part), ctx)
                self.fill(self.paragraph(style.word), part)
            elif part.tag == "colgroup":
                continue
            else:
                raise self.unknown(part, "<table>")
        if not rows:
            return
        # Lay the cells out on a grid first: row and column spans decide where each goes.
        grid: list[dict[int, tuple[Any, int, int] | None]] = [{} for _ in rows]
        width = 0
        for r, (tr, _) in enumerate(rows):
            c = 0
            for cell_el in tr:
                if not isinstance(cell_el.tag, str):
                    continue
                if cell_el.tag not in ("td", "th"):
                    raise self.unknown(cell_el, "<tr>")
                while c in grid[r]:
                    c += 1
                rs = min(max(1, int(cell_el.get("rowspan", "1"))), len(rows) - r)
                cs = max(1, int(cell_el.get("colspan", "1")))
                grid[r][c] = (cell_el, rs, cs)
                for dr in range(1, rs):
                    grid[r + dr][c] = None  # continued from above (vertical merge)
                    for dc in range(1, cs):
                        grid[r + dr].setdefault(c + dc, None)
                for dc in range(1, cs):
                    grid[r].setdefault(c + dc, None)
                c += cs
                width = max(width, c)
        width = max([width, *(max(row, default=-1) + 1 for row in grid)])
        # The rows are written as WordprocessingML directly: python-docx's cell and
        # merge objects cost seconds on a 200-row matrix.
        table = self.document.add_table(rows=0, cols=width)
        tbl = table._tbl
        tbl.tblPr.append(ooxml.element("w:tblStyle", val=self.style_id("Table Grid")))
        ooxml.reorder(tbl.tblPr, ooxml.TBLPR_ORDER)
        for r, (tr, in_head) in enumerate(rows):
            row = SubElement(tbl, W["tr"])
            header = in_head or all(c.tag == "th" for c in tr if isinstance(c.tag, str))
            if header:
                SubElement(SubElement(row, W["trPr"]), W["tblHeader"])
            c = 0
            while c < width:
                if c not in grid[r]:  # a short row: pad it
                    _cell(row, 1, None)
                    c += 1
                    continue
                entry = grid[r][c]
                if entry is None:  # below a cell that spans rows
                    above = next(grid[k][c] for k in range(r - 1, -1, -1) if grid[k].get(c))
                    assert above is not None
                    span = above[2]
                    _cell(row, span, "continue")
                    c += span
                    continue
                cell_el, rs, cs = entry
                style = self.style_for(cell_el.tag, classes_of(cell_el), ctx)
                align = _ALIGN.search(cell_el.get("style") or "")
                tc = _cell(
                    row,
                    cs,
                    "restart" if rs > 1 else None,
                    self.style_id(style.word),
                    align.group(1) if align else None,
                )
                self.fill(Paragraph(tc[-1], table), cell_el)
                c += cs

    def figure(self, el: Any, ctx: Ctx) -> None:
        """A picture in its own centred paragraph, then its caption (a SEQ field)."""
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "img":
                paragraph = self.paragraph(self.style_for("figure", frozenset(), ctx).word)
                self.picture(paragraph, Path(self.image_path(child.get("src") or "")))
            elif child.tag == "figcaption":
                style = self.style_for("figcaption", classes_of(child), ctx)
                self.fill(self.paragraph(style.word), child)
            else:
                raise self.unknown(child, "<figure>")

    def rule(self) -> None:
        paragraph = self.paragraph("Normal")
        borders = ooxml.element("w:pBdr")
        borders.append(ooxml.element("w:bottom", val="single", sz="6", space="1", color="auto"))
        paragraph._p.get_or_add_pPr().append(borders)

    # -- the table of contents ------------------------------------------------------------
    def toc(self, nav: Any, ctx: Ctx) -> None:
        entries = [p for p in nav if isinstance(p.tag, str)]
        paragraphs = []
        for entry in entries:
            if entry.tag != "p":
                raise self.unknown(entry, '<nav class="toc">')
            style = self.style_for("p", classes_of(entry), ctx)
            paragraph = self.paragraph(style.word)
            paragraphs.append(paragraph)
            if not paragraphs[1:]:
                ooxml.field_begin(paragraph, 'TOC \\o "1-3" \\h \\z \\u')
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
        if not self.keep_page_setup:
            landscape = kind == "landscape"
            short, long_ = sorted((section.page_width, section.page_height))
            section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = (
                (long_, short) if landscape else (short, long_)
            )
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
        """A header with the running title and a footer with the page number.

        With a reference document its own header and footer are kept instead.
        """
        if self.keep_page_setup:
            return
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.header_text:
            self.run(head, self.header_text, Fmt(italic=True))
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ooxml.field_runs(foot, "PAGE", "1", self.word_lang)

    def finish(self) -> None:
        """Footers and stamps that go on every page, once all sections exist."""
        if self.page_kind is None:
            section = self.document.sections[0]
            if not section.footer.paragraphs[0].text and not self.keep_page_setup:
                foot = section.footer.paragraphs[0]
                foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
                ooxml.field_runs(foot, "PAGE", "1", self.word_lang)
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
                    line = section.footer.add_paragraph()
                    self.run(line, self.draft_line, Fmt())

    # -- inline content -------------------------------------------------------------------
    def fill(self, paragraph: Any, el: Any, fmt: Fmt = Fmt(), preserve: bool = False) -> None:
        segments: list[Segment] = []
        self.inline(el, fmt, segments, include_tail=False, root=True)
        self.add_runs(paragraph, segments, preserve)

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
            if tag == "span" and "capnum" in classes:
                label = el.get("data-label", "")
                chapter = el.get("data-chapter", "")
                prefix = f"{label} {chapter}." if chapter else f"{label} "
                out.append(Segment(prefix, fmt))
                out.append(
                    Segment(
                        el.get("data-seq", "1"),
                        fmt,
                        kind="seq",
                        field=f"SEQ {label} \\* ARABIC" + (" \\s 1" if chapter else ""),
                    )
                )
                if include_tail:
                    self.collect(el.tail, outer, out)
                return
            if tag in ("strong", "b"):
                fmt = replace(fmt, bold=True)
            elif tag in ("em", "i", "cite"):
                fmt = replace(fmt, italic=True)
            elif tag == "u":
                fmt = replace(fmt, underline=True)
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
            elif tag == "img":
                out.append(Segment(self.image_path(el.get("src") or ""), fmt, kind="image"))
            else:
                raise self.unknown(el, "a paragraph")
        if isinstance(tag, str):
            self.collect(el.text, fmt, out)
            for child in el:
                self.inline(child, fmt, out)
        if include_tail and not root:
            self.collect(el.tail, outer, out)

    def image_path(self, src: str) -> str:
        """The file of an image: a real PNG, JPEG or GIF inside the project (a template may
        name one the content's URL policy never saw)."""
        from plandocs.errors import PlandocsError
        from plandocs.inputs import read_bytes
        from plandocs.safety import check_image, resolve_inside

        try:
            path = resolve_inside(self.root, self.root / src, "image", WriterError)
            check_image(read_bytes(path, "image"))
        except PlandocsError as exc:
            raise WriterError(f"image {src!r}: {exc.message}", self.source) from None
        except ValueError as exc:
            raise WriterError(f"image {src!r}: {exc}", self.source) from None
        return str(path)

    def picture(self, paragraph: Any, path: Path) -> None:
        """An inline picture at its natural size, or the text width if it is wider."""
        from docx.image.image import Image

        try:
            width = min(
                Image.from_file(str(path)).width, ooxml.text_width(self.document.sections[-1])
            )
            self.run(paragraph, "", Fmt()).add_picture(str(path), width=width)
        except Exception:  # python-docx reads image headers itself, more strictly than Pillow
            raise WriterError(
                f"image {path.name!r}: Word cannot take this image; save it again as PNG",
                self.source,
            ) from None

    def number_heading(self, span: Any) -> None:
        """Heading numbers come from Word's numbering, set up at the first one seen."""
        if not self.numbered:
            label = span.get("data-label", "")
            ooxml.heading_numbering(self.document, label)
            self.numbered = True

    def add_runs(self, paragraph: Any, segments: list[Segment], preserve: bool = False) -> None:
        """Add runs with HTML's white-space rules: runs of space collapse, ends are trimmed."""
        pieces: list[list[Any]] = []
        after_space = True
        for seg in segments:
            if seg.kind != "text":
                pieces.append([seg.text, seg.fmt, seg.kind, seg.field])
                after_space = seg.kind == "break"
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
                self.picture(paragraph, Path(text))
            elif kind == "break":
                self.run(paragraph, "", fmt).add_break()
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
                t = SubElement(r, W["t"])
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
