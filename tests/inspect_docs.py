"""Reopening built files: the text, styles and settings of a DOCX and a PDF."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
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


def file_version(path: Path) -> tuple[str, int, int]:
    """What names one state of a file: its path, modification time and size (a read of
    it is remembered for as long as the file stays as it is)."""
    stat = Path(path).stat()
    return str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=64)
def _pdf_pages(version: tuple[str, int, int]) -> tuple[str, ...]:
    return tuple(page.extract_text() for page in PdfReader(version[0]).pages)


def pdf_text(path: Path) -> str:
    return "\n".join(_pdf_pages(file_version(path)))


@functools.lru_cache(maxsize=128)
def _pdfium_pages(version: tuple[str, int, int]) -> tuple[str, ...]:
    import pypdfium2

    document = pypdfium2.PdfDocument(version[0])
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            # PDFium ends a line with CR LF and joins a word hyphenated over two lines,
            # the hyphen-minus it took away marked U+FFFE: both put back as they were.
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\ufffe", "-\n")
            pages.append(text)
            textpage.close()
            page.close()
        return tuple(pages)
    finally:
        document.close()


def pdfium_pages(path: Path) -> list[str]:
    """The text of each page as PDFium reads it: the same characters and lines as
    :func:`pdf_pages` (pypdf) for what the tests look for (words, phrases, hyphens at
    line ends, the first and last line), twenty times faster: pypdf parses the content
    streams in Python. A table's row may come as more lines than pypdf's, so a test that
    counts lines keeps :func:`pdf_pages`. Read once while the file stays as it is."""
    return list(_pdfium_pages(file_version(path)))


def pdfium_text(path: Path) -> str:
    return "\n".join(_pdfium_pages(file_version(path)))


def page_drawings(path: Path) -> list[tuple[Any, ...]]:
    """What each page draws with paths, as PDFium reads it: every path (its points, how
    it is painted, its matrix) and every form it stands in, in order; ``()`` for a page
    that draws no path.

    All a table finder working from ruled lines (pdfplumber's ``find_tables``) sees of a
    page is its edges, and they come only from its paths (pdfminer paints nothing else
    as a line, rect or curve): a page that draws no path has no table, and a page that
    draws exactly what another page draws has a table only if that page has one. So a
    test that looks for tables on every page parses with pdfplumber only the first page
    of each drawing and the pages of a drawing where it found a table (pdfplumber parses
    a page's content in Python: the pages of prose cost as much as the tables)."""
    return list(_page_drawings(file_version(path)))


def tables_by_page(path: Path, pages: Sequence[Any]) -> Iterator[tuple[int, Any, list[Any]]]:
    """pdfplumber's tables on each of ``pages`` (the PDF at ``path`` opened by
    pdfplumber) that may hold one (:func:`page_drawings`): the page's number, the page
    without a watermark's big letters (what the tables' text is read from) and its
    tables, found with ruled lines."""
    drawings, tableless = page_drawings(path), set()
    assert len(drawings) == len(pages), path
    for number, page in enumerate(pages):
        if drawings[number] in tableless:
            continue  # drawn as a page without a table is
        text = page.filter(lambda o: o.get("object_type") != "char" or o.get("size", 0) < 14)
        tables = text.find_tables()
        if not tables:
            tableless.add(drawings[number])
        yield number, text, tables


@functools.lru_cache(maxsize=32)
def _page_drawings(version: tuple[str, int, int]) -> tuple[tuple[Any, ...], ...]:
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium_c

    kinds = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM)
    x, y = ctypes.c_float(), ctypes.c_float()
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    document = pypdfium2.PdfDocument(version[0])
    try:
        drawings = []
        for page in document:
            drawn: list[Any] = []
            for obj in page.get_objects(filter=kinds, max_depth=64):
                matrix = tuple(obj.get_matrix().get())
                if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
                    drawn.append(("form", obj.level, matrix))
                    continue
                points = []
                for n in range(pdfium_c.FPDFPath_CountSegments(obj)):
                    segment = pdfium_c.FPDFPath_GetPathSegment(obj, n)
                    pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
                    points.append(
                        (
                            pdfium_c.FPDFPathSegment_GetType(segment),
                            bool(pdfium_c.FPDFPathSegment_GetClose(segment)),
                            x.value,
                            y.value,
                        )
                    )
                pdfium_c.FPDFPath_GetDrawMode(obj, mode, stroke)
                drawn.append(("path", obj.level, matrix, mode.value, stroke.value, tuple(points)))
            drawings.append(tuple(drawn))
            page.close()
        return tuple(drawings)
    finally:
        document.close()


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
    return list(_pdf_pages(file_version(path)))


@functools.lru_cache(maxsize=16)
def _plumbed_lines(version: tuple[str, int, int]) -> tuple[tuple[float, list[Any], str], ...]:
    import pdfplumber

    with pdfplumber.open(version[0]) as pdf:
        return tuple(
            (page.height, page.extract_text_lines(return_chars=True), page.extract_text())
            for page in pdf.pages
        )


def plumbed_lines(path: Path) -> list[tuple[float, list[Any], str]]:
    """Each page of a PDF as pdfplumber reads it: its height, its text lines (with their
    characters) and its text. Read once while the file stays as it is: the tests only
    read what this returns."""
    return list(_plumbed_lines(file_version(path)))


def page_label(text: str) -> str:
    """The printed page number: the last line of a page's text (the footer)."""
    lines = [line for line in text.splitlines() if line.strip()]
    # The footer line may carry a draft stamp before the number on the same baseline.
    last = lines[-1].split()[-1] if lines else ""
    return last if re.fullmatch(r"[ivxlc]+|\d+", last) else ""


def opens_with(text: str, heading: str, within: int = 3) -> bool:
    """Whether a page starts with ``heading`` (after a draft watermark, if any) in its
    first ``within`` lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return heading in lines[:within]


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


_FORMATS = {
    "decimal": str,
    "upperRoman": lambda n: _roman(n).upper(),
    "lowerRoman": lambda n: _roman(n),
    "lowerLetter": lambda n: chr(ord("a") + n - 1),
    "upperLetter": lambda n: chr(ord("A") + n - 1),
    "bullet": lambda n: "",
}


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def word_numbers(document: Any) -> dict[int, str]:
    """The number Word shows before each numbered paragraph (by its index), as Word
    and LibreOffice compute it: a counter per level of each list, deeper levels
    restarting when a level above counts on, ``%n`` replaced by level n's counter in
    level n's own format (no ``w:isLgl``, which LibreOffice 7.4 ignores)."""
    numbering = document.part.numbering_part.element
    abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
    nums = {n.get(qn("w:numId")): n for n in numbering.findall(qn("w:num"))}

    def level(num_id: str, ilvl: int) -> Any:
        num = nums[num_id]
        for override in num.findall(qn("w:lvlOverride")):
            lvl = override.find(qn("w:lvl"))
            if override.get(qn("w:ilvl")) == str(ilvl) and lvl is not None:
                return lvl
        abstract = abstracts[num.find(qn("w:abstractNumId")).get(qn("w:val"))]
        return next(x for x in abstract.findall(qn("w:lvl")) if x.get(qn("w:ilvl")) == str(ilvl))

    def num_pr(paragraph: Any) -> tuple[str, int] | None:
        found = paragraph._p.pPr.find(qn("w:numPr")) if paragraph._p.pPr is not None else None
        style = paragraph.style
        while found is None and style is not None:
            p_pr = style.element.pPr
            found = p_pr.find(qn("w:numPr")) if p_pr is not None else None
            style = style.base_style
        if found is None:
            return None
        num_id = found.find(qn("w:numId")).get(qn("w:val"))
        ilvl = found.find(qn("w:ilvl"))
        if num_id == "0":
            return None
        return num_id, int(ilvl.get(qn("w:val"))) if ilvl is not None else 0

    counters: dict[str, list[int]] = {}
    shown: dict[int, str] = {}
    for index, paragraph in enumerate(document.paragraphs):
        found = num_pr(paragraph)
        if found is None:
            continue
        num_id, ilvl = found
        abstract_id = nums[num_id].find(qn("w:abstractNumId")).get(qn("w:val"))
        count = counters.setdefault(abstract_id, [0] * 9)
        count[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            count[deeper] = 0
        text = level(num_id, ilvl).find(qn("w:lvlText")).get(qn("w:val"))
        for n in range(ilvl + 1, 0, -1):
            fmt = level(num_id, n - 1).find(qn("w:numFmt")).get(qn("w:val"))
            text = text.replace(f"%{n}", _FORMATS[fmt](count[n - 1]))
        shown[index] = text
    return shown
