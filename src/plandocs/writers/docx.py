"""DOCX with python-docx, built from the same HTML tree as the PDF.

Every block element is mapped onto a named Word style taken from the style source
(:mod:`plandocs.styles`), so an editor gets a normal Word document: Title,
Heading 1…, Normal, List Bullet, Quote, tables with repeating header rows. An
element the mapping does not know is an error that names it, never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from plandocs.errors import WriterError
from plandocs.render import RenderedDocument
from plandocs.styles import STYLES, Style, size_pt, word_style_for
from plandocs.writers.base import Writer

CONTAINERS = frozenset(
    {"body", "div", "section", "article", "header", "footer", "main", "nav", "aside"}
)
PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
SKIPPED = frozenset({"script", "style", "template"})
_SPACE = re.compile(r"[ \t\r\n\f]+")
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
    """Where a block element stands: the tags and container classes around it."""

    inside: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    list_level: int = 0

    def within(self, tag: str, classes: frozenset[str] = frozenset()) -> Ctx:
        return replace(self, inside=self.inside | {tag}, classes=self.classes | classes)


@dataclass
class Segment:
    text: str
    fmt: Fmt
    is_break: bool = False


@dataclass
class _Converter:
    document: Any
    word_lang: str
    source: Path
    segments: list[Segment] = field(default_factory=list)

    # -- blocks ---------------------------------------------------------------
    def blocks(self, element: Any, ctx: Ctx) -> None:
        for child in element:
            self.block(child, ctx)

    def block(self, el: Any, ctx: Ctx) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            return
        classes = frozenset((el.get("class") or "").split())
        if tag in CONTAINERS:
            self.loose_text(el, ctx)
            self.blocks(el, ctx.within(tag, classes))
        elif tag in PARAGRAPHS:
            style = self.style_for(tag, classes | ctx.classes, ctx)
            paragraph = self.document.add_paragraph(style=style.word)
            self.fill(paragraph, el)
        elif tag == "blockquote":
            self.loose_text(el, ctx.within(tag))
            self.blocks(el, ctx.within(tag, classes))
        elif tag in ("ul", "ol"):
            for item in el:
                if isinstance(item.tag, str):
                    self.list_item(item, ctx.within(tag), tag)
        elif tag == "table":
            self.table(el, ctx)
        elif tag == "hr":
            self.rule()
        elif tag == "pre":
            paragraph = self.document.add_paragraph(style="Normal")
            self.fill(paragraph, el, Fmt(mono=True), preserve=True)
        else:
            raise self.unknown(el, "block")

    def style_for(self, tag: str, classes: frozenset[str], ctx: Ctx) -> Style:
        style = word_style_for(tag, classes, ctx.inside)
        if style is None:
            raise WriterError(f"<{tag}> has no Word style in plandocs.styles; add one there")
        return style

    def loose_text(self, el: Any, ctx: Ctx) -> None:
        """Text standing directly in a container becomes a Normal paragraph of its own."""
        if el.text and el.text.strip():
            paragraph = self.document.add_paragraph(style="Normal")
            self.add_runs(paragraph, [Segment(el.text, Fmt())])

    def list_item(self, li: Any, ctx: Ctx, list_tag: str) -> None:
        if li.tag != "li":
            raise self.unknown(li, f"<{list_tag}>")
        level = ctx.list_level + 1
        base = self.style_for("li", frozenset(), ctx)
        name = base.word if level == 1 else f"{base.word} {min(level, 3)}"
        inner = replace(ctx, list_level=level)
        paragraph = self.document.add_paragraph(style=name)
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
                paragraph = self.document.add_paragraph(style=name)
            elif child.tag == "p":
                if not first_para:
                    self.add_runs(paragraph, segments)
                    segments = []
                    paragraph = self.document.add_paragraph(style=name)
                first_para = False
                self.inline(child, Fmt(), segments, include_tail=False, root=True)
            else:
                self.inline(child, Fmt(), segments, include_tail=False)
            self.collect(child.tail, Fmt(), segments)
        if segments or not paragraph.runs:
            self.add_runs(paragraph, segments)
        if not paragraph.runs and not paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)

    def table(self, el: Any, ctx: Ctx) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        rows: list[tuple[Any, bool]] = []
        for part in el:
            if not isinstance(part.tag, str):
                continue
            if part.tag in ("thead", "tbody", "tfoot"):
                rows.extend((tr, part.tag == "thead") for tr in part if isinstance(tr.tag, str))
            elif part.tag == "tr":
                rows.append((part, False))
            elif part.tag == "caption":
                paragraph = self.document.add_paragraph(style="Caption")
                self.fill(paragraph, part)
            else:
                raise self.unknown(part, "<table>")
        if not rows:
            return
        width = max(
            sum(int(c.get("colspan", "1")) for c in tr if isinstance(c.tag, str)) for tr, _ in rows
        )
        table = self.document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for tr, in_head in rows:
            cells = table.add_row().cells
            header = in_head or all(c.tag == "th" for c in tr if isinstance(c.tag, str))
            if header:
                tr_pr = cells[0]._tc.getparent().get_or_add_trPr()
                mark = OxmlElement("w:tblHeader")
                mark.set(qn("w:val"), "true")
                tr_pr.append(mark)
            column = 0
            for cell_el in tr:
                if not isinstance(cell_el.tag, str):
                    continue
                if cell_el.tag not in ("td", "th"):
                    raise self.unknown(cell_el, "<tr>")
                span = int(cell_el.get("colspan", "1"))
                cell = cells[column]
                if span > 1:
                    cell = cell.merge(cells[column + span - 1])
                paragraph = cell.paragraphs[0]
                align = _ALIGN.search(cell_el.get("style") or "")
                if align:
                    paragraph.alignment = _alignment(align.group(1))
                elif cell_el.tag == "th":
                    paragraph.alignment = _alignment("center")
                self.fill(paragraph, cell_el, Fmt(bold=cell_el.tag == "th"))
                column += span

    def rule(self) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self.document.add_paragraph(style="Normal")
        p_pr = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
            bottom.set(qn(f"w:{key}"), value)
        borders.append(bottom)
        p_pr.append(borders)

    # -- inline content --------------------------------------------------------
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
            classes = frozenset((el.get("class") or "").split())
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
                out.append(Segment("", fmt, is_break=True))
            else:
                raise self.unknown(el, "a paragraph")
        if isinstance(tag, str):
            self.collect(el.text, fmt, out)
            for child in el:
                self.inline(child, fmt, out)
        if include_tail and not root:
            self.collect(el.tail, outer, out)

    def add_runs(self, paragraph: Any, segments: list[Segment], preserve: bool = False) -> None:
        """Add runs with HTML's white-space rules: runs of space collapse, ends are trimmed."""
        pieces: list[list[Any]] = []
        after_space = True
        for seg in segments:
            if seg.is_break:
                if pieces and not preserve:
                    pieces[-1][0] = pieces[-1][0].rstrip(" ")
                pieces.append(["", seg.fmt, True])
                after_space = True
                continue
            text = seg.text if preserve else _SPACE.sub(" ", seg.text)
            if not preserve and after_space:
                text = text.lstrip(" ")
            if text:
                pieces.append([text, seg.fmt, False])
                after_space = text.endswith(" ")
        if pieces and not preserve:
            pieces[-1][0] = pieces[-1][0].rstrip(" ")
        for text, fmt, is_break in pieces:
            run = self.run(paragraph, text, fmt)
            if is_break:
                run.add_break()

    def run(self, paragraph: Any, text: str, fmt: Fmt) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if fmt.href:
            run = self.hyperlink(paragraph, text, fmt.href)
        else:
            run = paragraph.add_run(text, style=fmt.char_style)
        if fmt.bold:
            run.bold = True
        if fmt.italic:
            run.italic = True
        if fmt.underline:
            run.underline = True
        if fmt.strike:
            run.font.strike = True
        if fmt.mono:
            run.font.name = "Courier New"
        if fmt.superscript:
            run.font.superscript = True
        if fmt.subscript:
            run.font.subscript = True
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), self.word_lang)
        run._r.get_or_add_rPr().append(lang)
        return run

    def hyperlink(self, paragraph: Any, text: str, href: str) -> Any:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.text.run import Run

        link = OxmlElement("w:hyperlink")
        if href.startswith("#"):
            link.set(qn("w:anchor"), href[1:])
        else:
            rel = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            link.set(qn("r:id"), rel)
        paragraph._p.append(link)
        r = OxmlElement("w:r")
        link.append(r)
        run = Run(r, paragraph)
        run.text = text
        run.underline = True
        return run

    def unknown(self, el: Any, where: str) -> WriterError:
        line = getattr(el, "sourceline", None)
        at = f" (line {line} of the rendered HTML)" if line else ""
        return WriterError(
            f"<{el.tag}> inside {where} has no Word mapping{at}; "
            "remove it from the template or content, or map it in plandocs.writers.docx",
            self.source,
        )


def _alignment(name: str) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[name]


def _set_fonts(r_pr: Any, name: str) -> None:
    """Set all four font slots and drop theme fonts, which Word would prefer."""
    from docx.oxml.ns import qn

    fonts = r_pr.get_or_add_rFonts()
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), name)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme}") or "Theme" in attr:
            del fonts.attrib[attr]


def _set_lang(r_pr: Any, word_lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang")
    for slot in ("val", "bidi"):
        lang.set(qn(f"w:{slot}"), word_lang)
    r_pr.append(lang)


def apply_styles(document: Any, settings: Any, word_lang: str) -> None:
    """Make the document's styles those of the style source, with the document's language."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(r_pr, settings.fonts.body)
    _set_lang(r_pr, word_lang)

    base = settings.fonts.size_pt
    for spec in STYLES:
        kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
        try:
            style = document.styles[spec.word]
        except KeyError:
            style = document.styles.add_style(spec.word, kind)
            if kind == WD_STYLE_TYPE.PARAGRAPH:
                style.base_style = document.styles["Normal"]
        style.hidden = False
        style.quick_style = True
        font = style.font
        font.size = Pt(size_pt(spec, base))
        font.bold = spec.bold
        font.italic = spec.italic
        font.all_caps = spec.upper or None
        font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element.get_or_add_rPr(), settings.fonts.body)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            fmt = style.paragraph_format
            if spec.align:
                fmt.alignment = _alignment(spec.align)
            fmt.space_before = Pt(spec.space_before or 0)
            fmt.space_after = Pt(spec.space_after or 0)
            fmt.left_indent = Cm(spec.indent_cm) if spec.indent_cm else None
            fmt.keep_with_next = spec.keep_with_next or None
            p_pr = style.element.pPr
            border = p_pr.find(qn("w:pBdr")) if p_pr is not None else None
            if border is not None:  # the default template's Title has a rule under it
                p_pr.remove(border)


def setup_page(section: Any, settings: Any) -> None:
    """Paper size, margins and a centred page number in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm

    width, height = settings.page.size_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    margins = settings.page.margins_cm
    section.top_margin = Cm(margins.top)
    section.bottom_margin = Cm(margins.bottom)
    section.left_margin = Cm(margins.left)
    section.right_margin = Cm(margins.right)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(footer, "PAGE", "1")


def add_field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (PAGE, TOC …) with the text it shows before fields are updated."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    begin, sep, end = paragraph.add_run(), paragraph.add_run(), paragraph.add_run()
    begin._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    begin._r.append(instr)
    sep._r.append(char("separate"))
    paragraph.add_run(shown)
    end._r.append(char("end"))
    paragraph._p.append(end._r)


class DocxWriter(Writer):
    name = "docx"
    suffix = ".docx"

    def write_to(self, doc: RenderedDocument, path: Path) -> None:
        import docx
        from lxml import html as lxml_html

        tree = lxml_html.document_fromstring(doc.html)
        document = docx.Document()
        word_lang = _word_lang(doc.lang)
        apply_styles(document, self.settings, word_lang)
        # The default template's body holds one empty section paragraph only.
        setup_page(document.sections[0], self.settings)
        converter = _Converter(document, word_lang, source=doc.source)
        converter.block(tree.body, Ctx())
        props = document.core_properties
        props.title = doc.title
        props.language = word_lang
        props.author = doc.author
        props.last_modified_by = doc.author
        props.comments = ""
        props.revision = 1
        stamp = dt.datetime.combine(doc.date, dt.time(0, 0)) if doc.date else None
        if stamp is not None:
            props.created = stamp
            props.modified = stamp
        document.save(str(path))


def _word_lang(lang: str) -> str:
    from plandocs.i18n import WORD_LANGS

    return WORD_LANGS[lang]
