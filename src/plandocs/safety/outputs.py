"""Where plandocs writes: only into the project's ``build/`` folder, never through a link
out of it.

Low in the layers because both the build (its outputs, its manifest) and the PDF
writer (its cache of laid-out units under ``build/.plandocs/``) write there.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path, PurePosixPath

from plandocs.errors import BuildDirError, OutputError
from plandocs.safety.paths import safe_rel

BUILD_DIR = "build"
MAX_NAME_BYTES = 200
"""A document folder's name (or a part's code) becomes its output files' names, with a
temporary prefix and suffix while they are written; the system allows 255 bytes."""
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_TAKEN = re.compile(r"\.(?:edited(?:-[0-9]+)?|changes)$")
"""Endings of the names plandocs gives files beside an output: an edited output kept
aside (``x.edited.docx``) and a redline (``x.changes.pdf``)."""


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a document's output files (on every system a build goes
    to, and beside the files plandocs keeps there), or None when it can: the end of a
    sentence about the name (``is too long for its output files; …``)."""
    if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        return (
            f"is too long for its output files; shorten it to at most {MAX_NAME_BYTES} characters"
        )
    if not name or name in (".", "..") or name.startswith("."):
        return (
            "cannot name output files (it is empty or starts with a dot); use letters, "
            "digits and hyphens"
        )
    if "/" in name or "\\" in name or _UNPRINTABLE.search(name):
        return (
            "cannot name output files (a slash, a backslash or a control character, such as a "
            "line break, is in it); use letters, digits and hyphens"
        )
    if _TAKEN.search(name):
        return (
            "cannot name output files: it ends like the files plandocs keeps beside an output "
            "(.edited: an edited copy kept aside, .changes: a redline); choose another name"
        )
    return None


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
