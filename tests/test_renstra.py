"""The strategic plan end to end: build the sample Renstra, reopen the PDF and DOCX."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from babel.numbers import parse_decimal
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from pypdf import PdfReader

from inspect_docs import flat, opens_with, outline_titles, page_label, pdf_pages, word_numbers

SLUG = "kemensos-2025-2029"
PLAN = Path("content/renstra") / SLUG
CHAPTERS = {
    "id": [
        ("BAB I", "PENDAHULUAN"),
        ("BAB II", "VISI, MISI, TUJUAN, DAN SASARAN STRATEGIS"),
        ("BAB III", "ARAH KEBIJAKAN, STRATEGI, KERANGKA REGULASI, DAN KERANGKA KELEMBAGAAN"),
        ("BAB IV", "TARGET KINERJA DAN KERANGKA PENDANAAN"),
        ("BAB V", "PENUTUP"),
    ],
    "en": [
        ("CHAPTER I", "INTRODUCTION"),
        ("CHAPTER II", "VISION, MISSIONS, GOALS AND STRATEGIC TARGETS"),
        (
            "CHAPTER III",
            "POLICY DIRECTIONS, STRATEGIES, REGULATORY FRAMEWORK AND INSTITUTIONAL FRAMEWORK",
        ),
        ("CHAPTER IV", "PERFORMANCE TARGETS AND FUNDING FRAMEWORK"),
        ("CHAPTER V", "CLOSING"),
    ],
}
ANNEXES = {
    "id": ("LAMPIRAN I", "MATRIKS KINERJA DAN PENDANAAN", "LAMPIRAN II"),
    "en": ("ANNEX I", "PERFORMANCE AND FUNDING MATRIX", "ANNEX II"),
}
FRONT = {
    "id": ["Kata Pengantar", "Daftar Isi", "Daftar Tabel", "Daftar Gambar", "Daftar Singkatan"],
    "en": [
        "Foreword",
        "Table of Contents",
        "List of Tables",
        "List of Figures",
        "List of Abbreviations",
    ],
}
LOCALES = {"id": "id", "en": "en_US"}
LANGS = pytest.mark.parametrize("lang", ["id", "en"])


def pdf(root: Path, lang: str) -> Path:
    return root / "build" / lang / "renstra" / f"{SLUG}.pdf"


def word(root: Path, lang: str) -> Path:
    return root / "build" / lang / "renstra" / f"{SLUG}.docx"


@LANGS
def test_chapter_openings_and_section_numbers(sample: Path, lang: str) -> None:
    pages = pdf_pages(pdf(sample, lang))
    text = flat("\n".join(pages))
    for label, title in CHAPTERS[lang]:
        opening = next(p for p in pages if p.startswith(f"{label}\n") or f"\n{label}\n" in p[:200])
        assert flat(opening).find(f"{label} {title}") >= 0, (label, opening[:200])
    first_sections = {"id": "1.1 Kondisi Umum", "en": "1.1 General Conditions"}
    assert first_sections[lang] in text
    assert re.search(r"\b4\.2 (Kerangka Pendanaan|Funding Framework)\b", text)
    assert re.search(r"\b1\.2\.1 (Potensi|Potential)\b", text)


TOC = {"id": "DAFTAR ISI", "en": "TABLE OF CONTENTS"}


def toc_page(pages: list[str], lang: str) -> int:
    return next(i for i, p in enumerate(pages) if opens_with(p, TOC[lang]))


def _toc_entries(pages: list[str], lang: str) -> list[tuple[str, str]]:
    joined = flat(pages[toc_page(pages, lang)])
    # (The leaders end one space before every number; a text extraction may read the
    # gap as two.)
    return re.findall(r"((?:[A-Z]+ [IVX]+ |\d+\.\d+ )[^.]+?) ?\.{4,} *(\d+)", joined)


@LANGS
def test_toc_page_numbers_match_the_pdf_pages(sample: Path, lang: str) -> None:
    pages = pdf_pages(pdf(sample, lang))
    entries = _toc_entries(pages, lang)
    assert len(entries) >= 5 + 2 + 12, entries
    by_label = {page_label(text): flat(text) for text in pages}
    for title, number in entries:
        assert number in by_label, f"no page is numbered {number}"
        words = title.split()
        assert (
            " ".join(words[:4]) in by_label[number].upper()
            or " ".join(words[:4]) in by_label[number]
        ), (title, number)


@LANGS
def test_toc_entries_link_to_their_pages(sample: Path, lang: str) -> None:
    reader = PdfReader(str(pdf(sample, lang)))
    pages = pdf_pages(pdf(sample, lang))
    links = [a.get_object() for a in reader.pages[toc_page(pages, lang)].get("/Annots", [])]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and ("/Dest" in a or "/A" in a)]
    assert len(internal) >= len(_toc_entries(pages, lang))


@LANGS
def test_roman_front_matter_and_arabic_body(sample: Path, lang: str) -> None:
    pages = pdf_pages(pdf(sample, lang))
    labels = [page_label(p) for p in pages]
    assert labels[1] == "i"
    # The first body page opens with the decree frame, then BAB I.
    body = next(i for i, p in enumerate(pages) if opens_with(p, CHAPTERS[lang][0][0], 12))
    assert labels[body] == "1"
    assert labels[body + 1] == "2"
    assert labels[-1] == str(len(pages) - body)
    # The cover has no number (its last word may be the year of a draft stamp).
    assert not re.fullmatch(r"[ivxlc]+|\d{1,3}", labels[0])


@LANGS
def test_annex_pages_are_landscape_with_repeated_header(sample: Path, lang: str) -> None:
    reader = PdfReader(str(pdf(sample, lang)))
    pages = [p.extract_text() for p in reader.pages]
    annex, title, annex2 = ANNEXES[lang]
    start = next(i for i, p in enumerate(pages) if opens_with(p, annex))
    end = next(i for i, p in enumerate(pages) if opens_with(p, annex2))
    assert end - start >= 2, "the matrix should span several pages"
    header = "Program/Kegiatan" if lang == "id" else "Program/Activity"
    for index, page in enumerate(reader.pages):
        box = page.mediabox
        landscape = float(box.width) > float(box.height)
        assert landscape == (index >= start), index
    for index in range(start, end):
        # The header may wrap after the slash.
        assert header in pages[index].replace("/ ", "/"), f"page {index} lacks the header row"
    assert title in flat(pages[start])


@LANGS
def test_pdf_outline(sample: Path, lang: str) -> None:
    titles = outline_titles(pdf(sample, lang))
    top = [t for t in titles if isinstance(t, str)]
    # In capitals, as the headings are shown and as the contents list names them.
    front = [title.upper() for title in FRONT[lang]]
    assert top[: len(front)] == front
    expected = [f"{label} {title}" for label, title in CHAPTERS[lang]]
    assert top[len(front) : len(front) + len(expected)] == expected
    assert top[-2].startswith(ANNEXES[lang][0] + " ")
    assert top[-1].startswith(ANNEXES[lang][2] + " ")
    children = titles[titles.index(expected[0]) + 1]
    assert isinstance(children, list)
    assert children[0] == ("1.1 Kondisi Umum" if lang == "id" else "1.1 General Conditions")


@LANGS
def test_docx_headings_carry_multilevel_numbering(sample: Path, lang: str) -> None:
    document = docx.Document(str(word(sample, lang)))
    label = CHAPTERS[lang][0][0].split()[0]
    numbers = word_numbers(document)
    chapters = [(numbers.get(i), p.text.strip()) for i, p in _styled(document, "Heading 1")]
    assert chapters == CHAPTERS[lang]
    sections = [(numbers.get(i), p.text) for i, p in _styled(document, "Heading 2")]
    assert sections[:2] == (
        [("1.1", "Kondisi Umum"), ("1.2", "Potensi dan Permasalahan")]
        if lang == "id"
        else [("1.1", "General Conditions"), ("1.2", "Potential and Problems")]
    )
    assert sections[-1][0] == "5.2"
    subsections = [numbers.get(i) for i, _ in _styled(document, "Heading 3")]
    assert subsections[:3] == ["1.1.1", "1.1.2", "1.2.1"]
    # Numbers read 1.1 because the chapter's number is written out in each chapter's
    # own list, not through w:isLgl, which LibreOffice before 24.2 ignores.
    numbering = document.part.numbering_part.element
    assert numbering.find(f".//{qn('w:isLgl')}") is None
    assert label in "".join(lvl.get(qn("w:val")) for lvl in numbering.iter(qn("w:lvlText")))
    # The TOC heading is based on Heading 1 but must not take a chapter number.
    toc_heading = document.styles["TOC Heading"].element.pPr.find(qn("w:numPr"))
    assert toc_heading.find(qn("w:numId")).get(qn("w:val")) == "0"


def _styled(document: docx.document.Document, style: str) -> list[tuple[int, Any]]:
    return [(i, p) for i, p in enumerate(document.paragraphs) if p.style.name == style]


@LANGS
def test_docx_sections_page_numbering_and_landscape_annex(sample: Path, lang: str) -> None:
    document = docx.Document(str(word(sample, lang)))
    kinds = []
    for section in document.sections:
        pg = section._sectPr.find(qn("w:pgNumType"))
        kinds.append((section.orientation, pg.get(qn("w:fmt")), pg.get(qn("w:start"))))
    portrait, landscape = WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE
    assert kinds == [
        (portrait, "decimal", None),
        (portrait, "lowerRoman", "1"),
        (portrait, "decimal", "1"),
        (landscape, "decimal", None),
    ]
    cover, front, _body, annex = document.sections
    # The cover has no running header and no page number (only the draft line).
    assert cover.header.paragraphs[0].text == ""
    assert "PAGE" not in "".join(cover.footer._element.itertext())
    assert annex.page_width > annex.page_height
    running = (
        "Renstra Kementerian Sosial 2025–2029"
        if lang == "id"
        else "Ministry of Social Affairs Strategic Plan 2025–2029"
    )
    assert annex.header.paragraphs[0].text == running
    assert front.header.paragraphs[0].text == running
    assert "PAGE" in "".join(annex.footer._element.itertext())


@LANGS
def test_docx_toc_field_shows_its_entries(sample: Path, lang: str) -> None:
    document = docx.Document(str(word(sample, lang)))
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith('TOC \\o "1-2"') for i in instructions)
    entries = [p.text for p in document.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    assert len(entries) >= 5 + 19
    # The front matter first, paged i, ii … as in the PDF laid out in the same build.
    assert entries[0] == f"{FRONT[lang][0].upper()}\ti"
    assert entries[1] == f"{FRONT[lang][1].upper()}\tii"
    first = next(e for e in entries if e.startswith(" ".join(CHAPTERS[lang][0])))
    assert first.endswith("\t1")
    # Every entry word for word and page for page as the PDF's contents list has it.
    pages = pdf_pages(pdf(sample, lang))
    shown = " ".join(pages[toc_page(pages, lang)].split())
    for entry in entries:
        text, number = entry.split("\t")
        assert re.search(re.escape(text) + r" ?\.{4,} *" + number + r"\b", shown), entry
    # The headings it lists are written as it names them, in capitals: their style's
    # caps would not carry over into the entries an update of the field makes.
    named = [
        " ".join(p.text.split())
        for p in document.paragraphs
        if p.style.name in ("TOC Heading", "Annex Heading")
    ]
    assert named[:5] == [title.upper() for title in FRONT[lang]]
    assert named[5:] == [e.split("\t")[0] for e in entries[-2:]]
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))}
    assert anchors and anchors <= bookmarks


@LANGS
def test_docx_captions_and_repeating_header_rows(sample: Path, lang: str) -> None:
    document = docx.Document(str(word(sample, lang)))
    label = "Tabel" if lang == "id" else "Table"
    captions = [
        p for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith(label)
    ]
    assert [c.text.split(" ")[1] for c in captions] == ["2.1", "4.1", "4.2", "4.3"]
    assert all(c.text.startswith(label) for c in captions)
    seq = [t.text for c in captions for t in c._p.iter(qn("w:instrText"))]
    assert seq and all(s.strip().startswith(f"SEQ {label}") for s in seq)
    for table in document.tables:
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None


@LANGS
def test_matrix_total_is_the_sum_of_its_rows(sample: Path, lang: str) -> None:
    document = docx.Document(str(word(sample, lang)))
    matrix = next(t for t in document.tables if "Program/" in t.rows[0].cells[1].text)
    locale = LOCALES[lang]
    program_rows = []
    for row in matrix.rows[2:-1]:
        cells = [c.text for c in row.cells]
        if cells[0].strip().isdigit() and cells[9].strip():
            program_rows.append([parse_decimal(v, locale=locale) for v in cells[9:14]])
    total = [parse_decimal(c.text, locale=locale) for c in matrix.rows[-1].cells[9:14]]
    assert len(program_rows) == 3
    assert total == [sum(col, Decimal(0)) for col in zip(*program_rows, strict=True)]
    # …and the total is the data: the workbook's column for 2025, in millions.
    book = openpyxl.load_workbook(sample / PLAN / "data/budgets.xlsx", read_only=True)
    rows = list(book["Anggaran"].iter_rows(min_row=2, values_only=True))
    assert total[0] == Decimal(sum(r[1] for r in rows)) / 1_000_000


def test_numbers_identical_in_both_languages(sample: Path) -> None:
    """The same fact, formatted per language, from the one plan.yaml."""
    id_text = flat("\n".join(pdf_pages(pdf(sample, "id"))))
    en_text = flat("\n".join(pdf_pages(pdf(sample, "en"))))
    assert "Rp74,9 triliun" in id_text and "IDR 74.9 trillion" in en_text
    assert "Rp382,1 triliun" in id_text and "IDR 382.1 trillion" in en_text
