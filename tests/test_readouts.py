"""The readout pipeline end to end: build the sample, reopen the PDF and DOCX."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from conftest import run
from inspect_docs import docx_text, pdf_fonts, pdf_text, run_langs

BEKASI = "readouts/bekasi-rakortekrenbang-2024"
RENSTRA = "readouts/renstra-2025-2029-technocratic-draft"
A4 = (595.28, 841.89)


def out(root: Path, lang: str, doc: str, suffix: str) -> Path:
    return root / "build" / lang / f"{doc}{suffix}"


@pytest.mark.parametrize(
    ("lang", "dateline"),
    [("id", "BEKASI (8 Februari 2024) –"), ("en", "BEKASI (February 8th, 2024) –")],
)
def test_bekasi_dateline_opens_the_first_paragraph(sample: Path, lang: str, dateline: str) -> None:
    pdf = pdf_text(out(sample, lang, BEKASI, ".pdf"))
    assert dateline in pdf
    document = docx.Document(str(out(sample, lang, BEKASI, ".docx")))
    body = [p.text for p in document.paragraphs if p.style.name == "Normal"]
    assert body[0].startswith(dateline + " ")


def test_every_document_in_every_format(sample: Path) -> None:
    for lang in ("id", "en"):
        for doc in (BEKASI, RENSTRA):
            for suffix in (".pdf", ".docx", ".html"):
                assert out(sample, lang, doc, suffix).stat().st_size > 0
    assert not list((sample / "build").rglob("*.tmp"))


def test_event_dates_and_signature(sample: Path) -> None:
    id_text = docx_text(out(sample, "id", BEKASI, ".docx"))
    en_text = docx_text(out(sample, "en", BEKASI, ".docx"))
    # A date range is glued: no-break spaces, word joiners around the en dash.
    assert "5\u2060–\u20607\u00a0Februari\u00a02024" in id_text
    assert "February\u00a05th\u2060–\u20607th,\u00a02024" in en_text
    # The signature, then the press contact, close the release.
    assert "Biro Hubungan Masyarakat\nKementerian Sosial RI\nNarahubung: " in id_text
    assert id_text.rstrip().endswith("Telepon (021) 3103591 · humas@kemensos.go.id")
    closing = "Public Relations Bureau\nMinistry of Social Affairs of the Republic of Indonesia"
    assert closing + "\nMedia contact: " in en_text
    renstra_readout = pdf_text(out(sample, "en", RENSTRA, ".pdf")).replace("\u00a0", " ")
    assert "January 29th–February 1st, 2024" in renstra_readout


def test_docx_styles(sample: Path) -> None:
    document = docx.Document(str(out(sample, "id", BEKASI, ".docx")))
    styles = [p.style.name for p in document.paragraphs]
    head = ["Letterhead Logo", "Letterhead", "Letterhead", "Letterhead Detail"]
    assert styles[:5] == [*head, "Letterhead Detail"], styles[:5]
    assert styles[5:8] == ["Document Kind", "Document Number", "Title"]
    assert "Quote" in styles
    assert styles[-4:] == ["Signature", "Signature", "Contact", "Contact"]
    assert set(styles) <= {*head, "Document Kind", "Document Number", "Title", "Normal"} | {
        "Quote",
        "Signature",
        "Contact",
    }
    dateline = document.paragraphs[8].runs[0]
    assert dateline.style.name == "Dateline"
    assert document.styles["Dateline"].font.bold is True
    assert document.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # An official press release sets its quotations upright, attribution and all.
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes and "kata Arif" in quotes[0].text
    assert not document.styles["Quote"].font.italic
    assert not any(r.italic for p in quotes for r in p.runs if "Arif" in r.text)
    lists = docx.Document(str(out(sample, "en", RENSTRA, ".docx")))
    bullets = [p.text for p in lists.paragraphs if p.style.name == "List Bullet"]
    assert bullets[0] == "poverty and empowerment;"
    assert len(bullets) == 5


def test_docx_font_from_the_style_source(sample: Path) -> None:
    document = docx.Document(str(out(sample, "id", BEKASI, ".docx")))
    normal = document.styles["Normal"]
    assert normal.font.name == "Arial"
    assert normal.font.size.pt == 12
    assert document.styles["Title"].font.size.pt == 15.5
    html = out(sample, "id", BEKASI, ".html").read_text(encoding="utf-8")
    assert "h1.title { font-size: 15.5pt; font-weight: bold" in html


@pytest.mark.parametrize(("lang", "word"), [("id", "id-ID"), ("en", "en-US")])
def test_docx_proofing_language_on_every_run(sample: Path, lang: str, word: str) -> None:
    path = out(sample, lang, BEKASI, ".docx")
    assert run_langs(path) == {word}
    document = docx.Document(str(path))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang_el = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang_el.get(qn("w:val")) == word
    assert document.core_properties.language == word


def test_docx_page_setup_and_footer(sample: Path) -> None:
    document = docx.Document(str(out(sample, "id", BEKASI, ".docx")))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert round(section.left_margin.cm, 2) == 3.0
    assert round(section.right_margin.cm, 2) == 2.0
    assert round(section.top_margin.cm, 2) == 2.0
    assert round(section.bottom_margin.cm, 2) == 2.5
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and 'w:fldCharType="begin"' in footer_xml


def test_docx_core_properties(sample: Path) -> None:
    props = docx.Document(str(out(sample, "en", BEKASI, ".docx"))).core_properties
    assert props.title.startswith("MoSA and the Regions Draft Social Outcomes at the 2024")
    assert (
        props.author
        == "Public Relations Bureau, Ministry of Social Affairs of the Republic of Indonesia"
    )
    assert props.created.date().isoformat() == "2024-02-08"


def test_pdf_page_size_title_language(sample: Path) -> None:
    reader = PdfReader(str(out(sample, "id", BEKASI, ".pdf")))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    assert reader.metadata is not None
    assert reader.metadata.title is not None
    assert reader.metadata.title.startswith("Kemensos dan Daerah Menyusun Outcome")
    assert reader.trailer["/Root"]["/Lang"] == "id-ID"
    assert "1" in reader.pages[0].extract_text().split("\n")[-1]


def test_pdf_fonts_are_embedded(sample: Path) -> None:
    fonts = pdf_fonts(out(sample, "id", BEKASI, ".pdf"))
    assert fonts, "no fonts found"
    assert all(fonts.values()), fonts
    # Arial is asked for; where it is not installed its metric twin stands in.
    assert any(name.startswith(("Arial", "Liberation-Sans", "DejaVu")) for name in fonts)


def test_pdf_hyphenates_indonesian(sample: Path) -> None:
    html = out(sample, "id", BEKASI, ".html").read_text(encoding="utf-8")
    assert '<html lang="id-ID">' in html
    assert "hyphens: auto" in html


def test_english_plain_dates(project: Path, add_readout: Callable[..., Path]) -> None:
    settings = project / "plandocs.yaml"
    settings.write_text(
        settings.read_text().replace("english_dates: ordinal", "english_dates: plain")
    )
    add_readout(project)
    result = run(project, "build", "--lang", "en", "--format", "pdf,docx")
    assert result.exit_code == 0, result.output
    pdf = pdf_text(project / "build/en/readouts/meeting.pdf")
    assert "BEKASI (February 8, 2024) –" in pdf
    # (white space folded: a range is a run of its own, which text extraction pads)
    assert "February 5–7, 2024 at 10:00 AM WIB" in " ".join(pdf.split())


def test_indonesian_only_readout_is_skipped_in_english(
    project: Path, add_readout: Callable[..., Path]
) -> None:
    add_readout(project, en_md=None)
    result = run(project, "build", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "skip" in result.output and "no en content" in result.output
    assert "0 written, 1 skipped, 0 failed" in result.output
    assert not (project / "build/en").exists()
    result = run(project, "build", "--lang", "id", "--format", "docx")
    assert "1 written" in result.output
    assert "10.00 WIB" in docx_text(project / "build/id/readouts/meeting.docx")


def test_credits_block(project: Path, add_readout: Callable[..., Path]) -> None:
    from conftest import READOUT_FACTS

    facts = (
        READOUT_FACTS.rstrip(" ") + "    credits: {writer: Ana, editor: Budi, translator: Citra}\n"
    )
    add_readout(project, facts=facts)
    assert run(project, "build", "--format", "docx").exit_code == 0
    id_text = docx_text(project / "build/id/readouts/meeting.docx")
    en_text = docx_text(project / "build/en/readouts/meeting.docx")
    assert "Penulis : Ana\nEditor : Budi\nPenerjemah : Citra" in id_text
    assert "Writer : Ana\nEditor : Budi\nTranslator : Citra" in en_text
    document = docx.Document(str(project / "build/en/readouts/meeting.docx"))
    assert [p.style.name for p in document.paragraphs if "Ana" in p.text] == ["Credits"]


def test_select_documents_by_path(project: Path, add_readout: Callable[..., Path]) -> None:
    add_readout(project, slug="one")
    add_readout(project, slug="two")
    result = run(project, "build", "--format", "html", str(project / "content/readouts/two"))
    assert result.exit_code == 0, result.output
    assert (project / "build/id/readouts/two.html").exists()
    assert not (project / "build/id/readouts/one.html").exists()


def test_content_is_escaped(project: Path, add_readout: Callable[..., Path]) -> None:
    add_readout(
        project,
        id_md="""
        ---
        title: <b>Judul</b>
        ---
        Teks <script>alert(1)</script> dan {{ people.arif.name }}.
        """,
        facts=READOUT_FACTS_WITH_MARKUP,
    )
    assert run(project, "build", "--lang", "id", "--format", "html").exit_code == 0
    html = (project / "build/id/readouts/meeting.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>Judul</b>" not in html and "&lt;b&gt;Judul&lt;/b&gt;" in html
    assert "&lt;i&gt;Arif&lt;/i&gt;" in html


READOUT_FACTS_WITH_MARKUP = """
    city: Bekasi
    date: 2024-02-08
    people:
      arif: {name: <i>Arif</i>}
    """


def test_version() -> None:
    from click.testing import CliRunner

    from plandocs import __version__
    from plandocs.cli import main

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_unknown_format(project: Path) -> None:
    result = run(project, "build", "--format", "odt")
    assert result.exit_code != 0
    assert "choose from pdf, docx, html" in result.output
