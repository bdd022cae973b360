"""Numbers as Indonesian planners write them: read in a declared style or not at all,
never silently a thousand times off — in written text, in YAML facts, in the documents."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO, edit, line_of, make_project, run, write
from inspect_docs import docx_text, pdf_text
from plandocs.content.numbers import NumberError, example, parse_number, style_of
from plandocs.content.yamlfile import parse_yaml
from plandocs.errors import ContentError
from plandocs.model.renstra import load_renstra

R = "content/readouts/meeting"
PLAN = "content/renstra/kemensos-2025-2029"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project without templates of its own (plandocs' are the same text, and no case
    here changes one): ``check`` compiles every template a project has of its own."""
    return make_project(tmp_path, own_templates=False)


# -- written numbers ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "style", "value"),
    [
        ("412500", None, "412500"),
        ("412.500", "id", "412500"),
        ("412.500", "en", "412.5"),
        ("1.234.567", None, "1234567"),
        ("1.234.567,5", None, "1234567.5"),
        ("1,234,567.5", None, "1234567.5"),
        ("85,5", None, "85.5"),
        ("12.5", None, "12.5"),
        ("1,250", "id", "1.25"),
        ("1,250", "en", "1250"),
        ("0.500", None, "0.5"),  # Indonesian groups never start with 0
        ("0,500", None, "0.5"),
        ("1234.500", None, "1234.5"),  # nor have four digits before a point
        ("-3.000", "id", "-3000"),
        ("−40", None, "-40"),
        (" 7 ", None, "7"),
    ],
)
def test_reading_written_numbers(text: str, style: str | None, value: str) -> None:
    assert parse_number(text, style) == Decimal(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "style", "message"),
    [
        ("412.500", None, r"could be 412500 \(Indonesian\) or 412.5 \(English\)"),
        ("1,250", None, r"could be 1.25 \(Indonesian\) or 1250 \(English\)"),
        ("-3.000", None, r"could be -3000 \(Indonesian\) or -3 \(English\)"),
        ("12.5", "id", "not written in the Indonesian number style declared for it; write 12,5"),
        ("1.234.567", "en", "write 1,234,567 \\(or 1234567\\)"),
        ("NaN", None, "not a number"),
        ("-Infinity", None, "not a number"),
        ("sNaN", None, "not a number"),
        ("1e999999999", None, "scientific notation"),
        ("1,5E+12", "id", "scientific notation"),
        ("9" * 5001, None, "5001 digits"),
        ("2.000.000.000.000.000.000", "id", r"at most 10\^18"),
        ("45%", None, "not a number"),
        ("1 000", None, "not a number"),
        ("1.23.4", None, "not a number"),
        ("", None, "empty"),
    ],
)
def test_numbers_that_are_not_read(text: str, style: str | None, message: str) -> None:
    with pytest.raises(NumberError, match=message):
        parse_number(text, style)  # type: ignore[arg-type]


values = st.decimals(
    min_value=Decimal(-(10**18)), max_value=Decimal(10**18), places=2, allow_nan=False
)


@given(values, st.sampled_from(["id", "en"]))
def test_a_number_written_in_a_style_reads_back_in_it(value: Decimal, style: str) -> None:
    assert parse_number(example(value, style), style) == value  # type: ignore[arg-type]


@given(values)
def test_without_a_style_a_number_reads_back_or_is_refused(value: Decimal) -> None:
    """Without a style nothing is guessed: either one reading, or an error."""
    for style in ("id", "en"):
        text = example(value, style)  # type: ignore[arg-type]
        separators = re.findall(r"[.,]", text)
        ambiguous = len(separators) == 1 and re.search(r"^-?[1-9]\d{0,2}[.,]\d{3}$", text)
        if ambiguous:
            with pytest.raises(NumberError, match="could be"):
                parse_number(text)
            assert style_of(text) is None
        else:
            assert parse_number(text) == value


# -- YAML facts ----------------------------------------------------------------------
def yaml_errors(text: str) -> list[str]:
    try:
        parse_yaml(text, Path("facts.yaml"))
    except ContentError as exc:
        return [str(one) for one in getattr(exc, "errors", [exc])]
    return []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "families: 412.500",
            "facts.yaml:1:11: error: 412.500 could be 412500 (a point groups thousands in "
            'Indonesian) or 412.5; write 412500 or 412_500 for the whole number, "412.500" in '
            "quotes to read it in the Indonesian style (`number_style: id` in plandocs.yaml), "
            "or 412.5",
        ),
        ("x: 1\ny: 1.250", "facts.yaml:2:4: error: 1.250 could be 1250"),
        ("y: -3.000", "write -3000 or -3_000 for the whole number"),
        ("y: !!float 412.500", "412.500 could be 412500"),
        ("targets: {2025: 85,5, 2026: 86}", "facts.yaml:1:17: error: 85,5 is read as two entries"),
        ("targets: [85,5]", "write a decimal as 85.5"),
        ("code: 0217", "facts.yaml:1:7: error: 0217 would be read as 143; write the number"),
        ("code: 0x1F", "0x1F would be read as 31"),
        ("x: .nan", ".nan is not a number"),
        ("x: -.inf", "-.inf is not a number"),
        ("x: 1.0e+999", r"1.0e+999 is larger than plandocs handles"),
        ("x: " + "1" * 5001, "is larger than plandocs handles"),
        ("x: 12345678901234567.5", "more digits than a YAML number keeps"),
    ],
)
def test_yaml_numbers_that_could_be_misread_are_errors(text: str, expected: str) -> None:
    errors = yaml_errors(text)
    assert any(expected in e for e in errors), errors


def test_every_such_number_is_reported_at_once() -> None:
    errors = yaml_errors("a: 412.500\nb: 2\nc: 1.250\n")
    assert [e.split(": error")[0] for e in errors] == ["facts.yaml:1:4", "facts.yaml:3:4"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("x: 412500", 412500),
        ("x: 412_500", 412500),
        ('x: "412.500"', "412.500"),  # text: read where a number is expected, by the style
        ("x: 1.25", 1.25),
        ("x: 0.500", 0.5),
        ("x: 1234.500", 1234.5),
        ("x: 12.50", 12.5),
        ("x: 85,5", "85,5"),
        ("x: [1, 2]", [1, 2]),
        ("x: 0", 0),
        ("x: 1000000000000000000", 10**18),
    ],
)
def test_yaml_numbers_that_read_one_way(text: str, value: object) -> None:
    assert parse_yaml(text, Path("f.yaml")).data == {"x": value}


# -- facts in documents ---------------------------------------------------------------
NUMBERS_ID = """
    ---
    title: Rapat
    ---
    Pada {{ event | date_range }} hadir {{ families | unit(families_unit) }} dari
    {{ people_count | words }} daerah; anggaran {{ budget | rupiah("large") }}
    ({{ budget | rupiah("words") }}), sebelumnya {{ old_budget | rupiah("large", 2) }}.
    """
NUMBERS_EN = """
    ---
    title: Meeting
    ---
    On {{ event | date_range }}, {{ families | unit(families_unit) }} from
    {{ people_count | words }} regions took part; the budget is {{ budget | rupiah("large") }}
    ({{ budget | rupiah("words") }}), before {{ old_budget | rupiah("large", 2) }}.
    """
FACTS = """
    city: Bekasi
    date: 2025-02-03
    event: {start: 2025-01-30, end: 2025-02-02}
    families: {families}
    families_unit: {id: keluarga, en: families}
    people_count: 2
    budget: 1200000000
    old_budget: 24385000000
    """


def numbers_project(project: Path, families: str, style: str | None) -> None:
    if style:
        with (project / "plandocs.yaml").open("a", encoding="utf-8") as f:
            f.write(f"\nnumber_style: {style}\n")
    write(project, f"{R}/readout.yaml", FACTS.replace("{families}", families))
    write(project, f"{R}/id.md", NUMBERS_ID)
    write(project, f"{R}/en.md", NUMBERS_EN)


def flat(text: str) -> str:
    """Text as read: hyphenated line ends joined, no-break spaces and joiners plain."""
    text = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text.replace("\u2060", "").replace("\u00a0", " "))
    return re.sub(r"\s+", " ", text)


@pytest.mark.slow
def test_the_issue_examples_in_both_languages_and_formats(project: Path) -> None:
    numbers_project(project, '"412.500"', "id")
    result = run(project, "build", "--format", "pdf,docx")
    assert result.exit_code == 0, result.output
    expected = {
        "id": "Pada 30 Januari–2 Februari 2025 hadir 412.500 keluarga dari dua daerah; "
        "anggaran Rp1,2 miliar (satu miliar dua ratus juta rupiah), sebelumnya Rp24,39 miliar.",
        "en": "On January 30th–February 2nd, 2025, 412,500 families from two regions took part; "
        "the budget is IDR 1.2 billion (one billion two hundred million rupiah), before "
        "IDR 24.39 billion.",
    }
    for lang, sentence in expected.items():
        pdf = flat(pdf_text(project / f"build/{lang}/readouts/meeting.pdf"))
        docx = flat(docx_text(project / f"build/{lang}/readouts/meeting.docx"))
        assert sentence in pdf
        assert sentence in docx


@pytest.mark.slow
def test_the_date_range_is_glued_in_the_docx(project: Path) -> None:
    import docx

    numbers_project(project, "412500", None)
    assert run(project, "build", "--format", "docx").exit_code == 0
    text = "".join(
        p.text for p in docx.Document(str(project / "build/id/readouts/meeting.docx")).paragraphs
    )
    assert "30\u00a0Januari\u2060–\u20602\u00a0Februari\u00a02025" in text


def test_412_500_in_readout_facts_is_an_error_at_its_place(project: Path) -> None:
    numbers_project(project, "412.500", None)
    result = run(project, "check")
    assert result.exit_code == 1
    line = line_of(project / R / "readout.yaml", "families: 412.500")
    assert f"{R}/readout.yaml:{line}:11: error: 412.500 could be 412500" in result.output


def test_quoted_412_500_without_a_style_is_an_error_naming_the_setting(project: Path) -> None:
    numbers_project(project, '"412.500"', None)
    result = run(project, "check")
    assert result.exit_code == 1
    assert f"{R}/id.md:4: error: '412.500' could be 412500 (Indonesian) or 412.5" in result.output
    assert "`number_style: id` in plandocs.yaml" in result.output


def test_quoted_numbers_follow_an_english_style(project: Path) -> None:
    numbers_project(project, '"412,500"', "en")
    assert run(project, "build", "--format", "html").exit_code == 0
    html = (project / "build/id/readouts/meeting.html").read_text()
    assert "412.500 keluarga" in html


def test_the_number_style_setting_is_checked(project: Path) -> None:
    with (project / "plandocs.yaml").open("a", encoding="utf-8") as f:
        f.write("\nnumber_style: de\n")
    result = run(project, "check")
    assert result.exit_code == 1
    assert "`number_style`: 'de' is not allowed; use one of 'id' or 'en'" in result.output


@pytest.fixture
def plan_project(project: Path) -> Path:
    import shutil

    shutil.copytree(REPO / PLAN, project / PLAN)
    for lang in ("id", "en"):
        for chapter in (project / PLAN / lang).glob("[2-5]-*.md"):
            chapter.unlink()
    return project


@pytest.mark.slow
def test_plan_targets_written_as_indonesian_text(plan_project: Path) -> None:
    plan = plan_project / PLAN / "plan.yaml"
    edit(plan, "targets: {2025: 1150, 2026: 1300,", 'targets: {2025: "1.150", 2026: "1.300",')
    result = run(plan_project, "check")
    assert result.exit_code == 1
    line = line_of(plan, 'targets: {2025: "1.150"')
    assert f"{PLAN}/plan.yaml:{line}:" in result.output
    assert "'1.150' could be 1150 (Indonesian) or 1.15 (English)" in result.output
    with (plan_project / "plandocs.yaml").open("a", encoding="utf-8") as f:
        f.write("\nnumber_style: id\n")
    # The project's style holds for its data files too, unless a file declares its own.
    edit(plan, "targets: data/targets.csv", "targets: {path: data/targets.csv, numbers: en}")
    assert run(plan_project, "check").exit_code == 0
    renstra = load_renstra(plan_project, plan_project / PLAN, "id")
    [indicator] = [i for _, i in renstra.plan.indicators() if i.code == "IKSS 3.2"]
    assert indicator.targets[2025] == 1150 and indicator.targets[2026] == 1300


def test_plan_number_too_large_is_an_error(plan_project: Path) -> None:
    plan = plan_project / PLAN / "plan.yaml"
    edit(plan, "baseline: {year: 2024, value: 1024}", 'baseline: {year: 2024, value: "NaN"}')
    result = run(plan_project, "check")
    assert result.exit_code == 1
    assert "baseline.value`: 'NaN' is not a number" in result.output


# -- check: small numbers in Indonesian prose -------------------------------------------
def test_check_suggests_words_for_small_numbers(project: Path) -> None:
    write(project, f"{R}/readout.yaml", "city: Bekasi\ndate: 2024-02-08\nn: 3\n")
    write(
        project,
        f"{R}/id.md",
        """
        ---
        title: Rapat
        ---
        Rapat diukur dengan 2 indikator selama 3 hari, sesuai Pasal 5 ayat 2.

        Hadir 9 orang, 12 pejabat, dan {{ n }} tamu; bantuan 5 kilogram beras dan 2,5 juta.
        """,
    )
    write(project, f"{R}/en.md", "---\ntitle: Meeting\n---\nMeasured by 2 indicators.\n")
    result = run(project, "check")
    warnings = [line for line in result.output.splitlines() if "PUEBI" in line]
    assert warnings == [
        f"{R}/id.md:4: warning: `2 indikator`: Indonesian writes a number below ten before a "
        "noun in words (PUEBI): `dua indikator`, or `{{ … | words }}` when the number is a fact",
        f"{R}/id.md:6: warning: `9 orang`: Indonesian writes a number below ten before a "
        "noun in words (PUEBI): `sembilan orang`, or `{{ … | words }}` when the number is a fact",
    ]


@pytest.mark.slow
def test_a_date_range_is_never_broken_across_lines(project: Path, tmp_path: Path) -> None:
    """The range at every position of a line: each stays whole on one line of the PDF (and
    of the DOCX as LibreOffice lays it out, where LibreOffice is installed)."""
    import shutil
    import subprocess

    paragraphs = "\n\n".join(
        "kata " * k + "{{ event | date_range }} selesai." for k in range(0, 24)
    )
    write(
        project,
        f"{R}/readout.yaml",
        "city: Bekasi\ndate: 2025-02-03\n"
        "event: {start: 2025-01-30, end: 2025-02-02}\nsingle_language: id\n",
    )
    write(project, f"{R}/id.md", "---\ntitle: Rapat\n---\n" + paragraphs + "\n")
    assert run(project, "build", "--format", "pdf,docx").exit_code == 0
    whole = "30 Januari–2 Februari 2025"
    pdfs = [project / "build/id/readouts/meeting.pdf"]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(project / "build/id/readouts/meeting.docx"),
            ],
            capture_output=True,
            timeout=180,
            check=False,
        )
        pdfs.append(tmp_path / "meeting.pdf")
    for pdf in pdfs:
        lines = pdf_text(pdf).replace("\u00a0", " ").replace("\u2060", "").splitlines()
        assert sum(whole in line for line in lines) == 24, pdf
