"""The styled, empty document every DOCX starts from.

Without a reference document: python-docx's default template with the style source's
styles, the page from the settings and the document settings (update fields on
open, hyphenation). With one (``reference_docx:``), the reference keeps its own
styles, headers and page setup, and whatever it lacks is taken from that default:
a reference saved by LibreOffice has no numbering part, pandoc's has no page size,
neither has every style plandocs uses.
"""

from __future__ import annotations

import copy
import io
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

import plandocs.writers.docx.numbering as numbering
import plandocs.writers.docx.ooxml as ooxml
from plandocs.render.styles import STYLES
from plandocs.settings import Settings

EXTRA_STYLES = (
    "Table Grid",
    "Hyperlink",
    "List Bullet 2",
    "List Bullet 3",
    "List Number 2",
    "List Number 3",
)
"""Styles the writer uses besides those of the style source."""


MAX_REFERENCE_BYTES = 64 * 1024 * 1024
"""A Word reference document is styles and a page: far smaller than this."""


def base_document(settings: Settings, word_lang: str, reference: bytes | None) -> Any:
    """The empty document, styled, for one language (``reference``: the bytes of the
    Word reference document, if there is one)."""
    default = docx.Document()
    page_setup(default.sections[0], settings, replace=True)
    ooxml.apply_styles(default, settings, word_lang)
    ooxml.document_settings(default)
    numbering.list_definitions(default)
    if reference is None:
        return default
    document = docx.Document(io.BytesIO(reference))
    _clear_body(document)
    for section in document.sections:
        page_setup(section, settings, replace=False)
    _copy_missing_styles(document, default)
    _default_paragraph_style(document)
    ooxml.apply_styles(document, settings, word_lang, only_missing=True)
    ooxml.document_settings(document)
    numbering.list_definitions(document)
    return document


def page_setup(section: Any, settings: Settings, replace: bool) -> None:
    """Page size and margins from the settings: all of them, or (for a reference
    document) only those it does not give."""
    from docx.shared import Cm, Mm

    sect_pr = section._sectPr
    width, height = settings.page.size_mm
    margins = settings.page.margins_cm
    if replace or sect_pr.find(qn("w:pgSz")) is None:
        section.page_width, section.page_height = Mm(width), Mm(height)
    pg_mar = sect_pr.find(qn("w:pgMar"))
    if replace or pg_mar is None:
        section.top_margin = Cm(margins.top)
        section.bottom_margin = Cm(margins.bottom)
        section.left_margin = Cm(margins.left)
        section.right_margin = Cm(margins.right)
        section.header_distance = Cm(1.0)
        section.footer_distance = Cm(1.0)
        section.gutter = 0
    else:
        # A partial w:pgMar (no header distance …) reads as None in python-docx.
        for side in ("top", "bottom", "left", "right"):
            if getattr(section, f"{side}_margin") is None:
                setattr(section, f"{side}_margin", Cm(getattr(margins, side)))
        for name in ("header_distance", "footer_distance"):
            if getattr(section, name) is None:
                setattr(section, name, Cm(1.0))


def _copy_missing_styles(document: Any, default: Any) -> None:
    """Copy from the default every style plandocs uses that the reference lacks, with
    the styles those are based on."""
    have = {s.name for s in document.styles}
    ids = {s.style_id for s in document.styles}
    by_id = {s.style_id: s for s in default.styles}
    wanted = [spec.word for spec in STYLES] + list(EXTRA_STYLES)
    pending = [default.styles[name] for name in wanted if name in _names(default)]
    styles_el = document.styles.element
    while pending:
        style = pending.pop()
        if style.name in have:
            continue
        if style.style_id in ids:
            continue  # the reference uses this id for another style; apply_styles adds it
        styles_el.append(copy.deepcopy(style.element))
        have.add(style.name)
        ids.add(style.style_id)
        for ref in ("basedOn", "next", "link"):
            found = style.element.find(qn(f"w:{ref}"))
            target = by_id.get(found.get(qn("w:val"))) if found is not None else None
            if target is not None and target.name not in have:
                pending.append(target)


def _default_paragraph_style(document: Any) -> None:
    """Make Normal the default paragraph style if none is (LibreOffice marks none), so a
    paragraph without a style of its own, such as a section break's, is Normal."""
    paragraph_styles = [s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH]
    if any(s.element.get(qn("w:default")) in ("1", "true") for s in paragraph_styles):
        return
    normal = next((s for s in paragraph_styles if s.name == "Normal"), None)
    if normal is not None:
        normal.element.set(qn("w:default"), "1")


def _names(document: Any) -> set[str]:
    return {s.name for s in document.styles}


def _clear_body(document: Any) -> None:
    """Keep a reference document's styles, headers and page setup; drop its text."""
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
