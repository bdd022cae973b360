"""The styled, empty document every DOCX starts from.

Without a reference document: python-docx's default template with the style source's
styles, the page from the settings and the document settings (update fields on
open, hyphenation). With one (``reference_docx:``), the reference keeps its own
styles and headers, and whatever it lacks is taken from that default: a reference
saved by LibreOffice has no numbering part, pandoc's has no page size, neither has
every style plandocs uses. The page — size, margins, the header's and footer's
distances — is always plandocs.yaml's, as in the PDF; where the reference's differs,
the writer warns, naming both (:func:`page_difference`).
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
    page_setup(default.sections[0], settings)
    ooxml.apply_styles(default, settings, word_lang)
    ooxml.document_settings(default)
    numbering.list_definitions(default)
    if reference is None:
        return default
    document = docx.Document(io.BytesIO(reference))
    _clear_body(document)
    for section in document.sections:
        page_setup(section, settings)
    _copy_missing_styles(document, default)
    _default_paragraph_style(document)
    ooxml.apply_styles(document, settings, word_lang, only_missing=True)
    ooxml.document_settings(document)
    numbering.list_definitions(document)
    return document


HEADER_DISTANCE_CM = 1.0
"""From the page's edge to the header (and to the footer): as the PDF's running header
and page number stand, in the middle of plandocs.yaml's 2 and 2.5 cm margins."""


def page_setup(section: Any, settings: Settings) -> None:
    """Page size, margins and the header's and footer's distances from the settings:
    plandocs.yaml gives the page, a reference document only its styles (a reference
    saved by LibreOffice puts its header at the page's edge, python-docx's default is US
    Letter). :func:`page_difference` says where a reference disagrees."""
    from docx.shared import Cm, Mm

    width, height = settings.page.size_mm
    margins = settings.page.margins_cm
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = Cm(margins.top)
    section.bottom_margin = Cm(margins.bottom)
    section.left_margin = Cm(margins.left)
    section.right_margin = Cm(margins.right)
    section.header_distance = Cm(HEADER_DISTANCE_CM)
    section.footer_distance = Cm(HEADER_DISTANCE_CM)
    section.gutter = 0


def page_difference(reference: bytes, settings: Settings) -> str | None:
    """What the reference document's page says that plandocs.yaml's does not — its size,
    margins, header or footer distance — as one sentence naming both, or None."""
    from docx.shared import Cm, Mm

    try:
        section = docx.Document(io.BytesIO(reference)).sections[0]
    except (IndexError, ValueError, KeyError):
        return None
    width, height = settings.page.size_mm
    m = settings.page.margins_cm
    wanted = {
        "page width": Mm(width),
        "page height": Mm(height),
        "top margin": Cm(m.top),
        "bottom margin": Cm(m.bottom),
        "left margin": Cm(m.left),
        "right margin": Cm(m.right),
        "header distance": Cm(HEADER_DISTANCE_CM),
        "footer distance": Cm(HEADER_DISTANCE_CM),
    }
    names = {
        "page width": "page_width",
        "page height": "page_height",
        "top margin": "top_margin",
        "bottom margin": "bottom_margin",
        "left margin": "left_margin",
        "right margin": "right_margin",
        "header distance": "header_distance",
        "footer distance": "footer_distance",
    }
    differ = []
    for label, value in wanted.items():
        theirs = getattr(section, names[label])
        if theirs is None:
            continue
        if abs(int(theirs) - int(value)) > int(Mm(0.5)):
            ours = "plandocs" if "distance" in label else "plandocs.yaml"
            differ.append(f"{label} {theirs.cm:.2f} cm ({ours}: {value.cm:.2f} cm)")
    if not differ:
        return None
    return (
        "the reference document's page differs from plandocs.yaml's — "
        + "; ".join(differ)
        + " — the Word files take the page from plandocs.yaml and only the styles from the "
        "reference; change plandocs.yaml's page, or the reference, so that they agree"
    )


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
