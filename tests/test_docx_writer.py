"""The HTML → Word mapping on small hand-made documents."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from plandocs.errors import WriterError
from plandocs.project import Project
from plandocs.render.page import RenderedDocument
from plandocs.writers.docx.writer import DocxWriter


def write_docx(project: Path, body: str) -> docx.document.Document:
    head = '<!DOCTYPE html><html lang="en"><head><title>T</title></head>'
    doc = RenderedDocument(
        html=f"{head}<body>{body}</body></html>",
        title="T",
        lang="en",
        author="Unit, Org",
        source=project / "content/x.md",
        templates=(),
    )
    target = project / "out.docx"
    DocxWriter(Project.load(project)).write(doc, target)
    return docx.Document(str(target))


def test_inline_formatting_becomes_runs(project: Path) -> None:
    document = write_docx(
        project,
        "<p>Plain <strong>bold <em>both</em></strong> <em>italic</em>"
        "<br>next <code>x=1</code> <a href='https://example.org/'>link</a></p>",
    )
    runs = document.paragraphs[0].runs
    shown = [(r.text, bool(r.bold), bool(r.italic)) for r in runs]
    assert shown[:5] == [
        ("Plain ", False, False),
        ("bold ", True, False),
        ("both", True, True),
        (" ", False, False),
        ("italic", False, True),
    ]
    assert document.paragraphs[0].text.startswith("Plain bold both italic\nnext x=1")
    assert any(r.font.name == "Courier New" and r.text == "x=1" for r in runs)
    link = document.paragraphs[0]._p.find(qn("w:hyperlink"))
    rel = document.part.rels[link.get(qn("r:id"))]
    assert rel.target_ref == "https://example.org/"


def test_white_space_collapses_like_html(project: Path) -> None:
    document = write_docx(project, "<p>\n  one\n   two  <b> three </b>  four\n</p>")
    assert document.paragraphs[0].text == "one two three four"


def test_headings_lists_and_quotes(project: Path) -> None:
    document = write_docx(
        project,
        "<h2>Section</h2><h3>Sub</h3><ul><li>a<ul><li>a1</li></ul></li><li><p>b</p></li></ul>"
        "<ol><li>one</li></ol><blockquote><p>quoted</p></blockquote><hr>",
    )
    got = [(p.style.name, p.text) for p in document.paragraphs]
    assert got[:7] == [
        ("Heading 2", "Section"),
        ("Heading 3", "Sub"),
        ("List Bullet", "a"),
        ("List Bullet 2", "a1"),
        ("List Bullet", "b"),
        ("List Number", "one"),
        ("Quote", "quoted"),
    ]


def test_table_with_repeating_header_row(project: Path) -> None:
    document = write_docx(
        project,
        "<table><thead><tr><th>Indikator</th><th style='text-align:right'>2025</th></tr></thead>"
        "<tbody><tr><td>A</td><td style='text-align:right'>1,5</td></tr>"
        "<tr><td colspan='2'>merged</td></tr></tbody></table>",
    )
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Indikator", "2025"]
    assert [c.text for c in table.rows[1].cells] == ["A", "1,5"]
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # right
    assert table.rows[2].cells[0].text == "merged"
    assert table.rows[2].cells[0]._tc is table.rows[2].cells[1]._tc
    assert table.style.name == "Table Grid"


@pytest.mark.parametrize(
    ("body", "element"),
    [
        ("<p>x <blink>y</blink></p>", "<blink>"),
        ("<img src='a.png'>", "<img>"),
        ("<form><p>x</p></form>", "<form>"),
    ],
)
def test_unknown_elements_are_errors(project: Path, body: str, element: str) -> None:
    with pytest.raises(WriterError, match=f"{element} inside .* has no Word mapping"):
        write_docx(project, body)
    assert not (project / "out.docx").exists()
    assert not list(project.glob(".out.docx.*"))
