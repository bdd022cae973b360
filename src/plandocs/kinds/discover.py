"""Where each kind of document lives. Cheap: only folder listings, no parsing.

Files plandocs would silently pass over — ``6-extra.MD`` (wrong case), ``readout.yml``,
a folder ``content/readout`` — are reported as warnings, so a mistyped name is never
a missing chapter nobody noticed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from plandocs.errors import ContentError

KIND_DIRS: dict[str, Path] = {
    "readouts": Path("content") / "readouts",
    "renstra": Path("content") / "renstra",
}
CONTENT_DIR = "content"
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


KINDS_DIR = "kinds"
KIND_FILE = "kind.yaml"


def kind_names(root: Path) -> list[str]:
    """The kinds the project defines by files: folders of ``kinds/`` with a kind.yaml
    (a folder listing only; see :mod:`plandocs.kinds.spec`)."""
    names = []
    for entry in _entries(root / KINDS_DIR):
        if entry.name in KIND_DIRS or not _is_dir(entry):
            continue
        if os.path.isfile(os.path.join(entry.path, KIND_FILE)):
            names.append(entry.name)
    return names


def kind_dirs(root: Path) -> dict[str, Path]:
    """Each kind's content folder: the built-in kinds' and those ``kinds/`` defines."""
    return {**KIND_DIRS, **{name: Path(CONTENT_DIR) / name for name in kind_names(root)}}


def kind_folders_text(root: Path) -> str:
    """Where documents live, for messages: ``content/minutes/, content/readouts/ and
    content/renstra/``."""
    names = sorted(f"{path.as_posix()}/" for path in kind_dirs(root).values())
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def find_folders(root: Path, kind: str) -> list[Path]:
    """The document folders of one kind, in a stable order."""
    base = root / kind_dirs(root)[kind]
    return [Path(e.path) for e in _entries(base) if _is_dir(e)]


def find_documents(root: Path) -> list[tuple[str, Path]]:
    """Every document folder of the project as (kind, folder)."""
    return [
        (kind, Path(e.path))
        for kind, base in kind_dirs(root).items()
        for e in _entries(root / base)
        if _is_dir(e)
    ]


def stray_entries(root: Path) -> list[ContentError]:
    """Warnings for what sits in ``content/`` but is no document plandocs reads."""
    problems: list[ContentError] = []
    dirs = kind_dirs(root)
    kinds = {path.name for path in dirs.values()}
    for entry in _entries(root / CONTENT_DIR):
        path = Path(entry.path)
        if entry.name in kinds:
            continue
        near = [k for k in kinds if k.rstrip("s") == entry.name.lower().rstrip("s")]
        hint = f"; did you mean content/{near[0]}/?" if near else ""
        problems.append(
            ContentError(f"ignored: documents live in {kind_folders_text(root)}{hint}", path)
        )
    for kind_dir in dirs.values():
        for entry in _entries(root / kind_dir):
            if not _is_dir(entry):
                problems.append(
                    ContentError(
                        f"ignored: a file here is not a document; each document is a folder "
                        f"in {kind_dir.as_posix()}/",
                        Path(entry.path),
                    )
                )
    return problems


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
    from plandocs.safety.reader import warn

    for problem in ignored_files(folder, known, reads):
        warn(problem)
