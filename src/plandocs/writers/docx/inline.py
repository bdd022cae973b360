"""Inline HTML onto Word runs: character formatting, links, pictures, caption and
heading numbers, with HTML's white-space rules.

A paragraph's inline content is first collected as :class:`Segment` values (text with
its :class:`Fmt`, breaks, tabs, pictures, ``SEQ`` fields), then written as runs —
as WordprocessingML directly, since python-docx's property setters search a run's
properties for every attribute they set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.text.run import Run
from lxml.etree import SubElement

import plandocs.writers.docx.numbering as numbering
import plandocs.writers.docx.ooxml as ooxml
import plandocs.writers.docx.revisions as revisions
from plandocs.errors import WriterError
from plandocs.render.styles import word_style_for
from plandocs.writers.docx.body import WHITESPACE, XML_SPACE, Body, W, classes_of

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


@dataclass
class Segment:
    text: str
    fmt: Fmt
    kind: str = "text"
    """``text``, ``break``, ``tab``, ``image`` (text is its path, field its CSS size), or
    ``seq`` (a caption number field: text is the shown number)."""
    field: str = ""


class Inline(Body):
    """Inline content: a paragraph's runs, pictures and numbers."""

    def loose_text(self, el: Any) -> None:
        """Text standing directly in a container becomes a Normal paragraph of its own."""
        if el.text and el.text.strip():
            self.add_runs(self.paragraph("Normal"), [Segment(el.text, Fmt())])

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
            text = seg.text if preserve else WHITESPACE.sub(" ", seg.text)
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
