"""Tables in both formats: column widths from one definition, rows that never split,
continued captions, figures with one precision, no cell broken inside a word.

Checked on the sample Renstra in both languages and on a generated plan whose tables
run over several pages (with a Markdown table in its prose), by reopening the DOCX
(python-docx, lxml), reading the PDF's tables (pdfplumber) and, where LibreOffice is
installed, reading the PDF LibreOffice makes of the DOCX.
"""

from __future__ import annotations

import functools
import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
import yaml
from docx.oxml.ns import qn
from lxml import html as lxml_html

from conftest import REPO, libreoffice_convert, make_project, run, seed_units, shared_renstra
from inspect_docs import tables_by_page
from plandocs.render.columns import Need, decimals, share_out
from plandocs.render.markdown import render_markdown

pytestmark = (
    pytest.mark.slow
)  # the sample and a long plan built, and their tables measured in PDF, DOCX and LibreOffice

SLUG = "kemensos-2025-2029"
PLAN = Path("content/renstra") / SLUG
LABEL = {"id": "Tabel", "en": "Table"}
CONTINUED = {"id": "(lanjutan)", "en": "(continued)"}
YEARS = [str(y) for y in range(2025, 2030)]
INDICATOR = re.compile(r"^(IKSS|IKP|IKK)\s\d")
W_W, W_TYPE = qn("w:w"), qn("w:type")
LONG_ACTIVITIES = 24


def out(root: Path, lang: str, suffix: str) -> Path:
    return root / "build" / lang / "renstra" / f"{SLUG}.{suffix}"


@pytest.fixture(scope="module")
def long_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plan with 24 more activities (Tabel 4.2 and the matrix run over many
    pages) and a Markdown table in its first chapter, built in Indonesian (the units it
    shares with the sample's, those of chapters it does not change, from the session's
    Renstra: :func:`conftest.shared_renstra`)."""
    root = make_project(tmp_path_factory.mktemp("long"), with_content=True)
    seed_units(root, shared_renstra(tmp_path_factory, short=False) / "project")
    plan_file = root / PLAN / "plan.yaml"
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    program = plan["programs"][-1]
    for n in range(3, 3 + LONG_ACTIVITIES):
        program["activities"].append(
            {
                "code": f"K3.{n}",
                "name": {
                    "id": f"Penguatan Layanan Kesejahteraan Sosial Terpadu Wilayah {n}",
                    "en": f"Strengthening Integrated Social Welfare Services in Region {n}",
                },
                "target": {
                    "id": "Meningkatnya jangkauan dan mutu layanan kesejahteraan sosial",
                    "en": "Wider reach and better quality of social welfare services",
                },
                "unit": {"id": "Sekretariat Jenderal", "en": "Secretariat General"},
                "budget": {y: 1_000_000_000 * (n + y - 2020) for y in range(2025, 2030)},
                "indicators": [
                    {
                        "code": f"IKK 3.{n}.1",
                        "name": {
                            "id": "Persentase penerima manfaat yang mendapatkan pendampingan "
                            "pemberdayaan berkelanjutan dari pendamping sosial",
                            "en": "Share of beneficiaries receiving continuing empowerment "
                            "mentoring from social workers",
                        },
                        "unit": {"id": "persen", "en": "percent"},
                        "baseline": {"year": 2024, "value": 40.5},
                        "targets": {y: 41 + (y - 2025) * 2.5 for y in range(2025, 2030)},
                    },
                    {
                        "code": f"IKK 3.{n}.2",
                        "name": {
                            "id": "Jumlah keluarga penerima manfaat yang diverifikasi",
                            "en": "Beneficiary families verified",
                        },
                        "unit": {"id": "ribu keluarga", "en": "thousand families"},
                        "baseline": {"year": 2024, "value": 118},
                        "targets": {y: 120 + (y - 2025) * 5 for y in range(2025, 2030)},
                    },
                ],
            }
        )
    plan_file.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), "utf-8")
    chapter = root / PLAN / "id" / "1-pendahuluan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + MARKDOWN_TABLE, encoding="utf-8")
    result = run(root, "build", "--lang", "id", str(root / PLAN))
    assert result.exit_code == 0, result.output
    return root


MARKDOWN_TABLE = """

Sebaran penerima manfaat menurut wilayah disajikan berikut.

| No | Kabupaten/Kota | Penerima Manfaat | Persentase | Keterangan |
|---:|---|---:|---:|---|
| 1 | Kabupaten Bekasi | 1.234.567 | 12,5 | Pendampingan berkelanjutan oleh pendamping sosial |
| 2 | Kota Bekasi | 987.654 | 9,75 | Pemutakhiran data kesejahteraan sosial setiap triwulan |
| 3 | Kabupaten Karawang | 45.210 | 100 | Penyaluran bantuan melalui bank penyalur |
"""


CASES = pytest.mark.parametrize(
    ("which", "lang"), [("sample", "id"), ("sample", "en"), ("long_plan", "id")]
)


@pytest.fixture
def root(request: pytest.FixtureRequest, which: str) -> Path:
    path: Path = request.getfixturevalue(which)
    return path


# -- reading the files ---------------------------------------------------------------------
def html_tables(path: Path) -> list[Any]:
    return list(lxml_html.parse(str(path)).getroot().iter("table"))


def colgroup_percentages(table: Any) -> list[float]:
    cols = table.findall("colgroup/col")
    return [float(re.search(r"width:\s*([0-9.]+)%", c.get("style")).group(1)) for c in cols]


def tables_with_text_width(document: Any) -> Iterator[tuple[Any, int]]:
    """Every table of the body with the text width (twips) of the section it stands in."""
    body = document.element.body
    pending: list[Any] = []

    def width(sect_pr: Any) -> int:
        size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
        return int(size.get(W_W)) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))

    for child in body:
        if child.tag == qn("w:tbl"):
            pending.append(child)
        sect_pr = child.find("w:pPr/w:sectPr", child.nsmap) if child.tag == qn("w:p") else None
        if child.tag == qn("w:sectPr"):
            sect_pr = child
        if sect_pr is not None:
            yield from ((t, width(sect_pr)) for t in pending)
            pending = []


@dataclass
class PdfTable:
    page: int
    rows: list[list[str]]
    above: str
    """The text in the band just above the table: its caption, if any."""
    cells: list[tuple[float, float, float, float]]
    words: list[dict[str, Any]]
    """The words inside the table, with their positions."""


CHART_DATA = ("Tahun", "Year")
"""The first header cell of a chart's data table (the Renstra's Gambar 1.1)."""


def plan_tables(document: Any) -> list[Any]:
    """The tables of a Word file, a chart's data table left out."""
    return [t for t in document.tables if t.rows[0].cells[0].text not in CHART_DATA]


@functools.cache
def pdf_tables(path: Path) -> tuple[PdfTable, ...]:
    """The tables pdfplumber finds on each page (a watermark's big letters left out, and
    a chart: its drawing, whose rules pdfplumber takes for a table of figures without a
    header, and its data table). Only the pages that may hold one are parsed: a page
    drawn as one without a table has none (:func:`inspect_docs.tables_by_page`)."""
    found = []
    with pdfplumber.open(str(path)) as pdf:
        for number, text, tables in tables_by_page(path, pdf.pages):
            for table in tables:
                top = table.bbox[1]
                band = text.crop((0, max(0, top - 45), text.width, top)).extract_text() or ""
                rows = [[_clean(c) for c in row] for row in table.extract()]
                header = " ".join(rows[0]) if rows else ""
                if not re.search(r"[^\W\d_]", header) or rows[0][0] in CHART_DATA:
                    continue
                words = text.crop(table.bbox).extract_words()
                found.append(PdfTable(number, rows, " ".join(band.split()), table.cells, words))
    return tuple(found)


def _clean(cell: str | None) -> str:
    return " ".join(_plain(cell or "").split())


def body_rows(table: PdfTable) -> list[list[str]]:
    """The rows under the header (whose last row holds the years)."""
    last = max((i for i, row in enumerate(table.rows) if YEARS[-1] in row), default=-1)
    if last < 0:  # a table without years: the first row is the header
        last = 0
    return table.rows[last + 1 :]


# -- Word: the grid is the template's colgroup ------------------------------------------------
@CASES
def test_docx_grid_follows_the_declared_widths(root: Path, lang: str) -> None:
    document = docx.Document(str(out(root, lang, "docx")))
    declared = html_tables(out(root, lang, "html"))
    placed = list(tables_with_text_width(document))
    assert len(placed) == len(declared) >= 5
    for (tbl, text_width), table in zip(placed, declared, strict=True):
        tbl_pr = tbl.find(qn("w:tblPr"))
        assert tbl_pr.find(qn("w:tblLayout")).get(W_TYPE) == "fixed"
        grid = [int(g.get(W_W)) for g in tbl.findall("w:tblGrid/w:gridCol", tbl.nsmap)]
        tbl_w = tbl_pr.find(qn("w:tblW"))
        assert tbl_w.get(W_TYPE) == "dxa" and int(tbl_w.get(W_W)) == sum(grid)
        assert abs(sum(grid) - text_width) <= 2, "the table fills the text width"
        shares = colgroup_percentages(table)
        assert len(shares) == len(grid)
        for width, share in zip(grid, shares, strict=True):
            assert abs(width - share / 100 * sum(grid)) <= 2
        if len(grid) >= 4:
            assert len(set(grid)) > 1, "a table of four or more columns is never uniform"
        header_rows = len(table.findall("thead/tr"))
        for r, tr in enumerate(tbl.findall(qn("w:tr"))):
            tr_pr = tr.find(qn("w:trPr"))
            assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None
            assert (tr_pr.find(qn("w:tblHeader")) is not None) == (r < header_rows)
            column = 0
            for tc in tr.findall(qn("w:tc")):
                span_el = tc.find("w:tcPr/w:gridSpan", tc.nsmap)
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                tc_w = tc.find("w:tcPr/w:tcW", tc.nsmap)
                assert tc_w.get(W_TYPE) == "dxa"
                assert int(tc_w.get(W_W)) == sum(grid[column : column + span])
                column += span
            assert column == len(grid)


def test_template_widths_fit_their_figures(sample: Path) -> None:
    """Figure columns get what their figures need; text columns share the rest."""
    tables = html_tables(out(sample, "id", "html"))
    funding = next(t for t in tables if "funding" in (t.get("class") or ""))
    shares = colgroup_percentages(funding)
    years = shares[2:-1]
    assert len(set(years)) == 1, "the year columns hold figures of one size"
    assert shares[1] > years[0] > shares[0], "program names get more than codes"
    assert shares[-1] >= years[0], "the period total is the widest figure"
    matrix = next(t for t in tables if t.get("class") == "matrix")
    assert len(colgroup_percentages(matrix)) == 15


def test_markdown_table_widths_come_from_its_content() -> None:
    html = str(render_markdown(MARKDOWN_TABLE))
    table = lxml_html.fragment_fromstring(html, create_parent="div").find(".//table")
    shares = colgroup_percentages(table)
    assert len(shares) == 5 and abs(sum(shares) - 100) < 0.05
    number, place, people, _share, note = shares
    assert note > place > number and people > number and note == max(shares)


def test_markdown_table_in_word_keeps_its_widths(long_plan: Path) -> None:
    document = docx.Document(str(out(long_plan, "id", "docx")))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Kabupaten/Kota")
    grid = [int(g.get(W_W)) for g in table._tbl.findall("w:tblGrid/w:gridCol", table._tbl.nsmap)]
    assert len(grid) == 5 and len(set(grid)) == 5
    assert grid[4] == max(grid)


# -- Word: rows kept together, space after tables ----------------------------------------------
def keeps_next(tr: Any) -> bool:
    return all(p.find("w:pPr/w:keepNext", p.nsmap) is not None for p in tr.iter(qn("w:p")))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_docx_groups_stay_together_and_tables_have_space_after(sample: Path, lang: str) -> None:
    document = docx.Document(str(out(sample, lang, "docx")))
    matrix = next(t for t in document.tables if t.rows[0].cells[0].text == "No")
    rows = matrix._tbl.findall(qn("w:tr"))
    # Each program or activity with its indicator rows: all but its last row keep with next.
    starts = [i for i, tr in enumerate(rows) if re.match(r"[PK]\d", _row_text(tr, 1))]
    assert len(starts) > 5
    for start, end in itertools.pairwise(starts):
        assert all(keeps_next(rows[i]) for i in range(start, end - 1))
        assert not keeps_next(rows[end - 1]), "a group may end a page"
    targets = plan_tables(document)[0]._tbl.findall(qn("w:tr"))
    groups = [tr for tr in targets if re.fullmatch(r"SS\d", _row_text(tr, 0))]
    assert groups and all(keeps_next(tr) for tr in groups), "a group row keeps with its first row"
    body = document.element.body
    for tbl in body.iter(qn("w:tbl")):
        after = tbl.getnext()
        if after is None or after.tag != qn("w:p") or after.find(qn("w:r")) is None:
            continue  # the end, or a section break
        spacing = after.find("w:pPr/w:spacing", after.nsmap)
        assert spacing is not None and int(spacing.get(qn("w:before"))) >= 200  # 10 pt


def _row_text(tr: Any, column: int) -> str:
    cells = tr.findall(qn("w:tc"))
    if column >= len(cells):
        return ""
    return "".join(t.text or "" for t in cells[column].iter(qn("w:t"))).replace("\u00a0", " ")


# -- PDF: rows never split, continued captions ------------------------------------------------
@CASES
def test_pdf_table_rows_never_split(root: Path, lang: str) -> None:
    tables = pdf_tables(out(root, lang, "pdf"))
    kinds = set()
    for table in tables:
        header = table.rows[0][0]
        rows = body_rows(table)
        assert rows, f"page {table.page + 1}: a table with a header and no row"
        if header in ("Kode", "Code"):
            kinds.add("targets")
            for row in rows:
                assert row[0], f"page {table.page + 1}: a row without its code: {row}"
                if INDICATOR.match(row[0]):
                    assert all(row[-5:]), f"page {table.page + 1}: figures apart: {row}"
            last = rows[-1]
            group = re.fullmatch(r"(SS|P|K)[\d.]+", last[0]) and not any(last[2:])
            assert not group, f"page {table.page + 1} ends with a group heading: {last}"
        elif len(table.rows[0]) == 15:
            kinds.add("matrix")
            first = rows[0]
            # A program or activity may run on between its indicators: the page it runs
            # onto names it again.
            assert re.match(r"[PK]\d", first[1]) or first[0] == "Total", f"page {table.page + 1}"
            for row in rows:
                if INDICATOR.match(row[2]):  # an indicator: its targets on the same row
                    assert all(row[4:9]), f"page {table.page + 1}: figures apart: {row}"
                elif row[2]:  # a target: its program or activity, and its money, beside it
                    assert ":" in row[2], f"page {table.page + 1}: {row}"
                    assert re.match(r"[PK]\d", row[1]) and all(row[9:14]), row
        else:
            kinds.add("regulations")
            assert all(row[0] for row in rows), f"page {table.page + 1}: a split row"
    assert kinds == {"targets", "matrix", "regulations"}


def table_number(table: PdfTable) -> str | None:
    """Which captioned table of the plan this is, by the codes in it."""
    codes = [row[0] for row in body_rows(table) if row and row[0]]
    for prefix, number in (("IKSS", "2.1"), ("IKP", "4.1"), ("IKK", "4.2")):
        if any(c.startswith(prefix) for c in codes):
            return number
    if table.rows[0][:2] in (["Kode", "Program"], ["Code", "Program"]):
        return "4.3"
    return None


@CASES
def test_continued_tables_say_so_above_their_header(root: Path, lang: str) -> None:
    seen: dict[str, int] = {}
    continued = 0
    for table in pdf_tables(out(root, lang, "pdf")):
        number = table_number(table)
        if number is None:
            continue
        caption = f"{LABEL[lang]} {number}"
        assert caption in table.above, f"page {table.page + 1}: no caption above {number}"
        if number in seen:
            assert f"{caption} {CONTINUED[lang]}" in table.above, table.above
            assert table.page > seen[number]
            continued += 1
        else:
            assert CONTINUED[lang] not in table.above, table.above
        seen[number] = table.page
    assert set(seen) == {"2.1", "4.1", "4.2", "4.3"}
    if root.name.startswith("long"):
        assert continued >= 2, "Tabel 4.2 runs over several pages in the long plan"


# -- figures ------------------------------------------------------------------------------------
def _decimals(text: str, lang: str) -> int:
    mark = "," if lang == "id" else "."
    return len(text.rpartition(mark)[2]) if mark in text else 0


def columns(rows: list[list[str]]) -> list[list[str]]:
    return [list(column) for column in zip(*rows, strict=True)]


def _figures(cells: list[str]) -> list[str]:
    return [c for c in cells if re.fullmatch(r"[\d.,]+", c)]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_money_one_precision_per_column_indicators_one_each(sample: Path, lang: str) -> None:
    document = docx.Document(str(out(sample, lang, "docx")))
    mark = "," if lang == "id" else "."
    funding = next(t for t in document.tables if t.rows[0].cells[1].text == "Program")
    money_columns = columns([[c.text for c in row.cells[2:]] for row in funding.rows[2:]])
    matrix = next(t for t in document.tables if t.rows[0].cells[0].text == "No")
    money_columns += columns([[c.text for c in row.cells[9:14]] for row in matrix.rows[2:]])
    for column in money_columns:
        figures = _figures(column)
        assert figures
        assert len({_decimals(f, lang) for f in figures}) == 1, column
        assert not any(f.endswith(f"{mark}0") for f in figures), "no ,0 on whole millions"
    # Indicator tables: each indicator (its baseline, each year's target) at one
    # precision, the fewest decimals that write all of them; a column may mix them.
    rows = 0
    mixed = False
    for table in plan_tables(document)[:3]:
        indicator_rows = [
            [c.text for c in row.cells]
            for row in table.rows
            if INDICATOR.match(row.cells[0].text.replace("\u00a0", " "))
        ]
        rows += len(indicator_rows)
        for cells in indicator_rows:
            figures = _figures(cells[3:])
            assert len({_decimals(f, lang) for f in figures}) == 1, cells
            if any(mark in f for f in figures):  # the fewest decimals: one needs them all
                assert not all(f.endswith("0") for f in figures), cells
        for column in columns([cells[3:] for cells in indicator_rows]):
            mixed = mixed or len({_decimals(f, lang) for f in _figures(column)}) > 1
    assert rows > 20 and mixed


def test_activity_indicators_show_their_baseline(sample: Path) -> None:
    plan = yaml.safe_load((sample / PLAN / "plan.yaml").read_text(encoding="utf-8"))
    baselines = {
        i["code"]: i["baseline"]["value"]
        for p in plan["programs"]
        for a in p["activities"]
        for i in a["indicators"]
    }
    assert len(baselines) == 16
    document = docx.Document(str(out(sample, "id", "docx")))
    rows = {
        row.cells[0].text.replace("\u00a0", " "): row.cells[3].text
        for row in plan_tables(document)[2].rows
    }
    for code, value in baselines.items():
        assert rows[code], f"{code} shows no baseline"
        assert Decimal(rows[code].replace(".", "").replace(",", ".")) == Decimal(str(value))


def test_funding_table_totals_the_period(sample: Path) -> None:
    document = docx.Document(str(out(sample, "id", "docx")))
    funding = next(t for t in document.tables if t.rows[0].cells[1].text == "Program")
    assert funding.rows[1].cells[-1].text.startswith("Total 2025")
    for row in funding.rows[2:]:
        values = [Decimal(c.text.replace(".", "").replace(",", ".")) for c in row.cells[2:]]
        assert sum(values[:-1]) == values[-1], row.cells[0].text


def test_decimals_is_the_most_any_figure_needs() -> None:
    assert decimals([10, Decimal("9.5"), Decimal("0.25")]) == 2
    assert decimals([Decimal("73785400000000"), Decimal("1000000.0")], 1_000_000) == 0
    assert decimals([Decimal("1250500000")], 1_000_000) == 1
    assert decimals([None, "n/a", 3]) == 0


def test_share_out_fits_figures_and_keeps_words_whole() -> None:
    found = [Need(2, 2, 2), Need(6, 0, 40), Need(9, 0, 12), Need(3, 5, 5)]
    widths = share_out(["fit", 3, 1, "fit"], found, 50, 1)
    assert abs(sum(widths) - 50) < 1e-9
    assert widths[0] == pytest.approx(3) and widths[3] == pytest.approx(6)
    assert widths[2] >= 10, "never narrower than the longest word"
    assert widths[1] > widths[2]
    # Too wide for the page: the figures stay whole, the text columns share what is left.
    squeezed = share_out(["fit", 3, 1, "fit"], found, 12, 1)
    assert squeezed[0] == pytest.approx(3) and squeezed[3] == pytest.approx(6)
    assert squeezed[2] > squeezed[1] and abs(sum(squeezed) - 12) < 1e-9
    with pytest.raises(ValueError, match="4 columns but 3"):
        share_out(["fit", 1, 1], found, 50, 1)


# -- no cell broken inside a word, in the PDF and in LibreOffice's rendering of the DOCX ------
def known_pieces(document: Any) -> set[str]:
    """Every word of every table cell, and the parts a line may break it into (after a
    slash, hyphen or dash)."""
    words: set[str] = set()
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for word in _plain(cell.text).split():
                    words.add(word)
                    cuts = [m.end() for m in re.finditer(r"[/\-–]", word)]
                    for a in [0, *cuts]:
                        for b in [*cuts, len(word)]:
                            if b > a:
                                words.add(word[a:b])
    return words


def _plain(text: str) -> str:
    """Text with no-break spaces as spaces and line-break hints (zero-width spaces) gone."""
    return text.replace("\u00a0", " ").replace("\u200b", "")


def broken_words(pdf: Path, known: set[str]) -> list[str]:
    """Words in table cells that are not words of the tables: pieces of a broken word."""
    return [
        f"page {table.page + 1}: {word['text']!r}"
        for table in pdf_tables(pdf)
        for word in table.words
        if any(part not in known for part in _plain(word["text"]).split())
    ]


def crowded_words(pdf: Path, padding: float = 2.5) -> list[str]:
    """Words in a table cell that come nearer than ``padding`` to its left or right border
    (the cells have 4 pt) or run over it."""
    crowded = []
    for table in pdf_tables(pdf):
        for word in table.words:
            middle = ((word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2)
            for x0, top, x1, bottom in table.cells:
                inside = x0 < middle[0] < x1 and top < middle[1] < bottom
                if inside and min(word["x0"] - x0, x1 - word["x1"]) < padding:
                    crowded.append(f"page {table.page + 1}: {word['text']!r}")
    return crowded


@CASES
def test_pdf_cells_never_break_inside_a_word(root: Path, lang: str) -> None:
    known = known_pieces(docx.Document(str(out(root, lang, "docx"))))
    assert broken_words(out(root, lang, "pdf"), known) == []
    assert crowded_words(out(root, lang, "pdf")) == [], "figures keep their cell padding"


@pytest.fixture(scope="module")
def libreoffice_pdfs(
    sample_libreoffice: dict[str, Path], long_plan: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Path]:
    """LibreOffice's PDFs of the Renstra's DOCX: the sample's (converted once per
    session) and the long plan's."""
    long = libreoffice_convert(
        {"id": out(long_plan, "id", "docx")}, tmp_path_factory.mktemp("libreoffice")
    )
    converted = {
        ("sample", lang): sample_libreoffice[f"{lang}/renstra/{SLUG}"] for lang in ("id", "en")
    }
    converted[("long", "id")] = long["id"]
    return converted


@CASES
def test_libreoffice_never_breaks_a_cell_inside_a_word(
    root: Path, which: str, lang: str, libreoffice_pdfs: dict[tuple[str, str], Path]
) -> None:
    pdf = libreoffice_pdfs[("long" if which == "long_plan" else "sample", lang)]
    known = known_pieces(docx.Document(str(out(root, lang, "docx"))))
    assert broken_words(pdf, known) == []
    assert crowded_words(pdf) == [], "figures keep their cell padding"
    captions = [t for t in pdf_tables(pdf) if table_number(t) is not None]
    assert captions, "LibreOffice shows the captioned tables"


def test_a_wrong_column_spec_is_a_located_error(tmp_path: Path) -> None:
    # The project's own copy of the tables template, and the one document that uses it
    # (not the sample's other documents, which check would render too).
    root = make_project(tmp_path)
    shutil.copytree(REPO / PLAN, root / PLAN)
    tables = root / "templates/shared/renstra_tables.html"
    text = tables.read_text(encoding="utf-8")
    wrong = (
        '{{ fit_columns(table, ["fit", "auto", "auto", "auto", "auto", "fit"], landscape=true) }}'
    )
    assert wrong in text
    tables.write_text(text.replace(wrong, wrong.replace('"auto", "fit"]', '"fit"]')), "utf-8")
    result = run(root, "check")
    assert result.exit_code == 1
    assert re.search(
        r"renstra_tables\.html:\d+: error: .*the table has 6 columns but 5 are declared",
        result.output,
    ), result.output


def _tc_text(tc: Any) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()


def _jc(tc: Any) -> str | None:
    jc = tc.find("w:p/w:pPr/w:jc", tc.nsmap)
    return None if jc is None else str(jc.get(qn("w:val")))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_headers_align_like_their_columns(sample: Path, lang: str) -> None:
    document = docx.Document(str(out(sample, lang, "docx")))
    annexes = [t for t in document.tables if t.rows[0].cells[0].text == "No"]
    assert len(annexes) == 2
    for table in annexes:  # "No" the same way in Lampiran I and II, header and body alike
        numbers = [row._tr.findall(qn("w:tc"))[0] for row in table.rows]
        shown = [tc for tc in numbers if _tc_text(tc) not in ("", "Total")]
        assert {_jc(tc) for tc in shown} == {"center"}
    for table in plan_tables(document)[:4]:  # the targets and funding tables
        header = table.rows[0]._tr.findall(qn("w:tc"))
        body = next(r for r in table.rows[2:] if r.cells[2].text)._tr.findall(qn("w:tc"))
        assert _jc(header[0]) == _jc(header[1]) == "left"  # like the codes and names below
        assert _jc(body[0]) in (None, "left") and _jc(body[1]) in (None, "left")
        years = table.rows[1]._tr.findall(qn("w:tc"))
        assert {_jc(tc) for tc in years if _tc_text(tc)} == {"right"}
