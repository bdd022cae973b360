"""The Renstra and the regional sheets fit to circulate (issue 19): what a ministry
reviewer sends back, checked by reopening the outputs.

Signatures never alone on a page and every regional sheet on one page (the PDF, and the
DOCX as LibreOffice lays it out); one precision per indicator in every table, no
decimals on a count; Lampiran I in few landscape pages; continued tables captioned so,
short tables whole; "ttd." only when signed; a final plan's decree number; abbreviations
the glossary lacks; hyphens a search finds; and the smaller things a reader notices.
"""

from __future__ import annotations

import functools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
import yaml
from docx.oxml.ns import qn
from lxml import html as lxml_html

from conftest import edit, line_of, make_project, run, write
from inspect_docs import (
    docx_text,
    file_version,
    pdf_pages,
    pdfium_pages,
    pdfium_text,
    tables_by_page,
)
from plandocs.model.plan import COUNT_UNITS
from plandocs.render.columns import share_by_height
from plandocs.render.rowkeep import keep_rows, units
from plandocs.render.textwidth import balanced_lines

PLAN = Path("content/renstra/kemensos-2025-2029")
RENSTRA = "renstra/kemensos-2025-2029"
RECAP = "regional/targets-2025-2029"
SHEETS = ("11", "34", "96")  # Aceh, Daerah Istimewa Yogyakarta, Papua Barat Daya
LANGS = pytest.mark.parametrize("lang", ["id", "en"])
CONTINUED = {"id": "(lanjutan)", "en": "(continued)"}
SIGNER = {"id": "KEPALA BIRO PERENCANAAN,", "en": "HEAD OF THE PLANNING BUREAU,"}


def out(root: Path, lang: str, doc: str, suffix: str) -> Path:
    return root / "build" / lang / f"{doc}{suffix}"


def sheets(root: Path, lang: str) -> list[Path]:
    return sorted((root / "build" / lang / RECAP).glob("*.pdf"))


# -- rows kept together ---------------------------------------------------------------------
def _table(body_rows: int, rowspan_at: int | None = None) -> str:
    rows = []
    for i in range(body_rows):
        span = ' rowspan="2"' if i == rowspan_at else ""
        cell = "" if rowspan_at is not None and i == rowspan_at + 1 else f"<td{span}>a{i}</td>"
        rows.append(f"<tr>{cell}<td>b{i}</td></tr>")
    return (
        f"<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _groups(html: str) -> list[tuple[bool, list[str]]]:
    table = lxml_html.fragment_fromstring(html)
    return [
        ("keep" in (part.get("class") or "").split(), [tr[-1].text for tr in part])
        for part in table
        if part.tag == "tbody"
    ]


def test_a_table_of_six_rows_is_one_group() -> None:
    assert _groups(keep_rows(_table(6))) == [(True, [f"b{i}" for i in range(6)])]
    assert _groups(keep_rows(_table(2))) == [(True, ["b0", "b1"])]


def test_a_longer_table_keeps_three_rows_on_each_side_of_a_break() -> None:
    groups = _groups(keep_rows(_table(10)))
    assert groups[0] == (True, ["b0", "b1", "b2"])
    assert groups[-1] == (True, ["b7", "b8", "b9"])
    assert [row for _, rows in groups for row in rows] == [f"b{i}" for i in range(10)]
    assert not any(keep for keep, _ in groups[1:-1])


def test_rows_a_cell_spans_and_a_group_row_stay_together() -> None:
    # A cell spanning rows 2 and 3 makes them one run: the first group takes four rows.
    groups = _groups(keep_rows(_table(10, rowspan_at=2)))
    assert groups[0] == (True, ["b0", "b1", "b2", "b3"])
    html = _table(9).replace("<tr><td>a6</td>", '<tr class="group"><td>a6</td>')
    table = lxml_html.fragment_fromstring(html)
    runs = [[tr[-1].text for tr, _ in run] for run in units(table)]
    assert ["b6", "b7"] in runs


# -- column widths from what the columns hold -------------------------------------------------
def test_auto_columns_share_the_width_by_what_they_hold() -> None:
    long_text = " ".join(["penerima manfaat bantuan sosial"] * 6)
    rows = "".join(
        f"<tr><td>K{i}</td><td>{long_text}</td><td>Pusat</td><td>1.000.000</td></tr>"
        for i in range(5)
    )
    table = lxml_html.fragment_fromstring(f"<table><tbody>{rows}</tbody></table>")
    widths = share_by_height(["fit", "auto", "auto", "fit"], table, 60.0, 1.0)
    assert abs(sum(widths) - 60) < 1e-6
    _code, text, place, _money = widths
    assert text > 4 * place, "the column holding the text gets the room"
    assert place < 5, "a column of one short word gets little more than it"


def test_titles_are_balanced_over_their_lines() -> None:
    lines = balanced_lines("STRATEGIC PLAN OF THE MINISTRY OF SOCIAL AFFAIRS", 453 / 19, True)
    assert lines == ["STRATEGIC PLAN OF THE", "MINISTRY OF SOCIAL AFFAIRS"]
    assert balanced_lines("RENCANA STRATEGIS", 40, True) == ["RENCANA STRATEGIS"]


# -- the plan's facts: signature, decree, counts ------------------------------------------------
@pytest.fixture
def plan_project(tmp_path: Path) -> Path:
    """The sample plan and glossary in a project without templates of its own (no case
    here changes one; plandocs' are the same text), which check would compile each time."""
    root = make_project(tmp_path, own_templates=False)
    shutil.copytree(Path(__file__).parents[1] / PLAN, root / PLAN)
    shutil.copy(Path(__file__).parents[1] / "glossary.yaml", root / "glossary.yaml")
    return root


def test_a_final_plan_without_its_decree_number_is_an_error_at_its_line(
    plan_project: Path,
) -> None:
    plan = plan_project / PLAN / "plan.yaml"
    edit(plan, "status: draft", "status: final")
    result = run(plan_project, "check")
    assert result.exit_code == 1
    decree = line_of(plan, "decree:")
    status = line_of(plan, "status: final")
    assert (
        f"{PLAN}/plan.yaml:{decree}:1: error: the plan is `status: final` (line {status}) but "
        "its decree has no `number:` and `year:`"
    ) in result.output, result.output
    edit(plan, "decree:\n", 'decree:\n  number: "5"\n  year: 2025\n')
    assert run(plan_project, "check").exit_code == 0


def test_a_count_with_a_fraction_is_an_error_at_its_line_or_cell(plan_project: Path) -> None:
    plan = plan_project / PLAN / "plan.yaml"
    edit(plan, "baseline: {year: 2024, value: 1024}", "baseline: {year: 2024, value: 1024.5}")
    targets = plan_project / PLAN / "data/targets.csv"
    edit(targets, "IKK 2.2.2,45000,", "IKK 2.2.2,45000.5,")
    result = run(plan_project, "check")
    row = line_of(targets, "IKK 2.2.2")
    assert f"data/targets.csv:{row}:2: error: IKK 2.2.2 counts unit: 45000.5 is not a whole" in (
        result.output
    ), result.output
    edit(targets, "IKK 2.2.2,45000.5,", "IKK 2.2.2,45000,")
    result = run(plan_project, "check")
    line = line_of(plan, "value: 1024.5")
    assert f"plan.yaml:{line}:39: error: IKSS 3.2 counts kampung: 1024.5 is not a whole" in (
        result.output
    ), result.output
    assert {"kampung", "orang", "unit", "sentra"} <= COUNT_UNITS


def test_ttd_only_when_the_plan_says_signed(plan_project: Path) -> None:
    result = run(plan_project, "build", "--lang", "id", "--format", "docx")
    assert result.exit_code == 0, result.output
    path = out(plan_project, "id", RENSTRA, ".docx")
    assert "ttd." not in docx_text(path), "no signed: no ttd."
    edit(
        plan_project / PLAN / "plan.yaml",
        "  name: Saifullah Yusuf",
        "  name: Saifullah Yusuf\n  signed: true",
    )
    result = run(plan_project, "build", "--lang", "id", "--format", "docx")
    assert result.exit_code == 0, result.output
    marks = [
        p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Signature Mark"
    ]
    assert marks == ["ttd.", "ttd."], "the foreword's and the plan's"


# -- abbreviations ----------------------------------------------------------------------------
def test_an_abbreviation_the_glossary_lacks_is_a_warning_at_its_line(plan_project: Path) -> None:
    assert run(plan_project, "check", "--strict").exit_code == 0, "the sample's glossary is whole"
    chapter = plan_project / PLAN / "id" / "3-arah-kebijakan.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nData diselaraskan dengan BNPT dan KemenPPPA.\n",
        encoding="utf-8",
    )
    plan = plan_project / PLAN / "plan.yaml"
    edit(plan, "related: {id: Biro Hukum,", "related: {id: Biro Hukum dan LKPP,")
    result = run(plan_project, "check")
    line = len(chapter.read_text(encoding="utf-8").splitlines())
    for word in ("BNPT", "KemenPPPA"):
        assert re.search(
            rf"id/3-arah-kebijakan\.md:{line}: warning: `{word}` looks like an abbreviation, "
            r"and the list of abbreviations \(DAFTAR SINGKATAN\) lacks it",
            result.output,
        ), result.output
    related = line_of(plan, "Biro Hukum dan LKPP")
    assert re.search(rf"plan\.yaml:{related}:\d+: warning: `LKPP` looks like", result.output)
    # Words that only look like abbreviations are declared so.
    write(
        plan_project,
        "glossary.yaml",
        (plan_project / "glossary.yaml").read_text(encoding="utf-8")
        + "- ignore: [BNPT, KemenPPPA, LKPP]\n",
    )
    assert "looks like an abbreviation" not in run(plan_project, "check").output


# -- the regional sheets and recap: one page each, never a signature alone ----------------------
def _only_signature(text: str, lang: str) -> bool:
    """Whether a page's text is nothing but a signature block (and its page number)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = [line for line in lines if not re.fullmatch(r"\d+|[ivx]+", line)]
    if SIGNER[lang] not in body:
        return False
    start = body.index(SIGNER[lang])
    return start <= 1 and len(body) <= start + 3


@pytest.mark.slow
@LANGS
def test_every_regional_sheet_is_one_page_with_its_signature(sample: Path, lang: str) -> None:
    found = sheets(sample, lang)
    assert len(found) == 38
    for path in found:
        pages = pdfium_pages(path)  # what it says; the recap's lines below as pypdf reads them
        assert len(pages) == 1, f"{path.name}: {len(pages)} pages"
        assert SIGNER[lang] in pages[0] and "ARIF ROHMAN" in pages[0]
    recap = pdf_pages(out(sample, lang, RECAP, ".pdf"))
    assert len(recap) > 1
    assert not any(_only_signature(page, lang) for page in recap)
    last = [line for line in recap[-1].splitlines() if line.strip()]
    assert len(last) > 8, "the signature keeps the end of the last table with it"


@pytest.fixture
def libreoffice(sample_libreoffice: dict[str, Path]) -> dict[str, Path]:
    """LibreOffice's rendering of the recaps, three sheets and the Renstra (as PDFs),
    converted once per session."""
    return sample_libreoffice


@pytest.mark.slow
@LANGS
def test_libreoffice_never_leaves_a_signature_alone(
    libreoffice: dict[str, Path], lang: str
) -> None:
    for code in SHEETS:
        pages = pdfium_pages(libreoffice[f"{lang}/{RECAP}/{code}"])
        assert len(pages) == 1, f"sheet {code}: {len(pages)} pages in LibreOffice"
        assert SIGNER[lang] in pages[0]
    recap = pdf_pages(libreoffice[f"{lang}/{RECAP}"])
    assert not any(_only_signature(page, lang) for page in recap), recap[-1]


# -- one precision per indicator, in every table ------------------------------------------------
CODE = re.compile(r"^(IKSS|IKP|IKK)[\s\u00a0]\d[\d.]*")


def _plan(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / PLAN / "plan.yaml").read_text(encoding="utf-8"))
    return data


def _indicator_units(root: Path) -> dict[str, str]:
    plan = _plan(root)
    found = {}
    for target in plan["strategic_targets"]:
        found.update({i["code"]: i["unit"]["id"] for i in target["indicators"]})
    for program in plan["programs"]:
        found.update({i["code"]: i["unit"]["id"] for i in program["indicators"]})
        for activity in program["activities"]:
            found.update({i["code"]: i["unit"]["id"] for i in activity["indicators"]})
    return found


def _figures(cells: list[str], lang: str) -> list[str]:
    pattern = r"\d{1,3}(\.\d{3})*(,\d+)?" if lang == "id" else r"\d{1,3}(,\d{3})*(\.\d+)?"
    return [c for c in cells if re.fullmatch(pattern, c)]


def _places(figure: str, lang: str) -> int:
    mark = "," if lang == "id" else "."
    return len(figure.rpartition(mark)[2]) if mark in figure else 0


def indicator_figures(path: Path, lang: str) -> dict[str, list[list[str]]]:
    """Per indicator code, the figures of each row showing it, in every table of the DOCX."""
    found: dict[str, list[list[str]]] = {}
    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            cells = [c.text.replace("\u00a0", " ").strip() for c in row.cells]
            for at, cell in enumerate(cells):
                match = CODE.match(cell)
                if match:
                    code = match.group(0).replace("\u00a0", " ")
                    figures = _figures(cells[at + 1 :], lang)
                    if figures:
                        found.setdefault(code, []).append(figures)
                    break
    return found


@pytest.mark.slow
@LANGS
def test_each_indicator_at_one_precision_in_every_table(sample: Path, lang: str) -> None:
    found = indicator_figures(out(sample, lang, RENSTRA, ".docx"), lang)
    units = _indicator_units(sample)
    assert set(found) == set(units), "every indicator is shown"
    for code, rows in found.items():
        places = {_places(f, lang) for row in rows for f in row}
        assert len(places) == 1, f"{code}: {rows}"
        if units[code] in COUNT_UNITS:
            assert places == {0}, f"{code} counts {units[code]}: {rows}"
    assert len(max(found.values(), key=len)) >= 2, "an indicator shown in two tables"
    # The cases: a count beside decimals, whole targets in the annex.
    mark = "," if lang == "id" else "."
    thousands = "." if lang == "id" else ","
    assert [f"1{thousands}024", f"1{thousands}150"] == found["IKSS 3.2"][0][:2]
    assert found["IKSS 1.2"][0][:2] == [f"8{mark}5", f"10{mark}0"]
    assert all(row[-5:] == ["90", "92", "94", "96", "98"] for row in found["IKP 1.1"])


@pytest.mark.slow
def test_the_pdf_shows_the_same_precision(sample: Path) -> None:
    text = pdfium_text(out(sample, "id", RENSTRA, ".pdf"))
    assert "1.024,00" not in text and "38.000,0" not in text and "41.000,0" not in text
    assert re.search(r"IKSS 3\.2 .*1\.024 1\.150 1\.300 1\.450 1\.600 1\.750", flat(text))


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


# -- reading a PDF with pdfplumber once -------------------------------------------------------
def plumbed(path: Path) -> Any:
    """The PDF opened with pdfplumber once while the file stays as it is, for every test
    of this file that reads it: a page lays out its text on the first read and keeps it,
    so the tests that read the same pages (text, lines, words, tables) share that work.
    The tests only read it."""
    return _plumbed(file_version(path))


_PLUMBED: dict[tuple[str, int, int], Any] = {}


def _plumbed(version: tuple[str, int, int]) -> Any:
    if version not in _PLUMBED:
        _PLUMBED[version] = pdfplumber.open(version[0])
    return _PLUMBED[version]


@pytest.fixture(scope="module", autouse=True)
def _close_plumbed() -> Iterator[None]:
    """The PDFs :func:`plumbed` opened, closed when this file's tests are done."""
    yield
    for pdf in _PLUMBED.values():
        pdf.close()
    _PLUMBED.clear()


# -- Lampiran I: few pages ----------------------------------------------------------------------
def annex_pages(path: Path) -> tuple[int, int]:
    """The landscape pages of LAMPIRAN I and of LAMPIRAN II."""
    pdf = plumbed(path)
    landscape = [i for i, page in enumerate(pdf.pages) if page.width > page.height]
    second = next(
        i
        for i in landscape
        if re.search(r"^(LAMPIRAN|ANNEX) II$", pdf.pages[i].extract_text() or "", re.M)
    )
    return second - landscape[0], len(landscape) - (second - landscape[0])


@pytest.mark.slow
def test_lampiran_i_takes_few_landscape_pages(sample: Path) -> None:
    pages = {lang: annex_pages(out(sample, lang, RENSTRA, ".pdf"))[0] for lang in ("id", "en")}
    assert all(count <= 5 for count in pages.values()), pages
    assert abs(pages["id"] - pages["en"]) <= 1, pages


# -- continued tables, short tables whole -------------------------------------------------------
def table_pieces(path: Path) -> list[dict[str, Any]]:
    """Each piece of a table on a page: its page, the caption above it, its body rows'
    first cells (pdfplumber's reading of the ruled tables), parsing only the pages that
    may hold one (:func:`inspect_docs.tables_by_page`). Read once while the file stays as
    it is (the tests only read the pieces)."""
    return list(_table_pieces(file_version(path)))


@functools.lru_cache(maxsize=16)
def _table_pieces(version: tuple[str, int, int]) -> tuple[dict[str, Any], ...]:
    pieces = []
    for number, text, tables in tables_by_page(Path(version[0]), _plumbed(version).pages):
        for table in tables:
            top = table.bbox[1]
            band = text.crop((0, max(0, top - 40), text.width, top)).extract_text() or ""
            rows = [[(c or "").replace("\n", " ") for c in row] for row in table.extract()]
            pieces.append({"page": number, "above": " ".join(band.split()), "rows": rows})
    return tuple(pieces)


def _body(rows: list[list[str]]) -> list[list[str]]:
    """The rows below the header (whose last row holds the last year)."""
    last = max((i for i, row in enumerate(rows) if "2029" in row), default=0)
    return rows[last + 1 :]


@pytest.mark.slow
@LANGS
def test_continued_tables_are_captioned_and_short_ones_whole(sample: Path, lang: str) -> None:
    # The recap: every table a region code table that starts with Aceh (11); a piece that
    # does not start there continues, and says so.
    pieces = table_pieces(out(sample, lang, RECAP, ".pdf"))
    continued = 0
    for piece in pieces:
        body = _body(piece["rows"])
        assert len(body) >= 3, f"page {piece['page'] + 1}: {len(body)} rows alone"
        if body[0][0] != "11":
            assert CONTINUED[lang] in piece["above"], piece["above"]
            continued += 1
    assert continued >= 3
    # The Renstra: LAMPIRAN I's pieces after the first say so; Tabel 4.3 (four rows) whole.
    label = "LAMPIRAN I" if lang == "id" else "ANNEX I"
    matrix = [
        p for p in table_pieces(out(sample, lang, RENSTRA, ".pdf")) if len(p["rows"][0]) == 15
    ]
    assert len(matrix) >= 3
    assert all(f"{label} {CONTINUED[lang]}" in p["above"] for p in matrix[1:])
    assert CONTINUED[lang] not in matrix[0]["above"]
    funding = [
        p
        for p in table_pieces(out(sample, lang, RENSTRA, ".pdf"))
        if p["rows"][0][:2] in (["Kode", "Program"], ["Code", "Program"])
    ]
    assert len(funding) == 1 and len(_body(funding[0]["rows"])) == 4


@pytest.mark.slow
@LANGS
def test_no_table_piece_of_fewer_than_three_rows(sample: Path, lang: str) -> None:
    html = lxml_html.parse(str(out(sample, lang, RENSTRA, ".html"))).getroot()
    short = [
        t
        for t in html.iter("table")
        if len([tr for tb in t.iter("tbody") for tr in tb.iter("tr")]) <= 6
    ]
    assert short, "the plan has short tables"
    for piece in table_pieces(out(sample, lang, RENSTRA, ".pdf")):
        header = piece["rows"][0]
        if header[0] in ("Tahun", "Year") or not re.search(r"[^\W\d_]", " ".join(header)):
            continue  # a chart's data table (whole), or its drawing taken for a table
        body = _body(piece["rows"])
        if len(piece["rows"][0]) == 6:  # LAMPIRAN II, a header of one row
            body = piece["rows"][1:]
        assert len(body) >= 3, f"page {piece['page'] + 1}: {body}"


# -- hyphens and names --------------------------------------------------------------------------
@pytest.mark.slow
def test_no_u2010_in_any_pdf_text_layer(sample: Path) -> None:
    # The documents built, not the laid-out units kept in build/.plandocs/units (a glob's
    # "*" matches the dot folder too): a document's pages are its units' pages, copied.
    built = (sample / "build").glob("*/*/*.pdf")
    paths = sorted(p for p in built if ".plandocs" not in p.parts) + sheets(sample, "id")[:3]
    assert len(paths) >= 10
    hyphenated = 0
    for path in paths:
        text = pdfium_text(path)
        assert "\u2010" not in text, path.name
        hyphenated += len(re.findall(r"[a-z]-\n[a-z]", text))
    assert hyphenated > 5, "hyphenated lines end in a plain hyphen-minus"


@pytest.mark.slow
@LANGS
def test_proper_names_are_never_hyphenated(sample: Path, lang: str) -> None:
    for doc in ("readouts/renstra-2025-2029-technocratic-draft", RENSTRA):
        text = pdfium_text(out(sample, lang, doc, ".pdf"))
        source = out(sample, lang, doc, ".html").read_text(encoding="utf-8")
        # A hyphen at a line's end that the text does not have: a hyphenated word
        # (not "Disaster-Preparedness" broken after its own hyphen).
        broken = [a + b for a, b in re.findall(r"(\w+)-\n(\w+)", text) if f"{a}-{b}" not in source]
        assert broken, "the text is hyphenated"
        assert not [word for word in broken if word[:1].isupper()], broken
    text = pdfium_text(out(sample, lang, "readouts/renstra-2025-2029-technocratic-draft", ".pdf"))
    assert "Robben\nRico" not in text.replace("\u00a0", " ")


# -- what else a reviewer sees ------------------------------------------------------------------
@pytest.mark.slow
def test_headings_of_levels_two_and_three_look_different(sample: Path) -> None:
    looks: dict[str, set[tuple[float, bool]]] = {"h2": set(), "h3": set()}
    for page in plumbed(out(sample, "id", RENSTRA, ".pdf")).pages:
        for line in page.extract_text_lines(return_chars=True):
            level = (
                "h3"
                if re.match(r"[1-5]\.\d\.\d [A-Z]", line["text"])
                else "h2"
                if re.match(r"[1-5]\.\d [A-Z]", line["text"])
                else None
            )
            char = line["chars"][0]
            if level and "Bold" in char["fontname"]:  # not an entry of the contents
                looks[level].add((round(char["size"], 1), "Italic" in char["fontname"]))
    assert len(looks["h2"]) == len(looks["h3"]) == 1, looks
    (h2_size, h2_italic), (h3_size, h3_italic) = looks["h2"].pop(), looks["h3"].pop()
    assert h2_size - h3_size >= 1 and h3_italic and not h2_italic


@pytest.mark.slow
def test_indonesian_tables_say_nilai_dasar(sample: Path) -> None:
    for doc in (RENSTRA, f"{RECAP}/11"):
        text = pdfium_text(out(sample, "id", doc, ".pdf"))
        assert "Baseline" not in text and "Nilai" in text and "Dasar" in text


@pytest.mark.slow
@LANGS
def test_the_cover_leaves_no_word_alone(sample: Path, lang: str) -> None:
    pdf = plumbed(out(sample, lang, RENSTRA, ".pdf"))
    page = pdf.pages[0].filter(lambda o: o.get("size", 0) < 40)  # not the draft stamp
    cover = page.extract_text() or ""
    lines = [line.strip() for line in cover.splitlines() if line.strip()]
    words = [line for line in lines if re.fullmatch(r"[A-Z]+", line)]
    assert not words, lines
    if lang == "en":
        assert "STRATEGIC PLAN OF THE" in lines and "MINISTRY OF SOCIAL AFFAIRS" in lines


@pytest.mark.slow
@LANGS
def test_press_releases_are_consistent(sample: Path, lang: str) -> None:
    for doc in (
        "readouts/bekasi-rakortekrenbang-2024",
        "readouts/renstra-2025-2029-technocratic-draft",
    ):
        text = pdfium_text(out(sample, lang, doc, ".pdf")).replace("\u00a0", " ")
        assert "'" not in text, "apostrophes are typographic, like the quotes"
        phones = set(re.findall(r"\(?\+?[\d() ]{8,}\d", text))
        assert {p.strip() for p in phones} == {"(021) 3103591"}, phones
        lines = [line.strip() for line in text.splitlines()]
        letterhead = lines[0].casefold()  # the ministry, the first line of the letterhead
        closing = lines[
            lines.index(next(x for x in lines if x.startswith(("Narahubung", "Media contact")))) - 1
        ]
        expected = {"id": "kementerian sosial ri", "en": letterhead}[lang]
        assert closing.casefold() == expected, (closing, letterhead)


@pytest.mark.slow
@LANGS
def test_minutes_count_a_representative_apart(sample: Path, lang: str) -> None:
    text = flat(pdfium_text(out(sample, lang, "minutes/renstra-rpjmn-bappenas-2020", ".pdf")))
    expected = {
        "id": "8 dari 10 undangan hadir, 1 diwakili",
        "en": "8 of 10 invitees attended, 1 was represented",
    }
    assert expected[lang] in text


def test_the_sample_goals_are_supported_one_each() -> None:
    plan = _plan(Path(__file__).parents[1])
    goals = [g["code"] for g in plan["goals"]]
    supported = [t["goal"] for t in plan["strategic_targets"]]
    assert sorted(supported) == sorted(goals) and len(goals) == len(plan["missions"])


# -- contents leaders and the footer ------------------------------------------------------------
@pytest.mark.slow
@LANGS
def test_contents_leaders_end_one_space_before_every_number(sample: Path, lang: str) -> None:
    """The gap between the last dot of an entry's leader and its page number is the same
    for i, iv, v, 1 and 12 (the dots are not set on a grid that leaves some short)."""
    gaps: list[float] = []
    for page in plumbed(out(sample, lang, RENSTRA, ".pdf")).pages[1:6]:
        for line in page.extract_text_lines(return_chars=True):
            chars = [c for c in line["chars"] if c["text"].strip()]
            number = re.search(r"\.{3,}\s?([ivx]+|\d+)$", line["text"])
            if not number:
                continue
            digits = len(number.group(1))
            dot = chars[-digits - 1]
            assert dot["text"] == ".", line["text"]
            # The gap from the last dot to the number, in the number's font size.
            gaps.append((chars[-digits]["x0"] - dot["x1"]) / chars[-digits]["size"])
    assert len(gaps) > 20
    assert max(gaps) - min(gaps) < 0.02, sorted(gaps)


@pytest.mark.slow
def test_the_page_number_stands_at_the_right_of_the_footer(sample: Path) -> None:
    for page in plumbed(out(sample, "id", RENSTRA, ".pdf")).pages[1:]:
        footer = [w for w in page.extract_words() if w["top"] > page.height - 60]
        number = footer[-1]
        assert re.fullmatch(r"[ivx]+|\d+", number["text"]), footer
        # At the right margin (2 cm), far from the draft line at the left.
        assert abs(page.width - number["x1"] - 2 / 2.54 * 72) < 2, number
        draft = [w for w in footer if w["text"] == "Rancangan"]
        assert draft and draft[0]["x0"] < page.width / 3


@pytest.mark.slow
@LANGS
def test_word_keeps_the_signature_with_the_text_before_it(sample: Path, lang: str) -> None:
    """Word has no keep-with-previous: what stands before a signature block keeps with
    the next paragraph (the last row of a table, every paragraph of it)."""
    for name in (RECAP, f"{RECAP}/11"):
        document = docx.Document(str(out(sample, lang, name, ".docx")))
        place = next(p for p in document.paragraphs if p.style.name == "Signature Place")
        table = place._p.getprevious()
        assert table.tag == qn("w:tbl")
        last = table.findall(qn("w:tr"))[-1]
        assert all(p.find("w:pPr/w:keepNext", p.nsmap) is not None for p in last.iter(qn("w:p")))
    document = docx.Document(str(out(sample, lang, RENSTRA, ".docx")))
    paragraphs = document.paragraphs
    places = [i for i, p in enumerate(paragraphs) if p.style.name == "Signature Place"]
    assert len(places) == 2
    for i in places:
        assert paragraphs[i - 1].paragraph_format.keep_with_next, paragraphs[i - 1].text


def _regional_project(root: Path, regions: int) -> Path:
    """The sample's regional sheets for ``regions`` made-up regions (tools/regional_sample)."""
    import importlib.util

    from conftest import REPO

    spec = importlib.util.spec_from_file_location(
        "regional_sample", REPO / "tools/regional_sample.py"
    )
    assert spec is not None and spec.loader is not None
    sample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sample)
    make_project(root, own_templates=False)
    folder = root / "content" / RECAP
    shutil.copytree(REPO / "content" / RECAP, folder)
    text = (folder / "sheet.yaml").read_text(encoding="utf-8")
    text = text[: text.index("regions:\n")] + "regions:\n" + sample.regions_yaml(regions)
    (folder / "sheet.yaml").write_text(text, encoding="utf-8")
    csv = "".join(",".join(row) + "\n" for row in sample.rows(regions))
    (folder / "data/targets.csv").write_text(csv, encoding="utf-8")
    return root


def _lay_out_recap(root: Path) -> Path:
    """The recap alone, rendered and written as a build writes its PDF (its 61 sheets,
    which a build would write beside it, are not what this looks at)."""
    from plandocs import pipeline
    from plandocs.project import Project
    from plandocs.safety.reader import recording
    from plandocs.writers.base import WriteOptions
    from plandocs.writers.pdf.writer import layout_pdf

    project = Project.load(root)
    (source,) = [s for s in pipeline.sources(project.root) if s.kind == "regional"]
    target = root / "build/id" / f"{RECAP}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    (root / "build/.plandocs").mkdir(exist_ok=True)
    with recording(project.root):
        document = pipeline.load(project, source).select(None)
        rendered = pipeline.render(project, source, document, "id", draft=False)
        layout_pdf(project.root, rendered.html, target, WriteOptions(jobs=1))
    return target


@pytest.mark.slow
def test_a_long_recap_is_laid_out_a_table_at_a_time(tmp_path: Path) -> None:
    """Past 60 regions each of the recap's tables is laid out alone (a batch of 514
    regions held the whole recap's layout at once: 745 MB), starts its own page, and an
    edit lays out again only the table it touches; the pages are numbered on."""
    from plandocs.writers.pdf import chapters

    root = _regional_project(tmp_path, 61)
    chapters.laid_out.clear()
    recap = _lay_out_recap(root)
    assert chapters.laid_out.count("page numbers") == 1
    assert sorted(n for n in chapters.laid_out if n != "page numbers") == [
        "unit-0",
        "unit-1",
        "unit-2",
        "unit-3",
    ]
    pages = pdfium_pages(recap)
    starts = [n for n, page in enumerate(pages) if re.search(r"^Tabel \d IKSS", page, re.M)]
    assert len(starts) == 4 and starts[0] == 0, starts
    for n in starts[1:]:
        assert pages[n].lstrip().startswith(f"Tabel {starts.index(n) + 1} IKSS"), pages[n][:80]
    numbers = [page.strip().splitlines()[-1].strip() for page in pages]
    assert numbers == [str(n) for n in range(1, len(pages) + 1)]
    assert "ARIF ROHMAN" in pages[-1] and not _only_signature(pages[-1], "id")
    assert len(pdf_pages(recap)) == len(pages)  # one document, every page in it
    # One figure of the third indicator changes: its table alone is laid out again.
    csv = root / "content" / RECAP / "data/targets.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if ",IKSS 2.2," in line)
    fields = lines[row].rstrip("\n").split(",")
    fields[-1] = "99.9"
    lines[row] = ",".join(fields) + "\n"
    csv.write_text("".join(lines), encoding="utf-8")
    chapters.laid_out.clear()
    _lay_out_recap(root)
    assert [n for n in chapters.laid_out if n != "page numbers"] == ["unit-2"]
    assert "99,9" in pdfium_text(recap)


@pytest.mark.slow
def test_a_recap_of_up_to_60_regions_flows_on(tmp_path: Path) -> None:
    """A short recap's tables follow each other on the page, in one layout."""
    from plandocs.writers.pdf import chapters

    root = _regional_project(tmp_path, 20)
    chapters.laid_out.clear()
    pages = pdfium_pages(_lay_out_recap(root))
    assert chapters.laid_out == []
    captions = [len(re.findall(r"^Tabel \d IKSS", page, re.M)) for page in pages]
    assert sum(captions) == 4 and max(captions) >= 2, captions
