"""One kind mechanism, one pipeline: every kind is a folder with a kind.yaml (a second
plan shaped like the Renstra needs no Python), every command reaches every document —
the parts of a regional batch too — and a broken kind fails its own documents only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

from conftest import REPO, edit, line_of, make_project, run, write
from plandocs.safety import reader

PLAN = "content/renstra/kemensos-2025-2029"
REGIONAL = "content/regional/targets-2025-2029"


def _written(output: str) -> list[str]:
    return [line.split(" ", 1)[1] for line in output.splitlines() if line.startswith("wrote ")]


# -- a kind needs no Python -------------------------------------------------------------
@pytest.mark.slow
def test_a_second_plan_shaped_like_the_renstra_is_files_only(tmp_path: Path) -> None:
    root = make_project(tmp_path, own_templates=False)
    write(
        root,
        "kinds/renja/kind.yaml",
        """
        # The annual work plan: a plan like the Renstra, with a title of its own.
        description: {id: Rencana kerja, en: Work plan}
        extends: renstra
        title:
          id: "Rencana Kerja {{ plan.period.start }}"
          en: "Work Plan {{ plan.period.start }}"
        """,
    )
    shutil.copytree(REPO / PLAN, root / "content/renja/kemensos-2025")
    result = run(root, "build", "--format", "docx,html")
    assert result.exit_code == 0, result.output
    for lang, title in (("id", "Rencana Kerja 2025"), ("en", "Work Plan 2025")):
        word = docx.Document(str(root / f"build/{lang}/renja/kemensos-2025.docx"))
        assert word.core_properties.title == title
        html = (root / f"build/{lang}/renja/kemensos-2025.html").read_text()
        assert "<table" in html and "IKSS 1.1" in html  # the plan model's tables
    manifest = json.loads((root / "build/.plandocs-manifest.json").read_text())
    inputs = manifest["outputs"]["build/id/renja/kemensos-2025.docx"]["inputs"]
    assert "kinds/renja/kind.yaml" in inputs
    # No Python: only the project's kind.yaml and content made the new kind.
    assert sorted(p.name for p in (root / "kinds/renja").iterdir()) == ["kind.yaml"]


def test_a_project_kind_replaces_a_built_in_one_with_its_own_templates(tmp_path: Path) -> None:
    root = make_project(tmp_path, own_templates=False)
    shutil.copytree(REPO / "src/plandocs/kinds/builtin/minutes", root / "kinds/minutes")
    edit(
        root / "kinds/minutes/templates/id/minutes.html", '"Notulen Rapat"', '"Notula Rapat Dinas"'
    )
    shutil.copytree(REPO / "content/minutes", root / "content/minutes")
    result = run(root, "build", "--format", "html", "--lang", "id")
    assert result.exit_code == 0, result.output
    html = (root / "build/id/minutes/renstra-rpjmn-bappenas-2020.html").read_text()
    assert "Notula Rapat Dinas" in html


@pytest.mark.slow
def test_plandocs_new_makes_a_readout_and_a_renstra(tmp_path: Path) -> None:
    root = make_project(tmp_path, own_templates=False)
    for kind in ("readouts", "renstra"):
        made = run(root, "new", kind, f"contoh-{kind}")
        assert made.exit_code == 0, made.output
    assert (root / "content/readouts/contoh-readouts/readout.yaml").is_file()
    assert (root / "content/renstra/contoh-renstra/plan.yaml").is_file()
    assert run(root, "check").exit_code == 0


# -- a broken kind fails its own documents only -----------------------------------------
@pytest.fixture
def with_broken_kind(tmp_path: Path, add_readout: object) -> Path:
    root = make_project(tmp_path, own_templates=False)
    shutil.copytree(REPO / "src/plandocs/kinds/builtin/minutes", root / "kinds/memo")
    for lang in ("id", "en"):
        template = root / f"kinds/memo/templates/{lang}/minutes.html"
        edit(template, "kinds/minutes/shared/minutes.html", "kinds/memo/shared/minutes.html")
        template.rename(template.with_name("memo.html"))
    edit(root / "kinds/memo/kind.yaml", "template: minutes.html", "template: memo.html")
    edit(root / "kinds/memo/kind.yaml", "facts: minutes.yaml", "facts: memo.yaml")
    shutil.copytree(REPO / "content/minutes/renstra-rpjmn-bappenas-2020", root / "content/memo/a")
    (root / "content/memo/a/minutes.yaml").rename(root / "content/memo/a/memo.yaml")
    add_readout(root)  # type: ignore[operator]
    assert run(root, "build", "--lang", "id", "--format", "html").exit_code == 0
    return root


def test_a_broken_kind_template_fails_its_own_documents_only(with_broken_kind: Path) -> None:
    root = with_broken_kind
    shared = root / "kinds/memo/templates/shared/minutes.html"
    lines = shared.read_text().splitlines()
    opened = 10
    lines[opened - 1] = lines[opened - 1] + "{% if true %}"  # never closed
    shared.write_text("\n".join(lines) + "\n")
    edit(root / "content/readouts/meeting/id.md", "Rapat berlangsung", "Rapat itu berlangsung")
    result = run(root, "build", "--lang", "id", "--format", "html")
    assert result.exit_code == 1
    assert "wrote build/id/readouts/meeting.html" in result.output
    assert f"kinds/memo/templates/shared/minutes.html:{opened}: error: template syntax" in (
        result.output
    ), result.output
    assert "Rapat itu berlangsung" in (root / "build/id/readouts/meeting.html").read_text()
    checked = run(root, "check")
    assert checked.exit_code == 1
    assert f"kinds/memo/templates/shared/minutes.html:{opened}: error" in checked.output
    # Every document was checked: the readout and the broken kind's memo.
    assert "2 documents" in checked.output, checked.output


def test_a_broken_kind_yaml_fails_its_own_documents_only(with_broken_kind: Path) -> None:
    root = with_broken_kind
    kind = root / "kinds/memo/kind.yaml"
    kind.write_text(kind.read_text() + "colour: blue\n")
    edit(root / "content/readouts/meeting/id.md", "Rapat berlangsung", "Rapat itu berlangsung")
    result = run(root, "build", "--lang", "id", "--format", "html")
    assert result.exit_code == 1
    assert "wrote build/id/readouts/meeting.html" in result.output
    line = line_of(kind, "colour:")
    assert f"kinds/memo/kind.yaml:{line}:1: error: unknown key `colour`" in result.output


# -- every command reaches the parts -----------------------------------------------------
@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("regional"), own_templates=False)
    shutil.copytree(REPO / REGIONAL, root / REGIONAL)
    result = run(root, "build", "--format", "html,docx", "--lang", "id")
    assert result.exit_code == 0, result.output
    return root


def test_the_preview_lists_and_serves_every_regional_sheet(regional: Path) -> None:
    from plandocs.preview.pages import index_page
    from plandocs.preview.state import Documents

    documents = Documents(regional, ("id",))
    pages = documents.all_pages()
    parts = [p for p in pages if p.part is not None]
    table = (regional / REGIONAL / "data/targets.csv").read_text().splitlines()
    codes = {line.split(",")[0] for line in table}
    assert {p.part for p in parts} == codes - {"region"}
    index = index_page(regional, pages, ("id",), "1")
    assert "doc=regional%2Ftargets-2025-2029%2F32" in index
    sheet = documents.page("id/regional/targets-2025-2029/32")
    assert sheet is not None and sheet.error is None and sheet.html is not None
    assert "Jawa Barat" in sheet.html
    assert sheet.title == "Target Daerah Jawa Barat 2025–2029"


def test_compare_writes_redlines_for_a_changed_region(regional: Path, tmp_path: Path) -> None:
    earlier = tmp_path / "earlier"
    shutil.copytree(regional, earlier, ignore=shutil.ignore_patterns("build"))
    table = regional / REGIONAL / "data/targets.csv"
    old = table.read_text()
    try:
        edit(table, "32,IKSS 3.2,", "32,IKSS 3.2,1")  # the baseline of one row of West Java
        result = run(
            regional, "build", "--lang", "id", "--format", "docx", "--compare", str(earlier)
        )
        assert result.exit_code == 0, result.output
        assert "build/id/regional/targets-2025-2029/32.changes.docx" in _written(result.output)
        assert not (regional / "build/id/regional/targets-2025-2029/11.changes.docx").exists()
    finally:
        table.write_text(old)


# -- one reader, nothing hashed again ---------------------------------------------------
@pytest.mark.slow
def test_a_table_saved_while_a_part_is_built_is_rebuilt_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part reads its table twice (the rows, then its own rows' digest); a planner
    saving the table in between must not leave the part recorded as made from the new
    rows: a document is made from, and recorded with, one reading of each file."""
    root = make_project(tmp_path, own_templates=False)
    shutil.copytree(REPO / REGIONAL, root / REGIONAL)
    table = root / REGIONAL / "data/targets.csv"
    read = reader.read_bytes
    reads: list[Path] = []

    def read_then_save(path: Path, *args: object, **kwargs: object) -> bytes:
        data = read(path, *args, **kwargs)  # type: ignore[arg-type]
        if path.name == "targets.csv":
            reads.append(path)
            if len(reads) == 3:  # the first reading of the first region's sheet (Aceh)
                table.write_text(table.read_text().replace("11,IKSS 3.2,12,", "11,IKSS 3.2,13,"))
        return data

    monkeypatch.setattr(reader, "read_bytes", read_then_save)
    monkeypatch.setattr("plandocs.content.tables.read_bytes", read_then_save)
    first = run(root, "build", "--lang", "id", "--format", "html", "-j", "1")
    assert first.exit_code == 0, first.output
    assert len(reads) > 3
    monkeypatch.undo()
    again = run(root, "build", "--lang", "id", "--format", "html", "-j", "1", "--explain")
    assert again.exit_code == 0, again.output
    assert "build/id/regional/targets-2025-2029/11.html" in _written(again.output)
