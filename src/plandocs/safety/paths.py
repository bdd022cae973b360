"""Paths: a path is followed through its symbolic links before it is used, and one that
ends outside the project (or loops, or is too long) is an error naming the file; only
regular files are read (never a FIFO that would wait, nor a device that never ends).

Rendering reaches no network and no file outside the project: see also
:mod:`plandocs.safety.urls` (links and images), :mod:`plandocs.safety.reader` (the one
reader of project files) and :mod:`plandocs.safety.text` (what XML cannot hold).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from plandocs.errors import ContentError, PlandocsError

# -- paths ------------------------------------------------------------------------------


def resolve_inside(
    root: Path, path: Path, what: str = "file", error: type[PlandocsError] = ContentError
) -> Path:
    """``path`` with its symbolic links followed, which must stay inside ``root``.

    A link loop, a name too long for the system, or a link that leads out of the
    project is an error located at ``path`` (the name as written in the project).
    """
    real_root = root_of(root)
    try:
        lexical = Path(os.path.normpath(os.path.abspath(path)))
        if not (lexical.is_relative_to(root) or lexical.is_relative_to(real_root)):
            raise error(f"this {what} is outside the project folder; keep it inside", path)
        resolved = Path(os.path.realpath(path, strict=False))
        if resolved.is_symlink():  # realpath gives up on a loop and returns the link
            raise RuntimeError("loop")
        try:
            os.stat(resolved)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a loop in a folder on the way
                raise RuntimeError("loop") from None
    except RuntimeError:
        raise error(f"this {what} is a symbolic link that loops; replace it", path) from None
    except (OSError, ValueError) as exc:
        reason = _os_reason(exc) if isinstance(exc, OSError) else "the name is not valid"
        raise error(f"cannot use this {what}: {reason}", path) from None
    if not resolved.is_relative_to(real_root):
        raise error(
            f"this {what} is a link to {resolved.as_posix()!r}, outside the project; "
            "copy it into the project instead",
            path,
        )
    return resolved


_ROOTS: dict[Path, Path] = {}


def root_of(root: Path) -> Path:
    """The project folder with its own links followed (cached: it does not move)."""
    found = _ROOTS.get(root)
    if found is None:
        found = _ROOTS[root] = Path(os.path.realpath(root))
    return found


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "the name is too long; shorten it"
    if exc.errno == errno.ELOOP:
        return "a symbolic link loops; replace it"
    return exc.strerror or type(exc).__name__


def os_reason(exc: OSError) -> str:
    """A plain reason for an OS error, without Python's ``[Errno …]`` prefix."""
    return _os_reason(exc)


def is_file(path: Path) -> bool:
    """``path.is_file()`` that is False, not an exception, for over-long names."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def present(path: Path) -> bool:
    """Whether something is at ``path`` that a reader should try — a file, or a link
    (also one that loops or leads nowhere, so that reading it reports why)."""
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):
        return True


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def read_regular(path: Path, limit: int | None = None) -> bytes | None:
    """The bytes of a regular file (not through a FIFO that would wait forever, not a
    device that never ends), at most ``limit`` of them; None for anything else."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as f:
        try:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None
            data = f.read() if limit is None else f.read(limit + 1)
        except OSError:
            return None
    return None if limit is not None and len(data) > limit else data


def safe_rel(rel: str, first: str | None = None) -> bool:
    """A relative POSIX path without ``..`` (and starting with ``first`` when given)."""
    from pathlib import PurePosixPath

    if not rel or "\\" in rel or "\x00" in rel:
        return False
    path = PurePosixPath(rel)
    if path.is_absolute() or any(part in ("..", ".", "") for part in rel.split("/")):
        return False
    return first is None or (len(path.parts) > 1 and path.parts[0] == first)


_WORD_CHECKED: dict[tuple[str, int, int], str | None] = {}


def word_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot serve as a Word reference document, or None when it can:
    a ZIP package with a well-formed ``word/document.xml`` and not a ZIP bomb."""
    try:
        info = path.stat()
    except OSError as exc:
        return f"cannot be read ({_os_reason(exc)})"
    key = (str(path), info.st_mtime_ns, info.st_size)
    if key not in _WORD_CHECKED:
        _WORD_CHECKED[key] = _word_problem(path)
    return _WORD_CHECKED[key]


def _word_problem(path: Path) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return "is a ZIP file but not a Word document"
            if sum(i.file_size for i in package.infolist()) > 256 * 1024 * 1024:
                return "unpacks to more than 256 MiB"
            from lxml import etree

            for name in ("[Content_Types].xml", "word/document.xml", "word/styles.xml"):
                if name in names:
                    etree.fromstring(package.read(name), etree.XMLParser(resolve_entities=False))
    except zipfile.BadZipFile:
        return "is not a Word file (.docx)"
    except Exception:  # lxml, zlib and zipfile raise many kinds for a damaged package
        return "is damaged"
    return None
