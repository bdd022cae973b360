"""What every writer shares: its interface, what it is asked and what it hands back, and
the safe way to put a file in place.

A writer never changes the document it is given: what the build asks of it beyond the
document (:class:`WriteOptions`) is passed in, and what it made besides its file
(:class:`Written`) is returned.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from plandocs.project import Project
    from plandocs.render.page import RenderedDocument


@dataclass(frozen=True)
class WriteOptions:
    """What a writer is asked besides the document: the same value for every format,
    each writer taking what concerns it. Frozen, its labels a read-only copy; it
    pickles (it goes with a PDF to the helper process and to the units' workers)."""

    archive: bool = False
    """PDF/A-3b for the archive (laid out in one pass)."""
    tagged: bool = True
    """Structure tags for screen readers: PDF/UA-1 when not archiving."""
    jobs: int = 1
    """Processes that may lay out the units of a long PDF."""
    cover_label: str = ""
    """The cover's page label in a PDF viewer ("Sampul", "Cover"); none when empty."""
    page_labels: Mapping[str, str] = field(default_factory=dict)
    """Anchor → printed page number, from the PDF: what the DOCX's contents list shows."""
    fresh: bool = False
    """Trust nothing kept from earlier builds (``build --force``): every unit of a long
    PDF is laid out again, whatever the unit cache holds."""
    anchors: bool = True
    """The DOCX's source anchors for review (not in a redline, which is for reading)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "page_labels", MappingProxyType(dict(self.page_labels)))

    def __reduce__(self) -> tuple[Any, ...]:
        # A mapping proxy does not pickle: the labels travel as a plain dictionary.
        values = (
            self.archive,
            self.tagged,
            self.jobs,
            self.cover_label,
            dict(self.page_labels),
            self.fresh,
            self.anchors,
        )
        return (WriteOptions, values)


@dataclass(frozen=True)
class Written:
    """What a writer made besides its file."""

    page_labels: Mapping[str, str] = field(default_factory=dict)
    """Anchor → printed page label, from the PDF writer's layout (the next DOCX's
    contents list shows them); empty from the other writers."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "page_labels", MappingProxyType(dict(self.page_labels)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Written, (dict(self.page_labels),))


class Writer:
    """Turns a :class:`RenderedDocument` into one file format.

    The options are given when the writer is made, so ``write_to(doc, path)`` keeps the
    one shape every writer (and every stand-in for one) has.
    """

    name: ClassVar[str]
    suffix: ClassVar[str]

    def __init__(self, project: Project, options: WriteOptions | None = None) -> None:
        self.project = project
        self.root = project.root
        self.settings = project.settings
        self.options = options if options is not None else WriteOptions()

    def write(self, doc: RenderedDocument, target: Path) -> Written:
        """Write ``doc`` to ``target`` — all of it, or nothing (the old file stays)."""
        with atomic_path(target) as tmp:
            return self.write_to(doc, tmp)

    def write_to(self, doc: RenderedDocument, path: Path) -> Written:  # pragma: no cover
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
