"""plandocs build --compare REV: redlines between two drafts of the sample Renstra, as
tracked changes in Word and as marked text (after a summary) in PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import edit, make_project, run, seed_units, shared_renstra
from plandocs.compare.redline import redline
from wordedit import libreoffice_save

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RENSTRA = "content/renstra/kemensos-2025-2029"
CH3 = f"{RENSTRA}/id/3-arah-kebijakan.md"
OUT = "build/id/renstra/kemensos-2025-2029"
EPOCH = "1732060800"  # 2024-11-20
BLUE, RED = "0.043137 0.32549 0.580392", "0.65098 0.109804 0"


def git(root: Path, *args: str) -> str:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    done = subprocess.run(
        ["git", "-c", "user.name=Biro Perencanaan", "-c", "user.email=biro@example.org", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def draft_v3(root: Path) -> None:
    """What changed between Rancangan v2 and v3."""
    ch3 = root / CH3
    edit(ch3, "berperan langsung pada", "berperan langsung dan strategis pada")
    edit(ch3, "dilatih untuk menghadapi", "dilatih menghadapi")
    edit(
        ch3,
        "Sejalan dengan arah kebijakan nasional, Kementerian Sosial menetapkan arah kebijakan "
        "berikut.\n\n",
        "",
    )
    edit(
        ch3,
        "# Kerangka Regulasi\n",
        "# Kerangka Regulasi\n\nRegulasi diharmonisasikan bersama pemerintah daerah.\n",
    )
    edit(root / RENSTRA / "data/targets.csv", "IKP 2.1,75,78,80", "IKP 2.1,75,79,80")


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding the sample Renstra at v2, then v3, built with --compare.
    The drafts are the Renstra's alone: the sample's other documents (which do not
    refer to it, nor it to them) are left out, so that no build or comparison here
    makes them."""
    root = make_project(tmp_path_factory.mktemp("compare"), with_content=True)
    for other in (root / "content").iterdir():
        if other.name != "renstra":
            shutil.rmtree(other)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Rancangan v2")
    draft_v3(root)
    git(root, "commit", "-qam", "Rancangan v3")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        result = run(root, "build", "--compare", "HEAD~1")
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    assert f"wrote {OUT}.changes.docx" in result.output
    # The target changed in the English tables too.
    assert "wrote build/en/renstra/kemensos-2025-2029.changes.pdf" in result.output
    return root


def document_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def revision_texts(root: etree._Element, kind: str) -> list[str]:
    found = []
    for el in root.iter(f"{W}{kind}"):
        if el.getparent().tag == f"{W}rPr":
            continue
        assert el.get(f"{W}author") == "plandocs"
        assert el.get(f"{W}date") == "2024-11-20T00:00:00Z"
        tag = "delText" if kind == "del" else "t"
        found.append("".join(t.text or "" for t in el.iter(f"{W}{tag}")))
    return found


def test_the_docx_carries_real_tracked_changes(drafts: Path) -> None:
    root = document_xml(drafts / f"{OUT}.changes.docx")
    inserted = revision_texts(root, "ins")
    deleted = revision_texts(root, "del")
    assert " dan strategis" in inserted
    assert "Regulasi diharmonisasikan bersama pemerintah daerah." in inserted
    assert "untuk " in deleted
    assert any(d.startswith("Sejalan dengan arah kebijakan nasional") for d in deleted)
    # Whole paragraphs: their marks are tracked too.
    marks = [el.tag for el in root.iter(f"{W}ins", f"{W}del") if el.getparent().tag == f"{W}rPr"]
    assert f"{W}ins" in marks and f"{W}del" in marks
    # The changed target cell: shaded, with the old value deleted and the new inserted,
    # in both tables that show it (Tabel 4.1 and the annex matrix).
    cells = [tc for tc in root.iter(f"{W}tc") if tc.find(f"{W}tcPr/{W}shd") is not None]
    assert len(cells) == 2
    # (At the precision of its column: one decimal where another target there needs it.)
    for tc in cells:
        assert [t.text for t in tc.iter(f"{W}delText")] in (["78"], ["78,0"])
        assert [t.text for t in tc.iter(f"{W}t")] in (["79"], ["79,0"])
    # The rest of the document is what the writer always makes: styles, numbering,
    # sections, fields.
    normal = document_xml(drafts / f"{OUT}.docx")
    for tag in ("sectPr", "tbl", "instrText", "tblHeader"):
        assert len(list(root.iter(f"{W}{tag}"))) == len(list(normal.iter(f"{W}{tag}"))), tag
    # No source anchors in a redline: it is for reading, not for review.
    assert b"urn:plandocs:anchors" not in b"".join(
        zipfile.ZipFile(drafts / f"{OUT}.changes.docx").read(n)
        for n in zipfile.ZipFile(drafts / f"{OUT}.changes.docx").namelist()
    )


def test_pandoc_reads_the_changes(drafts: Path) -> None:
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    text = subprocess.run(
        ["pandoc", "--track-changes=all", str(drafts / f"{OUT}.changes.docx"), "-t", "markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    assert '[dan strategis]{.insertion author="plandocs"' in flat
    assert '[untuk]{.deletion author="plandocs"' in flat
    assert re.search(r'\[78(,0)?\]\{\.deletion author="plandocs"', flat)
    accepted = subprocess.run(
        ["pandoc", "--track-changes=accept", str(drafts / f"{OUT}.changes.docx"), "-t", "plain"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(accepted.split())
    assert "berperan langsung dan strategis pada" in flat
    assert "Sejalan dengan arah kebijakan nasional" not in flat


def test_libreoffice_opens_the_changes(drafts: Path, tmp_path: Path) -> None:
    pdf = libreoffice_save(drafts / f"{OUT}.changes.docx", tmp_path / "lo", to="pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "dan strategis" in text and "Sejalan dengan arah kebijakan nasional" in text


def test_the_pdf_opens_with_a_summary_and_marks_the_text(drafts: Path) -> None:
    reader = PdfReader(drafts / f"{OUT}.changes.pdf")
    first = " ".join(reader.pages[0].extract_text().split())
    assert "RINGKASAN PERUBAHAN Dibandingkan dengan HEAD~1 (" in first
    assert "BAB III ARAH KEBIJAKAN" in first and "3.3 Kerangka Regulasi" in first
    assert "BAB IV TARGET KINERJA" in first
    assert re.search(r"78(,0)? → 79(,0)?", first)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    body = next(i for i, t in enumerate(pages) if "langsung dan strategis pada" in t and i > 1)
    colours = reader.pages[body].get_contents().get_data().decode("latin-1")
    # Inserted text in blue, underlined (a blue stroke); deleted in red, struck through.
    for colour in (BLUE, RED):
        assert f"{colour} rg" in colours and f"{colour} RG" in colours
    assert any("Sejalan dengan arah kebijakan nasional" in t for t in pages[body:])
    # The redline has as many pages as the document plus its summary.
    assert len(reader.pages) > len(PdfReader(drafts / f"{OUT}.pdf").pages)


def test_redlines_are_reproducible(
    drafts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    before = (drafts / f"{OUT}.changes.docx").read_bytes()
    copy = tmp_path / "again"
    shutil.copytree(drafts, copy)
    (copy / f"{OUT}.changes.docx").unlink()
    # The same formats as before: the Word table of contents shows the PDF's page numbers.
    result = run(copy, "build", "--lang", "id", "--compare", "HEAD~1")
    assert result.exit_code == 0, result.output
    assert (copy / f"{OUT}.changes.docx").read_bytes() == before


def test_compare_with_a_folder_holding_an_earlier_build(drafts: Path, tmp_path: Path) -> None:
    earlier = tmp_path / "v2"
    git(drafts, "worktree", "add", "-q", str(earlier), "HEAD~1")
    assert run(earlier, "build", "--lang", "id", "--format", "html").exit_code == 0
    copy = tmp_path / "v3"
    shutil.copytree(drafts, copy, ignore=shutil.ignore_patterns(".git"))
    (copy / f"{OUT}.changes.docx").unlink()
    result = run(
        copy, "build", "--lang", "id", "--format", "docx", "--compare", str(earlier / "build")
    )
    assert result.exit_code == 0, result.output
    assert " dan strategis" in revision_texts(document_xml(copy / f"{OUT}.changes.docx"), "ins")


def test_nothing_changed_nothing_written(drafts: Path, tmp_path: Path) -> None:
    copy = tmp_path / "same"
    shutil.copytree(drafts, copy)
    for old in copy.glob("build/*/renstra/*.changes.*"):
        old.unlink()
    result = run(copy, "build", "--format", "docx", "--compare", "HEAD")
    assert result.exit_code == 0, result.output
    for lang in ("id", "en"):
        assert f"renstra/kemensos-2025-2029 [{lang}]: no text changed since HEAD" in result.output
    assert not list(copy.glob("build/*/renstra/*.changes.*"))


def test_a_revision_that_does_not_exist(drafts: Path) -> None:
    result = run(drafts, "build", "--lang", "id", "--format", "docx", "--compare", "v9")
    assert result.exit_code == 1
    assert "'v9' is neither a folder nor a git revision of this project" in result.output
    assert "Traceback" not in result.output


def test_redline_marks_words_blocks_and_cells() -> None:
    old = (
        "<html><body><h1>BAB I</h1><p>One two three.</p><p>Gone paragraph here.</p>"
        "<ul><li>alpha</li><li>beta</li></ul>"
        "<table><tr><td>IKP 1</td><td>10</td></tr><tr><td>IKP 2</td><td>20</td></tr></table>"
        "</body></html>"
    )
    new = (
        "<html><body><h1>BAB I</h1><p>One <b>two</b> and three.</p>"
        "<ul><li>alpha</li></ul>"
        "<table><tr><td>IKP 1</td><td>11</td></tr><tr><td>IKP 2</td><td>20</td></tr>"
        "<tr><td>IKP 3</td><td>30</td></tr></table></body></html>"
    )
    marked = redline(old, new, "plandocs", "2024-11-20T00:00:00Z")
    from lxml import html

    out = html.tostring(marked.tree, encoding="unicode")
    assert "<b>two</b> <ins " in out and ">and </ins>three.</p>" in out
    assert 'data-change="deleted"' in out and ">Gone paragraph here.</del>" in out
    assert out.index("Gone paragraph") < out.index("alpha")
    assert ">beta</del></li>" in out
    assert '<td class="pd-changed"><del ' in out and ">10</del><ins " in out and ">11</ins>" in out
    assert '<tr data-change="inserted">' in out
    kinds = sorted({c.kind for c in marked.changes})
    assert kinds == ["block-", "cell", "inserted", "row+"]
    assert redline(old, old, "plandocs", "2024-11-20T00:00:00Z").changed is False


@pytest.fixture(scope="module")
def draft_redline(drafts: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same two drafts compared with --draft: the redlines carry the draft stamps.
    The units of the chapters v3 did not change are those of the session's Renstra (a
    draft, as the sample plan's status says, of the same date: :func:`conftest.shared_renstra`)."""
    root = tmp_path_factory.mktemp("draft-compare") / "project"
    shutil.copytree(drafts, root, symlinks=True)
    seed_units(root, shared_renstra(tmp_path_factory, short=False) / "project")
    result = run(root, "build", "--draft", "--lang", "id", "--compare", "HEAD~1")
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.slow
def test_a_draft_redline_keeps_what_every_page_shows(draft_redline: Path) -> None:
    """Running header, watermark and draft line on every page of the document after the
    summary, as in the circulated PDF: chapters and annexes included."""
    import pdfplumber

    with pdfplumber.open(draft_redline / f"{OUT}.pdf") as pdf:
        circulated = len(pdf.pages)
    with pdfplumber.open(draft_redline / f"{OUT}.changes.pdf") as pdf:
        # In drawing order (the watermark's letters are rotated: laid-out text scatters them).
        pages = ["".join(char["text"] for char in page.chars) for page in pdf.pages]
    summary = len(pages) - circulated
    assert 1 <= summary <= 3
    for number, text in enumerate(pages[summary:], start=1):
        assert "RANCANGAN" in text and "Rancangan v3" in text, number
        if number > 2:  # the cover and the foreword's first page have no header
            assert "Renstra Kementerian Sosial 2025–2029" in text, number


@pytest.mark.slow
def test_the_redline_docx_numbers_the_front_matter_as_the_document(draft_redline: Path) -> None:
    """The Word file has no summary: its contents list gives the front matter i, ii …
    as the circulated DOCX does, and the chapters their pages."""

    def contents(path: Path) -> list[str]:
        import docx

        return [
            p.text
            for p in docx.Document(str(path)).paragraphs
            if p.style is not None and re.fullmatch(r"toc \d", p.style.name.lower())
        ]

    redline_toc = contents(draft_redline / f"{OUT}.changes.docx")
    circulated = contents(draft_redline / f"{OUT}.docx")
    assert redline_toc and redline_toc == circulated
    assert redline_toc[0].endswith("\ti")
