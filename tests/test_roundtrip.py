"""The whole round trip, as it happens: the sample Renstra and a readout go out as
DOCX, a reviewer edits them in LibreOffice (driven through UNO) with change tracking on
and off — titles, names, captions, figures from YAML, CSV and XLSX, prose, a comment —
and saves them; ``plandocs review`` lists every change, ``--apply`` writes every one
with a literal source and leaves none unlisted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import line_of, make_project, run
from othertools import run_office
from wordedit import WordEdit, libreoffice_save

RENSTRA = "content/renstra/kemensos-2025-2029"
READOUT = "content/readouts/bekasi-rakortekrenbang-2024"
CH1 = f"{RENSTRA}/id/1-pendahuluan.md"
CH3 = f"{RENSTRA}/id/3-arah-kebijakan.md"
LABELS = "templates/id/labels.html"
NAME = "Persentase penerima layanan rehabilitasi sosial yang meningkat keberfungsian sosialnya"


def edit_in_libreoffice(
    tmp: Path, source: Path, target: Path, jobs: list[dict[str, object]]
) -> Path:
    plan = tmp / (target.stem + "-jobs.json")
    plan.write_text(json.dumps(jobs), encoding="utf-8")
    run_office(
        tmp / "office", "edit", str(source), str(target), "--author", "Budi Santoso", str(plan)
    )
    return target


@pytest.mark.slow
def test_a_review_through_libreoffice_loses_no_change(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p" if (tmp_path / "p").mkdir() is None else tmp_path, with_content=True
    )
    for folder in ("minutes", "regional", "pk", "lkj"):  # the Renstra and the readouts
        shutil.rmtree(root / "content" / folder)
    assert run(root, "build", "--lang", "id", "--format", "docx").exit_code == 0
    edited = edit_in_libreoffice(
        tmp_path,
        root / "build/id/renstra/kemensos-2025-2029.docx",
        tmp_path / "renstra-edited.docx",
        [
            # prose, tracked and untracked
            {
                "do": "replace",
                "old": "berperan langsung pada",
                "new": "berperan langsung dan strategis pada",
            },
            {"do": "replace", "old": "akademisi", "new": "perguruan tinggi", "tracked": False},
            # an indicator's name (plan.yaml), tracked, and another untracked
            {
                "do": "replace",
                "old": "yang meningkat keberfungsian",
                "new": "yang membaik keberfungsian",
            },
            {
                "do": "replace",
                "old": "Jumlah keluarga penerima bantuan sosial bersyarat",
                "new": "Jumlah keluarga penerima bantuan bersyarat",
                "tracked": False,
            },
            # a caption (written by the template's labels), untracked: listed, by hand
            {
                "do": "replace",
                "old": "Sasaran Program dan Indikator Kinerja Program",
                "new": "Sasaran dan Indikator Kinerja Program",
                "nth": 1,
                "tracked": False,
            },
            # figures: plan.yaml, the CSV, the workbook
            {"do": "replace", "old": "1.750", "new": "1.800", "nth": 1},
            {"do": "replace", "old": "45.600.000", "new": "45.700.000"},
            # a comment
            {
                "do": "comment",
                "on": "kampung siaga bencana",
                "text": "Mohon cek angka terbaru dari BNPB.",
            },
        ],
    )
    # A comment, as Word writes one (LibreOffice 7.4 headless crashes when a comment is
    # made, or a file with one is opened, through UNO); then LibreOffice opens the file
    # and saves it again.
    commented = WordEdit(edited)
    commented.comment("kampung siaga bencana", "Mohon cek angka terbaru dari BNPB.", "Budi Santoso")
    commented.save(tmp_path / "commented.docx")
    renstra = libreoffice_save(tmp_path / "commented.docx", tmp_path / "saved")
    readout = edit_in_libreoffice(
        tmp_path,
        root / "build/id/readouts/bekasi-rakortekrenbang-2024.docx",
        tmp_path / "readout-reviewed.docx",
        [
            {"do": "replace", "old": "Menyusun Outcome", "new": "Merumuskan Outcome"},
            {
                "do": "replace",
                "old": "mengumpulkan unit-unit kerjanya",
                "new": "menghimpun unit-unit kerjanya",
                "tracked": False,
            },
        ],
    )
    listed = run(root, "review", str(renstra))
    assert listed.exit_code == 0, listed.output
    out = listed.output
    plan = root / RENSTRA / "plan.yaml"
    for wanted in (
        f"{CH3}:{line_of(root / CH3, 'berperan langsung')}: inserted",
        f"{CH1}:{line_of(root / CH1, 'akademisi')}: changed",
        f"{RENSTRA}/plan.yaml:{line_of(plan, 'yang meningkat keberfungsian')}:",
        f"{RENSTRA}/plan.yaml:{line_of(plan, 'bantuan sosial bersyarat')}:",
        f"{LABELS}:{line_of(root / LABELS, 'cap_program_targets')} (a template",
        f"{RENSTRA}/plan.yaml:{line_of(plan, 'code: IKSS 3.2') + 4} (IKSS 3.2, 2029): 1.750",
        f"{RENSTRA}/data/budgets.xlsx:Anggaran!C3 (K1.2, 2026): 45.600.000 → 45.700.000",
        'comment by Budi Santoso: "Mohon cek angka terbaru dari BNPB."',
    ):
        assert any(line.startswith(wanted) or wanted in line for line in out.splitlines()), (
            wanted,
            out,
        )
    applied = run(root, "review", "--apply", str(renstra))
    assert applied.exit_code == 0, applied.output
    lines = applied.output.splitlines()
    by_hand = [x for x in lines if "— by hand" in x]
    # Only what has no literal source is left: the template's caption, the workbook.
    assert all("labels.html" in x or "budgets.xlsx" in x for x in by_hand), by_hand
    assert len(by_hand) >= 2
    assert "berperan langsung dan strategis pada" in (root / CH3).read_text()
    assert "perguruan tinggi" in (root / CH1).read_text()
    text = plan.read_text()
    assert "yang membaik keberfungsian" in text and "penerima bantuan bersyarat" in text
    assert "2029: 1800}" in text
    readout_result = run(root, "review", "--apply", str(readout))
    assert readout_result.exit_code == 0, readout_result.output
    assert " applied, 0 left to do by hand" in readout_result.output, readout_result.output
    prose = (root / READOUT / "id.md").read_text()
    assert "Merumuskan Outcome" in prose.splitlines()[1] and "menghimpun unit-unit" in prose
    # Nothing is lost: a second review finds every change in the content already, or
    # left for a person.
    again = run(root, "review", "--apply", str(renstra))
    assert " 0 applied" in again.output
    rebuilt = run(root, "build", "--lang", "id", "--format", "docx")
    assert rebuilt.exit_code == 0, rebuilt.output
