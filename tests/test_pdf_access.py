"""The PDFs for screen readers and the archive, checked by a PDF/A and PDF/UA rule
checker (page-validation) and reopened with pikepdf and pdfplumber for what a rule
checker cannot judge: what is an artifact, which header a cell has, what a link says.
"""

from __future__ import annotations

import collections
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import make_project, run, seed_units, shared_renstra
from othertools import failed_rules, page_checker

RENSTRA = "build/id/renstra/kemensos-2025-2029.pdf"
READOUT = "build/id/readouts/bekasi-rakortekrenbang-2024.pdf"


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Renstra and a readout as draft PDFs (laid out chapter by chapter), and as
    draft PDF/A-3b (in one pass) in ``archive/``. The Renstra's units are those of the
    session's (:func:`conftest.shared_renstra`: a draft too, the sample plan's status),
    the same bytes as laid out here: what is read is the PDFs, not what a build lays out."""
    root = make_project(tmp_path_factory.mktemp("access"), with_content=True)
    for folder in ("minutes", "regional", "lkj", "pk"):  # only the two documents are read
        shutil.rmtree(root / "content" / folder)
    shutil.rmtree(root / "content/readouts/renstra-2025-2029-technocratic-draft")
    seed_units(root, shared_renstra(tmp_path_factory, short=False) / "project")
    result = run(root, "build", "--draft", "--lang", "id", "--format", "pdf")
    assert result.exit_code == 0, result.output
    archive = root / "archive"
    archive.mkdir()
    for rel in (RENSTRA, READOUT):
        shutil.copy(root / rel, archive / Path(rel).name)
    result = run(root, "build", "--draft", "--pdfa", "--lang", "id", "--format", "pdf")
    assert result.exit_code == 0, result.output
    for rel in (RENSTRA, READOUT):
        (root / rel).rename(archive / ("pdfa-" + Path(rel).name))
        shutil.copy(archive / Path(rel).name, root / rel)
    return root


def pdfa(drafts: Path, rel: str) -> Path:
    return drafts / "archive" / ("pdfa-" + Path(rel).name)


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every element of the structure tree, in order."""
    found: list[pikepdf.Dictionary] = []

    def walk(element: pikepdf.Object) -> None:
        kids = element.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in items:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


@pytest.mark.slow
def test_every_build_passes_pdf_ua_1(sample: Path) -> None:
    page_checker()
    pdfs = sorted(  # the outputs, not the unit cache's intermediate pieces
        p for p in (sample / "build").rglob("*.pdf") if ".plandocs" not in p.parts
    )
    assert len(pdfs) > 80
    for path in pdfs:
        assert failed_rules(path, "ua1") == {}, path.relative_to(sample)


@pytest.mark.slow
def test_a_draft_passes_pdf_ua_1_and_as_archive_pdf_a_3b(drafts: Path) -> None:
    for rel in (RENSTRA, READOUT):
        assert failed_rules(drafts / rel, "ua1") == {}, rel
        assert failed_rules(pdfa(drafts, rel), "3b") == {}, rel
        assert failed_rules(pdfa(drafts, rel), "ua1") == {}, rel
        with pikepdf.open(pdfa(drafts, rel)) as pdf:
            images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)]
            images = [o for o in images if o.get("/Subtype") == "/Image"]
            assert images and not any(o.get("/Interpolate") for o in images)
            with pdf.open_metadata() as xmp:
                assert xmp.get("pdfaid:part") == "3" and xmp.get("pdfaid:conformance") == "B"
                assert xmp.get("pdfuaid:part") == "1"
            assert "/Filter" not in pdf.Root.Metadata


@pytest.mark.slow
def test_what_every_page_repeats_is_an_artifact(drafts: Path) -> None:
    """The running header, the draft line and the watermark are artifacts on every
    page, laid out chapter by chapter or in one pass; the text is in the tree."""
    for path in (drafts / RENSTRA, pdfa(drafts, RENSTRA)):
        with pdfplumber.open(path) as pdf:
            assert len(pdf.pages) > 20
            for number, page in enumerate(pdf.pages):
                texts: dict[str | None, str] = collections.defaultdict(str)
                for char in page.chars:
                    texts[char.get("tag")] += char["text"]
                artifact, content = texts.pop("Artifact", ""), "".join(texts.values())
                assert "RANCANGAN" in artifact and "Rancangan v3" in artifact, (path, number)
                assert "RANCANGAN" not in content and "Rancangan v3" not in content
                if number >= 2:  # the cover and the foreword's first page have no header
                    assert "Renstra Kementerian Sosial 2025–2029" in artifact, number
                assert None not in texts, (path, number)  # nothing untagged
                assert content.strip(), (path, number)


@pytest.mark.slow
def test_table_headers_have_scopes_and_every_cell_its_headers(drafts: Path) -> None:
    for path in (drafts / RENSTRA, pdfa(drafts, RENSTRA)):
        with pikepdf.open(path) as pdf:
            elements = structure(pdf)
            ids = {bytes(e.ID): e for e in elements if e.S == "/TH"}
            assert len(ids) > 100
            assert all(e.A.get("/Scope") in ("/Column", "/Row") for e in ids.values())
            cells = [e for e in elements if e.S == "/TD"]
            assert cells and all(len(e.A.Headers) for e in cells)
            headers = [{bytes(i) for i in e.A.Headers} for e in cells]
            assert all(h <= set(ids) for h in headers)

            # A cell under a header spanning columns ("Target") has it with its year.
            spanning = {bytes(e.ID) for e in ids.values() if int(e.A.get("/ColSpan", 1)) > 1}
            assert len(spanning) >= 10  # "Target" and "Alokasi" on each page of the tables
            for column in spanning:
                assert sum(column in h for h in headers) >= int(ids[column].A.ColSpan)


@pytest.mark.slow
def test_links_say_what_they_show_and_sit_in_a_link(drafts: Path) -> None:
    for path in (drafts / RENSTRA, pdfa(drafts, RENSTRA), drafts / READOUT):
        with pikepdf.open(path) as pdf:
            names = set()
            if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
                names = {str(n) for n in pikepdf.NameTree(pdf.Root.Names.Dests)}
            tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
            links = [
                a
                for page in pdf.pages
                for a in page.obj.get("/Annots", [])
                if a.get("/Subtype") == "/Link"
            ]
            for annot in links:
                description = str(annot.Contents)
                assert description not in names and "_" not in description, description
                assert tree[int(annot.StructParent)].S == "/Link"
    with pikepdf.open(drafts / RENSTRA) as pdf:
        descriptions = {str(a.Contents) for page in pdf.pages for a in page.obj.get("/Annots", [])}
    assert any(d.startswith("Tabel 4.3 ") for d in descriptions), descriptions
    assert any(d.startswith("BAB I") for d in descriptions), descriptions
