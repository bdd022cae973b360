"""The Renstra's Word file in LibreOffice: its pages are the PDF's, and its contents list
is what updating the field makes of it.

The DOCX's contents list is written already filled in, with the page numbers of the PDF
laid out in the same build. That is only honest if a word processor lays the Word file
out on the same pages, and if updating the field (F9 in Word, Tools › Update in
LibreOffice) gives the same entries: the same levels, the same capitals, the same words.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from inspect_docs import page_label, pdf_pages
from othertools import run_office
from test_renstra import FRONT, SLUG, _toc_entries, pdf, word

LANGS = pytest.mark.parametrize("lang", ["id", "en"])
LISTS = ("Table of Figures", "Figure Index 1")


def _lines(page: str) -> list[str]:
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()]


def _pdf_contents(sample: Path, lang: str) -> dict[str, str]:
    """Each front-matter part, chapter and annex in the PDF's contents list → its page
    number there (``BAB I`` → ``1``, ``KATA PENGANTAR`` → ``i``)."""
    pages = pdf_pages(pdf(sample, lang))
    found = {
        " ".join(title.split()[:2]): number
        for title, number in _toc_entries(pages, lang)
        if not title[0].isdigit()
    }
    toc = next(p for p in pages if FRONT[lang][1].upper() in _lines(p)[:3])
    for title in FRONT[lang]:
        match = re.search(re.escape(title.upper()) + r" ?\.{4,} *([ivx]+)\b", " ".join(toc.split()))
        assert match, title
        found[title.upper()] = match.group(1)
    return found


@pytest.mark.slow
@LANGS
def test_libreoffice_starts_every_part_on_the_pdfs_page(
    sample: Path, sample_libreoffice: dict[str, Path], lang: str
) -> None:
    """Opened in LibreOffice, every front-matter part, chapter and annex of the Word
    file starts on the page the PDF's contents list gives it."""
    wanted = _pdf_contents(sample, lang)
    assert len(wanted) == 5 + 5 + 2, wanted
    # LibreOffice's PDF of word(sample, lang), made once per session for every test
    # that reads one.
    laid = pdf_pages(sample_libreoffice[f"{lang}/renstra/{SLUG}"])
    found = {}
    for heading in wanted:
        # The page whose heading that is: "BAB I" on a line of its own, near its top
        # (after the running header, or the decree frame on the first body page).
        page = next((p for p in laid if heading in _lines(p)[:12]), None)
        found[heading] = page_label(page) if page is not None else None
    assert found == wanted
    assert len(laid) == len(pdf_pages(pdf(sample, lang)))


@pytest.mark.slow
@LANGS
def test_updating_the_contents_in_libreoffice_changes_nothing(
    sample: Path, lang: str, tmp_path: Path
) -> None:
    """LibreOffice updates every index (the contents, the lists of tables and figures)
    and finds the entries plandocs wrote: the same levels, text and page numbers."""
    path = word(sample, lang)
    result = run_office(tmp_path, "toc", str(path))

    def entries(found: list[list[str]]) -> list[tuple[str, str]]:
        # LibreOffice always puts a space after a heading's number in an entry, and
        # makes the line break after "BAB I" a second one (Word, which the entries are
        # written for, makes the break the only space): spaces are compared folded.
        # LibreOffice 7.4 reads a list of tables or figures in Word's Table of Figures
        # and makes it again in its own Figure Index 1, with that style's spacing
        # (tdf#153659, fixed in later releases): the style is not compared.
        return [
            ("list" if style in LISTS else style, re.sub(" +", " ", text))
            for style, text in found
            if style != "Contents Heading"
        ]

    before, after = entries(result["before"]), entries(result["after"])
    assert after == before
    written = [
        p.text
        for p in docx.Document(str(path)).paragraphs
        if p.style is not None and p.style.name in ("TOC 1", "TOC 2")
    ]
    assert [text for style, text in before if style != "list"] == written
    assert {style for style, _ in before} == {"Contents 1", "Contents 2", "list"}
    assert sum(style == "list" for style, _ in before) == 4 + 1  # tables, figures
    # Two levels, as the PDF's contents list has, with the front matter's numbers i–v.
    assert [text.split("\t")[1] for _, text in before[:5]] == ["i", "ii", "iii", "iv", "v"]
