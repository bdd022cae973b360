"""What every writer shares: its interface and the safe way to put a file in place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from plandocs.project import Project
    from plandocs.render.page import RenderedDocument


class Writer:
    """Turns a :class:`RenderedDocument` into one file format."""

    name: ClassVar[str]
    suffix: ClassVar[str]

    def __init__(self, project: Project) -> None:
        self.project = project
        self.root = project.root
        self.settings = project.settings

    def write(self, doc: RenderedDocument, target: Path) -> None:
        """Write ``doc`` to ``target`` — all of it, or nothing (the old file stays)."""
        with atomic_path(target) as tmp:
            self.write_to(doc, tmp)

    def write_to(self, doc: RenderedDocument, path: Path) -> None:  # pragma: no cover
        raise NotImplementedError


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    """The process umask (reading it means setting it, so set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
