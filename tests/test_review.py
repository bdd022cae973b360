"""plandocs review: a reviewer's tracked changes, untracked edits and comments in a
DOCX, named at their source line or plan value, and written back with --apply."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from conftest import REPO, edit, line_of, make_project, run
from plandocs.render.sourcelines import mark_lines, strip_marks
from wordedit import WordEdit, libreoffice_save

RENSTRA = "content/renstra/kemensos-2025-2029"
CH3 = f"{RENSTRA}/id/3-arah-kebijakan.md"
CH1 = f"{RENSTRA}/id/1-pendahuluan.md"
DOCX = "build/id/renstra/kemensos-2025-2029.docx"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with the Indonesian Renstra built as DOCX, kept pristine: the
    Renstra alone (the sample's other documents, which it does not refer to, are left
    out, so that neither this build nor the tests' builds make them)."""
    root = make_project(tmp_path_factory.mktemp("review"), with_content=True)
    for other in (root / "content").iterdir():
        if other.name != "renstra":
            shutil.rmtree(other)
    result = run(root, "build", "--lang", "id", "--format", "docx")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def renstra(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project for one test to edit."""
    root = tmp_path / "project"
    shutil.copytree(built, root)
    return root


def reviewer_edits(root: Path, target: Path) -> dict[str, str]:
    """The edits a reviewer makes in Word; returns the old values of changed cells."""
    word = WordEdit(root / DOCX)
    word.insert("Kementerian Sosial berperan langsung", " dan strategis")
    word.delete(" untuk menghadapi")
    word.replace("pemutakhiran berkala", "pemutakhiran triwulanan")
    word.untracked("akademisi", "perguruan tinggi")
    word.comment("kampung siaga bencana", "Mohon cek angka terbaru dari BNPB.")
    old = {
        "IKSS 1.2/2029": word.replace_value("IKSS 1.2/2029", "19,5"),
        "IKP 2.1/2027": word.replace_value("IKP 2.1/2027", "81"),
    }
    word.save(target)
    return old


def expected_lines(root: Path) -> list[str]:
    ch3, ch1 = root / CH3, root / CH1
    plan = root / RENSTRA / "plan.yaml"
    ikss = line_of(plan, "code: IKSS 1.2") + 4  # its targets line
    assert "targets:" in plan.read_text().splitlines()[ikss - 1]
    csv_line = line_of(root / RENSTRA / "data/targets.csv", "IKP 2.1,")
    return [
        f'{CH3}:{line_of(ch3, "berperan langsung")}: inserted "dan strategis" '
        "(Budi Santoso, 2024-12-02)",
        f'{CH3}:{line_of(ch3, "untuk menghadapi")}: deleted "untuk menghadapi" (Budi Santoso',
        f'{CH3}:{line_of(ch3, "pemutakhiran berkala")}: deleted "pemutakhiran berkala"',
        f'{CH3}:{line_of(ch3, "pemutakhiran berkala")}: inserted "pemutakhiran triwulanan"',
        f'{CH1}:{line_of(ch1, "akademisi")}: changed "akademisi" → "perguruan tinggi" (untracked)',
        f"{RENSTRA}/plan.yaml:{ikss} (IKSS 1.2, 2029): 18,0 → 19,5 (Budi Santoso)",
        f"{RENSTRA}/data/targets.csv:{csv_line}:4 (IKP 2.1, 2027): 80 → 81 (Budi Santoso)",
        f"{CH1}:{line_of(ch1, 'kampung siaga bencana')}: comment by Siti Aminah: "
        '"Mohon cek angka terbaru dari BNPB." on "kampung siaga bencana"',
    ]


def assert_listed(output: str, expected: list[str]) -> None:
    lines = output.splitlines()
    for wanted in expected:
        assert any(line.startswith(wanted) for line in lines), (wanted, output)


def test_review_names_each_change_and_comment_at_its_source(renstra: Path) -> None:
    reviewed = renstra / "reviewed.docx"
    old = reviewer_edits(renstra, reviewed)
    assert old == {"IKSS 1.2/2029": "18,0", "IKP 2.1/2027": "80"}
    before = {p: p.read_bytes() for p in (renstra / "content").rglob("*") if p.is_file()}
    result = run(renstra, "review", str(reviewed))
    assert result.exit_code == 0, result.output
    assert_listed(result.output, expected_lines(renstra))
    assert "7 changes, 1 comment" in result.output
    # Listing writes nothing.
    assert before == {p: p.read_bytes() for p in (renstra / "content").rglob("*") if p.is_file()}


def test_apply_writes_prose_and_values_and_the_next_build_carries_them(renstra: Path) -> None:
    reviewed = renstra / "reviewed.docx"
    reviewer_edits(renstra, reviewed)
    result = run(renstra, "review", "--apply", str(reviewed))
    assert result.exit_code == 0, result.output
    assert "7 applied, 0 left to do by hand" in result.output
    ch3 = (renstra / CH3).read_text()
    assert "berperan langsung dan strategis pada" in ch3
    assert "dilatih risiko iklim" in ch3
    assert "pemutakhiran triwulanan oleh" in ch3
    # The expressions around the edits are untouched.
    line = next(ln for ln in (REPO / CH3).read_text().splitlines() if "dilatih untuk" in ln)
    assert "{{" in line and line.replace("dilatih untuk menghadapi", "dilatih") in ch3
    assert "perguruan tinggi, kementerian" in (renstra / CH1).read_text()
    plan = (renstra / RENSTRA / "plan.yaml").read_text()
    assert "targets: {2025: 10, 2026: 12, 2027: 14, 2028: 16, 2029: 19.5}" in plan
    assert "IKP 2.1,75,78,81,82,85" in (renstra / RENSTRA / "data/targets.csv").read_text()

    build = run(renstra, "build", "--lang", "id", "--format", "docx")
    assert build.exit_code == 0, build.output
    text = "\n".join(p.text for p in docx.Document(str(renstra / DOCX)).paragraphs)
    assert "berperan langsung dan strategis pada" in text
    assert "pemutakhiran triwulanan" in text and "perguruan tinggi" in text
    cells = {
        c.text
        for t in docx.Document(str(renstra / DOCX)).tables
        for row in t.rows
        for c in row.cells
    }
    assert "19,5" in cells and "81" in cells
    # The file a reviewer edited again has nothing left to apply.
    again = run(renstra, "review", str(renstra / DOCX))
    assert "0 changes, 0 comments" in again.output


def test_what_content_does_not_write_is_listed_not_applied(renstra: Path) -> None:
    reviewed = renstra / "reviewed.docx"
    word = WordEdit(renstra / DOCX)
    # "2029" here is written by {{ plan.period.end }}, not in the Markdown.
    word.replace("menjadi 1.750 kampung", "menjadi 1.800 kampung")
    # The cover and table headings come from the templates.
    word.replace("Sasaran Strategis dan Indikator", "Sasaran dan Indikator")
    word.save(reviewed)
    before = (renstra / CH3).read_bytes()
    result = run(renstra, "review", "--apply", str(reviewed))
    assert result.exit_code == 0, result.output
    ch3_line = line_of(renstra / CH3, "Kampung siaga bencana diperluas")
    assert f"{CH3}:{ch3_line}: deleted" in result.output
    assert "not written as such in the Markdown" in result.output
    assert "written by a template, not by the content — by hand" in result.output
    assert "0 applied" in result.output
    assert (renstra / CH3).read_bytes() == before


def test_review_after_a_libreoffice_round_trip(renstra: Path, tmp_path: Path) -> None:
    reviewed = renstra / "reviewed.docx"
    reviewer_edits(renstra, reviewed)
    saved = libreoffice_save(reviewed, tmp_path / "lo")
    names = zipfile.ZipFile(saved).namelist()
    assert "word/comments.xml" in names
    result = run(renstra, "review", str(saved))
    assert result.exit_code == 0, result.output
    assert_listed(result.output, expected_lines(renstra))
    applied = run(renstra, "review", "--apply", str(saved))
    assert "7 applied, 0 left to do by hand" in applied.output, applied.output
    assert "berperan langsung dan strategis pada" in (renstra / CH3).read_text()
    assert "IKP 2.1,75,78,81,82,85" in (renstra / RENSTRA / "data/targets.csv").read_text()


def test_anchors_survive_libreoffice(built: Path, tmp_path: Path) -> None:
    """The bookmarks and the map part are what LibreOffice 7.4 keeps; check it still does."""
    saved = libreoffice_save(built / DOCX, tmp_path / "lo")
    with zipfile.ZipFile(built / DOCX) as a, zipfile.ZipFile(saved) as b:
        ours = a.read("word/document.xml").count(b'w:name="_pd')
        theirs = b.read("word/document.xml").count(b'w:name="_pd')
        maps = [n for n in b.namelist() if b"urn:plandocs:anchors" in b.read(n)]
    assert ours > 300 and theirs == ours
    assert maps and maps[0].startswith("customXml/item")


def test_a_workbook_value_is_listed_not_written(renstra: Path) -> None:
    """Budgets from an .xlsx would be written by hand; here a target table in a workbook."""
    import openpyxl

    folder = renstra / RENSTRA
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Target"
    for row in (folder / "data/targets.csv").read_text().splitlines():
        sheet.append([c if i == 0 else float(c) for i, c in enumerate(row.split(","))])
    sheet["A1"] = "code"
    for col, year in enumerate(range(2025, 2030), start=2):
        sheet.cell(1, col, year)
    book.save(folder / "data/targets.xlsx")
    edit(folder / "plan.yaml", "targets: data/targets.csv", "targets: data/targets.xlsx#Target")
    assert run(renstra, "build", "--lang", "id", "--format", "docx").exit_code == 0
    word = WordEdit(renstra / DOCX)
    word.replace_value("IKP 2.1/2027", "81")
    word.save(renstra / "reviewed.docx")
    before = (folder / "data/targets.xlsx").read_bytes()
    result = run(renstra, "review", "--apply", str(renstra / "reviewed.docx"))
    line = line_of(folder / "data/targets.csv", "IKP 2.1,")
    assert f"{RENSTRA}/data/targets.xlsx:Target!D{line} (IKP 2.1, 2027): 80 → 81" in result.output
    assert "plandocs does not write workbooks; change the cell in Excel" in result.output
    assert (folder / "data/targets.xlsx").read_bytes() == before


def test_a_readout_paragraph(project: Path, add_readout: object, tmp_path: Path) -> None:
    add_readout(project)  # type: ignore[operator]
    assert run(project, "build", "--lang", "id", "--format", "docx").exit_code == 0
    target = project / "build/id/readouts/meeting.docx"
    word = WordEdit(target)
    word.insert("Rapat berlangsung", " dengan lancar")
    word.save(tmp_path / "r.docx")
    result = run(project, "review", "--apply", str(tmp_path / "r.docx"))
    assert 'content/readouts/meeting/id.md:4: inserted "dengan lancar"' in result.output
    assert "— applied" in result.output
    assert (
        "Rapat berlangsung dengan lancar pada"
        in (project / "content/readouts/meeting/id.md").read_text()
    )


def test_files_review_cannot_read(project: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("not a zip")
    result = run(project, "review", str(text))
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        "notes.docx: error: not a Word (.docx) file: File is not a zip file"
    )
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    result = run(project, "review", str(plain))
    assert result.exit_code == 1
    assert "has no plandocs source anchors" in result.output
    assert "Traceback" not in result.output


def test_source_lines_follow_loops_and_skip_statements() -> None:
    source = "Intro {{ x }}\n\n{% for i in items %}\n- {{ i }}\n{% endfor %}\n\nAfter.\n"
    marked = mark_lines(source, "c.md", 10)
    import jinja2

    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    text, lines = strip_marks(env.from_string(marked).render(x=1, items=["a", "b"]))
    assert text == "Intro 1\n\n- a\n- b\n\nAfter.\n"
    assert lines is not None and lines.path == "c.md"
    assert [lines.line(i) for i in (0, 2, 3, 5)] == [10, 13, 13, 16]
    # Whitespace control would trim differently with markers in the way: none are added.
    assert mark_lines("{%- if x %}a{% endif -%}\n", "c.md", 1) == "{%- if x %}a{% endif -%}\n"


def test_the_sample_docx_anchors_prose_and_values(built: Path) -> None:
    with zipfile.ZipFile(built / DOCX) as archive:
        data = next(
            archive.read(n)
            for n in archive.namelist()
            if n.startswith("customXml/item") and b"urn:plandocs:anchors" in archive.read(n)
        )
    text = data.decode()
    assert f'src="{CH3}:{line_of(REPO / CH3, "berperan langsung")}"' in text
    assert 'fact="IKP 2.1/2027">80<' in text
    assert 'source="content/renstra/kemensos-2025-2029/plan.yaml" lang="id"' in text


def test_a_value_in_an_indonesian_csv(renstra: Path) -> None:
    """A table separated by `;` with decimal commas keeps its way of writing numbers."""
    folder = renstra / RENSTRA
    table = folder / "data/targets.csv"
    rows = [line.split(",") for line in table.read_text().splitlines()]
    rows = [[row[0], *(c.replace(".", ",") for c in row[1:])] for row in rows]
    table.write_text("\n".join(";".join(row) for row in rows) + "\n")
    edit(
        folder / "plan.yaml",
        "targets: data/targets.csv",
        "targets: {path: data/targets.csv, numbers: id}",
    )
    built = run(renstra, "build", "--lang", "id", "--format", "docx")
    assert built.exit_code == 0, built.output
    word = WordEdit(renstra / DOCX)
    assert word.replace_value("IKK 1.1.1/2027", "9,8") == "9,5"
    word.save(renstra / "reviewed.docx")
    result = run(renstra, "review", "--apply", str(renstra / "reviewed.docx"))
    line = line_of(table, "IKK 1.1.1;")
    assert f"{RENSTRA}/data/targets.csv:{line}:4 (IKK 1.1.1, 2027): 9,5 → 9,8" in result.output
    assert "— applied" in result.output, result.output
    assert "IKK 1.1.1;10;10;9,8;9;8,5" in table.read_text()


# -- The performance cycle: a PK and an LKj print their own facts and their Renstra's --

PK = "content/pk/kemensos-2025"
LKJ = "content/lkj/kemensos-2025"
PK_DOCX = "build/id/pk/kemensos-2025.docx"
LKJ_DOCX = "build/id/lkj/kemensos-2025.docx"


@pytest.fixture(scope="module")
def cycle_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's Renstra, PKs and LKj, the PKs and the LKj built as Indonesian DOCX."""
    root = make_project(tmp_path_factory.mktemp("cycle"), with_content=True)
    for other in (root / "content").iterdir():
        if other.name not in ("renstra", "pk", "lkj"):
            shutil.rmtree(other)
    result = run(
        root,
        "build",
        "--lang",
        "id",
        "--format",
        "docx",
        str(root / "content/pk"),
        str(root / "content/lkj"),
    )
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def cycle(cycle_built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(cycle_built, root)
    return root


def contents(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}


def test_a_pk_change_is_listed_at_pk_yaml_or_the_renstra_and_applied_there(cycle: Path) -> None:
    pk_yaml = cycle / PK / "pk.yaml"
    plan = cycle / RENSTRA / "plan.yaml"
    word = WordEdit(cycle / PK_DOCX)
    word.replace("Jakarta", "Bandung")  # the place, where the statement is signed
    word.untracked("Menteri Sosial Republik Indonesia", "Menteri Sosial RI")  # an office
    word.insert("SAIFULLAH YUSUF", ", S.Sos.")  # a name printed in capitals
    word.insert("Jumlah kampung siaga bencana yang aktif", " dan terlatih")  # the Renstra's
    word.save(cycle / "reviewed.docx")
    before = contents(cycle)

    listed = run(cycle, "review", str(cycle / "reviewed.docx"))
    assert listed.exit_code == 0, listed.output
    out = listed.output.splitlines()
    place, office = line_of(pk_yaml, "place: Jakarta"), line_of(pk_yaml, "id: Menteri Sosial")
    name, indicator = line_of(pk_yaml, "Saifullah"), line_of(plan, "Jumlah kampung siaga")
    assert_listed(
        listed.output,
        [
            f'{PK}/pk.yaml:{place}: deleted "Jakarta" (Budi Santoso',
            f'{PK}/pk.yaml:{place}: inserted "Bandung" (Budi Santoso',
            f'{PK}/pk.yaml:{office}: changed "Republik Indonesia" → "RI" (untracked)',
            f'{PK}/pk.yaml:{name}: inserted ", S.Sos." (Budi Santoso',
            f'{RENSTRA}/plan.yaml:{indicator}: inserted "dan terlatih" (Budi Santoso',
        ],
    )
    assert not any("Markdown" in x or "template" in x for x in out), out
    assert contents(cycle) == before

    applied = run(cycle, "review", "--apply", str(cycle / "reviewed.docx"))
    assert applied.exit_code == 0, applied.output
    out = applied.output.splitlines()
    assert not any("Markdown" in x for x in out), out
    assert sum(x.endswith("— applied") for x in out) == 3, out
    assert any(
        x.startswith(f"{PK}/pk.yaml:{name}: inserted")
        and x.endswith(
            f"by hand: printed in capitals from {PK}/pk.yaml:{name}; change the value there "
            "in its own case"
        )
        for x in out
    ), out
    assert any(
        x.startswith(f"{RENSTRA}/plan.yaml:{indicator}: inserted")
        and x.endswith("by hand: drawn from content/renstra/kemensos-2025-2029; change it there")
        for x in out
    ), out
    # pk.yaml changed in those two values only: its comments and the rest byte for byte.
    old = before[pk_yaml].decode()
    assert pk_yaml.read_text() == old.replace("place: Jakarta", "place: Bandung").replace(
        "id: Menteri Sosial Republik Indonesia", "id: Menteri Sosial RI"
    )
    facts = yaml.safe_load(pk_yaml.read_text())
    assert facts["place"] == "Bandung"
    assert facts["first_party"]["office"]["id"] == "Menteri Sosial RI"
    assert {p: b for p, b in contents(cycle).items() if p != pk_yaml} == {
        p: b for p, b in before.items() if p != pk_yaml
    }
    # The next build carries it, and the PK still checks against its Renstra.
    built = run(cycle, "build", "--lang", "id", "--format", "docx", str(cycle / "content/pk"))
    assert built.exit_code == 0, built.output
    text = "\n".join(p.text for p in docx.Document(str(cycle / PK_DOCX)).paragraphs)
    assert "Menteri Sosial RI" in text


def test_an_lkj_change_to_its_pk_s_words_is_listed_at_the_pk(cycle: Path) -> None:
    pk_yaml, lkj_yaml = cycle / PK / "pk.yaml", cycle / LKJ / "lkj.yaml"
    word = WordEdit(cycle / LKJ_DOCX)
    word.replace("Biro Perencanaan", "Biro Perencanaan dan Anggaran")  # the LKj's unit
    word.replace("Presiden Republik Indonesia", "Presiden RI")  # the annex: the PK's
    word.save(cycle / "reviewed.docx")
    before = contents(cycle)
    result = run(cycle, "review", "--apply", str(cycle / "reviewed.docx"))
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    unit, office = line_of(lkj_yaml, "unit:"), line_of(pk_yaml, "id: Presiden")
    assert (
        f'{LKJ}/lkj.yaml:{unit}: inserted "Biro Perencanaan dan Anggaran" (Budi Santoso, '
        "2024-12-02) — applied"
    ) in out, out
    assert (
        f'{PK}/pk.yaml:{office}: inserted "Presiden RI" (Budi Santoso, 2024-12-02) — by hand: '
        "drawn from content/pk/kemensos-2025; change it there"
    ) in out, out
    assert lkj_yaml.read_text() == before[lkj_yaml].decode().replace(
        "{id: Biro Perencanaan,", "{id: Biro Perencanaan dan Anggaran,"
    )
    assert pk_yaml.read_bytes() == before[pk_yaml]


def test_a_pk_target_drawn_from_the_renstra_or_revised_in_pk_yaml(cycle: Path) -> None:
    plan = cycle / RENSTRA / "plan.yaml"
    word = WordEdit(cycle / PK_DOCX)
    word.replace("10 persen", "12 persen")  # IKSS 1.2, the Renstra's target for 2025
    word.save(cycle / "ministry.docx")
    unit = cycle / "content/pk/ditjen-linjamsos-2025/pk.yaml"
    word = WordEdit(cycle / "build/id/pk/ditjen-linjamsos-2025.docx")
    word.replace("38 persen", "39 persen")  # IKP 1.2, revised in the unit's pk.yaml
    word.replace("5 Februari", "6 Februari")  # the date it is signed, printed from pk.yaml
    word.save(cycle / "unit.docx")
    before = contents(cycle)
    line = line_of(unit, "target: 38")

    result = run(cycle, "review", "--apply", str(cycle / "ministry.docx"))
    assert result.exit_code == 0, result.output
    targets = line_of(plan, "targets: {2025: 10, 2026: 12")
    assert (
        f'{RENSTRA}/plan.yaml:{targets} (IKSS 1.2, 2025): inserted "12 persen" (Budi Santoso, '
        "2024-12-02) — by hand: drawn from content/renstra/kemensos-2025-2029; change it "
        f"there, or record the revised target and its reason in {PK}/pk.yaml"
    ) in result.output, result.output
    assert "0 applied" in result.output
    assert contents(cycle) == before

    result = run(cycle, "review", "--apply", str(cycle / "unit.docx"))
    assert result.exit_code == 0, result.output
    assert (
        f"content/pk/ditjen-linjamsos-2025/pk.yaml:{line} (IKP 1.2, 2025): inserted "
        '"39 persen" (Budi Santoso, 2024-12-02) — applied'
    ) in result.output.splitlines(), result.output
    date = line_of(unit, "date: 2025-02-05")
    assert (
        f'content/pk/ditjen-linjamsos-2025/pk.yaml:{date} (date): inserted "6 Februari" (Budi '
        "Santoso, 2024-12-02) — by hand: a date; write the new one at "
        f"content/pk/ditjen-linjamsos-2025/pk.yaml:{date} as YYYY-MM-DD"
    ) in result.output.splitlines(), result.output
    assert unit.read_text() == before[unit].decode().replace("target: 38", "target: 39")
    facts = yaml.safe_load(unit.read_text())
    assert facts["indicators"][1] == {**facts["indicators"][1], "code": "IKP 1.2", "target": 39}
    assert {p: b for p, b in contents(cycle).items() if p != unit} == {
        p: b for p, b in before.items() if p != unit
    }
    again = run(cycle, "review", "--apply", str(cycle / "unit.docx"))
    assert "— already in the content" in again.output, again.output
    assert run(cycle, "check", str(unit.parent)).exit_code == 0


def test_an_lkj_realisation_is_written_in_its_table_an_achievement_is_computed(
    cycle: Path,
) -> None:
    table = cycle / LKJ / "data/realisasi.csv"
    word = WordEdit(cycle / LKJ_DOCX)
    word.replace("10,8", "11,2")  # IKSS 1.2's realisation, in the table of chapter III
    word.replace("95,48%", "96,00%")  # IKSS 3.2's achievement, computed
    word.replace("0,60", "0,50")  # IKSS 1.1's target: its PK's, the Renstra's
    word.save(cycle / "reviewed.docx")
    before = contents(cycle)
    listed = run(cycle, "review", str(cycle / "reviewed.docx"))
    assert_listed(
        listed.output,
        [
            f'{LKJ}/data/realisasi.csv:3:4 (IKSS 1.2, 2025 realisation): inserted "11,2"',
            'reviewed.docx (IKSS 3.2, 2025 achievement, computed): inserted "96,00%"',
            f"{RENSTRA}/plan.yaml:{line_of(cycle / RENSTRA / 'plan.yaml', '2025: 0.6')} "
            '(IKSS 1.1, 2025): inserted "0,50"',
        ],
    )
    result = run(cycle, "review", "--apply", str(cycle / "reviewed.docx"))
    out = result.output.splitlines()
    assert any(x.endswith('inserted "11,2" (Budi Santoso, 2024-12-02) — applied') for x in out)
    assert any(
        "96,00" in x
        and x.endswith("by hand: computed from the realisation and the target; change those")
        for x in out
    ), out
    assert any(
        "0,50" in x and "by hand: drawn from content/renstra/kemensos-2025-2029; change it" in x
        for x in out
    ), out
    # The one cell, in the table's own way of writing numbers; nothing else.
    assert table.read_text() == before[table].decode().replace(
        "IKSS 1.2;7,9;8,5;10,8", "IKSS 1.2;7,9;8,5;11,2"
    )
    assert {p: b for p, b in contents(cycle).items() if p != table} == {
        p: b for p, b in before.items() if p != table
    }


def test_a_budget_realisation_keeps_the_way_its_table_writes_it(cycle: Path) -> None:
    """The budget table groups its thousands (874.106.000.000): the new value is
    written grouped so, in the table's style; only the number changes."""
    table = cycle / LKJ / "data/anggaran.csv"
    word = WordEdit(cycle / LKJ_DOCX)
    word.replace("874.106.000.000", "874.200.000.000")
    word.save(cycle / "reviewed.docx")
    before = contents(cycle)
    result = run(cycle, "review", "--apply", str(cycle / "reviewed.docx"))
    assert result.exit_code == 0, result.output
    assert '"874.200.000.000"' in result.output and "— applied" in result.output, result.output
    assert table.read_text() == before[table].decode().replace(
        "P2;874.106.000.000", "P2;874.200.000.000"
    )
    assert {p: b for p, b in contents(cycle).items() if p != table} == {
        p: b for p, b in before.items() if p != table
    }


def test_a_value_whose_file_is_a_link_out_of_the_document_is_never_written(
    cycle: Path,
) -> None:
    """The LKj's table is a link to a file elsewhere in the project: listed, not written
    (a review writes only its own document's files, never through a link)."""
    table = cycle / LKJ / "data/realisasi.csv"
    shared = cycle / "shared/realisasi.csv"
    shared.parent.mkdir()
    shutil.move(table, shared)
    table.symlink_to(shared)
    word = WordEdit(cycle / LKJ_DOCX)
    word.replace("10,8", "11,2")
    word.save(cycle / "reviewed.docx")
    before = shared.read_bytes()
    result = run(cycle, "review", "--apply", str(cycle / "reviewed.docx"))
    assert result.exit_code == 0, result.output
    assert "by hand: not written in this document's folder" in result.output, result.output
    assert shared.read_bytes() == before and table.is_symlink()


def test_a_value_an_expression_prints_in_prose_is_listed_where_it_is_written(
    cycle: Path,
) -> None:
    """An LKj's chapter prints values through expressions (``{{ … | percent }}``): a
    reviewer's change to one is listed where the value is written, or said to be
    computed; a realisation of the LKj's own table is written in its cell and the
    Markdown is left as it is."""
    ch0, ch3 = (
        cycle / LKJ / "id/0-ikhtisar-eksekutif.md",
        cycle / LKJ / "id/3-akuntabilitas-kinerja.md",
    )
    table, pk_yaml = cycle / LKJ / "data/realisasi.csv", cycle / PK / "pk.yaml"
    word = WordEdit(cycle / LKJ_DOCX)
    word.replace("10,8%", "11,2%")  # IKSS 1.2's realisation, printed in chapter III's prose
    word.replace("108,00%", "109,00%")  # its achievement, in the executive summary
    word.replace("31 Januari 2025", "30 Januari 2025")  # the PK's date, in the summary
    word.save(cycle / "reviewed.docx")
    before = contents(cycle)
    summary, date = line_of(ch0, "Capaian tertinggi"), line_of(pk_yaml, "date: 2025-01-31")
    listed = run(cycle, "review", str(cycle / "reviewed.docx"))
    assert listed.exit_code == 0, listed.output
    assert_listed(
        listed.output,
        [
            f'{LKJ}/data/realisasi.csv:3:4 (IKSS 1.2, 2025 realisation): deleted "10,8%" (Budi',
            f'{LKJ}/data/realisasi.csv:3:4 (IKSS 1.2, 2025 realisation): inserted "11,2%" (Budi',
            f"{LKJ}/id/0-ikhtisar-eksekutif.md:{summary} (IKSS 1.2, 2025 achievement, computed): "
            'deleted "108,00%"',
            f'{PK}/pk.yaml:{date} (date): inserted "30 Januari 2025"',
        ],
    )
    assert "Markdown" not in listed.output, listed.output
    assert contents(cycle) == before

    applied = run(cycle, "review", "--apply", str(cycle / "reviewed.docx"))
    assert applied.exit_code == 0, applied.output
    out = applied.output.splitlines()
    assert any(x.endswith('inserted "11,2%" (Budi Santoso, 2024-12-02) — applied') for x in out)
    assert any(
        "109,00%" in x
        and x.endswith("by hand: computed from the realisation and the target; change those")
        for x in out
    ), out
    assert any(
        "30 Januari 2025" in x
        and x.endswith(
            f"by hand: a date drawn from {PK}; write the new one at {PK}/pk.yaml:{date} as "
            "YYYY-MM-DD"
        )
        for x in out
    ), out
    assert "Markdown" not in applied.output, applied.output
    # The realisation's one cell; the Markdown and everything else as they were.
    assert table.read_text() == before[table].decode().replace(
        "IKSS 1.2;7,9;8,5;10,8", "IKSS 1.2;7,9;8,5;11,2"
    )
    assert {p: b for p, b in contents(cycle).items() if p != table} == {
        p: b for p, b in before.items() if p != table
    }
    assert ch3.read_bytes() == before[ch3]
    built = run(cycle, "build", "--lang", "id", "--format", "docx", str(cycle / "content/lkj"))
    assert built.exit_code == 0, built.output
    text = "\n".join(p.text for p in docx.Document(str(cycle / LKJ_DOCX)).paragraphs)
    assert "mencapai 11,2%, melampaui" in text
    again = run(cycle, "review", "--apply", str(cycle / "reviewed.docx"))
    assert "11,2%" in again.output and "— already in the content" in again.output, again.output


def test_a_printed_value_beside_words_changed_in_the_same_paragraph(cycle: Path) -> None:
    """A paragraph whose change is partly words of its Markdown, partly a value an
    expression prints, is left whole, saying where the value is written; a number written
    in the Markdown itself stays prose and is applied there."""
    ch3 = cycle / LKJ / "id/3-akuntabilitas-kinerja.md"
    word = WordEdit(cycle / LKJ_DOCX)
    word.replace("10,8%", "11,2%")
    word.insert("Keberhasilan ini didukung", " terutama")
    word.replace("dalam 72 jam mencapai", "dalam 48 jam mencapai")  # written in the Markdown
    word.save(cycle / "reviewed.docx")
    before = contents(cycle)
    result = run(cycle, "review", "--apply", str(cycle / "reviewed.docx"))
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    graduation = line_of(ch3, "Graduasi mandiri")
    reason = (
        f'by hand: "10,8" is printed by an expression from {LKJ}/data/realisasi.csv:3:4 '
        "(IKSS 1.2, 2025 realisation); change it there, and the paragraph's other words "
        "in the Markdown"
    )
    assert (
        f'{ch3.relative_to(cycle)}:{graduation}: inserted "terutama" (Budi Santoso, '
        f"2024-12-02) — {reason}"
    ) in out, out
    assert any(x.startswith(f"{LKJ}/data/realisasi.csv:3:4") and x.endswith(reason) for x in out)
    assert any('"dalam 48 jam mencapai"' in x and x.endswith("— applied") for x in out), out
    assert ch3.read_text() == before[ch3].decode().replace("72 jam", "48 jam")
    assert {p: b for p, b in contents(cycle).items() if p != ch3} == {
        p: b for p, b in before.items() if p != ch3
    }


def test_an_amount_an_expression_prints_rounded_is_never_written(cycle: Path) -> None:
    """``{{ budget.realisation | rupiah("large") }}`` prints ``Rp72,97 triliun``: the
    amount rounded, here a total the LKj computes; listed as such, never written."""
    ch0 = cycle / LKJ / "id/0-ikhtisar-eksekutif.md"
    word = WordEdit(cycle / LKJ_DOCX)
    word.replace("Rp72,97", "Rp73,5")  # the executive summary's
    word.save(cycle / "reviewed.docx")
    before = contents(cycle)
    result = run(cycle, "review", "--apply", str(cycle / "reviewed.docx"))
    assert result.exit_code == 0, result.output
    assert (
        f"{LKJ}/id/0-ikhtisar-eksekutif.md:{line_of(ch0, 'Dari pagu')} (2025 spent, total, "
        'computed): deleted "Rp72,97" (Budi Santoso, 2024-12-02) — by hand: "Rp72,97" is '
        "printed rounded by an expression (2025 spent, total): computed: the sum of the "
        "programs'; change those"
    ) in result.output.splitlines(), result.output
    assert "0 applied" in result.output
    assert contents(cycle) == before
