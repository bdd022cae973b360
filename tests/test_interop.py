"""The Word files in other people's tools: pandoc reads every heading and list item."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from othertools import blocks_of, pandoc_json, pandocs


def expected_blocks(path: Path) -> list[tuple[str, str]]:
    """The headings and list items of a DOCX as Word has them: paragraphs in a heading
    style, and numbered paragraphs in a list style, with their text."""
    found: list[tuple[str, str]] = []
    for paragraph in docx.Document(str(path)).paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        text = " ".join(paragraph.text.split())
        p_pr = paragraph._p.pPr
        if style.startswith("Heading") or style == "TOC Heading":
            found.append(("header", text))
        elif style.startswith("List") and p_pr is not None and p_pr.numPr is not None:
            found.append(("item", text))
    return found


def sample_docx(sample: Path) -> list[Path]:
    """One DOCX of every kind and language of the sample (a regional sheet once)."""
    found = sorted(p for p in (sample / "build").glob("*/*/*.docx") if ".changes" not in p.name)
    found += sorted((sample / "build").glob("*/regional/*/11.docx"))
    return found


@pytest.mark.slow
def test_pandoc_reads_every_heading_and_list_item(sample: Path) -> None:
    files = sample_docx(sample)
    assert len(files) >= 10
    for name, program in pandocs():
        for path in files:
            wanted = expected_blocks(path)
            got = blocks_of(pandoc_json(program, path))
            assert got == wanted, (name, path.relative_to(sample))
            assert all(text for _, text in got), (name, path.name)
    renstra = expected_blocks(sample / "build/id/renstra/kemensos-2025-2029.docx")
    assert ("header", "Lingkungan Strategis") in renstra
    assert sum(kind == "item" for kind, _ in renstra) > 20
