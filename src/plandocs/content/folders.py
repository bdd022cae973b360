"""Files in a content folder that plandocs would pass over: reported, so that a mistyped
name (``6-extra.MD``, ``readout.yml``) is never a missing chapter nobody noticed."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from plandocs.errors import ContentError
from plandocs.safety.reader import warn

CONTENT_SUFFIXES = frozenset(
    {".md", ".markdown", ".mdown", ".mkd", ".txt", ".yaml", ".yml", ".json", ".docx", ".doc"}
)
"""Suffixes of files that look like content: one plandocs does not read is reported."""


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as listing:
            return sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def ignored_files(folder: Path, known: Iterable[str], reads: str) -> list[ContentError]:
    """Files in ``folder`` that look like content but are not among ``known``."""
    names = set(known)
    problems: list[ContentError] = []
    for entry in _entries(folder):
        if entry.name in names or _is_dir(entry):
            continue
        suffix = Path(entry.name).suffix.lower()
        lowered = [n for n in names if n.lower() == entry.name.lower()]
        if lowered:
            message = f"ignored: the name must be `{lowered[0]}` exactly (letter case matters)"
        elif suffix in CONTENT_SUFFIXES:
            message = f"ignored: {reads}; rename this file if it is meant to be one of them"
        else:
            continue
        problems.append(ContentError(message, Path(entry.path)))
    return problems


def warn_ignored(folder: Path, known: Iterable[str], reads: str) -> None:
    """Warn (for the document being made) about the files :func:`ignored_files` finds."""

    for problem in ignored_files(folder, known, reads):
        warn(problem)
