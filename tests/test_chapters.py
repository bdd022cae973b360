"""Chapter-granular PDF (issue 13): the Renstra is laid out unit by unit, each unit
kept in build/.plandocs/units, and assembled with pikepdf.

The assembled PDF is checked against itself after edits that lengthen and shorten a
chapter by pages (footer numbers, the contents' numbers, outline, links, page labels),
against the one-pass layout of the same HTML (text per page, outline, links, tags),
and the cache is observed through the writer's list of units laid out.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import build_laying_out, shared_once, shared_renstra
from inspect_docs import pdfium_pages
from plandocs.writers.pdf import chapters as pdf_units

pytestmark = pytest.mark.slow  # every test lays out, or reads, a Renstra built unit by unit

RENSTRA = "renstra/kemensos-2025-2029"
CHAPTER = "content/renstra/kemensos-2025-2029/id/3-arah-kebijakan.md"
UNITS = "build/.plandocs/units"
FILLER = (
    "Paragraf tambahan ini menguraikan langkah pelaksanaan, pembagian peran, dan "
    "ukuran keberhasilan yang dipantau setiap tahun oleh unit kerja terkait. "
) * 4


def pdf_of(root: Path) -> Path:
    return root / "build" / "id" / f"{RENSTRA}.pdf"


build = build_laying_out
"""Build the Indonesian PDF; the units laid out (not taken from the cache)."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample Renstra, built once (:func:`conftest.shared_renstra`)."""
    return shared_renstra(tmp_path_factory, short=False)


@pytest.fixture(scope="module")
def whole(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built Renstra's HTML laid out in one pass, as the writer did before units."""

    def make(folder: Path) -> None:
        from plandocs.writers.pdf.writer import _layout_whole

        root = built / "project"
        html = (root / "build/id" / f"{RENSTRA}.html").read_text(encoding="utf-8")
        options = {"tagged": True, "cover_label": "Sampul"}
        _layout_whole(root, html, folder / "whole.pdf", options)

    return shared_once(tmp_path_factory, "renstra-whole", make) / "whole.pdf"


@pytest.fixture(scope="module")
def built_short(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample Renstra cut to its foreword, first chapter and annexes, built once: for
    what the cache does with units, whatever their number (every unit laid out again
    with ``--force`` costs a whole layout)."""
    return shared_renstra(tmp_path_factory, short=True)


def first_build(built: Path) -> list[str]:
    """The units the first build of a shared Renstra laid out."""
    return list(json.loads((built / "laid-out.json").read_text(encoding="utf-8")))


def copy_of(built: Path, tmp_path: Path) -> Path:
    """A copy of a shared build's project (times kept: the build's manifest and its unit
    cache hold for it, the cache's keys not naming where the project lies), to edit and
    build again."""
    root = tmp_path / "project"
    shutil.copytree(built / "project", root, symlinks=True)
    assert build(root) == []  # the copy is up to date: nothing laid out
    return root


@pytest.fixture
def renstra(built: Path, tmp_path: Path) -> Path:
    return copy_of(built, tmp_path)


@pytest.fixture
def short_renstra(built_short: Path, tmp_path: Path) -> Path:
    return copy_of(built_short, tmp_path)


# -- reading a PDF ------------------------------------------------------------------


def footers(path: Path) -> list[str]:
    """The words at the foot of each page (below nine tenths of its height, its printed
    number last), split as pdfplumber splits words (at a space or a gap of 3 pt), read
    with PDFium: pdfplumber parses every page's content in Python for this one line.
    On the sample's documents the last word is pdfplumber's on every page."""
    import pypdfium2
    import pypdfium2.raw as pdfium

    found = []
    box = pdfium.FS_RECTF()
    document = pypdfium2.PdfDocument(str(path))
    try:
        for page in document:
            height = page.get_height()
            textpage = page.get_textpage()
            chars = []
            for i in range(pdfium.FPDFText_CountChars(textpage.raw)):
                if pdfium.FPDFText_IsGenerated(textpage.raw, i):
                    continue  # a space or line end PDFium adds, not in the page
                pdfium.FPDFText_GetLooseCharBox(textpage.raw, i, box)
                if height - box.top > height * 0.9:
                    code = pdfium.FPDFText_GetUnicode(textpage.raw, i)
                    chars.append((box.left, box.right, chr(code)))
            words: list[str] = []
            end: float | None = None
            for x0, x1, char in sorted(chars):
                if char.isspace():
                    end = None
                    continue
                if end is None or x0 > end + 3:
                    words.append("")
                words[-1] += char
                end = x1
            found.append(" ".join(words))
            textpage.close()
            page.close()
    finally:
        document.close()
    return found


def read(path: Path) -> dict[str, Any]:
    """What the tests compare: text, footer, label per page; the outline with page
    indexes; every link with the page it leads to."""
    import pdfplumber

    reader = PdfReader(str(path))
    entries = []
    with pdfplumber.open(str(path)) as plumber:  # the contents' pages only
        for page in plumber.pages[:8]:
            lowest: dict[str, Any] = {}  # an entry over two lines: its last line's link
            for annot in page.annots:
                dest = annot["data"].get("Dest")
                if isinstance(dest, bytes) and (
                    dest not in lowest or annot["top"] > lowest[dest]["top"]
                ):
                    lowest[dest] = annot
            # The words of a page with entries only: its links are read from the page's
            # dictionary, its words by parsing its content.
            words = page.extract_words() if lowest else []
            for dest, annot in lowest.items():
                line = [w for w in words if annot["top"] - 1 <= w["top"] <= annot["bottom"]]
                last = max(line, key=lambda w: w["x1"])["text"] if line else ""
                entries.append((dest.decode(), last.lstrip(".…")))
    labels = list(reader.page_labels)

    def walk(items: list[Any], depth: int = 0) -> list[tuple[int, str, int]]:
        found: list[tuple[int, str, int]] = []
        for item in items:
            if isinstance(item, list):
                found += walk(item, depth + 1)
            else:
                found.append((depth, str(item.title), reader.get_destination_page_number(item)))
        return found

    dests = {
        name: reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }
    links = []
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                links.append((number, str(annot["/Dest"]), dests.get(str(annot["/Dest"]))))
    return {
        "texts": pdfium_pages(path),  # the characters of each page, in PDFium's order
        "footers": footers(path),
        "labels": labels,
        "outline": walk(reader.outline),
        "dests": dests,
        "links": links,
        "entries": entries,
    }


@functools.cache
def read_once(path: Path) -> dict[str, Any]:
    """:func:`read` of a file no test changes (the shared build's), read once."""
    return read(path)


def assert_consistent(doc: dict[str, Any]) -> None:
    """Footers print the page labels; every link and outline entry leads to the page
    holding its heading; the contents print the label of the page each entry is on."""
    labels, texts = doc["labels"], doc["texts"]
    assert labels[0] == "Sampul"
    for number, (label, foot) in enumerate(zip(labels, doc["footers"], strict=True)):
        if number:
            assert foot.split()[-1] == label, (number, foot, label)
    assert doc["links"], "the contents link to the chapters"
    for _page, name, target in doc["links"]:
        assert target is not None, name
    for _depth, title, target in doc["outline"]:
        heading = re.sub(r"\s+", " ", title).strip()
        page_text = re.sub(r"\s+", " ", texts[target])
        assert heading.split()[-1].upper() in page_text.upper(), (title, target)
    # The contents and lists: each entry's link leads to the page whose label the
    # entry prints at its end.
    assert len(doc["entries"]) >= 10
    for name, printed in doc["entries"]:
        assert printed == labels[doc["dests"][name]], (name, printed)


# -- the tests ----------------------------------------------------------------------


def test_assembled_pdf_matches_one_pass_layout(built: Path, whole: Path) -> None:
    renstra = built / "project"
    units = read_once(pdf_of(renstra))
    assert_consistent(units)
    # The same HTML laid out in one pass, as the writer did before units (``whole``).
    single = read(whole)
    assert units["texts"] == single["texts"]
    assert units["labels"] == single["labels"]
    assert units["outline"] == single["outline"]
    assert sorted(units["links"]) == sorted(single["links"])
    assert units["dests"] == single["dests"]
    # The units' subsets of a font are merged: one font per face, as in one pass,
    # the page numbers' too.
    drawn = fonts(pdf_of(renstra))
    assert {name for name, _ in drawn} == {name for name, _ in fonts(whole)}
    assert len(drawn) == len({name for name, _ in drawn})


def fonts(path: Path) -> set[tuple[str, Any]]:
    """Every font drawn (on pages and in the forms they draw): name, object."""
    found: set[tuple[str, Any]] = set()

    def walk(resources: Any) -> None:
        for font in (resources or {}).get("/Font", {}).values():
            found.add((str(font.BaseFont)[8:], font.objgen))  # the name without its tag
        for form in (resources or {}).get("/XObject", {}).values():
            if form.get("/Subtype") == "/Form":
                walk(form.get("/Resources"))

    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            walk(page.obj.get("/Resources"))
    return found


def tags(path: Path) -> dict[str, Any]:
    """The structure tree: elements by type, and which pages it reaches."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        kinds: dict[str, int] = {}
        pages: set[int] = set()
        index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        documents = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
        stack = list(documents)
        while stack:
            element = stack.pop()
            if not isinstance(element, pikepdf.Dictionary):
                continue
            if "/S" in element:
                kinds[str(element.S)] = kinds.get(str(element.S), 0) + 1
            if "/Pg" in element:
                pages.add(index[element.Pg.objgen])
            kids = element.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
        nums = list(root.ParentTree.Nums)
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        parents = [int(page.obj.StructParents) for page in pdf.pages]
        annots = [
            int(a.StructParent)
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if "/StructParent" in a
        ]
        return {
            "kinds": kinds,
            "pages": pages,
            "count": len(pdf.pages),
            "documents": len(documents),
            "keys": keys,
            "parents": parents,
            "annots": annots,
            "next": int(root.get("/ParentTreeNextKey", -1)),
            "lang": str(pdf.Root.Lang),
            "marked": bool(pdf.Root.MarkInfo.Marked),
        }


def test_tags_merged_into_one_tree(built: Path, whole: Path) -> None:
    merged = tags(pdf_of(built / "project"))
    assert merged["documents"] == 1 and merged["lang"] == "id-ID" and merged["marked"]
    # The tree reaches every page but the cover's (an image and lines, tagged too).
    assert merged["pages"] >= set(range(1, merged["count"]))
    # Each page's and each link's key is its own, and the parent tree holds them all.
    assert len(set(merged["parents"] + merged["annots"])) == merged["count"] + len(merged["annots"])
    assert set(merged["parents"] + merged["annots"]) == set(merged["keys"])
    assert merged["next"] > max(merged["keys"])
    single = tags(whole)  # the same HTML laid out in one pass
    for kind in ("/H1", "/H2", "/Table", "/TR", "/TH", "/Caption", "/Link", "/Figure", "/P"):
        assert merged["kinds"].get(kind) == single["kinds"].get(kind), kind
    assert merged["kinds"]["/Document"] == 1


def test_one_chapter_edit_lays_out_that_chapter_only(built: Path, renstra: Path) -> None:
    first = first_build(built)
    assert first[: len(first) - 2].count("front") <= 1 and "page numbers" in first
    before = read_once(pdf_of(built / "project"))
    text = (renstra / CHAPTER).read_text(encoding="utf-8")
    (renstra / CHAPTER).write_text(
        text.replace("sebagai prioritas.", "sebagai prioritas utama.", 1), encoding="utf-8"
    )
    again = build(renstra)
    assert again == ["unit-3"]  # the third chapter; the front matter and numbers are kept
    after = read(pdf_of(renstra))
    assert after["labels"] == before["labels"]
    assert "prioritas utama" in re.sub(r"\s+", " ", "".join(after["texts"]))
    assert_consistent(after)
    # Nothing changed: nothing laid out, and the output is not even rewritten.
    assert build(renstra) == []


def test_lengthen_and_shorten_a_chapter(built: Path, renstra: Path) -> None:
    before = read_once(pdf_of(built / "project"))
    text = (renstra / CHAPTER).read_text(encoding="utf-8")
    marker = "# Arah Kebijakan dan Strategi Kementerian Sosial"
    longer = text.replace(marker, "\n\n".join([FILLER] * 14) + "\n\n" + marker, 1)
    (renstra / CHAPTER).write_text(longer, encoding="utf-8")
    laid = build(renstra)
    assert "unit-3" in laid and "unit-1" not in laid and "unit-4" not in laid
    long = read(pdf_of(renstra))
    assert len(long["labels"]) >= len(before["labels"]) + 2
    assert_consistent(long)
    # Later chapters moved: their outline entries point further on, by as many pages.
    moved = len(long["labels"]) - len(before["labels"])
    last_before = [t for t in before["outline"] if t[0] == 0][-1]
    last_after = [t for t in long["outline"] if t[0] == 0][-1]
    assert last_after[1] == last_before[1] and last_after[2] == last_before[2] + moved

    (renstra / CHAPTER).write_text(
        text.split("## Rehabilitasi Sosial")[0] + "\n", encoding="utf-8"
    )  # the chapter cut short: a page or more less than at first
    laid = build(renstra)
    assert "unit-3" in laid and "unit-4" not in laid
    short = read(pdf_of(renstra))
    assert len(short["labels"]) <= len(before["labels"]) - 1
    assert_consistent(short)


def test_reproducible_with_and_without_the_cache(short_renstra: Path) -> None:
    renstra = short_renstra
    first = pdf_of(renstra).read_bytes()  # as the first build wrote it (a copy of it)
    shutil.rmtree(renstra / UNITS)
    laid = build(renstra, "--force")
    assert "unit-1" in laid and "front" in laid
    assert pdf_of(renstra).read_bytes() == first  # laid out again: the same bytes
    assert set(build(renstra, "--force")) == set(laid)  # --force trusts no cache
    assert pdf_of(renstra).read_bytes() == first
    pdf_of(renstra).unlink()
    assert build(renstra) == []  # the output gone, every unit from the cache: the same bytes
    assert pdf_of(renstra).read_bytes() == first


def test_a_damaged_unit_is_laid_out_again(built_short: Path, short_renstra: Path) -> None:
    renstra = short_renstra
    every = set(first_build(built_short))  # the first build laid out every unit
    assert {"front", "unit-1", "unit-2", "page numbers"} <= every
    first = pdf_of(renstra).read_bytes()
    entries = sorted((renstra / UNITS).glob("*.pdf"))
    for entry in entries[::2]:
        entry.write_bytes(entry.read_bytes()[:1000])  # cut short
    for entry in entries[1::2]:
        entry.with_suffix(".json").write_text("{not json", encoding="utf-8")  # unreadable
    assert set(build(renstra, "--force")) == every
    assert pdf_of(renstra).read_bytes() == first
    # An entry that is a link (even to a copy of itself outside build/) is not followed.
    outside = renstra / "outside"
    outside.mkdir()
    for entry in sorted((renstra / UNITS).glob("*.pdf")):
        (outside / entry.name).write_bytes(entry.read_bytes())
        entry.unlink()
        entry.symlink_to(outside / entry.name)
    assert set(build(renstra, "--force")) == every
    assert pdf_of(renstra).read_bytes() == first
    for copy in outside.iterdir():  # written through build/'s entries, never through a link
        assert (
            copy.read_bytes() == (renstra / UNITS / copy.name).read_bytes()
            or (renstra / UNITS / copy.name).is_symlink()
        )
    assert sum(not p.is_symlink() for p in (renstra / UNITS).glob("*.pdf")) >= len(every)
    # A PDF that is whole but not the one its record names is not believed either.
    for entry in sorted((renstra / UNITS).glob("*.pdf")):
        entry.write_bytes(entries[0].read_bytes().replace(b"/Type", b"/Type "))
    assert set(build(renstra, "--force")) == every
    assert pdf_of(renstra).read_bytes() == first


def test_units_of_a_document() -> None:
    html = (
        '<html><head><style>p{}</style></head><body class="renstra">'
        '<div class="summary">S</div><div class="running-header">R</div>'
        '<section data-page="cover">C</section><section data-page="front">'
        '<a href="#b1">1</a><a href="#f">f</a><h1 id="f">F</h1></section>'
        '<section data-page="body"><h1 id="b1">B</h1><a href="#f">back</a></section>'
        '<section data-page="landscape"><h1 id="l">L</h1></section></body></html>'
    )
    units = pdf_units.split_units(html)
    assert units is not None
    assert [u.name for u in units] == ["front", "unit-1", "unit-2"]
    front, body, annex = (u.html for u in units)
    assert front.count("<section") == 2 and 'data-page="cover"' in front
    assert all(
        u.startswith('<html><head><style>p{}</style></head><body class="renstra"><div')
        for u in (front, body, annex)
    )
    assert all('<div class="running-header">R</div>' in u for u in (front, body, annex))
    # A redline's summary of changes opens the first unit only.
    assert '<div class="summary">S</div>' in front
    assert "summary" not in body and "summary" not in annex
    assert 'href="plandocs-anchor:b1"' in front and 'href="#f"' in front
    assert 'href="plandocs-anchor:f"' in body
    assert all(u.endswith("</body></html>") for u in (front, body, annex))
    assert pdf_units.split_units("<html><body><p>readout</p></body></html>") is None


def test_the_cache_keeps_the_units_used_last(renstra: Path) -> None:
    folder = renstra / UNITS  # as the first build left it (a copy of it)
    used = {p.name for p in folder.glob("*.json") if not p.name.startswith("front-")}
    for n in range(5):  # old entries, used long ago
        old = folder / f"{n:064x}.json"
        old.write_text('{"sha256": "", "pages": []}', encoding="utf-8")
        (folder / f"{n:064x}.pdf").write_bytes(b"%PDF-1.7\n")
        os.utime(old, (1, 1))
    pdf_units.UnitCache(renstra).prune(len(used))
    assert {p.name for p in folder.glob("*.json") if not p.name.startswith("front-")} == used
    assert len(list(folder.glob("*.pdf"))) == len(used)
