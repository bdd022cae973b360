"""Protected outputs: an output someone edited after plandocs wrote it is never
overwritten nor removed, but moved aside to ``<slug>.edited.<ext>`` with a warning
naming both files; ``--explain`` says so and ``check`` lists such files."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from conftest import run

DOCX = "build/id/readouts/alpha.docx"
ASIDE = "build/id/readouts/alpha.edited.docx"


def written(output: str) -> set[str]:
    return set(re.findall(r"^wrote (\S+)$", output, re.M))


@pytest.fixture
def built(project: Path, add_readout: Callable[..., Path]) -> Path:
    add_readout(project, slug="alpha")
    result = run(project, "build", "--format", "docx,html", "-j", "1")
    assert result.exit_code == 0, result.output
    return project


def reviewer_edits(path: Path, text: str) -> None:
    """What a reviewer does in Word: open the file, add a paragraph, save it."""
    document = docx.Document(str(path))
    document.add_paragraph(text)
    document.save(str(path))


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def manifest(root: Path) -> dict[str, dict[str, object]]:
    outputs = json.loads((root / "build/.plandocs-manifest.json").read_text())["outputs"]
    assert isinstance(outputs, dict)
    return outputs


def test_the_manifest_records_each_outputs_hash(built: Path) -> None:
    import hashlib

    for rel, record in manifest(built).items():
        assert record["sha256"] == hashlib.sha256((built / rel).read_bytes()).hexdigest(), rel


def test_a_hand_edited_output_survives_a_rebuild(built: Path) -> None:
    reviewer_edits(built / DOCX, "Catatan penelaah: mohon dicek ulang.")
    result = run(built, "build", "--format", "docx,html", "-j", "1", "--explain")
    assert result.exit_code == 0, result.output
    # The warning names both files; the edit is kept, a fresh output written.
    assert (
        f"{DOCX}: warning: edited since plandocs wrote it; moved to {ASIDE} so that the edit "
        "is kept (a new one is written)"
    ) in result.output
    assert f"{DOCX}: edited since it was written: moved to {ASIDE}" in result.output
    assert written(result.output) == {DOCX}
    assert "Catatan penelaah" in docx_text(built / ASIDE)
    assert "Catatan penelaah" not in docx_text(built / DOCX)
    assert "1 edited kept aside" in result.output
    # The new output is plandocs' own again: the next build has nothing to do.
    again = run(built, "build", "--format", "docx,html", "-j", "1")
    assert written(again.output) == set() and "warning" not in again.output
    assert (built / ASIDE).exists()


def test_a_second_edit_is_numbered_and_the_first_kept(built: Path) -> None:
    for number, note in enumerate(("Catatan pertama.", "Catatan kedua."), 1):
        reviewer_edits(built / DOCX, note)
        result = run(built, "build", "--format", "docx,html", "-j", "1")
        assert result.exit_code == 0, result.output
        aside = ASIDE if number == 1 else "build/id/readouts/alpha.edited-2.docx"
        assert f"moved to {aside}" in result.output
        assert note in docx_text(built / aside)
    assert "Catatan kedua" not in docx_text(built / ASIDE)


def test_a_file_taking_the_name_is_not_overwritten(built: Path) -> None:
    (built / ASIDE).write_text("someone's own file")
    reviewer_edits(built / DOCX, "Catatan.")
    result = run(built, "build", "--format", "docx,html", "-j", "1")
    assert "moved to build/id/readouts/alpha.edited-2.docx" in result.output
    assert (built / ASIDE).read_text() == "someone's own file"


def test_an_edit_is_kept_whatever_the_rebuild_is_for(built: Path) -> None:
    """A content edit, --force or a new plandocs: the edited output is set aside first."""
    reviewer_edits(built / DOCX, "Catatan penelaah.")
    prose = built / "content/readouts/alpha/id.md"
    prose.write_text(prose.read_text() + "\nParagraf tambahan.\n")
    result = run(built, "build", "--format", "docx,html", "-j", "1", "--force")
    assert result.exit_code == 0, result.output
    assert "Catatan penelaah" in docx_text(built / ASIDE)
    assert "Paragraf tambahan" in docx_text(built / DOCX)


def test_an_output_only_touched_is_up_to_date(built: Path) -> None:
    """Same bytes, new time (copied back, synced, touched): nothing to rebuild or keep."""
    os.utime(built / DOCX, ns=(1_000_000_000, 1_000_000_000))
    result = run(built, "build", "--format", "docx,html", "-j", "1")
    assert written(result.output) == set() and "edited" not in result.output
    assert not (built / ASIDE).exists()


def test_an_edited_output_of_a_removed_document_is_kept(built: Path) -> None:
    reviewer_edits(built / DOCX, "Catatan penelaah.")
    shutil.rmtree(built / "content/readouts/alpha")
    result = run(built, "build", "--format", "docx,html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert f"{DOCX}: warning: edited since plandocs wrote it; moved to {ASIDE}" in result.output
    assert "its document is gone" in result.output
    assert not (built / DOCX).exists()
    assert "Catatan penelaah" in docx_text(built / ASIDE)
    # The unedited outputs of the document are removed as before.
    assert not (built / "build/id/readouts/alpha.html").exists()
    assert "removed build/id/readouts/alpha.html" in result.output


def test_check_lists_edited_outputs_and_the_copies_kept_aside(built: Path) -> None:
    reviewer_edits(built / DOCX, "Catatan penelaah.")
    result = run(built, "check")
    assert (
        f"{DOCX}: warning: edited since plandocs wrote it; the next build moves it to {ASIDE} "
        "and writes a new one"
    ) in result.output
    run(built, "build", "--format", "docx,html", "-j", "1")
    result = run(built, "check")
    assert f"{DOCX}: warning" not in result.output
    assert f"{ASIDE}: warning: an edited output a build kept aside" in result.output


def test_a_fifo_or_a_link_in_place_of_an_output_is_no_edit(built: Path, tmp_path: Path) -> None:
    """Nothing planted under an output's name makes the build hang or read outside."""
    outside = tmp_path / "outside.docx"
    outside.write_bytes(b"not ours")
    (built / DOCX).unlink()
    (built / DOCX).symlink_to(outside)
    html = built / "build/id/readouts/alpha.html"
    html.unlink()
    os.mkfifo(html)
    result = run(built, "build", "--format", "docx,html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "edited" not in result.output
    assert outside.read_bytes() == b"not ours"
    assert not (built / DOCX).is_symlink() and docx_text(built / DOCX)
    assert html.is_file() and "<html" in html.read_text()
