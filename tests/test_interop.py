"""The Word files in other people's tools: pandoc reads every heading and list item."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from othertools import blocks_of, pandoc_json, pandocs


def expected_blocks(path: Path) -> list[tuple[str, str]]:
    """The headings and list items of a DOCX as Word has them: paragraphs in a heading
    style, and numbered paragraphs in a list style, with their text."""
    found: list[tuple[str, str]] = []
    for paragraph in docx.Document(str(path)).paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        text = " ".join(paragraph.text.split())
        p_pr = paragraph._p.pPr
        if style.startswith("Heading") or style == "TOC Heading":
            found.append(("header", text))
        elif style.startswith("List") and p_pr is not None and p_pr.numPr is not None:
            found.append(("item", text))
    return found


def sample_docx(sample: Path) -> list[Path]:
    """One DOCX of every kind and language of the sample (a regional sheet once)."""
    found = sorted(p for p in (sample / "build").glob("*/*/*.docx") if ".changes" not in p.name)
    found += sorted((sample / "build").glob("*/regional/*/11.docx"))
    return found


@pytest.mark.slow
def test_pandoc_reads_every_heading_and_list_item(sample: Path) -> None:
    files = sample_docx(sample)
    assert len(files) >= 10
    for name, program in pandocs():
        for path in files:
            wanted = expected_blocks(path)
            got = blocks_of(pandoc_json(program, path))
            assert got == wanted, (name, path.relative_to(sample))
            assert all(text for _, text in got), (name, path.name)
    renstra = expected_blocks(sample / "build/id/renstra/kemensos-2025-2029.docx")
    assert ("header", "Lingkungan Strategis") in renstra
    assert sum(kind == "item" for kind, _ in renstra) > 20


# -- reference documents -----------------------------------------------------------------
def _reference_build(tmp_path: Path, make: str) -> tuple[Path, str]:
    """The Renstra built as DOCX with a reference document made by ``make``: python-docx's
    default (US Letter) or LibreOffice's (saved from HTML: no header distance)."""
    import shutil
    import subprocess

    from conftest import make_project, run

    (tmp_path / "project").mkdir()
    root = make_project(tmp_path / "project", with_content=True)
    for other in (root / "content").iterdir():  # the Renstra alone
        if other.name != "renstra":
            shutil.rmtree(other)
    reference = root / "reference.docx"
    if make == "python-docx":
        docx.Document().save(str(reference))
    else:
        soffice = shutil.which("soffice")
        if soffice is None:
            pytest.skip("LibreOffice is not installed")
        (tmp_path / "lo").mkdir()
        (tmp_path / "lo/reference.html").write_text("<html><body><p>Kop</p></body></html>")
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo/profile",
             "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"),
             str(tmp_path / "lo/reference.html")],
            capture_output=True, timeout=300, check=False,
        )  # fmt: skip
        shutil.copy(tmp_path / "lo/reference.docx", reference)
    with (root / "plandocs.yaml").open("a", encoding="utf-8") as settings:
        settings.write("reference_docx: reference.docx\n")
    result = run(root, "build", "--format", "docx", "--lang", "id")
    assert result.exit_code == 0, result.output
    return root / "build/id/renstra/kemensos-2025-2029.docx", result.output


@pytest.mark.slow
@pytest.mark.parametrize("make", ["python-docx", "libreoffice"])
def test_a_reference_gives_styles_and_plandocs_yaml_the_page(tmp_path: Path, make: str) -> None:
    import subprocess

    import pdfplumber

    from wordedit import libreoffice

    path, output = _reference_build(tmp_path, make)
    warning = next(line for line in output.splitlines() if "warning:" in line)
    assert warning.startswith("reference.docx: warning: the reference document's page differs")
    if make == "python-docx":
        assert "page height 27.94 cm (plandocs.yaml: 29.70 cm)" in warning
    else:
        assert "header distance 0.00 cm (plandocs: 1.00 cm)" in warning
    document = docx.Document(str(path))
    for section in document.sections:
        short, long_ = sorted((section.page_width.mm, section.page_height.mm))
        assert (round(short), round(long_)) == (210, 297)  # A4, as plandocs.yaml says
        assert round(section.header_distance.cm, 2) == round(section.footer_distance.cm, 2) == 1
    body = document.sections[1]
    assert (round(body.top_margin.cm, 2), round(body.left_margin.cm, 2)) == (2, 3)
    # LibreOffice lays it out on A4 with "BAB I" inside the text block.
    program = libreoffice()
    subprocess.run(
        [program, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo2",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / "pdf" / (path.stem + ".pdf")) as pdf:
        assert round(pdf.pages[0].width) == 595 and round(pdf.pages[0].height) == 842
        for page in pdf.pages:
            words = page.extract_words()
            heads = [w for w in words if w["text"] == "BAB"]
            for word in heads:
                assert word["x0"] >= 3 / 2.54 * 72 - 1, (page.page_number, word)
            top = min((w["top"] for w in words), default=100)
            assert top >= 1 / 2.54 * 72 - 2, page.page_number  # no header at the edge
