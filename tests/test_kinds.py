"""Kinds defined by files: minutes, regional target sheets, a new kind from files only,
``check`` over kinds, one folder yielding many documents, shards, ``new`` and ``init``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import Result

from conftest import REPO, edit, line_of, make_project, run
from inspect_docs import docx_text, flat, pdf_text

MINUTES = "content/minutes/renstra-rpjmn-bappenas-2020"
REGIONAL = "content/regional/targets-2025-2029"
# The builds that lay documents out do it in this process (-j 1): what they check does
# not depend on it, the suite's workers hold the cores already, and a pool of layout
# processes cost about as much CPU again (the shards' project: 12.3 s against 6.7 s).


def _tables(path: Path) -> list[list[list[str]]]:
    """Every table of a DOCX as rows of cell texts."""
    document = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("minutes"))
    shutil.copytree(REPO / MINUTES, root / MINUTES)
    result = run(root, "build", "-j", "1", "--format", "pdf,docx")
    assert result.exit_code == 0, result.output
    return root


def test_minutes_docx_has_attendance_and_action_tables_in_both_languages(minutes: Path) -> None:
    id_tables = _tables(minutes / "build/id/minutes/renstra-rpjmn-bappenas-2020.docx")
    en_tables = _tables(minutes / "build/en/minutes/renstra-rpjmn-bappenas-2020.docx")
    attendance = id_tables[0]
    assert attendance[0] == ["No", "Nama", "Jabatan", "Unit Kerja", "Keterangan"]
    assert len(attendance) == 11  # the header and ten invitees
    assert attendance[6][1] == "Siti Rahmawati"
    assert attendance[6][4] == "Diwakili (oleh Hendra Gunawan)"
    assert attendance[8][4] == "Tidak hadir"
    assert en_tables[0][6][4] == "Represented (by Hendra Gunawan)"
    # The first item's actions: one past the minutes' date (27 March 2020), one done.
    actions_id, actions_en = id_tables[1], en_tables[1]
    assert actions_id[0] == ["No", "Tindak lanjut", "Penanggung Jawab", "Tenggat", "Keterangan"]
    assert actions_id[1][3] == "26\u00a0Maret\u00a02020"
    assert actions_id[1][4] == "Terlambat"
    assert actions_id[2][4] == "Selesai"
    assert actions_en[1][3] == "March\u00a026th,\u00a02020"
    assert actions_en[1][4] == "Overdue"
    assert actions_en[2][4] == "Done"
    # The second item's actions are not due yet.
    assert [row[4] for row in id_tables[2][1:]] == ["Dalam proses", "Dalam proses"]
    # The signatures side by side, in a table without rules.
    signatures = id_tables[-1]
    assert signatures[0][1] == "Jakarta, 27 Maret 2020"
    assert signatures[1] == ["Pimpinan Rapat,", "Notulis,"]
    assert signatures[3] == ["ADHY KARYONO", "DEWI LESTARI"]
    document = docx.Document(str(minutes / "build/id/minutes/renstra-rpjmn-bappenas-2020.docx"))
    assert document.tables[-1].style.name == "Normal Table"
    assert document.tables[0].style.name == "Table Grid"


def test_minutes_docx_opens_with_the_letterhead_and_the_particulars(minutes: Path) -> None:
    path = minutes / "build/id/minutes/renstra-rpjmn-bappenas-2020.docx"
    document = docx.Document(str(path))
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert styles[0] == ("Letterhead", "Kementerian Sosial Republik Indonesia")
    assert styles[1] == ("Letterhead", "Biro Perencanaan")
    assert ("Document Kind", "Notulen Rapat") in styles
    fields = [text for style, text in styles if style == "Minutes Field"]
    assert fields[0] == "Hari/Tanggal\t: Kamis, 19 Maret 2020"
    assert fields[1] == "Waktu\t: 09.00–11.30 WIB"
    assert fields[2].startswith("Tempat\t: Telekonferensi")
    assert "Agenda Item" in {style for style, _ in styles}
    en = docx_text(minutes / "build/en/minutes/renstra-rpjmn-bappenas-2020.docx")
    assert "Day/Date\t: Thursday, March 19th, 2020" in en
    assert "Time\t: 9:00\u202fAM–11:30\u202fAM WIB" in en or "Time\t: 9:00 AM–11:30 AM WIB" in en


def test_minutes_pdf_text_in_both_languages(minutes: Path) -> None:
    id_text = flat(pdf_text(minutes / "build/id/minutes/renstra-rpjmn-bappenas-2020.pdf"))
    en_text = flat(pdf_text(minutes / "build/en/minutes/renstra-rpjmn-bappenas-2020.pdf"))
    for needle in ("NOTULEN RAPAT", "Nomor: 07/REN/III/2020", "Daftar Hadir", "Pembahasan",
                   "Kesimpulan/Keputusan", "Tindak Lanjut", "Terlambat", "Pimpinan Rapat,",
                   "Notulis,", "ADHY KARYONO", "Jakarta, 27 Maret 2020"):  # fmt: skip
        assert needle in id_text, needle
    for needle in ("MINUTES OF MEETING", "Attendance", "Discussion", "Conclusions/Decisions",
                   "Follow-up", "Overdue", "Chair,", "Note-taker,",
                   "Jakarta, March 27th, 2020"):  # fmt: skip
        assert needle in en_text, needle


# -- regional target sheets ---------------------------------------------------------------
REGIONS = [("31", "DKI Jakarta"), ("32.10", "Kabupaten Majalengka"), ("32.16", "Kabupaten Bekasi")]


def regional_project(root: Path, regions: list[tuple[str, str]] = REGIONS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    make_project(root)
    folder = root / REGIONAL
    shutil.copytree(REPO / REGIONAL, folder)
    text = (folder / "sheet.yaml").read_text(encoding="utf-8")
    text = text[: text.index("regions:\n")] + "regions:\n"
    text += "".join(f'  - {{code: "{c}", name: {n}}}\n' for c, n in regions)
    (folder / "sheet.yaml").write_text(text, encoding="utf-8")
    lines = ["region,code,2024,2025,2026,2027,2028,2029"]
    for index, (code, _) in enumerate(regions):
        lines += [
            f"{code},IKSS 1.1,{1.25 + index},1.0,0.75,0.5,0.25,0",
            f"{code},IKSS 1.2,9.5,11,12.5,14,15.5,17",
            f"{code},IKSS 2.2,20,30,40,50,60,70",
            f"{code},IKSS 3.2,{12 + index},16,20,24,28,32",
        ]
    (folder / "data/targets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = regional_project(tmp_path_factory.mktemp("regional"))
    result = run(root, "build", "-j", "1", "--format", "pdf,docx")
    assert result.exit_code == 0, result.output
    return root


def test_one_folder_yields_a_sheet_per_region_and_a_recap(regional: Path) -> None:
    for lang in ("id", "en"):
        base = regional / "build" / lang / "regional"
        assert sorted(p.name for p in (base / "targets-2025-2029").iterdir()) == sorted(
            f"{code}.{fmt}" for code, _ in REGIONS for fmt in ("pdf", "docx")
        )
        assert (base / "targets-2025-2029.pdf").is_file()
        assert (base / "targets-2025-2029.docx").is_file()


def test_a_region_sheet_shows_its_targets_beside_the_national_ones(regional: Path) -> None:
    path = regional / "build/id/regional/targets-2025-2029/32.10.docx"
    text = docx_text(path)
    assert "Kabupaten Majalengka (kode wilayah 32.10)" in text
    table = _tables(path)[0]
    assert table[0][:4] == ["Kode", "Indikator", "Satuan", "Tingkat"]
    rows = {(r[0], r[3]): r[4:] for r in table[2:]}
    # Region 32.10 (second): baseline 2.25; one precision per indicator's rows.
    assert rows[("IKSS\u00a01.1", "Daerah")] == ["2,25", "1,00", "0,75", "0,50", "0,25", "0,00"]
    assert rows[("IKSS\u00a01.1", "Nasional")] == ["0,83", "0,60", "0,40", "0,20", "0,10", "0,00"]
    assert rows[("IKSS\u00a03.2", "Nasional")][0] == "1.024"
    en = _tables(regional / "build/en/regional/targets-2025-2029/32.10.docx")[0]
    en_rows = {(r[0], r[3]): r[4:] for r in en[2:]}
    assert en_rows[("IKSS\u00a03.2", "National")][0] == "1,024"
    pdf = flat(pdf_text(regional / "build/en/regional/targets-2025-2029/32.16.pdf"))
    assert "REGIONAL TARGET SHEET" in pdf and "Kabupaten Bekasi (region code 32.16)" in pdf


def test_the_recap_lists_every_region_with_codes_as_text(regional: Path) -> None:
    tables = _tables(regional / "build/id/regional/targets-2025-2029.docx")
    assert len(tables) == 4  # one per indicator
    codes = [row[0] for row in tables[0][2:-1]]
    assert codes == ["31", "32.10", "32.16"]  # 32.10 never becomes 32.1
    assert tables[0][-1][1] == "Nasional"
    pdf = flat(pdf_text(regional / "build/en/regional/targets-2025-2029.pdf"))
    assert "RECAP OF REGIONAL TARGETS" in pdf and "Kabupaten Majalengka" in pdf


@pytest.mark.slow
def test_each_region_is_rebuilt_only_when_its_own_rows_change(tmp_path: Path) -> None:
    root = regional_project(tmp_path)
    assert run(root, "build", "--format", "html").exit_code == 0
    csv = root / REGIONAL / "data/targets.csv"
    edit(csv, "32.16,IKSS 1.2,9.5,11", "32.16,IKSS 1.2,9.5,11.5")
    result = run(root, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    wrote = sorted(line for line in result.output.splitlines() if line.startswith("wrote"))
    assert wrote == [
        "wrote build/en/regional/targets-2025-2029.html",
        "wrote build/en/regional/targets-2025-2029/32.16.html",
        "wrote build/id/regional/targets-2025-2029.html",
        "wrote build/id/regional/targets-2025-2029/32.16.html",
    ]
    # A region taken out of the table: its sheets go.
    csv.write_text(
        "\n".join(line for line in csv.read_text().splitlines() if not line.startswith("31,"))
        + "\n"
    )
    result = run(root, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    assert not (root / "build/id/regional/targets-2025-2029/31.html").exists()
    assert "removed build/id/regional/targets-2025-2029/31.html" in result.output
    assert run(root, "build", "--format", "html").output.startswith("plandocs: 0 written")


def test_a_region_code_typed_as_a_number_in_a_workbook_is_an_error(tmp_path: Path) -> None:
    import openpyxl

    root = regional_project(tmp_path)
    folder = root / REGIONAL
    edit(root / "kinds/regional/kind.yaml", "file: data/targets.csv", "file: data/targets.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Targets"
    for line in (folder / "data/targets.csv").read_text().splitlines():
        sheet.append(line.split(","))
    sheet["A3"] = 32.1  # 32.10 typed as a number
    book.save(folder / "data/targets.xlsx")
    (folder / "data/targets.csv").unlink()
    result = run(root, "build", "--format", "html")
    assert result.exit_code == 1
    assert (
        f"{REGIONAL}/data/targets.xlsx:Targets!A3: error: the region 32.1 is a number in this "
        "sheet; codes are text" in result.output
    )


# -- a new kind from files only -----------------------------------------------------------
@pytest.mark.slow
def test_a_new_kind_is_files_only(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    shutil.copytree(root / "kinds/minutes", root / "kinds/memo")
    for lang in ("shared", "id", "en"):
        old = root / f"kinds/memo/templates/{lang}/minutes.html"
        text = old.read_text().replace(
            "kinds/minutes/shared/minutes.html", "kinds/memo/shared/memo.html"
        )
        text = text.replace('"Notulen Rapat"', '"Memo Rapat"').replace(
            '"Minutes of Meeting"', '"Meeting Memo"'
        )
        (old.parent / "memo.html").write_text(text)
        old.unlink()
    edit(root / "kinds/memo/kind.yaml", "template: minutes.html", "template: memo.html")
    edit(root / "kinds/memo/kind.yaml", "facts: minutes.yaml", "facts: memo.yaml")
    shutil.copytree(REPO / MINUTES, root / "content/memo/rapat")
    (root / "content/memo/rapat/minutes.yaml").rename(root / "content/memo/rapat/memo.yaml")
    result = run(root, "build", "-j", "1", "--format", "pdf,docx")
    assert result.exit_code == 0, result.output
    assert "MEMO RAPAT" in pdf_text(root / "build/id/memo/rapat.pdf")
    assert "Meeting Memo" in docx_text(root / "build/en/memo/rapat.docx")
    # The kind's own files are inputs of its outputs.
    manifest = json.loads((root / "build/.plandocs-manifest.json").read_text())
    inputs = manifest["outputs"]["build/id/memo/rapat.pdf"]["inputs"]
    for rel in ("kinds/memo/kind.yaml", "kinds/memo/schema.yaml",
                "kinds/memo/templates/id/memo.html", "kinds/memo/templates/shared/memo.html",
                "content/memo/rapat/memo.yaml", "templates/shared/base.html"):  # fmt: skip
        assert rel in inputs, rel
    edit(root / "kinds/memo/templates/shared/memo.html", "<h1 class", '<h1 data-x="1" class')
    rebuilt = run(root, "build", "-j", "1", "--format", "pdf,docx")
    assert rebuilt.output.count("wrote") == 4


# -- check covers kinds -------------------------------------------------------------------
@pytest.fixture
def with_minutes(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    shutil.copytree(REPO / MINUTES, root / MINUTES)
    return root


def test_check_passes_on_the_minutes(with_minutes: Path) -> None:
    result = run(with_minutes, "check")
    assert result.exit_code == 0, result.output


def test_check_locates_a_bad_schema(with_minutes: Path) -> None:
    schema = with_minutes / "kinds/minutes/schema.yaml"
    edit(schema, "  number: {type: string,", "  number: {type: strng,")
    result = run(with_minutes, "check")
    assert result.exit_code == 1
    line = line_of(schema, "type: strng")
    assert f"kinds/minutes/schema.yaml:{line}:" in result.output
    assert "not valid JSON Schema at `properties.number.type`" in result.output


def test_check_locates_a_bad_kind_file(with_minutes: Path) -> None:
    kind = with_minutes / "kinds/minutes/kind.yaml"
    edit(kind, "date: date", "date: date\ncolour: blue")
    result = run(with_minutes, "check")
    assert result.exit_code == 1
    line = line_of(kind, "colour: blue")
    assert f"kinds/minutes/kind.yaml:{line}:1: error: unknown key `colour`" in result.output


def test_check_locates_a_bad_kind_template(with_minutes: Path) -> None:
    template = with_minutes / "kinds/minutes/templates/shared/minutes.html"
    edit(template, "{% for item in agenda %}", "{% for item in agenda %}{% if %}")
    result = run(with_minutes, "check")
    assert result.exit_code == 1
    line = line_of(template, "{% if %}")
    assert f"kinds/minutes/templates/shared/minutes.html:{line}: error: template syntax" in (
        result.output
    )


def test_check_names_a_missing_language_template(with_minutes: Path) -> None:
    (with_minutes / "kinds/minutes/templates/en/minutes.html").unlink()
    result = run(with_minutes, "check")
    assert result.exit_code == 1
    assert (
        "kinds/minutes/templates/en/minutes.html: error: template en/minutes.html of the kind "
        "minutes is missing" in result.output
    )


def test_check_and_build_locate_bad_facts(with_minutes: Path) -> None:
    facts = with_minutes / MINUTES / "minutes.yaml"
    edit(facts, "held: 2020-03-19", "held: 2020-19-03")
    edit(facts, "zone: WIB", "zone: CET")
    edit(facts, "    status: absent", "    status: away")
    result = run(with_minutes, "check")
    assert result.exit_code == 1
    held, zone = line_of(facts, "held:"), line_of(facts, "zone: CET")
    away = line_of(facts, "status: away")
    out = result.output
    assert f"{MINUTES}/minutes.yaml:{held}:7: error: `held`: '2020-19-03' is not a date" in out
    assert f"{MINUTES}/minutes.yaml:{zone}:" in out and "'CET' is not allowed" in out
    assert f"{MINUTES}/minutes.yaml:{away}:13: error: `attendance.7.status`: 'away'" in out
    built = run(with_minutes, "build", "--format", "html")
    assert built.exit_code == 1
    assert f"{MINUTES}/minutes.yaml:{held}:7: error:" in built.output
    assert "Traceback" not in built.output + out


# -- shards -------------------------------------------------------------------------------
def _outputs(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "build").rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.mark.slow
def test_the_shards_of_a_build_give_exactly_the_whole_build(tmp_path: Path) -> None:
    # One project folder stands for every machine (the outputs do not depend on where
    # the project lies: test_incremental checks that), its build/ moved aside per shard.
    root = regional_project(tmp_path / "project")
    shutil.copytree(REPO / MINUTES, root / MINUTES)

    def build(*shard: str) -> Result:
        return run(root, "build", "-j", "1", "--format", "pdf,docx", *shard)

    assert build().exit_code == 0
    expected = _outputs(root)
    assert len(expected) == 2 * 2 * (1 + len(REGIONS) + 1)
    # Shards sharing one build/ …
    shutil.rmtree(root / "build")
    for index in (1, 2, 3):
        result = build("--shard", f"{index}/3")
        assert result.exit_code == 0, result.output
        assert "written" in result.output
        if index == 1:  # the first shard into an empty build/: the first machine's too
            shutil.copytree(root / "build", tmp_path / "machine-1")
    assert _outputs(root) == expected
    # … then the whole build finds everything up to date, the parts merged.
    result = build()
    assert result.output.startswith("plandocs: 0 written"), result.output
    assert not list((root / "build").glob(".plandocs-manifest.shard-*"))
    # Shards on separate machines, their build/ folders copied together afterwards (the
    # first machine's kept above, as shard 1 wrote it into an empty build/).
    shutil.rmtree(root / "build")
    for index in (2, 3):
        assert build("--shard", f"{index}/3").exit_code == 0
        shutil.move(root / "build", tmp_path / f"machine-{index}")
    for index in (1, 2, 3):
        shutil.copytree(tmp_path / f"machine-{index}", root / "build", dirs_exist_ok=True)
    assert _outputs(root) == expected
    assert build().output.startswith("plandocs: 0 written")


def test_a_bad_shard_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = run(root, "build", "--shard", "3/2")
    assert result.exit_code == 2
    assert "write I/N with 1 ≤ I ≤ N" in result.output


# -- new and init -------------------------------------------------------------------------
def test_new_makes_a_document_from_the_kind_example(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = run(root, "new", "minutes", "rapat-koordinasi")
    assert result.exit_code == 0, result.output
    assert (root / "content/minutes/rapat-koordinasi/minutes.yaml").is_file()
    again = run(root, "new", "minutes", "rapat-koordinasi")
    assert again.exit_code == 1 and "exists already" in again.output
    unknown = run(root, "new", "memo", "x")
    assert unknown.exit_code == 1 and "no kind 'memo' in kinds/" in unknown.output
    assert run(root, "check").exit_code == 0
    built = run(root, "build", "-j", "1", "--format", "docx")
    assert built.exit_code == 0, built.output
    assert (root / "build/en/minutes/rapat-koordinasi.docx").is_file()


@pytest.mark.slow
def test_init_makes_a_project_that_checks_and_builds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plandocs.cli import main

    dest = tmp_path / "proyek"
    result = CliRunner().invoke(main, ["init", str(dest)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    kinds = sorted(p.name for p in (dest / "content").iterdir())
    assert kinds == ["lkj", "minutes", "pk", "readouts", "regional", "renstra"]
    checked = run(dest, "check")
    assert checked.exit_code == 0, checked.output
    assert "0 errors, 0 warnings" in checked.output
    built = run(dest, "build", "-j", "1", "--format", "docx")
    assert built.exit_code == 0, built.output
    assert (dest / "build/id/regional/regional-example/11.docx").is_file()
    refused = CliRunner().invoke(main, ["init", str(dest)], catch_exceptions=False)
    assert refused.exit_code == 1 and "not empty" in refused.output
