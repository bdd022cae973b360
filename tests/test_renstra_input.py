"""Bad plan content: each problem named at its file and line (or sheet and cell)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import REPO, edit, line_of, run

PLAN = "content/renstra/kemensos-2025-2029"


@pytest.fixture
def plan_project(project: Path) -> Path:
    shutil.copytree(REPO / PLAN, project / PLAN)
    return project


def build_html(root: Path) -> tuple[int, str]:
    result = run(root, "build", "--format", "html", str(root / "content/renstra"))
    return result.exit_code, result.output


def test_sample_plan_builds(plan_project: Path) -> None:
    code, output = build_html(plan_project)
    assert code == 0, output
    html = (plan_project / "build/id/renstra/kemensos-2025-2029.html").read_text()
    heading = r'<h2 id="sec_1_1"[^>]*><span class="secnum">1.1</span> Kondisi Umum</h2>'
    assert re.search(heading, html)


def test_indicator_missing_a_year(plan_project: Path) -> None:
    plan = plan_project / PLAN / "plan.yaml"
    edit(plan, "targets: {2025: 0.6, 2026: 0.4, 2027: 0.2,", "targets: {2025: 0.6, 2026: 0.4,")
    line = line_of(plan, "targets: {2025: 0.6, 2026: 0.4,")
    code, output = build_html(plan_project)
    assert code == 1
    assert (
        f"{PLAN}/plan.yaml:{line}:18: error: IKSS 1.1: target for 2027 is missing; "
        "every year 2025–2029 needs a target"
    ) in output


def test_target_not_a_number_in_yaml(plan_project: Path) -> None:
    plan = plan_project / PLAN / "plan.yaml"
    edit(plan, "targets: {2025: 10, 2026: 12,", "targets: {2025: ten, 2026: 12,")
    line = line_of(plan, "2025: ten")
    code, output = build_html(plan_project)
    assert code == 1
    assert f"{PLAN}/plan.yaml:{line}:" in output
    assert "`strategic_targets.0.indicators.1.targets.2025`: 'ten' is not a number" in output


def test_target_not_a_number_in_csv(plan_project: Path) -> None:
    edit(plan_project / PLAN / "data/targets.csv", "IKP 1.2,40,45,", "IKP 1.2,40,4x5,")
    code, output = build_html(plan_project)
    assert code == 1
    assert f"{PLAN}/data/targets.csv:3:3: error: '4x5' is not a number" in output


def test_csv_row_for_an_unknown_indicator(plan_project: Path) -> None:
    with (plan_project / PLAN / "data/targets.csv").open("a") as f:
        f.write("IKP 9.9,1,2,3,4,5\n")
    code, output = build_html(plan_project)
    assert code == 1
    assert f"{PLAN}/data/targets.csv:25:1: error: no indicator has the code 'IKP 9.9'" in output


def test_csv_missing_a_year_column(plan_project: Path) -> None:
    path = plan_project / PLAN / "data/targets.csv"
    lines = [",".join(line.split(",")[:5]) for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")
    code, output = build_html(plan_project)
    assert code == 1
    assert "data/targets.csv:1:6: error: no column for 2029" in output


def _workbook(project: Path) -> tuple[Path, openpyxl.Workbook]:
    path = project / PLAN / "data/budgets.xlsx"
    return path, openpyxl.load_workbook(path)


def test_budget_row_for_an_unknown_program(plan_project: Path) -> None:
    path, book = _workbook(plan_project)
    book["Anggaran"].append(["K9.1", 1, 2, 3, 4, 5])
    book.save(path)
    code, output = build_html(plan_project)
    assert code == 1
    assert (
        f"{PLAN}/data/budgets.xlsx:Anggaran!A10: error: budget row for 'K9.1': "
        "it is not a program or activity in plan.yaml"
    ) in output


def test_budget_cell_that_is_not_a_number(plan_project: Path) -> None:
    path, book = _workbook(plan_project)
    book["Anggaran"]["C3"] = "banyak"
    book.save(path)
    code, output = build_html(plan_project)
    assert code == 1
    assert f"{PLAN}/data/budgets.xlsx:Anggaran!C3: error: 'banyak' is not a number" in output


def test_budget_cell_empty(plan_project: Path) -> None:
    path, book = _workbook(plan_project)
    book["Anggaran"]["F5"] = None
    book.save(path)
    code, output = build_html(plan_project)
    assert code == 1
    assert "budgets.xlsx:Anggaran!F5: error: K2.1: the value for 2029 is empty" in output


def test_budget_for_a_program_with_activities(plan_project: Path) -> None:
    path, book = _workbook(plan_project)
    book["Anggaran"].append(["P1", 1, 2, 3, 4, 5])
    book.save(path)
    code, output = build_html(plan_project)
    assert code == 1
    assert "it is a program with activities; give the budget per activity" in output


def test_missing_sheet(plan_project: Path) -> None:
    edit(plan_project / PLAN / "plan.yaml", "budgets.xlsx#Anggaran", "budgets.xlsx#Budget")
    code, output = build_html(plan_project)
    assert code == 1
    assert "error: no sheet named 'Budget'; the workbook has Anggaran" in output


def test_formulas_are_not_evaluated(plan_project: Path) -> None:
    path, book = _workbook(plan_project)
    book["Anggaran"]["B2"] = "=1+1"  # saved by openpyxl: no cached result
    book.save(path)
    code, output = build_html(plan_project)
    assert code == 1
    assert (
        "budgets.xlsx:Anggaran!B2: error: this cell holds a formula but no value for it"
    ) in output
    assert "open the file in Excel or LibreOffice and save it again" in output
    # Saved by a program that calculates (the value stored beside the formula), it is read.
    with zipfile.ZipFile(path) as book_zip:
        parts = {name: book_zip.read(name) for name in book_zip.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    assert b"<f>1+1</f><v></v>" in parts[sheet]
    parts[sheet] = parts[sheet].replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
    with zipfile.ZipFile(path, "w") as book_zip:
        for name, data in parts.items():
            book_zip.writestr(name, data)
    code, output = build_html(plan_project)
    assert code == 0, output


@pytest.mark.slow
def test_chapter_missing_in_one_language(plan_project: Path) -> None:
    (plan_project / PLAN / "en/3-policy-direction.md").unlink()
    code, output = build_html(plan_project)
    assert code == 1
    assert f"{PLAN}/en/4-targets-funding.md: error: chapter 3 is missing before this one" in output
    assert "1 written" in output  # the Indonesian version is still built
    (plan_project / PLAN / "en/4-targets-funding.md").unlink()
    (plan_project / PLAN / "en/5-closing.md").unlink()
    code, output = build_html(plan_project)
    assert f"{PLAN}/en: error: chapter 3 has no en version; add en/3-<name>.md" in output


def test_unknown_table_in_a_chapter(plan_project: Path) -> None:
    chapter = plan_project / PLAN / "id/4-target-pendanaan.md"
    edit(chapter, "```{table} funding", "```{table} anggaran")
    line = line_of(chapter, "{table} anggaran")
    code, output = build_html(plan_project)
    assert code == 1
    assert f"{PLAN}/id/4-target-pendanaan.md:{line}: error: no table named 'anggaran'" in output
    assert "funding" in output


def test_unknown_indicator_in_prose(plan_project: Path) -> None:
    chapter = plan_project / PLAN / "en/5-closing.md"
    edit(chapter, "The success", "{{ indicators['IKSS 9.9'].targets[2029] }} The success")
    line = line_of(chapter, "IKSS 9.9")
    code, output = build_html(plan_project)
    assert code == 1
    assert f"{PLAN}/en/5-closing.md:{line}: error:" in output
    assert "IKSS 9.9" in output


def test_reference_docx_styles_and_header_are_kept(project: Path) -> None:
    import docx

    from conftest import READOUT_FACTS, write

    reference = docx.Document()
    reference.styles["Normal"].font.name = "Bookman Old Style"
    reference.sections[0].header.paragraphs[0].text = "KOP SURAT KEMENTERIAN SOSIAL"
    reference.add_paragraph("text of the reference that must not be copied")
    reference.save(str(project / "reference.docx"))
    settings = project / "plandocs.yaml"
    settings.write_text(settings.read_text() + "reference_docx: reference.docx\n")
    write(project, "content/readouts/m/readout.yaml", READOUT_FACTS)
    write(project, "content/readouts/m/id.md", "---\ntitle: Rapat\n---\nIsi.\n")
    result = run(project, "build", "--format", "docx", "--lang", "id")
    assert result.exit_code == 0, result.output
    out = docx.Document(str(project / "build/id/readouts/m.docx"))
    assert out.styles["Normal"].font.name == "Bookman Old Style"
    assert out.sections[0].header.paragraphs[0].text == "KOP SURAT KEMENTERIAN SOSIAL"
    assert "must not be copied" not in "\n".join(p.text for p in out.paragraphs)
    assert out.styles["Signature"].font.bold is True  # missing styles come from the source


def test_reference_docx_outside_the_project(project: Path) -> None:
    settings = project / "plandocs.yaml"
    settings.write_text(settings.read_text() + "reference_docx: ../elsewhere.docx\n")
    result = run(project, "build")
    assert result.exit_code == 1
    assert "reference_docx '../elsewhere.docx' is not a file inside the project" in result.output
