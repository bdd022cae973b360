"""The performance cycle: a Perjanjian Kinerja and a Laporan Kinerja drawn from the
Renstra, achievements computed, the cascade checked, charts in both formats.

The sample's documents are built once and reopened: the PDF's text, the DOCX's tables,
its chart parts and their embedded workbooks (also as LibreOffice reads them). Every
figure a test expects is read from the content's own files (plan.yaml, targets.csv, the
realisations) and computed here, never copied from plandocs' code. A small project of
its own checks the rules, each problem at its file and line, and the rebuilds.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import yaml
from lxml import etree

from conftest import REPO
from inspect_docs import flat, pdf_text

PLAN = REPO / "content/renstra/kemensos-2025-2029"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
R_EMBED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"


# -- the content's own facts, read here ---------------------------------------------------


def indonesian(text: str) -> Decimal:
    """A number as an Indonesian spreadsheet writes it: ``1.024`` and ``0,71``."""
    return Decimal(text.replace(".", "").replace(",", "."))


def renstra_facts() -> tuple[dict[str, dict[str, Any]], dict[str, dict[int, Decimal]]]:
    """Every indicator of the sample plan (code → its YAML) and its yearly targets, from
    plan.yaml and data/targets.csv."""
    plan = yaml.safe_load((PLAN / "plan.yaml").read_text(encoding="utf-8"))
    indicators: dict[str, dict[str, Any]] = {}
    for target in plan["strategic_targets"]:
        indicators.update({i["code"]: i for i in target["indicators"]})
    for program in plan["programs"]:
        indicators.update({i["code"]: i for i in program["indicators"]})
        for activity in program["activities"]:
            indicators.update({i["code"]: i for i in activity["indicators"]})
    targets = {
        code: {int(y): Decimal(str(v)) for y, v in ind.get("targets", {}).items()}
        for code, ind in indicators.items()
    }
    with open(PLAN / "data/targets.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            targets[row["code"]] = {int(y): Decimal(v) for y, v in row.items() if y != "code"}
    return indicators, targets


def shown(value: Decimal, digits: int, lang: str) -> str:
    """A number as the documents write it in ``lang``."""
    text = f"{value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def decimals(values: list[Decimal]) -> int:
    return max(max(0, -v.normalize().as_tuple().exponent) for v in values)  # type: ignore[operator]


BANDS = [(91, "Sangat Baik", "Very Good"), (76, "Baik", "Good"), (66, "Cukup", "Fair"),
         (51, "Kurang", "Poor"), (0, "Sangat Kurang", "Very Poor")]  # fmt: skip
"""The predicate bands plandocs uses when plandocs.yaml sets none (the sample's)."""


# -- the sample, built once -----------------------------------------------------------------


@pytest.fixture
def cycle(sample: Path) -> Path:
    """The sample project, built once per session in every format: its Renstra, the PKs
    and the LKj among its documents."""
    return sample


def tables(path: Path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
def test_pk_statement_and_both_signatures(cycle: Path, lang: str) -> None:
    opening = {
        "id": "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan "
        "akuntabel serta berorientasi pada hasil, kami yang bertanda tangan di bawah ini:",
        "en": "In order to achieve government management that is effective, transparent and "
        "accountable and oriented towards results, we the undersigned:",
    }[lang]
    facts = yaml.safe_load((REPO / "content/pk/kemensos-2025/pk.yaml").read_text())
    first, second = facts["first_party"], facts["second_party"]
    docx_path = cycle / f"build/{lang}/pk/kemensos-2025.docx"
    text = flat(pdf_text(cycle / f"build/{lang}/pk/kemensos-2025.pdf"))
    assert opening in text
    assert opening in flat("\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs))
    # Side by side: the second party on the left, the first on the right — under the
    # statement and again under the annex.
    signatures = [
        t for t in tables(docx_path) if t[-1] == [second["name"].upper(), first["name"].upper()]
    ]
    assert len(signatures) == 2
    for table in signatures:
        assert table[2] == [
            second["office"][lang].upper() + ",",
            first["office"][lang].upper() + ",",
        ]
    assert text.count(f"{second['name'].upper()} {first['name'].upper()}") == 2


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_lkj_lists_its_annex_once_and_the_pk_its_heading_spaced(cycle: Path, lang: str) -> None:
    """The PK signed inside the LKj's annex keeps its own heading, which is not one of
    the report's: one annex in the report's bookmarks and in its Word outline; a heading
    set over two lines is bookmarked with a space where the line breaks."""
    import pikepdf

    def outline(path: Path) -> list[str]:
        with pikepdf.open(path) as pdf, pdf.open_outline() as tree:
            return [item.title for item in tree.root]

    annex = {"id": "LAMPIRAN", "en": "ANNEX"}[lang]
    report = outline(cycle / f"build/{lang}/lkj/kemensos-2025.pdf")
    assert [t for t in report if t.startswith(annex)] == [report[-1]]
    agreement = outline(cycle / f"build/{lang}/pk/kemensos-2025.pdf")
    assert len(agreement) == 1 and re.search(r"2025 (KEMENTERIAN|MINISTRY)", agreement[0])
    assert agreement[0] == agreement[0].upper()
    document = docx.Document(str(cycle / f"build/{lang}/lkj/kemensos-2025.docx"))
    styles = [
        p.style.name
        for p in document.paragraphs
        if p.text.startswith(annex) and p.style.name.startswith("Annex")
    ]
    assert styles == ["Annex Heading", "Annex Title"]
    assert (
        document.styles["Annex Title"]
        .element.pPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl"
        )
        .get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
        == "9"
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("slug", ["kemensos-2025", "ditjen-linjamsos-2025"])
def test_pk_targets_are_the_renstras(cycle: Path, lang: str, slug: str) -> None:
    facts = yaml.safe_load((REPO / f"content/pk/{slug}/pk.yaml").read_text())
    indicators, targets = renstra_facts()
    year = facts["year"]
    committed = {
        (e if isinstance(e, str) else e["code"]): (None if isinstance(e, str) else e)
        for e in facts.get("indicators", [])
    }
    if not committed:  # the ministry's: every strategic target indicator
        committed = {c: None for c in indicators if c.startswith("IKSS")}
    rows = {
        row[2]: row[3]
        for table in tables(cycle / f"build/{lang}/pk/{slug}.docx")
        for row in table
        if len(row) == 4
    }
    for code, entry in committed.items():
        indicator = indicators[code]
        target = targets[code][year]
        if entry is not None and "revision" in entry:
            target = Decimal(str(entry["target"]))
        digits = decimals([*targets[code].values(), target])
        cell = rows[indicator["name"][lang]]
        assert shown(target, digits, lang) in cell, (code, cell)
        assert cell.endswith("*)") == (entry is not None and "revision" in entry)
    text = flat(pdf_text(cycle / f"build/{lang}/pk/{slug}.pdf"))
    if slug == "ditjen-linjamsos-2025":  # the revision, with its reason
        revised = committed["IKP 1.2"]
        # (straight quotes printed as the documents print them: year's → year’s)
        assert flat(revised["revision"][lang]).replace("'", "\u2019") in text
        assert ("Target direvisi dari 40" if lang == "id" else "Target revised from 40") in text


def realisations() -> dict[str, dict[int, Decimal]]:
    text = (REPO / "content/lkj/kemensos-2025/data/realisasi.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    years = [int(y) for y in rows[0][1:]]
    return {row[0]: dict(zip(years, map(indonesian, row[1:]), strict=True)) for row in rows[1:]}


def expected_achievements() -> dict[str, tuple[Decimal, str, str]]:
    """Capaian and predicate of each indicator of the sample LKj, computed here from
    plan.yaml, targets.csv and the realisations: more is better realisation ÷ target,
    less is better (2 × target − realisation) ÷ target (the default formula)."""
    indicators, targets = renstra_facts()
    found = {}
    for code, values in realisations().items():
        target, real = targets[code][2025], values[2025]
        if indicators[code].get("polarity") == "minimize":
            ratio = (2 * target - real) / target
        else:
            ratio = real / target
        percent = (ratio * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        band = next((b for b in BANDS if percent >= b[0]), BANDS[-1])
        found[code] = (percent, band[1], band[2])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
def test_lkj_achievements_recomputed_from_the_data(cycle: Path, lang: str) -> None:
    expected = expected_achievements()
    indicators, _ = renstra_facts()
    assert {e[1] for e in expected.values()} >= {"Sangat Baik", "Baik", "Cukup"}
    assert any(e[0] < 100 for e in expected.values()) and any(e[0] > 100 for e in expected.values())
    rows = {
        row[1].removesuffix(" (semakin rendah semakin baik)").removesuffix(" (less is better)"): row
        for table in tables(cycle / f"build/{lang}/lkj/kemensos-2025.docx")
        for row in table
        if len(row) == 7 and row[0].isdigit()
    }
    text = flat(pdf_text(cycle / f"build/{lang}/lkj/kemensos-2025.pdf"))
    for code, (percent, pred_id, pred_en) in expected.items():
        row = rows[indicators[code]["name"][lang]]
        assert row[5] == shown(percent, 2, lang) + "%", (code, row)
        assert row[6] == (pred_id if lang == "id" else pred_en)
        assert f"{shown(percent, 2, lang)}% {row[6]}" in text
    # Where less is better, a realisation above the target is an achievement below 100 %.
    (minimize,) = [c for c in expected if indicators[c].get("polarity") == "minimize"]
    assert realisations()[minimize][2025] > renstra_facts()[1][minimize][2025]
    assert expected[minimize][0] < 100
    assert "less is better" in rows[indicators[minimize]["name"]["en"]][1] if lang == "en" else True


def chart_parts(path: Path) -> list[tuple[etree._Element, bytes]]:
    """Each chart part of a DOCX and the workbook embedded for it."""
    found = []
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        for name in sorted(n for n in names if re.fullmatch(r"word/charts/chart\d+\.xml", n)):
            tree = etree.fromstring(package.read(name))
            rels = etree.fromstring(
                package.read(name.replace("charts/", "charts/_rels/") + ".rels")
            )
            rel_id = tree.find(f"{C}externalData").get(
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
            )
            rel = next(r for r in rels if r.get("Id") == rel_id)
            assert rel.get("Type") == R_EMBED
            target = "word/" + rel.get("Target").removeprefix("../")
            found.append((tree, package.read(target)))
    return found


def series(tree: etree._Element) -> dict[str, list[str]]:
    return {
        ser.find(f"{C}tx//{C}v").text: [p.text for p in ser.findall(f"{C}val//{C}pt/{C}v")]
        for ser in tree.iter(f"{C}ser")
    }


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
def test_native_charts_with_their_data_embedded(cycle: Path, lang: str) -> None:
    expected = expected_achievements()
    parts = chart_parts(cycle / f"build/{lang}/lkj/kemensos-2025.docx")
    assert len(parts) == 4  # achievements, two trends, budget
    tree, workbook = parts[0]
    name = "Capaian" if lang == "id" else "Achievement"
    values = [Decimal(v) for v in series(tree)[name]]
    categories = [p.text for p in tree.find(f".//{C}cat").iter(f"{C}v")]
    assert categories == list(expected)
    assert values == [e[0] for e in expected.values()]
    assert "[$-421]" in tree.find(f".//{C}formatCode").text if lang == "id" else True
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    assert [sheet.cell(1, c).value for c in (2, 3)] == [name, "Target (100%)"]
    assert [sheet.cell(r, 1).value for r in range(2, 2 + len(expected))] == list(expected)
    assert [Decimal(str(sheet.cell(r, 2).value)) for r in range(2, 2 + len(expected))] == values
    # The Renstra's figure too: the poverty rates of plan.yaml.
    plan = yaml.safe_load((PLAN / "plan.yaml").read_text())
    rates = plan["facts"]["poverty_rate_march"]
    ((figure, _),) = chart_parts(cycle / f"build/{lang}/renstra/kemensos-2025-2029.docx")
    assert [Decimal(v) for v in next(iter(series(figure).values()))] == [
        Decimal(str(v)) for v in rates.values()
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_charts_and_their_data(cycle: Path, tmp_path: Path) -> None:
    source = cycle / "build/id/lkj/kemensos-2025.docx"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "odt", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    with zipfile.ZipFile(tmp_path / "kemensos-2025.odt") as odt:
        objects = [n for n in odt.namelist() if re.fullmatch(r"Object \d+/content\.xml", n)]
        assert len(objects) == 4
        contents = [odt.read(n).decode("utf-8") for n in objects]
    # LibreOffice took each chart with its data table: the achievements' values are there.
    achievements = next(c for c in contents if "IKSS 4.2" in c and "chart:chart" in c)
    for percent, _, _ in expected_achievements().values():
        assert f'office:value="{percent.normalize():f}"' in achievements


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
def test_svg_charts_in_the_pdf_and_html(cycle: Path, lang: str) -> None:
    html = (cycle / f"build/{lang}/lkj/kemensos-2025.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="chart".*?</figure>', html, re.S)
    assert len(figures) == 4
    for figure in figures:
        assert "<svg" in figure and "<title>" in figure and "<desc>" in figure
        assert '<table class="chart-data">' in figure and "<figcaption>" in figure
    # WeasyPrint drew the SVG: its labels are text of the PDF, in the language's format.
    text = pdf_text(cycle / f"build/{lang}/lkj/kemensos-2025.pdf")
    for percent, _, _ in expected_achievements().values():
        assert shown(percent, 2, lang) in text
    renstra = flat(pdf_text(cycle / f"build/{lang}/renstra/kemensos-2025-2029.pdf"))
    figure = "Gambar 1.1" if lang == "id" else "Figure 1.1"
    assert f"{figure} " in renstra and shown(Decimal("10.14"), 2, lang) in renstra
