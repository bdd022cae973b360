"""Word numbering: heading numbers (``BAB I``, ``1.1``, ``1.1.1``) and the lists'
bullets and numbers, as definitions in the numbering part.

Heading numbers read the same in Word and in LibreOffice without ``w:isLgl`` (which
LibreOffice before 24.2 ignores, printing ``I.1``): one ``w:num`` per chapter
overrides the section levels with the chapter's number written out (``3.%2``), so
no level ever shows the chapter's Roman numeral except the chapter heading itself.
Lists get real bullet and number definitions with the PDF's indents; every ordered
list restarts at one. Paragraphs carry their ``w:numPr`` directly, so numbering
works with any reference document.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Cm

from plandocs.writers.docx.ooxml import element, reorder_ppr

HEADINGS = "PlandocsHeadings"
BULLETS = "PlandocsBullets"
NUMBERS = "PlandocsNumbers"

LIST_INDENT = Cm(1)
"""Each list level is indented by 1 cm, as the PDF's ``padding-left: 1cm``."""
LIST_HANGING = Cm(0.6)
"""The bullet or number hangs this far left of the item's text."""

BULLET_MARKS = ("•", "–", "▪")
"""Bullets by level; the stylesheet uses the same marks."""
NUMBER_FORMATS = (("lowerLetter", "{}."), ("decimal", "{}."), ("lowerLetter", "{})"))
"""Ordered lists nest a. → 1. → a) as official documents do (the stylesheet agrees)."""
MAX_LIST_LEVEL = len(BULLET_MARKS)


def numbering_element(document: Any) -> Any:
    """The ``w:numbering`` element, with a numbering part made if the document has none
    (LibreOffice saves none when nothing is numbered)."""
    part = document.part
    try:
        return part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except KeyError:
        xml = f"<w:numbering {nsdecls('w')}/>"
        numbering = NumberingPart(
            PackURI("/word/numbering.xml"),
            CONTENT_TYPE.WML_NUMBERING,
            parse_xml(xml),
            part.package,
        )
        part.relate_to(numbering, RELATIONSHIP_TYPE.NUMBERING)
        return numbering.element


def _abstract_by_name(numbering: Any, name: str) -> Any | None:
    for abstract in numbering.findall(qn("w:abstractNum")):
        found = abstract.find(qn("w:name"))
        if found is not None and found.get(qn("w:val")) == name:
            return abstract
    return None


def _add_abstract(numbering: Any, name: str, levels: list[Any]) -> int:
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=0) + 1
    abstract = element("w:abstractNum", abstractNumId=str(abstract_id))
    abstract.append(element("w:multiLevelType", val="multilevel"))
    abstract.append(element("w:name", val=name))
    for lvl in levels:
        abstract.append(lvl)
    # abstractNum elements must come before num elements.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return abstract_id


def _add_num(numbering: Any, abstract_id: int, overrides: list[Any] = ()) -> int:  # type: ignore[assignment]
    ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    num_id = max(ids, default=0) + 1
    num = element("w:num", numId=str(num_id))
    num.append(element("w:abstractNumId", val=str(abstract_id)))
    for override in overrides:
        num.append(override)
    numbering.append(num)
    return num_id


def _level(
    ilvl: int,
    fmt: str,
    text: str,
    suffix: str = "tab",
    jc: str = "left",
    style_id: str | None = None,
    left: int = 0,
    hanging: int = 0,
    font: str | None = None,
) -> Any:
    lvl = element("w:lvl", ilvl=str(ilvl))
    lvl.append(element("w:start", val="1"))
    lvl.append(element("w:numFmt", val=fmt))
    if style_id:
        lvl.append(element("w:pStyle", val=style_id))
    lvl.append(element("w:suff", val=suffix))
    lvl.append(element("w:lvlText", val=text))
    lvl.append(element("w:lvlJc", val=jc))
    p_pr = element("w:pPr")
    if suffix == "tab" and left:
        tabs = element("w:tabs")
        tabs.append(element("w:tab", val="num", pos=str(left)))
        p_pr.append(tabs)
    p_pr.append(element("w:ind", left=str(left), hanging=str(hanging)))
    lvl.append(p_pr)
    if font:
        r_pr = element("w:rPr")
        r_pr.append(element("w:rFonts", ascii=font, hAnsi=font, hint="default"))
        lvl.append(r_pr)
    return lvl


def set_num(p_pr: Any, num_id: int, ilvl: int | None) -> None:
    """Give a paragraph (or style) properties element a ``w:numPr``."""
    for old in p_pr.findall(qn("w:numPr")):
        p_pr.remove(old)
    num_pr = element("w:numPr")
    if ilvl is not None:
        num_pr.append(element("w:ilvl", val=str(ilvl)))
    num_pr.append(element("w:numId", val=str(num_id)))
    p_pr.append(num_pr)
    reorder_ppr(p_pr)


# -- headings ------------------------------------------------------------------------
class HeadingNumbers:
    """The heading numbering of one document: ``BAB I`` on Heading 1, ``1.1``, ``1.1.1``
    and ``1.1.1.1`` on Heading 2–4 through one ``w:num`` per chapter."""

    def __init__(self, document: Any, chapter_label: str) -> None:
        self.document = document
        self.numbering = numbering_element(document)
        styles = {style.name: style for style in document.styles}
        heading1 = styles["Heading 1"]
        # The number stands at the start of the heading's first line, which the heading
        # style aligns (centred in plandocs' own; a reference document's may say left):
        # a number centred on the indent would hang half into the margin there. Nothing
        # follows it but the line break the heading's text starts with: Word's contents
        # entry reads "BAB I PENDAHULUAN" (a break becomes a space), as the PDF's does;
        # LibreOffice puts a space of its own after any number, so its reads "BAB I  …".
        levels = [
            _level(0, "upperRoman", f"{chapter_label} %1", "nothing", "left", heading1.style_id)
        ]
        levels += [
            _level(ilvl, "decimal", ".".join(f"%{n}" for n in range(1, ilvl + 2)), "space")
            for ilvl in range(1, 4)
        ]
        self.abstract_id = _add_abstract(self.numbering, HEADINGS, levels)
        self.chapter_num = _add_num(self.numbering, self.abstract_id)
        self.section_nums: dict[str, int] = {}
        set_num(heading1.element.get_or_add_pPr(), self.chapter_num, 0)
        # Styles based on Heading 1 (Word's "TOC Heading") would inherit its number.
        for style in styles.values():
            base = getattr(style, "base_style", None)
            if style.name != "Heading 1" and base is not None and base.name == "Heading 1":
                set_num(style.element.get_or_add_pPr(), 0, None)

    def chapter(self, p_pr: Any) -> None:
        set_num(p_pr, self.chapter_num, 0)

    def section(self, p_pr: Any, number: str) -> None:
        """Number a section heading ``3.2`` or ``3.2.1``: the chapter's own list, at the
        level given by the number's depth."""
        chapter, *parts = number.split(".")
        ilvl = min(len(parts), 3)
        if chapter not in self.section_nums:
            overrides = []
            for level in range(1, 4):
                text = ".".join([chapter, *(f"%{n}" for n in range(2, level + 2))])
                override = element("w:lvlOverride", ilvl=str(level))
                override.append(_level(level, "decimal", text, "space"))
                overrides.append(override)
            self.section_nums[chapter] = _add_num(self.numbering, self.abstract_id, overrides)
        set_num(p_pr, self.section_nums[chapter], ilvl)


# -- lists -----------------------------------------------------------------------------
def list_definitions(document: Any) -> tuple[int, int]:
    """The bullet and number definitions (made once per document): ``(bullet numId,
    number abstractNumId)``. List Bullet and List Number take them as their style's
    numbering, so a list an editor starts in Word looks like the others."""
    numbering = numbering_element(document)
    bullets = _abstract_by_name(numbering, BULLETS)
    numbers = _abstract_by_name(numbering, NUMBERS)
    if bullets is None or numbers is None:
        bullet_levels = [
            _level(
                i,
                "bullet",
                mark,
                left=round(LIST_INDENT * (i + 1) / 635),
                hanging=round(LIST_HANGING / 635),
            )
            for i, mark in enumerate(BULLET_MARKS)
        ]
        number_levels = [
            _level(
                i,
                fmt,
                text.format(f"%{i + 1}"),
                left=round(LIST_INDENT * (i + 1) / 635),
                hanging=round(LIST_HANGING / 635),
            )
            for i, (fmt, text) in enumerate(NUMBER_FORMATS)
        ]
        bullet_abstract = _add_abstract(numbering, BULLETS, bullet_levels)
        number_abstract = _add_abstract(numbering, NUMBERS, number_levels)
        bullet_num = _add_num(numbering, bullet_abstract)
        number_num = _add_num(numbering, number_abstract)
        styles = {style.name: style for style in document.styles}
        for kind, num_id in (("List Bullet", bullet_num), ("List Number", number_num)):
            for level, name in enumerate((kind, f"{kind} 2", f"{kind} 3")):
                style = styles.get(name)
                if style is None:
                    continue
                p_pr = style.element.get_or_add_pPr()
                for old in p_pr.findall(qn("w:contextualSpacing")):
                    p_pr.remove(old)
                set_num(p_pr, num_id, level)
        return bullet_num, number_abstract
    bullet_abstract_id = bullets.get(qn("w:abstractNumId"))
    bullet_num = next(
        int(n.get(qn("w:numId")))
        for n in numbering.findall(qn("w:num"))
        if n.find(qn("w:abstractNumId")).get(qn("w:val")) == bullet_abstract_id
    )
    return bullet_num, int(numbers.get(qn("w:abstractNumId")))


def new_ordered_list(document: Any, number_abstract: int) -> int:
    """A fresh ``w:num`` for one ordered list: it starts again at a. (or 1.)."""
    numbering = numbering_element(document)
    overrides = []
    for level in range(MAX_LIST_LEVEL):
        override = element("w:lvlOverride", ilvl=str(level))
        override.append(element("w:startOverride", val="1"))
        overrides.append(override)
    return _add_num(numbering, number_abstract, overrides)
