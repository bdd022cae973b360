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

from dataclasses import replace
from pathlib import Path
from typing import Any

import plandocs.writers.docx.numbering as numbering
import plandocs.writers.docx.ooxml as ooxml
from plandocs.render.styles import BLOCK_SPACE
from plandocs.writers.docx.body import WHITESPACE, Ctx, W, classes_of, keep_with_next
from plandocs.writers.docx.inline import Fmt, Segment
from plandocs.writers.docx.sections import Sections
from plandocs.writers.docx.tables import write_table

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


def _capitals(paragraph: Any) -> None:
    """Write a heading the style shows in capitals in capitals: a contents list Word or
    LibreOffice makes again copies the heading's text, not its style's caps (the PDF's
    contents, laid out from the same HTML, show them in capitals)."""
    for text in paragraph._p.iter(W["t"]):
        if text.text:
            text.text = text.text.upper()


def _drop_if_empty(paragraph: Any) -> bool:
    """Remove a list paragraph that got neither text nor a picture; say if it was."""
    if not paragraph.text and not paragraph._p.xpath(".//w:drawing"):
        paragraph._p.getparent().remove(paragraph._p)
        return True
    return False


class Converter(Sections):
    """The walk over the HTML tree: each block element onto Word paragraphs, lists,
    tables, figures and the table of contents."""

    def blocks(self, element: Any, ctx: Ctx) -> None:
        for child in element:
            self.block(child, ctx)

    def block(self, el: Any, ctx: Ctx) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            return
        classes = classes_of(el)
        if tag == "div" and "running-header" in classes:
            self.header_text = WHITESPACE.sub(" ", el.text_content()).strip()
        elif tag == "div" and "draft-mark" in classes:
            self.draft_mark = WHITESPACE.sub(" ", el.text_content()).strip()
        elif tag == "div" and "draft-line" in classes:
            self.draft_line = WHITESPACE.sub(" ", el.text_content()).strip()
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
            if style.upper and style.outline is not None:
                _capitals(paragraph)
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

    def table(self, el: Any, ctx: Ctx) -> None:
        write_table(self, el, ctx)

    def figure(self, el: Any, ctx: Ctx) -> None:
        """A picture in its own centred paragraph, then its caption (a SEQ field). A
        chart (``data-chart``) is a native Word chart in place of its drawing, then its
        data table, kept whole on the page of the caption after it (as the PDF keeps the
        figure whole: Word keeps a table with the next paragraph when all its paragraphs
        keep with the next; the chart's paragraph keeps with the table by its style)."""
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "svg" and el.get("data-chart") is not None:
                self.chart(el.get("data-chart"), ctx)
            elif child.tag == "table" and el.get("data-chart") is not None:
                table = write_table(self, child, ctx)
                following = child.getnext()
                if table is not None and following is not None and following.tag == "figcaption":
                    keep_with_next(table.iter(W["p"]))
            elif child.tag == "img":
                paragraph = self.paragraph(self.style_for("figure", frozenset(), ctx).word)
                self.picture(paragraph, Path(self.image_path(child.get("src") or "")), child)
            elif child.tag == "figcaption":
                style = self.style_for("figcaption", classes_of(child), ctx)
                caption = self.paragraph(style.word)
                self.fill(caption, child)
                self.anchor(caption, child)
                if el.get("id"):  # the target of the figure's entry in the list of figures
                    self.bookmark(caption, el.get("id"))
            else:
                raise self.unknown(child, "<figure>")

    def chart(self, data: str, ctx: Ctx) -> None:
        """A chart part with its workbook (:mod:`plandocs.writers.docx.charts`)."""
        from plandocs.errors import WriterError
        from plandocs.render.charts import ChartError, from_json
        from plandocs.writers.docx.charts import add_chart

        try:
            chart = from_json(data)
        except ChartError as exc:
            raise WriterError(f"a chart cannot be written: {exc}", self.source) from None
        paragraph = self.paragraph(self.style_for("figure", frozenset(), ctx).word)
        fonts = (self.settings.fonts.body, *self.settings.fonts.fallback)
        add_chart(self, paragraph, chart, self.word_lang, fonts)

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

    def toc(self, nav: Any, ctx: Ctx) -> None:
        """A TOC field (contents, or a list of tables or figures with ``\\c``) whose
        result is already the entries, each with its page number when it is known."""
        entries = [p for p in nav if isinstance(p.tag, str)]
        levels = [
            int(c[3:]) for p in entries for c in classes_of(p) if c[:3] == "toc" and c[3:].isdigit()
        ]
        instruction = nav.get("data-field") or f'TOC \\o "1-{max(levels, default=3)}" \\h \\z \\u'
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


__all__ = ["Converter"]
