"""Where each kind of document lives. Cheap: only folder listings, no parsing."""

from __future__ import annotations

from pathlib import Path

KIND_DIRS: dict[str, Path] = {
    "readouts": Path("content") / "readouts",
    "renstra": Path("content") / "renstra",
}


def find_folders(root: Path, kind: str) -> list[Path]:
    """The document folders of one kind, in a stable order."""
    base = root / KIND_DIRS[kind]
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))


def find_documents(root: Path) -> list[tuple[str, Path]]:
    """Every document folder of the project as (kind, folder)."""
    return [(kind, folder) for kind in KIND_DIRS for folder in find_folders(root, kind)]
