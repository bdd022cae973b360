"""WordprocessingML pieces python-docx has no API for: fields, bookmarks, numbering,
page-number formats, proofing language, and the styles of the style source.

Everything here imports python-docx lazily (the module is imported only by the
DOCX writer, itself imported only when a DOCX is written).
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from plandocs.settings import Settings
from plandocs.styles import STYLES, size_pt

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def element(tag: str, **attrs: str) -> Any:
    """A ``w:`` element with ``w:`` attributes."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


# -- runs and fields -----------------------------------------------------------------
def set_lang(r_pr: Any, word_lang: str) -> None:
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    r_pr.append(element("w:lang", val=word_lang, bidi=word_lang))


def set_fonts(r_pr: Any, name: str) -> None:
    """Set all four font slots and drop theme fonts, which Word would prefer."""
    fonts = r_pr.get_or_add_rFonts()
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), name)
    for attr in [a for a in fonts.attrib if "Theme" in a]:
        del fonts.attrib[attr]


def field_runs(paragraph: Any, instruction: str, shown: str, word_lang: str) -> None:
    """Append a complex field (PAGE, SEQ, TOC …) showing ``shown`` until it is updated."""
    begin = paragraph.add_run()
    begin._r.append(element("w:fldChar", fldCharType="begin"))
    code = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    code._r.append(instr)
    paragraph.add_run()._r.append(element("w:fldChar", fldCharType="separate"))
    result = paragraph.add_run(shown)
    set_lang(result._r.get_or_add_rPr(), word_lang)
    paragraph.add_run()._r.append(element("w:fldChar", fldCharType="end"))


def field_begin(paragraph: Any, instruction: str) -> None:
    """The first half of a field that spans paragraphs (the TOC)."""
    run = paragraph.add_run()
    run._r.append(element("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run._r.append(element("w:fldChar", fldCharType="separate"))


def field_end(paragraph: Any) -> None:
    paragraph.add_run()._r.append(element("w:fldChar", fldCharType="end"))


def bookmark(paragraph: Any, name: str, ident: int) -> None:
    """Wrap the paragraph's content in a bookmark (a target for links and the TOC)."""
    p = paragraph._p
    start = element("w:bookmarkStart", id=str(ident), name=name)
    p_pr = p.pPr
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        p.insert(0, start)
    p.append(element("w:bookmarkEnd", id=str(ident)))


def watermark(header: Any, text: str, ident: int) -> None:
    """Word's own diagonal text watermark (a VML text path in the header)."""
    from docx.oxml import parse_xml

    escaped = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    xml = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office">'
        "<w:pict>"
        f'<v:shape id="PlandocsWaterMark{ident}" o:spid="_x0000_s{2048 + ident}" o:spt="136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;'
        "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#a0a0a0" '
        'stroked="f">'
        '<v:fill opacity=".4"/>'
        '<v:textpath on="t" fitshape="t" style="font-family:&quot;Arial&quot;;font-size:1pt" '
        f'string="{escaped}"/>'
        "</v:shape></w:pict></w:r>"
    )
    header.paragraphs[0]._p.append(parse_xml(xml))


# -- numbering -------------------------------------------------------------------------
def heading_numbering(document: Any, chapter_label: str) -> int:
    """Multilevel numbering (``BAB I`` → ``1.1`` → ``1.1.1``) attached to Heading 1–3.

    The numbers live in the styles, so an editor who inserts a section in Word sees
    the numbers that follow it change.
    """
    numbering = document.part.numbering_part.element
    abstract_ids = [
        int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))
    ]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=0) + 1
    num_id = max(num_ids, default=0) + 1
    abstract = element("w:abstractNum", abstractNumId=str(abstract_id))
    abstract.append(element("w:multiLevelType", val="multilevel"))
    levels = [
        ("Heading 1", "upperRoman", f"{chapter_label} %1", "nothing", "center"),
        ("Heading 2", "decimal", "%1.%2", "space", "left"),
        ("Heading 3", "decimal", "%1.%2.%3", "space", "left"),
    ]
    for ilvl, (style_name, fmt, text, suffix, jc) in enumerate(levels):
        lvl = element("w:lvl", ilvl=str(ilvl))
        lvl.append(element("w:start", val="1"))
        lvl.append(element("w:numFmt", val=fmt))
        style_id = document.styles[style_name].style_id
        lvl.append(element("w:pStyle", val=style_id))
        if ilvl > 0:
            lvl.append(element("w:isLgl"))  # show the chapter as 1, not I, in 1.1
        lvl.append(element("w:suff", val=suffix))
        lvl.append(element("w:lvlText", val=text))
        lvl.append(element("w:lvlJc", val=jc))
        p_pr = element("w:pPr")
        p_pr.append(element("w:ind", left="0", hanging="0"))
        lvl.append(p_pr)
        abstract.append(lvl)
    # abstractNum elements must come before num elements.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = element("w:num", numId=str(num_id))
    num.append(element("w:abstractNumId", val=str(abstract_id)))
    numbering.append(num)
    numbered = {name for name, *_rest in levels}
    for ilvl, name in enumerate(name for name, *_rest in levels):
        _set_num(document.styles[name], num_id, ilvl)
    # Styles based on a numbered heading (Word's "TOC Heading" is based on
    # Heading 1) would inherit its number; switch it off for them.
    for style in document.styles:
        base = getattr(style, "base_style", None)
        if style.name not in numbered and base is not None and base.name in numbered:
            _set_num(style, 0, None)
    return num_id


def _set_num(style: Any, num_id: int, ilvl: int | None) -> None:
    p_pr = style.element.get_or_add_pPr()
    for old in p_pr.findall(qn("w:numPr")):
        p_pr.remove(old)
    num_pr = element("w:numPr")
    if ilvl is not None:
        num_pr.append(element("w:ilvl", val=str(ilvl)))
    num_pr.append(element("w:numId", val=str(num_id)))
    p_pr.insert(0, num_pr)
    _reorder_ppr(p_pr)


_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
]


def reorder(parent: Any, order: list[str]) -> None:
    """Put an element's children in schema order (Word rejects other orders)."""
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    children = list(parent)
    children.sort(key=lambda c: rank.get(c.tag, len(rank)))
    for child in children:
        parent.append(child)


def _reorder_ppr(p_pr: Any) -> None:
    reorder(p_pr, _PPR_ORDER)


def set_outline_level(style: Any, level: int) -> None:
    p_pr = style.element.get_or_add_pPr()
    for old in p_pr.findall(qn("w:outlineLvl")):
        p_pr.remove(old)
    p_pr.append(element("w:outlineLvl", val=str(level)))
    _reorder_ppr(p_pr)


# -- sections --------------------------------------------------------------------------
_SECT_AFTER = ["pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType"]


def page_number_format(section: Any, fmt: str, start: int | None) -> None:
    """Set ``w:pgNumType`` (lowerRoman, decimal …), restarting at ``start`` if given."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    attrs = {"fmt": fmt}
    if start is not None:
        attrs["start"] = str(start)
    pg = element("w:pgNumType", **attrs)
    anchor = None
    for name in _SECT_AFTER:
        found = sect_pr.find(qn(f"w:{name}"))
        if found is not None:
            anchor = found
    if anchor is not None:
        anchor.addnext(pg)
    else:
        sect_pr.insert(0, pg)


# -- styles ----------------------------------------------------------------------------
def text_width(section: Any) -> Any:
    return Emu(section.page_width - section.left_margin - section.right_margin)


def apply_styles(
    document: Any, settings: Settings, word_lang: str, only_missing: bool = False
) -> None:
    """Make the document's styles those of the style source, in the document's language.

    With ``only_missing`` (a user's reference.docx), styles the reference already has
    are kept as they are; only the ones it lacks are added.
    """
    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if not only_missing:
        set_fonts(r_pr, settings.fonts.body)
    set_lang(r_pr, word_lang)

    base = settings.fonts.size_pt
    tab_at = text_width(document.sections[0])
    for spec in STYLES:
        kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
        try:
            style = document.styles[spec.word]
            if only_missing:
                continue
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
        set_fonts(style.element.get_or_add_rPr(), settings.fonts.body)
        if kind != WD_STYLE_TYPE.PARAGRAPH:
            continue
        fmt = style.paragraph_format
        if spec.align:
            fmt.alignment = ALIGN[spec.align]
        fmt.space_before = Pt(spec.space_before or 0)
        fmt.space_after = Pt(spec.space_after or 0)
        fmt.left_indent = Cm(spec.indent_cm) if spec.indent_cm else None
        fmt.keep_with_next = spec.keep_with_next or None
        fmt.page_break_before = spec.page_break or None
        if spec.tab_leader:
            fmt.tab_stops.add_tab_stop(tab_at, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if spec.outline is not None:
            set_outline_level(style, spec.outline)
        elif spec.tag.startswith("h"):
            set_outline_level(style, 9)  # body text: not in the outline or the TOC
        p_pr = style.element.pPr
        border = p_pr.find(qn("w:pBdr")) if p_pr is not None else None
        if border is not None:  # the default template's Title has a rule under it
            p_pr.remove(border)
