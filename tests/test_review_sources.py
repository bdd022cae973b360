"""Every difference a reviewer makes is listed at its real source: a title at the front
matter line of ``id.md``, an indicator's name at its line of ``plan.yaml``, a budget at
its workbook cell (never written), a caption at the template line that writes it with
the words around it. ``--apply`` writes values, then titles and names, then prose; a
second ``--apply`` says each item is already in the content."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import line_of, make_project, run
from wordedit import WordEdit

pytestmark = pytest.mark.slow  # builds the Renstra and a readout

RENSTRA = "content/renstra/kemensos-2025-2029"
READOUT = "content/readouts/bekasi-rakortekrenbang-2024"
CH3 = f"{RENSTRA}/id/3-arah-kebijakan.md"
DOCX = "build/id/renstra/kemensos-2025-2029.docx"
READOUT_DOCX = "build/id/readouts/bekasi-rakortekrenbang-2024.docx"
NAME = "Persentase penerima layanan rehabilitasi sosial yang meningkat keberfungsian sosialnya"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("sources"), with_content=True)
    for folder in ("minutes", "regional"):
        shutil.rmtree(root / "content" / folder)
    result = run(root, "build", "--lang", "id", "--format", "docx")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root)
    return root


def lines_of(output: str) -> list[str]:
    return output.strip().splitlines()


def test_titles_names_figures_and_captions_at_their_sources(project: Path) -> None:
    plan = project / RENSTRA / "plan.yaml"
    word = WordEdit(project / DOCX)
    word.untracked(NAME, NAME.replace("meningkat", "membaik"))  # Tabel 4.1, untracked
    word.replace("Jumlah keluarga penerima bantuan sosial bersyarat", "Jumlah keluarga penerima")
    # (the first run holding these words is the list of tables' entry; the caption is next)
    word.untracked(
        " Sasaran Program dan Indikator Kinerja Program", " Sasaran Program Utama", nth=1
    )
    old_budget = word.replace_value("K1.2/budget/2026", "45.700.000")
    word.save(project / "reviewed.docx")
    book = project / RENSTRA / "data/budgets.xlsx"
    before_book = book.read_bytes()

    listed = run(project, "review", str(project / "reviewed.docx"))
    assert listed.exit_code == 0, listed.output
    out = lines_of(listed.output)
    name_line = line_of(plan, "yang meningkat keberfungsian")
    assert f'{RENSTRA}/plan.yaml:{name_line}: changed "meningkat" → "membaik" (untracked)' in out
    cct = line_of(plan, "Jumlah keluarga penerima bantuan sosial bersyarat")
    assert any(x.startswith(f"{RENSTRA}/plan.yaml:{cct}: deleted") for x in out), out
    labels = "templates/id/labels.html"  # the project's own copy of plandocs' templates
    caption = next(x for x in out if "Utama" in x)
    assert caption.startswith(
        f"{labels}:{line_of(project / labels, 'cap_program_targets')} (a template; near "
    )
    assert 'Sasaran Program dan Indikator Kinerja Program"' in caption
    assert any(
        x.startswith(
            f"{RENSTRA}/data/budgets.xlsx:Anggaran!C3 (K1.2, 2026): {old_budget} → 45.700.000"
        )
        for x in out
    ), out

    applied = run(project, "review", "--apply", str(project / "reviewed.docx"))
    assert applied.exit_code == 0, applied.output
    out = lines_of(applied.output)
    assert out[-1] == "plandocs: 4 changes, 0 comments: 3 applied, 1 left to do by hand" or (
        "applied" in out[-1]
    ), out
    text = plan.read_text()
    assert "yang membaik keberfungsian sosialnya" in text
    assert "name: {id: Jumlah keluarga penerima, en:" in text
    assert any("change the cell in Excel" in x for x in out)
    assert any("Utama" in x and "by hand" in x for x in out)
    assert book.read_bytes() == before_book
    assert openpyxl.load_workbook(book)["Anggaran"]["C3"].value == 45600000000000

    again = run(project, "review", "--apply", str(project / "reviewed.docx"))
    out = lines_of(again.output)
    assert sum("— already in the content" in x for x in out) >= 3, out
    assert "0 applied" in out[-1] and "already in the content" in out[-1]
    assert plan.read_text() == text


def test_a_readout_title_is_at_its_front_matter_line(project: Path) -> None:
    word = WordEdit(project / READOUT_DOCX)
    word.untracked("Menyusun Outcome Bidang Sosial", "Merumuskan Outcome Bidang Sosial")
    word.untracked("Siaran Pers", "Siaran Pers Resmi")
    word.save(project / "readout.docx")
    result = run(project, "review", "--apply", str(project / "readout.docx"))
    out = lines_of(result.output)
    assert f'{READOUT}/id.md:2: changed "Menyusun" → "Merumuskan" (untracked) — applied' in out
    assert any(x.startswith("templates/id/labels.html:") and "Resmi" in x for x in out)
    title = (project / READOUT / "id.md").read_text().splitlines()[1]
    assert title == (
        "title: Kemensos dan Daerah Merumuskan Outcome Bidang Sosial dalam "
        "Rakortekrenbang {{ plan_year }}"
    )
    built = run(project, "build", "--lang", "id", "--format", "docx")
    assert built.exit_code == 0, built.output
    again = run(project, "review", str(project / READOUT_DOCX))
    assert "0 changes" in again.output


def test_a_value_and_the_paragraph_that_prints_it_in_one_review(project: Path) -> None:
    """The reviewer changes a target in its table and the sentence that prints it, and
    a word of that sentence: the value is written first, then the word."""
    ch3 = project / CH3
    word = WordEdit(project / DOCX)
    assert word.replace_value("IKSS 3.2/2029", "1.800") == "1.750"
    word.untracked("menjadi 1.750 kampung", "menjadi 1.800 kampung")
    word.untracked("dilatih untuk menghadapi risiko iklim", "dilatih untuk menghadapi risiko cuaca")
    word.save(project / "reviewed.docx")
    result = run(project, "review", "--apply", str(project / "reviewed.docx"))
    assert result.exit_code == 0, result.output
    assert "does not render as edited" not in result.output, result.output
    assert "2029: 1800}" in (project / RENSTRA / "plan.yaml").read_text()
    assert "risiko cuaca yang terus meningkat" in ch3.read_text()
    assert '"1.750" → "1.800" (untracked) — already in the content' in result.output or (
        '"1.750" → "1.800" (untracked) — applied' in result.output
    ), result.output
    again = run(project, "review", "--apply", str(project / "reviewed.docx"))
    assert " 0 applied" in again.output and "left to do by hand" in again.output
    assert "already in the content" in again.output


def test_a_text_that_would_not_render_as_edited_is_never_written(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check renders a copy of the project with the edit: the file itself is not
    written, not even for a moment (a `watch` would build it), when the check fails."""
    import plandocs.review.verify

    plan = project / RENSTRA / "plan.yaml"
    before = plan.stat()
    text = plan.read_bytes()
    word = WordEdit(project / DOCX)
    word.untracked(NAME, NAME.replace("meningkat", "membaik"))
    word.save(project / "reviewed.docx")
    rendered: list[dict[str, str]] = []

    def as_if_a_template_printed_something_else(
        root: Path, document: str, lang: str, edited: dict[str, str]
    ) -> tuple[dict[str, str], str]:
        rendered.append(dict(edited))
        assert plan.read_bytes() == text  # the edit is in the copy only
        return {}, "something else"

    monkeypatch.setattr(
        plandocs.review.verify, "rendered_document", as_if_a_template_printed_something_else
    )
    result = run(project, "review", "--apply", str(project / "reviewed.docx"))
    assert "does not render as edited" in result.output, result.output
    assert [list(edited) for edited in rendered] == [[f"{RENSTRA}/plan.yaml"]]
    assert "membaik" in rendered[0][f"{RENSTRA}/plan.yaml"]
    after = plan.stat()
    assert plan.read_bytes() == text
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
