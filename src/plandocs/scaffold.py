"""``plandocs new KIND SLUG`` and ``plandocs init DIR``: start from something that works.

``new`` copies a kind's example (``example/`` of the kind's folder) into
``content/<kind>/<slug>/``. ``init`` makes a new project — settings, glossary, the
letterhead's logo, and a sample document of each kind — from the project skeleton
shipped with plandocs (in a wheel, ``plandocs/skeleton/``; in a source checkout, the
repository's own sample project), so it builds and checks clean at once. The kinds
themselves, and their templates, are plandocs' own: a project adds or replaces one
in its ``kinds/`` folder.

An example is copied as plain files and folders only: a link in it (which could lead
anywhere) is refused, as is anything that is not a regular file (a device never
ends), and a copy larger than :data:`MAX_COPY_BYTES` stops. The target is made inside
the project's ``content/`` only, never through a link.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from plandocs.errors import PlandocsError
from plandocs.kinds.where import (
    EXAMPLE,
    KINDS_DIR,
    builtin_names,
    is_builtin,
    kind_folder,
    kind_names,
)

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
PROJECT_FILES = ("plandocs.yaml", "glossary.yaml")
PROJECT_FOLDERS = ("assets",)
SAMPLES = {
    "readouts": "bekasi-rakortekrenbang-2024",
    "renstra": "kemensos-2025-2029",
    "pk": "kemensos-2025",
    "lkj": "kemensos-2025",
}
"""The sample documents an initialised project starts with (also the examples of these
kinds in a source checkout)."""
MAX_COPY_BYTES = 256 * 1024 * 1024
MAX_COPY_FILES = 10_000


def skeleton() -> Path:
    """The project plandocs' own files are copied from."""
    here = Path(__file__).resolve().parent
    packaged = here / "skeleton"
    if (packaged / "plandocs.yaml").is_file():
        return packaged
    checkout = here.parents[1]
    if (checkout / "plandocs.yaml").is_file() and (checkout / "content").is_dir():
        return checkout
    raise PlandocsError("this installation of plandocs has no project skeleton; reinstall it")


def example_of(root: Path, kind: str) -> Path:
    """The example folder ``plandocs new`` copies for ``kind``."""
    example = kind_folder(root, kind) / EXAMPLE
    if not example.is_dir() and kind in SAMPLES:
        with_sample = skeleton() / "content" / kind / SAMPLES[kind]
        if with_sample.is_dir():
            return with_sample
    return example


def new_document(root: Path, kind: str, slug: str) -> Path:
    """Copy the kind's example to ``content/<kind>/<slug>/``; returns the folder."""
    if kind not in kind_names(root):
        known = ", ".join(kind_names(root))
        raise PlandocsError(
            f"no kind {kind!r} in kinds/ nor among plandocs' own (kinds here: {known})",
            root / "kinds",
        )
    if not SLUG.fullmatch(slug):
        raise PlandocsError(
            f"{slug!r} cannot name a document folder; use lower-case letters, digits and "
            "hyphens (it becomes the output files' name)"
        )
    example = example_of(root, kind)
    if not example.is_dir() or example.is_symlink():
        raise PlandocsError("this kind has no example folder to copy; add one", example)
    if not is_builtin(example.parent) and example.is_relative_to(root / KINDS_DIR):
        # The project's kind: its folder (kinds/<kind>/, or kinds/ itself) must not lead
        # out of the project, or the copy would bring a file from elsewhere into it.
        from plandocs.safety.paths import resolve_inside

        resolve_inside(root, example, "example folder", PlandocsError)
    _survey(example, [0, 0])  # everything refused before a folder is made
    if os.path.lexists(root / "content" / kind / slug):
        raise PlandocsError(
            "this folder exists already; choose another name", root / "content" / kind / slug
        )
    content = _inside(root, root / "content")
    base = _inside(root, content / kind)
    target = base / slug
    if os.path.lexists(target):
        raise PlandocsError("this folder exists already; choose another name", target)
    try:
        _copy_tree(example, target, [0, 0])
    except BaseException:
        # Half a copy is no document: take back what this command made, and only that
        # (the folder did not exist; no link in it is followed).
        import shutil

        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _survey(source: Path, totals: list[int]) -> None:
    """What ``_copy_tree`` would refuse, found before anything is copied: a link, a
    thing that is not a plain file or folder, a copy too large."""
    with os.scandir(source) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            where = Path(entry.path)
            if entry.is_symlink():
                raise PlandocsError(
                    "the example holds a link, which plandocs does not copy; replace it by "
                    "the file itself",
                    where,
                )
            if entry.is_dir(follow_symlinks=False):
                _survey(where, totals)
                continue
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                raise PlandocsError(
                    "the example holds something that is not a file; remove it", where
                )
            totals[0] += info.st_size
            totals[1] += 1
            if totals[0] > MAX_COPY_BYTES or totals[1] > MAX_COPY_FILES:
                raise PlandocsError("the example is too large to copy; make it smaller", where)


def _inside(root: Path, folder: Path) -> Path:
    """``folder`` (made if missing): a real folder of the project, never a link."""
    real_root = Path(os.path.realpath(root))
    if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
        raise PlandocsError(
            "this must be a folder of the project, not a link or a file; fix it first", folder
        )
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise PlandocsError(f"cannot make this folder: {exc.strerror}", folder) from None
    if not Path(os.path.realpath(folder)).is_relative_to(real_root):
        raise PlandocsError("this folder leads outside the project; fix it first", folder)
    return folder


def _copy_tree(source: Path, target: Path, totals: list[int]) -> None:
    """Copy plain files and folders; refuse links, devices, FIFOs and huge copies."""
    os.mkdir(target)
    with os.scandir(source) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            where = Path(entry.path)
            if entry.is_symlink():
                raise PlandocsError(
                    "the example holds a link, which plandocs does not copy; replace it by "
                    "the file itself",
                    where,
                )
            if entry.is_dir(follow_symlinks=False):
                _copy_tree(where, target / entry.name, totals)
                continue
            _copy_file(where, target / entry.name, totals)


def _copy_file(source: Path, target: Path, totals: list[int]) -> None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(source, flags)
    except OSError as exc:
        raise PlandocsError(f"cannot read this example file: {exc.strerror}", source) from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise PlandocsError("the example holds something that is not a file; remove it", source)
        totals[0] += info.st_size
        totals[1] += 1
        if totals[0] > MAX_COPY_BYTES or totals[1] > MAX_COPY_FILES:
            raise PlandocsError("the example is too large to copy; make it smaller", source)
        with open(target, "xb") as out:
            copied = 0
            for block in iter(lambda: f.read(1 << 20), b""):
                copied += len(block)
                if copied > info.st_size:  # grew while read: not a plain file after all
                    raise PlandocsError("this example file changes while read; remove it", source)
                out.write(block)


def init_project(dest: Path) -> Path:
    """A new project in ``dest`` (which must be missing or empty)."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise PlandocsError("this folder is not empty; give a new or empty folder", dest)
    source = skeleton()
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        if (source / name).is_file():
            _copy_file(source / name, dest / name, [0, 0])
    for name in PROJECT_FOLDERS:
        if (source / name).is_dir():
            _copy_tree(source / name, dest / name, [0, 0])
    for kind, slug in SAMPLES.items():
        sample = source / "content" / kind / slug
        if sample.is_dir():
            (dest / "content" / kind).mkdir(parents=True, exist_ok=True)
            _copy_tree(sample, dest / "content" / kind / slug, [0, 0])
    for kind in builtin_names():
        if kind not in SAMPLES:
            new_document(dest, kind, f"{kind}-example")
    return dest
