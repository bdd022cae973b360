"""``plandocs new KIND SLUG`` and ``plandocs init DIR``: start from something that works.

``new`` copies a kind's example (``kinds/<kind>/example/``) into
``content/<kind>/<slug>/``. ``init`` makes a new project — settings, glossary, the
letterhead's logo, the templates, the kinds, and a sample document of each kind —
from the project skeleton shipped with plandocs (in a wheel, ``plandocs/skeleton/``;
in a source checkout, the repository's own sample project), so it builds and checks
clean at once.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from plandocs.errors import PlandocsError
from plandocs.kinds.spec import BUILT_IN, EXAMPLE, kind_folder, kind_names

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
PROJECT_FILES = ("plandocs.yaml", "glossary.yaml")
PROJECT_FOLDERS = ("templates", "kinds", "assets")
SAMPLES = {
    "readouts": "bekasi-rakortekrenbang-2024",
    "renstra": "kemensos-2025-2029",
}
"""The built-in kinds' sample documents an initialised project starts with."""


def skeleton() -> Path:
    """The project plandocs' own files are copied from."""
    here = Path(__file__).resolve().parent
    packaged = here / "skeleton"
    if (packaged / "plandocs.yaml").is_file():
        return packaged
    checkout = here.parents[1]
    if (checkout / "plandocs.yaml").is_file() and (checkout / "kinds").is_dir():
        return checkout
    raise PlandocsError("this installation of plandocs has no project skeleton; reinstall it")


def new_document(root: Path, kind: str, slug: str) -> Path:
    """Copy ``kinds/<kind>/example/`` to ``content/<kind>/<slug>/``; returns the folder."""
    if kind in BUILT_IN:
        raise PlandocsError(
            f"{kind} is a built-in kind without an example; copy a folder of content/{kind}/",
            root / "content" / kind,
        )
    if kind not in kind_names(root):
        known = ", ".join(kind_names(root)) or "none"
        raise PlandocsError(f"no kind {kind!r} in kinds/ (kinds here: {known})", root / "kinds")
    if not SLUG.match(slug):
        raise PlandocsError(
            f"{slug!r} cannot name a document folder; use lower-case letters, digits and "
            "hyphens (it becomes the output files' name)"
        )
    example = kind_folder(root, kind) / EXAMPLE
    if not example.is_dir():
        raise PlandocsError("this kind has no example folder to copy; add one", example)
    target = root / "content" / kind / slug
    if target.exists():
        raise PlandocsError("this folder exists already; choose another name", target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(example, target, symlinks=False)
    return target


def init_project(dest: Path) -> Path:
    """A new project in ``dest`` (which must be missing or empty)."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise PlandocsError("this folder is not empty; give a new or empty folder", dest)
    source = skeleton()
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, dest / name)
    for name in PROJECT_FOLDERS:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, symlinks=False)
    for kind, slug in SAMPLES.items():
        sample = source / "content" / kind / slug
        if sample.is_dir():
            shutil.copytree(sample, dest / "content" / kind / slug, symlinks=False)
    for kind in kind_names(dest):
        new_document(dest, kind, f"{kind}-example")
    return dest
