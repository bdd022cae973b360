"""Where the documents of each kind live: ``content/<kind>/<slug>/``. Cheap: only folder
listings, no parsing.

What sits in ``content/`` but is no document — a folder ``content/readout``, a file
among the document folders — is reported as a warning, so a mistyped name is never a
missing document nobody noticed.
"""

from __future__ import annotations

import os
from pathlib import Path

from plandocs.errors import ContentError
from plandocs.kinds.where import kind_names

CONTENT_DIR = "content"


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


def kind_dirs(root: Path) -> dict[str, Path]:
    """Each kind's content folder: the built-in kinds' and those ``kinds/`` defines."""
    return {name: Path(CONTENT_DIR) / name for name in kind_names(root)}


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
