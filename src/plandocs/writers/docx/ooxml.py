"""WordprocessingML pieces python-docx has no API for: fields, bookmarks, page-number
formats, proofing language, document settings, and the styles of the style source.

Everything here imports python-docx lazily (the module is imported only by the
DOCX writer, itself imported only when a DOCX is written).
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from plandocs.render.styles import LINE_HEIGHT, STYLES, size_pt
from plandocs.settings import Settings

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
    """Append a complex field (PAGE, SEQ …) showing ``shown`` until it is updated."""
    field_begin(paragraph, instruction)
    result = paragraph.add_run(shown)
    set_lang(result._r.get_or_add_rPr(), word_lang)
    field_end(paragraph)


def field_begin(paragraph: Any, instruction: str) -> None:
    """The first half of a field (for the TOC, one that spans paragraphs): as Word writes
    it, ``fldChar begin``, the instruction and ``fldChar separate`` each in a run of its
    own — readers that take one run for one piece (pandoc) lose headings and list items
    after a field packed into one run."""
    paragraph.add_run()._r.append(element("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(element("w:fldChar", fldCharType="separate"))


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


_RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath",
]  # fmt: skip

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


def reorder_ppr(p_pr: Any) -> None:
    reorder(p_pr, _PPR_ORDER)


def set_outline_level(style: Any, level: int) -> None:
    p_pr = style.element.get_or_add_pPr()
    for old in p_pr.findall(qn("w:outlineLvl")):
        p_pr.remove(old)
    p_pr.append(element("w:outlineLvl", val=str(level)))
    reorder_ppr(p_pr)


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


# -- document settings -----------------------------------------------------------------
_SETTINGS_ORDER = [
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts",
    "embedSystemFonts", "saveSubsetFonts", "saveFormsData", "mirrorMargins",
    "alignBordersAndEdges", "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter",
    "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle",
    "proofState", "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions",
    "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
    "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars",
    "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture",
    "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent",
    "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml", "saveXmlDataOnly",
    "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace",
    "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars",
    "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
]  # fmt: skip
_SETTINGS_RANK = {name: i for i, name in enumerate(_SETTINGS_ORDER)}

HYPHEN_LIMIT = 2
"""At most two hyphenated lines in a row (Word's ``consecutiveHyphenLimit``; the PDF
writer enforces the same)."""


def set_setting(settings_el: Any, name: str, **attrs: str) -> None:
    """Set ``w:<name>`` in settings.xml, in the place the schema gives it (Word refuses
    a settings part whose children are out of order)."""
    for old in settings_el.findall(qn(f"w:{name}")):
        settings_el.remove(old)
    new = element(f"w:{name}", **attrs)
    rank = _SETTINGS_RANK[name]
    for child in settings_el:
        local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if _SETTINGS_RANK.get(local, len(_SETTINGS_RANK)) > rank:
            child.addprevious(new)
            return
    settings_el.append(new)


def document_settings(document: Any) -> None:
    """Ask Word to update the fields (tables of contents, captions) when the file is
    opened, and hyphenate as the PDF does: automatically, body text only (styles that
    must not be hyphenated say so), capitals never, at most two lines in a row."""
    settings_el = document.settings.element
    set_setting(settings_el, "updateFields", val="true")
    set_setting(settings_el, "autoHyphenation", val="true")
    set_setting(settings_el, "consecutiveHyphenLimit", val=str(HYPHEN_LIMIT))
    set_setting(settings_el, "hyphenationZone", val="720")
    set_setting(settings_el, "doNotHyphenateCaps", val="true")


# -- styles ----------------------------------------------------------------------------
def text_width(section: Any) -> Any:
    return Emu(section.page_width - section.left_margin - section.right_margin)


def _clean(style_el: Any) -> None:
    """Drop a built-in style's own look (python-docx's template gives Title letter
    spacing, kerning, a theme colour and a rule; Subtitle a list number), so only the
    style source's properties remain."""
    for name in ("pPr", "rPr"):
        found = style_el.find(qn(f"w:{name}"))
        if found is not None:
            style_el.remove(found)
    for name in ("link",):
        for found in style_el.findall(qn(f"w:{name}")):
            style_el.remove(found)


def apply_styles(
    document: Any, settings: Settings, word_lang: str, only_missing: bool = False
) -> None:
    """Make the document's styles those of the style source, in the document's language.

    With ``only_missing`` (a user's reference.docx), styles the reference already has
    are kept as they are; only the ones it lacks are added.
    """
    styles_el = document.styles.element
    r_pr = _default_rpr(styles_el)
    base = settings.fonts.size_pt
    if not only_missing:
        set_fonts(r_pr, settings.fonts.body)
        for name in ("sz", "szCs"):
            for old in r_pr.findall(qn(f"w:{name}")):
                r_pr.remove(old)
            r_pr.append(element(f"w:{name}", val=str(round(base * 2))))
        reorder(r_pr, _RPR_ORDER)
    set_lang(r_pr, word_lang)

    width = text_width(document.sections[0])
    # By name: python-docx's own lookup falls back to style ids, with a warning.
    by_name = {style.name: style for style in document.styles}
    for spec in STYLES:
        kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
        style = by_name.get(spec.word)
        if style is not None and only_missing:
            continue
        if style is None:
            style = by_name[spec.word] = document.styles.add_style(spec.word, kind)
            if kind == WD_STYLE_TYPE.PARAGRAPH:
                style.base_style = by_name["Normal"]
        _clean(style.element)
        style.hidden = False
        style.quick_style = True
        font = style.font
        size = size_pt(spec, base)
        font.size = Pt(size)
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
        fmt.line_spacing = Pt(size * LINE_HEIGHT)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        p_pr = style.element.get_or_add_pPr()
        left = Cm(spec.indent_cm + spec.hanging_cm) + (width // 2 if spec.half_indent else 0)
        if left or spec.hanging_cm:
            fmt.left_indent = Emu(left)
            fmt.first_line_indent = -Cm(spec.hanging_cm) if spec.hanging_cm else None
        fmt.keep_with_next = spec.keep_with_next or None
        fmt.page_break_before = spec.page_break or None
        fmt.widow_control = True
        if spec.tab_leader:
            fmt.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if spec.hanging_cm:
            fmt.tab_stops.add_tab_stop(Emu(left))
        if not spec.hyphenate:
            p_pr.append(element("w:suppressAutoHyphens"))
        if spec.outline is not None:
            set_outline_level(style, spec.outline)
        elif spec.tag.startswith("h"):
            set_outline_level(style, 9)  # body text: not in the outline or the TOC
        reorder_ppr(p_pr)


def _default_rpr(styles_el: Any) -> Any:
    """``w:docDefaults/w:rPrDefault/w:rPr``, made if the document lacks any of them."""
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = element("w:docDefaults")
        styles_el.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = element("w:rPrDefault")
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = element("w:rPr")
        r_pr_default.append(r_pr)
    return r_pr
