"""Data files: the separator found, numbers read in the file's style or not at all, and
hostile files — huge, malformed, lying about their size — turned into located errors."""

from __future__ import annotations

import shutil
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import REPO, edit, line_of, make_project, run
from plandocs.content import tables, workbooks
from plandocs.content.tables import read_csv, read_xlsx
from plandocs.errors import ContentError

PLAN = "content/renstra/kemensos-2025-2029"
YEARS = range(2025, 2027)


def problems(call: object) -> list[str]:
    """Every located message a reader raises (``ContentErrors`` hold several)."""
    try:
        call()  # type: ignore[operator]
    except ContentError as exc:
        return [one.format() for one in getattr(exc, "errors", [exc])]
    raise AssertionError("no error")


def csv_file(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def values(rows: list[tables.Row]) -> dict[str, list[Decimal]]:
    return {row.code: [cell.value for cell in row.values.values()] for row in rows}


# -- CSV ---------------------------------------------------------------------------
def test_semicolons_and_decimal_commas_as_excel_writes_them(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "code;2025;2026\nA;85,5;1.234.567\nB;40000;7\n")
    assert values(read_csv(path, YEARS)) == {
        "A": [Decimal("85.5"), Decimal(1234567)],
        "B": [Decimal(40000), Decimal(7)],
    }


def test_tabs(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "code\t2025\t2026\nA\t1,5\t2\n")
    assert values(read_csv(path, YEARS)) == {"A": [Decimal("1.5"), Decimal(2)]}


def test_commas_with_quoted_decimal_commas(tmp_path: Path) -> None:
    path = csv_file(tmp_path, 'code,2025,2026\nA,"85,5",9.5\n')
    assert problems(lambda: read_csv(path, YEARS)) == [
        f"{path}:2:3: error: this file writes numbers in two styles: '85,5' at 2:2 is "
        "Indonesian, '9.5' here is English; write them one way and declare it "
        "(`data: {targets: {path: …, numbers: id}}` in plan.yaml)"
    ]


def test_unquoted_decimal_comma_in_a_comma_file(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "code,2025,2026\nA,85,5,90\n")
    assert problems(lambda: read_csv(path, YEARS)) == [
        f"{path}:2:4: error: this row has 4 fields but the header names 3; a decimal comma "
        '(85,5) in a comma-separated file must be quoted ("85,5"), or separate the columns '
        "with `;`"
    ]


def test_ambiguous_cells_need_a_declared_style(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "code;2025;2026\nA;40.000;1\nB;2;1,250\n")
    assert problems(lambda: read_csv(path, YEARS)) == [
        f"{path}:2:2: error: '40.000' could be 40000 (Indonesian) or 40 (English); write "
        "40000 or 40 without separators, or declare the number style (`number_style: id` in "
        "plandocs.yaml, or `numbers: id` for a data file)",
        f"{path}:3:3: error: '1,250' could be 1.25 (Indonesian) or 1250 (English); write "
        "1.25 or 1250 without separators, or declare the number style (`number_style: id` in "
        "plandocs.yaml, or `numbers: id` for a data file)",
    ]
    assert values(read_csv(path, YEARS, "id")) == {
        "A": [Decimal(40000), Decimal(1)],
        "B": [Decimal(2), Decimal("1.25")],
    }
    assert values(read_csv(path, YEARS, "en")) == {
        "A": [Decimal(40), Decimal(1)],
        "B": [Decimal(2), Decimal(1250)],
    }


def test_a_declared_style_is_never_guessed_past(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "code;2025;2026\nA;9.5;1\n")
    assert problems(lambda: read_csv(path, YEARS, "id")) == [
        f"{path}:2:2: error: '9.5' is not written in the Indonesian number style declared "
        "for it; write 9,5"
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("NaN", "'NaN' is not a number"),
        ("Infinity", "'Infinity' is not a number"),
        ("-inf", "'-inf' is not a number"),
        ("sNaN", "'sNaN' is not a number"),
        ("1e999999999", "'1e999999999' is in scientific notation"),
        ("1" * 5001, "(5001 digits) is larger than plandocs handles"),
        ("2000000000000000000", "'2000000000000000000' is larger than plandocs handles"),
    ],
)
def test_values_that_are_not_numbers(tmp_path: Path, cell: str, message: str) -> None:
    path = csv_file(tmp_path, f"code,2025,2026\nA,1,{cell}\n")
    [error] = problems(lambda: read_csv(path, YEARS))
    assert error.startswith(f"{path}:2:3: error: ")
    assert message in error


def test_a_field_over_the_csv_limit(tmp_path: Path) -> None:
    path = csv_file(tmp_path, 'code,2025,2026\nA,1,2\nB,"' + "x" * 200_000 + '",2\n')
    assert problems(lambda: read_csv(path, YEARS)) == [
        f"{path}:3: error: cannot read this row: a field is longer than 128 KiB (an unclosed "
        'quote `"`?); close the quote or shorten the field'
    ]


def test_a_nul_byte(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "code,2025,2026\nA,1\x00,2\n")
    [error] = problems(lambda: read_csv(path, YEARS))
    assert error.startswith(f"{path}:2:2: error: '1\\x00' is not a number")


def test_a_huge_csv(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    with path.open("wb") as f:
        f.truncate(tables.MAX_CSV_BYTES + 1)
    assert problems(lambda: read_csv(path, YEARS)) == [
        f"{path}: error: the file is larger than the 8 MiB a CSV table may have; check "
        "that this is the plan's table"
    ]


@pytest.mark.slow
def test_too_many_rows_and_columns(tmp_path: Path) -> None:
    rows = "".join(f"C{i},1,2\n" for i in range(tables.MAX_ROWS + 1))
    path = csv_file(tmp_path, "code,2025,2026\n" + rows)
    assert problems(lambda: read_csv(path, YEARS)) == [
        f"{path}:{tables.MAX_ROWS + 2}: error: more than {tables.MAX_ROWS} rows; split the table"
    ]
    wide = csv_file(tmp_path, "code,2025,2026" + ",x" * 100 + "\n", "wide.csv")
    [error] = problems(lambda: read_csv(wide, YEARS))
    assert error.startswith(f"{wide}:1: error: this row has 103 columns, more than the 64")


def test_header_with_two_separators_equally(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "code;2025,2026\n")
    [error] = problems(lambda: read_csv(path, YEARS))
    assert "the header uses `,` and `;` equally often" in error


# -- workbooks -----------------------------------------------------------------------
def workbook(tmp_path: Path, rows: list[list[object]], name: str = "b.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Anggaran"
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def rewrite(path: Path, part: str, change: object) -> None:
    """Rewrite one part of a workbook's ZIP with ``change(xml_bytes) -> bytes``."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = change(parts[part])  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


SHEET = "xl/worksheets/sheet1.xml"


def test_text_cells_follow_the_same_rule(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", "412.500", 7.5], ["B", 1, "85,5"]])
    assert problems(lambda: read_xlsx(path, None, YEARS)) == [
        f"{path}:Anggaran!B2: error: '412.500' could be 412500 (Indonesian) or 412.5 "
        "(English); write 412500 or 412.5 without separators, or declare the number style "
        "(`number_style: id` in plandocs.yaml, or `numbers: id` for a data file)"
    ]
    assert values(read_xlsx(path, None, YEARS, "id")) == {
        "A": [Decimal(412500), Decimal("7.5")],  # a number cell is a number in any style
        "B": [Decimal(1), Decimal("85.5")],
    }


def test_nan_and_huge_values_in_a_workbook(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2]])
    rewrite(path, SHEET, lambda xml: xml.replace(b"<v>2</v>", b"<v>1e999999999</v>"))
    [error] = problems(lambda: read_xlsx(path, None, YEARS))
    assert error.startswith(f"{path}:Anggaran!C2: error: inf is not a number")
    rewrite(path, SHEET, lambda xml: xml.replace(b"<v>1e999999999</v>", b"<v>NaN</v>"))
    [error] = problems(lambda: read_xlsx(path, None, YEARS))
    assert error.startswith(f"{path}:Anggaran!A2: error: row 2 cannot be read (ValueError")
    rewrite(
        path, SHEET, lambda xml: xml.replace(b"<v>1e999999999</v>", b"<v>" + b"9" * 5001 + b"</v>")
    )
    [error] = problems(lambda: read_xlsx(path, None, YEARS))
    assert error.startswith(f"{path}:Anggaran!A2: error: row 2 cannot be read")


def test_a_stated_dimension_is_not_trusted(tmp_path: Path) -> None:
    """`A1:XFD20001` would make openpyxl pad every row to 16 384 cells: 327 million."""
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2]])
    rewrite(
        path,
        SHEET,
        lambda xml: xml.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD20001"/>'),
    )
    assert b"XFD20001" in zipfile.ZipFile(path).read(SHEET)
    tracemalloc.start()
    try:
        rows = read_xlsx(path, None, YEARS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert values(rows) == {"A": [Decimal(1), Decimal(2)]}
    assert peak < 20 * 1024 * 1024


def test_rows_far_down_the_sheet_stop_at_the_row_limit(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2]])
    rewrite(
        path,
        SHEET,
        lambda xml: xml.replace(
            b"</sheetData>",
            b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Z</t></is></c></row>'
            b"</sheetData>",
        ),
    )
    assert problems(lambda: read_xlsx(path, None, YEARS)) == [
        f"{path}:Anggaran!A{tables.MAX_ROWS + 2}: error: more than {tables.MAX_ROWS} rows; "
        "split the table"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b'<c r="C2"', b'<c r="XFE2"', "Anggaran!A2: error: cell XFE2 is past the sheet's grid"),
        (b'<row r="2"', b'<row r="1048577"', "row 1048577 is past the last row of a sheet"),
        (b'<c r="C2"', b'<c r="BZ2"', "Anggaran!BZ2: error: this cell holds a value, but a table"),
        (b"</sheetData>", b"<row><c>" * 3, "error: cannot read the sheet (XMLSyntaxError"),
        (
            b'<c r="C2"',
            b'<c r="D2"/>' * (workbooks.MAX_CELLS_PER_ROW + 1) + b'<c r="C2"',
            "Anggaran!A2: error: row 2 has more than 1000 cells",
        ),
    ],
)
def test_hostile_sheets(tmp_path: Path, old: bytes, new: bytes, message: str) -> None:
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2]])
    rewrite(path, SHEET, lambda xml: xml.replace(old, new, 1))
    [error] = problems(lambda: read_xlsx(path, None, YEARS))
    assert error.startswith(f"{path}:")
    assert message in error


NO_VALUE = (
    "this cell holds a formula but no value for it (the program that wrote the workbook "
    "did not calculate it); open the file in Excel or LibreOffice and save it again, or "
    "type the value in"
)


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="C2"><f>B2*2</f><v></v></c>',  # as openpyxl writes it
        b'<c r="C2" t="n"><f>B2*2</f><v/></c>',
        b'<c r="C2"><f>B2*2</f></c>',  # no value at all
        b'<c r="C2"><f t="shared" si="0"/></c>',  # a later cell of a shared formula
    ],
)
def test_a_formula_with_no_saved_value(tmp_path: Path, cell: bytes) -> None:
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2], ["B", 3, 4]])
    rewrite(path, SHEET, lambda xml: xml.replace(b'<c r="C2" t="n"><v>2</v></c>', cell))
    assert problems(lambda: read_xlsx(path, None, YEARS)) == [
        f"{path}:Anggaran!C2: error: {NO_VALUE}"
    ]


# Formulas with their values saved, as Excel and LibreOffice save them (one shared).
SAVED = {
    b'<c r="B2" t="n"><v>1</v></c>': b'<c r="B2"><f>0.5*2</f><v>1</v></c>',
    b'<c r="C2" t="n"><v>2</v></c>': (
        b'<c r="C2"><f t="shared" ref="C2:C3" si="0">B2*2</f><v>2</v></c>'
    ),
    b'<c r="B3" t="n"><v>3</v></c>': b'<c r="B3"><f t="shared" si="0"/><v>3</v></c>',
}
EMPTY = "K: the value for 2026 is empty; every year 2025–2026 needs one"


@pytest.mark.parametrize(
    ("c3", "message"),
    [
        (b'<c r="C3" t="n"><v>4</v></c>', None),
        (b'<c r="C3"/>', EMPTY),  # an empty cell after formulas
        (b'<c r="C3" t="str"><f>""</f><v></v></c>', EMPTY),  # a formula giving no text
    ],
)
def test_formulas_with_their_values_saved_are_read(
    tmp_path: Path, c3: bytes, message: str | None
) -> None:
    """A formula is looked into at its own cell only: the values saved beside formulas are
    read, and an empty cell after a formula, or a formula giving an empty text, is empty."""
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2], ["K", 3, 4]])

    def save(xml: bytes) -> bytes:
        for old, new in {**SAVED, b'<c r="C3" t="n"><v>4</v></c>': c3}.items():
            assert old in xml
            xml = xml.replace(old, new)
        return xml

    rewrite(path, SHEET, save)
    if message is None:
        assert values(read_xlsx(path, None, YEARS)) == {
            "A": [Decimal(1), Decimal(2)],
            "K": [Decimal(3), Decimal(4)],
        }
    else:
        assert problems(lambda: read_xlsx(path, None, YEARS)) == [
            f"{path}:Anggaran!C3: error: {message}"
        ]


def test_a_document_type_declaration(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2]])
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    rewrite(path, "xl/workbook.xml", lambda xml: bomb + xml)
    assert problems(lambda: read_xlsx(path, None, YEARS)) == [
        f"{path}: error: the workbook's part xl/workbook.xml declares a document type, which "
        "Excel never writes; save the file again from Excel"
    ]


def test_a_part_that_unpacks_too_large(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", b"\0" * (workbooks.MAX_XLSX_PART + 1))
    assert path.stat().st_size < 1024 * 1024
    [error] = problems(lambda: read_xlsx(path, None, YEARS))
    assert "the workbook's part xl/media/zeros.bin unpacks to 64 MiB, more than the 64 MiB" in error


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"not a zip at all"),
        lambda path: path.write_bytes(path.read_bytes()[:400]),
        lambda path: rewrite(path, "xl/workbook.xml", lambda xml: xml[:50]),
        lambda path: rewrite(path, "[Content_Types].xml", lambda xml: b"<Types/>"),
    ],
)
def test_damaged_workbooks(tmp_path: Path, damage: object) -> None:
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2]])
    damage(path)  # type: ignore[operator]
    [error] = problems(lambda: read_xlsx(path, None, YEARS))
    assert error.startswith(f"{path}")
    assert "error: " in error and "save" in error


def test_a_huge_workbook(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    with path.open("wb") as f:
        f.truncate(workbooks.MAX_XLSX_BYTES + 1)
    [error] = problems(lambda: read_xlsx(path, None, YEARS))
    assert "larger than the 32 MiB a workbook may have" in error


# -- in a plan ----------------------------------------------------------------------
def test_more_decimals_than_a_document_prints_is_an_error_at_the_cell(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "code,2025,2026\nA,0.12345678901,7\nB,0.1234567891,8\n")
    assert problems(lambda: read_csv(path, YEARS)) == [
        f"{path}:2:2: error: '0.12345678901' has 11 decimals, more than a document prints "
        "(at most 10); round it"
    ]


def test_a_workbook_number_is_read_as_the_spreadsheet_shows_it(tmp_path: Path) -> None:
    """A formula's result saved as the nearest double (0.1 + 0.2, 72.97 × 0.3, as Excel
    saves them) is the number Excel shows, to 15 significant digits, not 17 digits of
    binary noise (which no document prints)."""
    path = workbook(tmp_path, [["code", 2025, 2026], ["A", 1, 2]])
    noisy = (
        (b"<v>1</v>", b"<v>0.30000000000000004</v>"),
        (b"<v>2</v>", b"<v>21.890999999999998</v>"),
    )
    rewrite(path, SHEET, lambda xml: xml.replace(*noisy[0]).replace(*noisy[1]))
    assert values(read_xlsx(path, None, YEARS)) == {"A": [Decimal("0.3"), Decimal("21.891")]}
    # ... and a value typed with more decimals than a document prints is still refused.
    rewrite(path, SHEET, lambda xml: xml.replace(noisy[0][1], b"<v>0.123456789012</v>"))
    [error] = problems(lambda: read_xlsx(path, None, YEARS))
    assert error == (
        f"{path}:Anggaran!B2: error: '0.123456789012' has 12 decimals, more than a document "
        "prints (at most 10); round it"
    )


def test_a_fact_with_more_decimals_than_a_document_prints(tmp_path: Path) -> None:
    """At the value in plan.yaml, not in the template that would print it."""
    root = make_project(tmp_path, own_templates=False)
    shutil.copytree(REPO / PLAN, root / PLAN)
    plan = root / PLAN / "plan.yaml"
    edit(
        plan,
        "baseline: {year: 2024, value: 0.83}",
        "baseline: {year: 2024, value: 0.83000000000001}",
    )
    result = run(root, "check")
    assert result.exit_code == 1
    line = line_of(plan, "0.83000000000001")
    column = plan.read_text().splitlines()[line - 1].index("0.83000000000001") + 1
    assert (
        f"{PLAN}/plan.yaml:{line}:{column}: error: `strategic_targets.0.indicators.0.baseline."
        "value`: '0.83000000000001' has 14 decimals, more than a document prints (at most 10); "
        "round it" in result.output
    ), result.output
    assert "digits must be" not in result.output


def test_the_content_s_decimals_are_those_a_document_prints() -> None:
    from plandocs.content.numbers import MAX_PLACES
    from plandocs.render.i18n import MAX_DIGITS

    assert MAX_PLACES == MAX_DIGITS


@pytest.fixture
def plan_project(project: Path) -> Path:
    shutil.copytree(REPO / PLAN, project / PLAN)
    for lang in ("id", "en"):
        for chapter in (project / PLAN / lang).glob("[2-5]-*.md"):
            chapter.unlink()
    return project


def test_the_issue_csv_in_a_plan(plan_project: Path) -> None:
    """Excel under an Indonesian locale: `;` between columns, `85,5` decimals."""
    path = plan_project / PLAN / "data/targets.csv"
    text = path.read_text().replace(",", ";").replace("9.5", "9,5").replace("8.5", "8,5")
    text = text.replace("18.8", "18,8").replace("18.5", "18,5").replace("17.5", "17,5")
    path.write_text(text)
    result = run(plan_project, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (plan_project / "build/en/renstra/kemensos-2025-2029.html").read_text()
    assert ">18.8<" in html


@pytest.mark.slow
def test_a_declared_style_in_the_plan(plan_project: Path) -> None:
    path = plan_project / PLAN / "data/targets.csv"
    edit(path, "IKK 1.3.2,40000,42000", "IKK 1.3.2,40.000,42000")
    result = run(plan_project, "check")
    assert result.exit_code == 1
    assert f"{PLAN}/data/targets.csv:10:2: error: '40.000' could be 40000" in result.output
    plan = plan_project / PLAN / "plan.yaml"
    edit(plan, "targets: data/targets.csv", "targets: {path: data/targets.csv, numbers: id}")
    result = run(plan_project, "check")
    assert f"{PLAN}/data/targets.csv:5:4: error: '9.5' is not written in the Indonesian" in (
        result.output
    )
    edit(plan, "numbers: id}", "numbers: en}")
    result = run(plan_project, "check")
    assert result.exit_code == 0, result.output  # 40.000 is forty, as declared


def test_a_bad_data_spec_is_located(plan_project: Path) -> None:
    plan = plan_project / PLAN / "plan.yaml"
    edit(plan, "targets: data/targets.csv", "targets: {path: data/targets.csv, numbers: fr}")
    result = run(plan_project, "check")
    assert result.exit_code == 1
    assert "`data.targets.numbers`: 'fr' is not allowed; use one of 'id' or 'en'" in result.output
