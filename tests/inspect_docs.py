"""Reopening built files: the text, styles and settings of a DOCX and a PDF."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from pypdf import PdfReader


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def run_langs(path: Path) -> set[str | None]:
    """The proofing language of every run with text in the body."""
    document = docx.Document(str(path))
    langs: set[str | None] = set()
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if not run.text:
                continue
            r_pr = run._r.rPr
            lang = r_pr.find(qn("w:lang")) if r_pr is not None else None
            langs.add(lang.get(qn("w:val")) if lang is not None else None)
    return langs


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def pdf_fonts(path: Path) -> dict[str, bool]:
    """Font name → whether its program is embedded."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        resources: Any = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            descriptor = None
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            else:
                descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return fonts


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def page_label(text: str) -> str:
    """The printed page number: the last line of a page's text (the footer)."""
    lines = [line for line in text.splitlines() if line.strip()]
    # The footer line may carry a draft stamp before the number on the same baseline.
    last = lines[-1].split()[-1] if lines else ""
    return last if re.fullmatch(r"[ivxlc]+|\d+", last) else ""


def opens_with(text: str, heading: str) -> bool:
    """Whether a page starts with ``heading`` (after a draft watermark, if any)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return heading in lines[:3]


def flat(text: str) -> str:
    """Text with hyphenation at line ends undone and white space folded."""
    text = text.replace("\u2010\n", "").replace("-\n", "")
    return " ".join(text.split())


def outline_titles(path: Path) -> list[Any]:
    """The PDF outline as nested lists of titles."""

    def walk(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, list):
                out.append(walk(item))
            else:
                out.append(item.title)
        return out

    return walk(PdfReader(str(path)).outline)
