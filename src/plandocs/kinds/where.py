"""Where kinds are: plandocs' own in ``plandocs/kinds/builtin/<name>/``, a project's in
``kinds/<name>/``. Folder listings only — a build with nothing to do reads no more."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

KINDS_DIR = "kinds"
KIND_FILE = "kind.yaml"
TEMPLATES = "templates"
EXAMPLE = "example"
BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
"""The kinds plandocs ships: the same folders a project can write."""
NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
"""A kind's name: also its folder under ``content/`` and ``build/<lang>/``."""


@lru_cache(maxsize=1)
def builtin_names() -> tuple[str, ...]:
    """The kinds plandocs ships."""
    return tuple(
        sorted(
            entry.name
            for entry in BUILTIN_DIR.iterdir()
            if (entry / KIND_FILE).is_file() and NAME.match(entry.name)
        )
    )


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return []


def project_kind_names(root: Path) -> list[str]:
    """The kinds the project's ``kinds/`` defines (a folder listing only)."""
    names = []
    for entry in _listing(root / KINDS_DIR):
        try:
            if entry.is_dir() and os.path.isfile(os.path.join(entry.path, KIND_FILE)):
                names.append(entry.name)
        except OSError:
            continue
    return names


def kind_names(root: Path) -> list[str]:
    """Every kind of the project: the built-in ones and those its ``kinds/`` defines."""
    return sorted({*builtin_names(), *project_kind_names(root)})


def kind_folder(root: Path, name: str) -> Path:
    """The folder defining ``name``: the project's ``kinds/<name>/`` if it has one (it
    replaces the built-in kind), else the built-in one."""
    own = root / KINDS_DIR / name
    if os.path.isfile(own / KIND_FILE) or name not in builtin_names():
        return own
    return BUILTIN_DIR / name


def is_builtin(folder: Path) -> bool:
    """Whether a kind folder is one plandocs ships (trusted, not the project's)."""
    return folder.parent == BUILTIN_DIR
