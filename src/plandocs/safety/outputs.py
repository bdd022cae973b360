"""Where plandocs writes: only into the project's ``build/`` folder, never through a link
out of it.

Low in the layers because both the build (its outputs, its manifest) and the PDF
writer (its cache of laid-out units under ``build/.plandocs/``) write there.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path, PurePosixPath

from plandocs.errors import BuildDirError, OutputError
from plandocs.safety.paths import safe_rel

BUILD_DIR = "build"


def output_error(exc: OSError, path: Path) -> OutputError:
    """A clear error for a file under ``build/`` that cannot be written."""
    reasons = {
        errno.ENOSPC: "the disk is full; free some space",
        errno.EDQUOT: "the disk quota is used up; free some space",
        errno.EROFS: "the file system is read-only; build on a writable disk",
        errno.EACCES: "permission denied; make build/ writable",
        errno.EPERM: "permission denied; make build/ writable",
        errno.ENAMETOOLONG: "the name is too long; shorten the document's folder name",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    fatal = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM)
    return (BuildDirError if fatal else OutputError)(f"cannot write here: {reason}", path)


def output_path(root: Path, rel: str) -> Path:
    """The file ``rel`` names under ``build/``, its folders created — only if it stays
    inside ``build/`` (no ``..``, no link out of it)."""
    if not safe_rel(rel, BUILD_DIR):
        raise OutputError(f"{rel!r} is not a path inside build/", root / BUILD_DIR)
    build_dir = Path(os.path.realpath(root / BUILD_DIR))
    target = root / rel
    # Folder by folder, never through a link: a link planted as build/id/ must not
    # make plandocs create folders wherever it points.
    folder = root / BUILD_DIR
    for name in PurePosixPath(rel).parts[1:-1]:
        folder = folder / name
        if folder.is_symlink() or not Path(os.path.realpath(folder.parent)).is_relative_to(
            build_dir
        ):
            raise OutputError("this folder is a link out of build/; remove it", folder)
        if os.path.lexists(folder) and not folder.is_dir():
            raise OutputError(
                "a file stands where plandocs writes a folder of outputs; move it away", folder
            )
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise output_error(exc, folder) from None
    parent = Path(os.path.realpath(target.parent))
    if not parent.is_relative_to(build_dir):
        raise OutputError("this folder is a link out of build/; remove it", target.parent)
    if os.path.isdir(target) and not os.path.islink(target):
        raise OutputError("a folder stands where plandocs writes this output; move it away", target)
    return parent / target.name
