"""The official apparatus and the finish of both formats: letterhead, press-release
heading and contact, the Renstra's front matter and signature, heading sizes,
hyphenation, page labels, tags and PDF/A, reference documents, and LibreOffice's
reading of the DOCX against the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import READOUT_FACTS, edit, make_project, run, write
from inspect_docs import flat, outline_titles, pdf_pages, plumbed_lines, word_numbers

BEKASI = "readouts/bekasi-rakortekrenbang-2024"
TECHNOCRATIC = "readouts/renstra-2025-2029-technocratic-draft"
RENSTRA = "renstra/kemensos-2025-2029"
LANGS = pytest.mark.parametrize("lang", ["id", "en"])
HYPHEN = "-"  # what WeasyPrint puts at the end of a line it hyphenated (the stylesheet's)


def out(root: Path, lang: str, doc: str, suffix: str) -> Path:
    return root / "build" / lang / f"{doc}{suffix}"


def paragraphs(path: Path) -> list[Any]:
    return list(docx.Document(str(path)).paragraphs)


# -- the Word file ---------------------------------------------------------------------
def test_docx_asks_word_to_update_fields_and_hyphenates_like_the_pdf(sample: Path) -> None:
    settings = docx.Document(str(out(sample, "id", RENSTRA, ".docx"))).settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    assert settings.find(qn("w:autoHyphenation")).get(qn("w:val")) == "true"
    assert settings.find(qn("w:consecutiveHyphenLimit")).get(qn("w:val")) == "2"
    # In schema order: updateFields after the hyphenation settings, before compat.
    names = [child.tag.rsplit("}", 1)[1] for child in settings]
    assert names.index("autoHyphenation") < names.index("updateFields") < names.index("compat")


def test_docx_styles_without_template_leftovers(sample: Path) -> None:
    document = docx.Document(str(out(sample, "id", BEKASI, ".docx")))
    for name in ("Title", "Subtitle"):
        style = document.styles[name].element
        r_pr = style.find(qn("w:rPr"))
        assert r_pr.find(qn("w:spacing")) is None and r_pr.find(qn("w:kern")) is None, name
        assert style.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is None, name
        assert style.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is None, name
    # Line height 1.4 of each style's size, as the PDF's line-height: 1.4.
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing.pt == pytest.approx(16.8)
    assert str(normal.line_spacing_rule).startswith("AT_LEAST")
    # Titles, names and signatures are never hyphenated; body text is.
    assert document.styles["Title"].element.find(f".//{qn('w:suppressAutoHyphens')}") is not None
    assert document.styles["Normal"].element.find(f".//{qn('w:suppressAutoHyphens')}") is None


def test_running_header_italic_in_both_formats(sample: Path) -> None:
    document = docx.Document(str(out(sample, "id", RENSTRA, ".docx")))
    header = document.sections[1].header.paragraphs[0]
    assert header.style.name == "Header" and document.styles["Header"].font.italic is True
    html = out(sample, "id", RENSTRA, ".html").read_text(encoding="utf-8")
    assert re.search(r"div\.running-header \{[^}]*font-style: italic", html)
    with pdfplumber.open(out(sample, "id", RENSTRA, ".pdf")) as pdf:
        top = [c for c in pdf.pages[2].chars if c["top"] < 50]
    assert top and all("Italic" in c["fontname"] or "Oblique" in c["fontname"] for c in top)


def test_page_number_and_draft_line_share_the_footer_line(sample: Path) -> None:
    document = docx.Document(str(out(sample, "id", RENSTRA, ".docx")))
    for section in document.sections[1:]:
        if section.footer.is_linked_to_previous:
            continue
        footer = section.footer.paragraphs
        assert len(footer) == 1
        text = "".join(footer[0]._p.itertext())
        assert text.startswith("Rancangan v3 · ") and "\t" in footer[0].text
        assert "PAGE" in text
        stops = footer[0].paragraph_format.tab_stops
        width = section.page_width - section.left_margin - section.right_margin
        # The number in its own place at the right end, as in the PDF.
        (right,) = (s.position for s in stops)  # in twips: within one of the width
        assert abs(right - width) <= 635 and stops[0].alignment == WD_TAB_ALIGNMENT.RIGHT


def _list_level(document: Any, paragraph: Any) -> tuple[str, Any]:
    num_pr = paragraph._p.pPr.find(qn("w:numPr"))
    num_id = num_pr.find(qn("w:numId")).get(qn("w:val"))
    ilvl = num_pr.find(qn("w:ilvl")).get(qn("w:val"))
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    lvl = next(x for x in abstract.findall(qn("w:lvl")) if x.get(qn("w:ilvl")) == ilvl)
    return num_id, lvl


def test_lists_are_indented_like_the_pdf(sample: Path) -> None:
    document = docx.Document(str(out(sample, "id", RENSTRA, ".docx")))
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert bullets and numbered
    _, lvl = _list_level(document, bullets[0])
    assert lvl.find(qn("w:numFmt")).get(qn("w:val")) == "bullet"
    ind = lvl.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert int(ind.get(qn("w:left"))) == round(Cm(1) / 635)  # the PDF's padding-left: 1cm
    assert int(ind.get(qn("w:hanging"))) > 0
    # Each ordered list starts again at a. (its own w:num), as each <ol> does in the PDF.
    first_items = {_list_level(document, p)[0] for p in numbered}
    assert len(first_items) >= 3
    _, lvl = _list_level(document, numbered[0])
    assert lvl.find(qn("w:numFmt")).get(qn("w:val")) == "lowerLetter"
    html = out(sample, "id", RENSTRA, ".html").read_text(encoding="utf-8")
    assert "ol { list-style-type: lower-alpha; }" in html


@LANGS
def test_front_matter_lists_in_word(sample: Path, lang: str) -> None:
    document = docx.Document(str(out(sample, lang, RENSTRA, ".docx")))
    body = document.element.body
    table, figure = ("Tabel", "Gambar") if lang == "id" else ("Table", "Figure")
    instructions = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert f'TOC \\h \\z \\c "{table}"' in instructions
    assert f'TOC \\h \\z \\c "{figure}"' in instructions
    entries = [p.text for p in document.paragraphs if p.style.name == "Table of Figures"]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    # One entry per caption, with the caption's words and (from the PDF) a page number:
    # the tables' list, then the figures'.
    by_kind = sorted(captions, key=lambda c: not c.startswith(table))
    assert [e.split("\t")[0] for e in entries] == by_kind
    assert all(re.fullmatch(r"\d+", e.split("\t")[1]) for e in entries)
    assert any(e.startswith(f"{figure} 1.1 ") for e in entries)
    links = {
        h.get(qn("w:anchor")) for p in document.paragraphs for h in p._p.iter(qn("w:hyperlink"))
    }
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert {"tabel_2_1", "gambar_1_1"} <= links <= marks
    abbreviations = [p.text for p in document.paragraphs if p.style.name == "Abbreviation"]
    expected = (
        "RPJMN\tRencana Pembangunan Jangka Menengah Nasional"
        if lang == "id"
        else "RPJMN\tNational Medium-Term Development Plan"
    )
    assert expected in abbreviations
    terms = [a.split("\t")[0] for a in abbreviations]
    assert terms == sorted(terms, key=str.casefold)
    # Only what the text uses: "DTSEN" is in the glossary but not in the sample.
    assert "DTSEN" not in terms


@LANGS
def test_signature_block_after_the_last_chapter(sample: Path, lang: str) -> None:
    document = docx.Document(str(out(sample, lang, RENSTRA, ".docx")))
    texts = [(p.style.name, " ".join(p.text.split())) for p in document.paragraphs]
    office = (
        "MENTERI SOSIAL REPUBLIK INDONESIA,"
        if lang == "id"
        else "MINISTER OF SOCIAL AFFAIRS OF THE REPUBLIC OF INDONESIA,"
    )
    place = "Jakarta, 20 November 2024" if lang == "id" else "Jakarta, November 20th, 2024"
    # Not signed (no `signed: true`): room to sign, no "ttd.".
    block = [
        ("Signature Place", place),
        ("Signature Block", office),
        ("Signature Mark", ""),
        ("Signature Mark", ""),
        ("Signature Name", "SAIFULLAH YUSUF"),
    ]
    starts = [i for i in range(len(texts)) if texts[i : i + 5] == block]
    assert len(starts) == 2  # the foreword's and the plan's
    annex = next(i for i, (style, _) in enumerate(texts) if style == "Annex Heading")
    last_chapter = max(i for i, (style, _) in enumerate(texts) if style == "Heading 1")
    assert last_chapter < starts[1] < annex
    # On the right half of the page.
    section = document.sections[2]
    half = (section.page_width - section.left_margin - section.right_margin) // 2
    indent = document.styles["Signature Name"].paragraph_format.left_indent
    assert abs(indent - half) < Cm(0.05)


@LANGS
def test_decree_frame_heads_the_first_chapter(sample: Path, lang: str) -> None:
    document = docx.Document(str(out(sample, lang, RENSTRA, ".docx")))
    # (Its longer lines are balanced: line breaks inside a paragraph.)
    styles = [(p.style.name, " ".join(p.text.split())) for p in document.paragraphs]
    first = next(i for i, (style, _) in enumerate(styles) if style == "Heading 1")
    frame = [text for style, text in styles[first - 5 : first]]
    if lang == "id":
        assert frame[:4] == [
            "Lampiran",
            "Peraturan Menteri Sosial Republik Indonesia",
            "Nomor … Tahun …",
            "Tentang",
        ]
    else:
        assert frame[2] == "Number … of …"
    heading = document.paragraphs[first]
    assert heading.paragraph_format.page_break_before is False  # same page as the frame


@LANGS
def test_letterhead_heading_number_and_contact(sample: Path, lang: str) -> None:
    path = out(sample, lang, BEKASI, ".docx")
    document = docx.Document(str(path))
    first = document.paragraphs[0]
    assert first.style.name == "Letterhead Logo"
    assert first._p.find(f".//{qn('w:drawing')}") is not None
    image = next(iter(document.inline_shapes))
    assert abs(image.height - Cm(2.2)) < Cm(0.05)
    texts = [p.text for p in document.paragraphs]
    ministry = (
        "Kementerian Sosial Republik Indonesia"
        if lang == "id"
        else "Ministry of Social Affairs of the Republic of Indonesia"
    )
    assert texts[1] == ministry and document.styles["Letterhead"].font.all_caps
    # A rule under the letterhead's last line.
    rule = document.paragraphs[4]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert rule is not None
    kind, number = ("Siaran Pers", "Nomor") if lang == "id" else ("Press Release", "Number")
    assert texts[5:7] == [kind, f"{number}: 12/HUMAS/II/2024"]
    contact = "Narahubung" if lang == "id" else "Media contact"
    assert texts[-2].startswith(f"{contact}: ")
    pdf = flat(pdf_pages(out(sample, lang, BEKASI, ".pdf"))[0])
    assert ministry.upper() in pdf and kind.upper() in pdf and "12/HUMAS/II/2024" in pdf


def test_readout_without_number_or_letterhead(project: Path, add_readout: Any) -> None:
    edit(project / "plandocs.yaml", "letterhead:", "unused_letterhead:")
    text = (project / "plandocs.yaml").read_text()
    (project / "plandocs.yaml").write_text(text.split("unused_letterhead:")[0])
    add_readout(project)
    result = run(project, "build", "--format", "docx,html")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out(project, "id", "readouts/meeting", ".docx")))
    styles = [p.style.name for p in document.paragraphs]
    assert styles[:2] == ["Document Kind", "Title"]
    assert "Contact" not in styles


def test_readout_contact_replaces_the_settings(project: Path, add_readout: Any) -> None:
    facts = READOUT_FACTS + "contact: {name: Arif Rohman, phone: '0812 0000 0000'}\n"
    add_readout(project, facts=facts)
    result = run(project, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    html = out(project, "en", "readouts/meeting", ".html").read_text(encoding="utf-8")
    assert "Media contact:</strong> Arif Rohman" in html and "0812 0000 0000" in html


def test_bad_logo_is_a_located_error(project: Path) -> None:
    edit(project / "plandocs.yaml", "logo: assets/logo.png", "logo: ../outside.png")
    result = run(project, "build")
    assert result.exit_code == 1
    assert "plandocs.yaml:" in result.output
    assert "letterhead.logo '../outside.png' is not a PNG, JPEG or GIF file inside the project" in (
        result.output
    )


# -- reference documents ---------------------------------------------------------------
def _libreoffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (./dev setup installs it where it can)")
    return soffice


def _convert(soffice: str, source: Path, fmt: str, outdir: Path) -> Path:
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{outdir}/profile",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = outdir / f"{source.stem}.{fmt.split(':')[0]}"
    assert found.exists(), f"LibreOffice did not convert {source.name}"
    return found


def _reference_project(tmp_path: Path, reference: Path) -> Path:
    (tmp_path / "project").mkdir(parents=True)
    root = make_project(tmp_path / "project", with_content=True)
    for other in (root / "content").iterdir():  # the Renstra alone: what is checked
        if other.name != "renstra":
            shutil.rmtree(other)
    shutil.copy(reference, root / "reference.docx")
    with (root / "plandocs.yaml").open("a", encoding="utf-8") as settings:
        settings.write("reference_docx: reference.docx\n")
    result = run(root, "build", "--format", "docx", "--lang", "id")
    assert result.exit_code == 0, result.output
    return root


def _check_reference_build(root: Path) -> None:
    path = out(root, "id", RENSTRA, ".docx")
    document = docx.Document(str(path))
    numbers = word_numbers(document)
    headings = [
        numbers.get(i) for i, p in enumerate(document.paragraphs) if p.style.name == "Heading 2"
    ]
    assert headings[:2] == ["1.1", "1.2"]
    for section in document.sections:
        assert section.page_width and section.page_height
    assert document.sections[-1].page_width > document.sections[-1].page_height  # the annex
    assert "PAGE" in "".join(document.sections[1].footer._element.itertext())
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets and bullets[0]._p.pPr.find(qn("w:numPr")) is not None


@pytest.mark.slow
def test_reference_documents_from_libreoffice_and_pandoc(tmp_path: Path) -> None:
    made = 0
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is not None:
        source = write(tmp_path, "lo/reference.html", "<html><body><p>Kop surat</p></body></html>")
        saved = _convert(soffice, source, "docx:MS Word 2007 XML", tmp_path / "lo")
        # What makes it hard: LibreOffice writes no numbering part when nothing is numbered.
        assert "word/numbering.xml" not in _zip_names(saved)
        _check_reference_build(_reference_project(tmp_path / "a", saved))
        made += 1
    pandoc = shutil.which("pandoc")
    if pandoc is not None:
        reference = tmp_path / "pandoc-reference.docx"
        subprocess.run(
            [pandoc, "-o", str(reference), "--print-default-data-file", "reference.docx"],
            check=True,
            timeout=60,
        )
        # pandoc's section gives no page size.
        assert docx.Document(str(reference)).sections[0].page_width is None
        _check_reference_build(_reference_project(tmp_path / "b", reference))
        made += 1
    if not made:
        pytest.skip("neither LibreOffice nor pandoc is installed to make a reference document")


def _zip_names(path: Path) -> set[str]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return set(archive.namelist())


# -- the PDF ---------------------------------------------------------------------------
def _sizes_by_style(pdf_path: Path, starts: dict[str, re.Pattern[str]]) -> dict[str, set[float]]:
    """Font sizes of the bold lines outside tables (larger than their 10 pt) that
    start with each pattern (a heading's number)."""
    found: dict[str, set[float]] = {name: set() for name in starts}
    for _height, lines, _text in plumbed_lines(pdf_path):  # pdfplumber's, read once
        for line in lines:
            first = line["chars"][0]
            if "Bold" not in first["fontname"] or first["size"] < 11:
                continue
            for name, pattern in starts.items():
                if pattern.match(line["text"]):
                    found[name].add(round(first["size"], 1))
    return found


@LANGS
def test_heading_sizes_strictly_decrease_by_level(sample: Path, lang: str) -> None:
    chapter = "BAB" if lang == "id" else "CHAPTER"
    sizes = _sizes_by_style(
        out(sample, lang, RENSTRA, ".pdf"),
        {
            "h1": re.compile(rf"^{chapter} (I|II|III|IV|V)$"),
            "h2": re.compile(r"^[1-5]\.[1-9] [A-Z]"),
            "h3": re.compile(r"^[1-5]\.[1-9]\.[1-9] [A-Z]"),
        },
    )
    assert all(len(s) == 1 for s in sizes.values()), sizes
    h1, h2, h3 = (next(iter(sizes[k])) for k in ("h1", "h2", "h3"))
    assert h1 > h2 > h3 > 12.0, sizes
    document = docx.Document(str(out(sample, lang, RENSTRA, ".docx")))
    word = [document.styles[f"Heading {n}"].font.size.pt for n in (1, 2, 3, 4)]
    assert word == sorted(word, reverse=True) and len(set(word)) == 4
    assert word[:3] == [h1, h2, h3]


def _hyphenated_lines(pdf_path: Path) -> list[tuple[int, float, str, Any]]:
    """(page, top, text, last char) of every line WeasyPrint hyphenated: it ends in a
    hyphen that the text does not have (``peren-`` / ``canaan``, not ``atas-`` /
    ``bawah``), read against the document's HTML."""
    source = " ".join(
        lxml_html.parse(str(pdf_path.with_suffix(".html"))).getroot().find("body").itertext()
    )
    found = []
    for number, (_height, lines, _text) in enumerate(plumbed_lines(pdf_path)):
        for line, after in zip(lines, [*lines[1:], None], strict=True):
            head = re.search(r"(\w+)-$", line["text"])
            tail = re.match(r"\w+", after["text"]) if after else None
            if head and not (tail and f"{head.group(1)}-{tail.group(0)}" in source):
                found.append((number, line["top"], line["text"], line["chars"][-1]))
    return found


@pytest.mark.parametrize("doc", [RENSTRA, BEKASI, TECHNOCRATIC])
@LANGS
def test_only_body_text_is_hyphenated(sample: Path, lang: str, doc: str) -> None:
    lines = _hyphenated_lines(out(sample, lang, doc, ".pdf"))
    for _page, _top, text, hyphen in lines:
        # Body text is 12 pt regular; titles, headings, captions, table headers and
        # names (bold, or another size) never end a line with a hyphen.
        assert hyphen["size"] == pytest.approx(12.0), text
        assert "Bold" not in hyphen["fontname"], text


@pytest.mark.parametrize("doc", [RENSTRA, BEKASI])
@LANGS
def test_hyphenation_limits(sample: Path, lang: str, doc: str) -> None:
    path = out(sample, lang, doc, ".pdf")
    for number, (height, lines, text) in enumerate(plumbed_lines(path)):
        body = [
            line
            for line in lines
            if line["chars"][0]["size"] >= 12 and 60 < line["top"] < height - 70
        ]
        if not body:
            continue
        # No word split across a page break (nor a line ending in a word's own
        # hyphen, which the writer treats alike, as TeX does).
        assert not body[-1]["text"].endswith(HYPHEN), (number, body[-1]["text"])
        run_length = 0
        for line in body:
            run_length = run_length + 1 if line["text"].endswith(HYPHEN) else 0
            assert run_length <= 2, (number, line["text"])
        assert "\u2010" not in text, "a hyphen search and copy can read"


def test_english_hyphenates_with_american_patterns(sample: Path) -> None:
    import pyphen

    html = out(sample, "en", RENSTRA, ".html").read_text(encoding="utf-8")
    assert '<html lang="en-US">' in html
    assert pyphen.language_fallback("en-US".replace("-", "_")) == "en_US"


@LANGS
def test_page_labels(sample: Path, lang: str) -> None:
    reader = PdfReader(str(out(sample, lang, RENSTRA, ".pdf")))
    labels = list(reader.page_labels)
    assert labels[0] == ("Sampul" if lang == "id" else "Cover")
    assert labels[1:6] == ["i", "ii", "iii", "iv", "v"]
    assert labels[6:9] == ["1", "2", "3"]
    assert labels[-1] == str(len(labels) - 6)  # the annexes continue the count
    readout = PdfReader(str(out(sample, lang, BEKASI, ".pdf")))
    assert list(readout.page_labels) == ["1", "2"][: len(readout.pages)]


def _printed(pages: list[str]) -> dict[str, str]:
    """The printed page number of each page (the footer's last word) → its text."""
    found = {}
    for text in pages:
        lines = [line for line in text.splitlines() if line.strip()]
        label = lines[-1].split()[-1] if lines else ""
        found[label] = flat(text)
    return found


@LANGS
def test_lists_of_tables_and_figures_give_the_right_pages(sample: Path, lang: str) -> None:
    path = out(sample, lang, RENSTRA, ".pdf")
    pages = pdf_pages(path)
    printed = _printed(pages)
    heading = "DAFTAR TABEL" if lang == "id" else "LIST OF TABLES"
    listing = next(p for p in pages if heading in p.splitlines()[:3])
    entries = re.findall(r"((?:Tabel|Table) \d\.\d) [^\n]*?\.{3,}\s*(\d+)", listing)
    assert len(entries) == 4
    for label, page in entries:
        assert label in printed[page], (label, page)
    heading = "DAFTAR GAMBAR" if lang == "id" else "LIST OF FIGURES"
    figures = next(p for p in pages if heading in p.splitlines()[:3])
    label, page = re.findall(r"((?:Gambar|Figure) 1\.1) [^\n]*?\.{3,}\s*(\d+)", figures)[0]
    assert label in printed[page]
    # The table of contents' own front-matter entries carry their Roman numbers.
    heading = "DAFTAR ISI" if lang == "id" else "TABLE OF CONTENTS"
    toc = next(p for p in pages if heading in p.splitlines()[:3])
    assert re.search(r"\.{3,}\s*ii\n", toc)
    reader = PdfReader(str(path))
    index = pages.index(listing)
    links = [a.get_object() for a in reader.pages[index].get("/Annots", [])]
    assert len([a for a in links if a.get("/Subtype") == "/Link"]) >= 4


def _images(page: Any) -> list[Any]:
    resources = page["/Resources"]
    objects = resources.get("/XObject", {})
    return [o.get_object() for o in objects.values() if o.get_object().get("/Subtype") == "/Image"]


@LANGS
def test_logo_embedded(sample: Path, lang: str) -> None:
    readout = PdfReader(str(out(sample, lang, BEKASI, ".pdf")))
    assert _images(readout.pages[0])
    cover = PdfReader(str(out(sample, lang, RENSTRA, ".pdf"))).pages[0]
    assert _images(cover)


def test_renstra_author_is_the_planning_bureau(sample: Path) -> None:
    reader = PdfReader(str(out(sample, "id", RENSTRA, ".pdf")))
    assert reader.metadata.author == "Biro Perencanaan, Kementerian Sosial Republik Indonesia"
    english = PdfReader(str(out(sample, "en", RENSTRA, ".pdf")))
    assert english.metadata.author == (
        "Planning Bureau, Ministry of Social Affairs of the Republic of Indonesia"
    )


@LANGS
def test_quotes_from_facts_are_typographic_and_quotations_upright(sample: Path, lang: str) -> None:
    text = flat("\n".join(pdf_pages(out(sample, lang, BEKASI, ".pdf"))))
    assert "“Pangudi Luhur”" in text and '"Pangudi' not in text
    with pdfplumber.open(out(sample, lang, BEKASI, ".pdf")) as pdf:
        words = [w for p in pdf.pages for w in p.extract_words(extra_attrs=["fontname"])]
    attribution = [w for w in words if w["text"].startswith("Arif")]  # “…,” kata Arif.
    assert attribution and all("Italic" not in w["fontname"] for w in attribution)


def test_tags_by_default_and_pdfa_when_asked(project: Path, add_readout: Any) -> None:
    add_readout(project)
    assert run(project, "build", "--format", "pdf", "--lang", "id").exit_code == 0
    path = out(project, "id", "readouts/meeting", ".pdf")
    root = PdfReader(str(path)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "id-ID"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert "/OutputIntents" not in root
    result = run(project, "build", "--format", "pdf", "--lang", "id", "--pdfa", "--explain")
    assert "options changed (pdfa)" in result.output  # the manifest records the option
    root = PdfReader(str(path)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in root and "/StructTreeRoot" in root
    again = run(project, "build", "--format", "pdf", "--lang", "id", "--pdfa")
    assert "0 written" in again.output


def test_pdfa_from_the_settings(project: Path, add_readout: Any) -> None:
    edit(project / "plandocs.yaml", "archive: false", "archive: true")
    add_readout(project)
    assert run(project, "build", "--format", "pdf", "--lang", "en").exit_code == 0
    root = PdfReader(str(out(project, "en", "readouts/meeting", ".pdf"))).trailer["/Root"]
    assert 'pdfaid:part="3"' in root["/Metadata"].get_object().get_data().decode()


# -- LibreOffice's reading of the DOCX against the PDF ----------------------------------
@pytest.fixture
def libreoffice_pdfs(sample_libreoffice: dict[str, Path]) -> dict[str, Path]:
    """Every sample DOCX as LibreOffice lays it out (converted once per session)."""
    return sample_libreoffice


def _flat_outline(path: Path) -> list[str]:
    def walk(items: list[Any]) -> list[str]:
        found: list[str] = []
        for item in items:
            found += walk(item) if isinstance(item, list) else [" ".join(item.split())]
        return found

    return walk(outline_titles(path))


def _chapter_pages(path: Path) -> int:
    """Pages before the first annex (front matter and chapters)."""
    reader = PdfReader(str(path))
    for item in reader.outline:
        if not isinstance(item, list) and item.title.split()[0] in ("LAMPIRAN", "ANNEX"):
            return int(reader.get_destination_page_number(item))
    return len(reader.pages)


@pytest.mark.parametrize("doc", [RENSTRA, BEKASI, TECHNOCRATIC])
@LANGS
def test_libreoffice_reads_the_docx_as_the_pdf(
    sample: Path, libreoffice_pdfs: dict[str, Path], lang: str, doc: str
) -> None:
    converted = libreoffice_pdfs[f"{lang}/{doc}"]
    ours = out(sample, lang, doc, ".pdf")
    # The same headings in the same order with the same numbers (BAB I, 1.1, 1.1.1).
    assert _flat_outline(converted) == _flat_outline(ours)
    # The same length: the prose to within 15 %.
    theirs, mine = _chapter_pages(converted), _chapter_pages(ours)
    assert abs(theirs - mine) <= 0.15 * mine, (theirs, mine)


@LANGS
def test_libreoffice_page_count_within_15_percent(
    sample: Path, libreoffice_pdfs: dict[str, Path], lang: str
) -> None:
    theirs = len(PdfReader(str(libreoffice_pdfs[f"{lang}/{RENSTRA}"])).pages)
    mine = len(PdfReader(str(out(sample, lang, RENSTRA, ".pdf"))).pages)
    assert abs(theirs - mine) <= 0.15 * mine, (theirs, mine)


@LANGS
def test_no_caption_opens_a_page_in_libreoffices_layout(
    libreoffice_pdfs: dict[str, Path], lang: str
) -> None:
    """A figure's caption under its chart stays on the chart's page in Word's layout too:
    the chart's data table keeps with the caption as the PDF keeps the figure whole."""
    label = "Gambar" if lang == "id" else "Figure"
    listed = "DAFTAR GAMBAR" if lang == "id" else "LIST OF FIGURES"
    captions = 0
    for text in pdf_pages(libreoffice_pdfs[f"{lang}/lkj/kemensos-2025"]):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if listed in (line.upper() for line in lines):
            continue  # the list of figures names them too
        body = lines[1:]  # after the running header
        for at, line in enumerate(body):
            if re.match(rf"{label} \d+\.\d+ ", line) and "..." not in line and "…" not in line:
                captions += 1
                assert at > 0, f"“{line}” opens a page, away from its chart"
    assert captions == 4  # every chart's caption was found in the body


@pytest.mark.slow
def test_hyphenation_hooks_keep_the_rules_in_one_layout(tmp_path: Path) -> None:
    """Narrow columns of long words on small pages: many hyphens, many page breaks. With
    the hooks installed, one layout already keeps both rules (no post-check needed)."""
    import weasyprint

    from plandocs.writers.pdf import hyphens

    assert hyphens.install(), "WeasyPrint's internals changed: update writers/hyphens.py"
    words = "kesejahteraan pemberdayaan perlindungan rehabilitasi penyelenggaraan "
    paragraphs = "".join(f"<p>{words * (3 + n % 5)}</p>" for n in range(40))
    html = (
        '<html lang="id-ID"><head><style>@page { size: 9cm 8cm; margin: 1cm }'
        "p { hyphens: auto; text-align: justify; orphans: 2; widows: 2; margin: 0 0 4pt;"
        ' hyphenate-character: "-" }'
        f"</style></head><body>{paragraphs}</body></html>"
    )
    document = weasyprint.HTML(string=html).render()
    lines = [
        hyphens._hyphenated(line)
        for page in document.pages
        for lines in hyphens._paragraphs(hyphens._flow(page._page_box))
        for line in lines
    ]
    assert sum(lines) > 20  # the test text is hyphenated a lot
    assert len(document.pages) > 5
    assert hyphens.offending_words(document) == []
