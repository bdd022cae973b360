"""``build/``: where every output goes, and how it is put there and taken away.

The one place output paths are computed (:func:`output_rel`). Outputs are written only
inside ``build/`` (no ``..``, no link out of it), into place all at once; an output
edited since plandocs wrote it is moved aside (``x.edited.docx``), never overwritten
nor removed; builds of one project take turns on a lock file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from plandocs.errors import OutputError
from plandocs.safety.outputs import BUILD_DIR, output_error, output_path
from plandocs.safety.paths import safe_rel

LOCK = ".plandocs.lock"
_TEMPORARY = re.compile(r"^\..+\.tmp$|^\.manifest\..+$")
"""Names of the temporary files a build writes beside its outputs."""


def output_rel(lang: str, kind: str, slug: str, fmt: str, part: str | None = None) -> str:
    """``build/<lang>/<kind>/<slug>.<fmt>`` (a part: ``…/<slug>/<part>.<fmt>``),
    relative to the project: the one place an output's path is made."""
    if part is not None:
        return f"{BUILD_DIR}/{lang}/{kind}/{slug}/{part}.{fmt}"
    return f"{BUILD_DIR}/{lang}/{kind}/{slug}.{fmt}"


def build_dir_of(root: Path) -> Path:
    """``build/`` of the project, created if needed; it must be a real folder inside the
    project (not a link elsewhere) that plandocs can write."""
    build_dir = root / BUILD_DIR
    try:
        if build_dir.is_symlink() or (build_dir.exists() and not build_dir.is_dir()):
            raise OutputError(
                "build/ must be a folder inside the project, not a link or a file; remove it",
                build_dir,
            )
        build_dir.mkdir(exist_ok=True)
    except OSError as exc:
        raise output_error(exc, build_dir) from None
    return build_dir


def inside_build(root: Path, rel: str) -> bool:
    """Whether ``rel`` names a file whose folder really lies inside ``build/`` (no
    ``..``, no link out of it on the way)."""
    if not safe_rel(rel, BUILD_DIR):
        return False
    build_dir = Path(os.path.realpath(root / BUILD_DIR))
    return Path(os.path.realpath((root / rel).parent)).is_relative_to(build_dir)


def remove_output(root: Path, rel: str) -> bool:
    """Delete an output named by the manifest, if it really lies inside ``build/``."""
    if not safe_rel(rel, BUILD_DIR):
        return False
    build_dir = Path(os.path.realpath(root / BUILD_DIR))
    target = root / rel
    parent = Path(os.path.realpath(target.parent))
    if not parent.is_relative_to(build_dir):
        return False
    with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
        os.unlink(parent / target.name)  # a link is removed itself, never what it points at
    return True


EDITED = "edited"
"""The mark in the name of an output set aside: ``x.edited.docx``, ``x.edited-2.docx``."""


def edited_name(rel: str, number: int = 1) -> str:
    """``build/id/readouts/x.docx`` → ``build/id/readouts/x.edited.docx`` (``.edited-2`` …)."""
    path = PurePosixPath(rel)
    mark = EDITED if number == 1 else f"{EDITED}-{number}"
    return str(path.with_name(f"{path.stem}.{mark}{path.suffix}"))


def is_set_aside(name: str) -> bool:
    """Whether a file name is that of an output set aside (``x.edited.docx``)."""
    parts = name.split(".")
    return len(parts) >= 3 and re.fullmatch(rf"{EDITED}(-\d+)?", parts[-2]) is not None


def set_aside_document(rel: str) -> str:
    """The ``kind/slug`` an output set aside belongs to, from its path inside ``build/``
    as :func:`output_rel` and :func:`edited_name` make it (``<lang>/<kind>/<slug>.edited
    .<ext>``, or ``<lang>/<kind>/<slug>/<part>.edited.<ext>``); ``""`` for another path."""
    parts = rel.split("/")
    if len(parts) < 3:
        return ""
    if len(parts) > 3:
        return f"{parts[1]}/{parts[2]}"
    return f"{parts[1]}/{parts[2].rsplit('.', 2)[0]}"


def set_aside(root: Path, rel: str) -> str:
    """Move the edited output ``rel`` to the first free ``x.edited[-N].ext`` beside it and
    return that name. Nothing is ever overwritten: the new name is taken with a hard
    link (which fails if the name exists), or, where links are not possible, a rename
    after a check under the build lock."""
    source = output_path(root, rel)
    for number in range(1, 10_000):
        name = edited_name(rel, number)
        target = output_path(root, name)
        try:
            os.link(source, target, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (
                errno.EPERM,
                errno.EXDEV,
                errno.ENOTSUP,
                errno.EMLINK,
                errno.ENOSYS,
            ):
                raise output_error(exc, target) from None
            if os.path.lexists(target):
                continue
            try:
                os.rename(source, target)
            except OSError as exc2:
                raise output_error(exc2, target) from None
            return name
        try:
            os.unlink(source)
        except OSError as exc:
            raise output_error(exc, source) from None
        return name
    raise OutputError("too many edited copies beside it; remove some", root / rel)


def sweep_temporaries(build_dir: Path) -> None:
    """Remove the temporary files a killed build left beside the outputs (called under
    the build lock, so no other build is writing them)."""
    for top, dirs, files in os.walk(build_dir):
        dirs[:] = [d for d in dirs if not Path(top, d).is_symlink()]
        for name in files:
            if _TEMPORARY.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(top, name))


@contextlib.contextmanager
def build_lock(build_dir: Path, waiting: Callable[[], None], name: str = LOCK) -> Iterator[None]:
    """One build of a project at a time: the second waits for the first (a lock on
    ``build/.plandocs.lock``, released by the system even if a build is killed)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        # Never through a link planted under its name (it would create a file elsewhere).
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(build_dir / name, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(
                "the build's lock file is a link; remove it", build_dir / name
            ) from None
        raise output_error(exc, build_dir) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass  # a file system without locks (some network shares): build unlocked
        yield
    finally:
        os.close(fd)  # closing releases the lock
