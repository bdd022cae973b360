"""A document folder loaded once per process while what it was made from stays the same.

A folder with parts (a sheet per region beside the recap) is many documents made from
one loading: every part and language of a build, of ``check``, of ``--compare`` needs
the same facts and the same table. Parsing and validating the whole table again for
each part made a batch cost per region in proportion to the number of regions; kept
here, each process loads a folder once and each part costs what one part costs.

An entry is used again only if it is still what a fresh loading would give: the same
kind definition and settings, the same names of files in the folder, and every file
the loading read holding the same bytes (read again through the project's reader,
which records them as the document's inputs, as a fresh loading would). A problem met
while loading is kept too, for the run it was met in (:func:`new_run`): a typo in the
facts of a 500-region batch is found once, not once per region; a breach of the time
or memory budget is never kept (it depends on the machine's load).
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from plandocs.errors import PlandocsError
from plandocs.safety.paths import root_of
from plandocs.safety.reader import Recorder, digest, part_of, read_bytes

if TYPE_CHECKING:
    from plandocs.kinds.registry import Document, Kind
    from plandocs.project import Project

MAX_KEPT = 4
"""Folders kept per process (the least recently used go first)."""

Loader = Callable[["Project", "Kind", Path], "Document"]


@dataclass
class _Kept:
    spec: object
    listing: str
    files: dict[str, tuple[str, int]]
    """What loading read: path relative to the project → (digest, size)."""
    warnings: list[PlandocsError] = field(default_factory=list)
    document: Document | None = None
    error: PlandocsError | None = None
    run: int = 0


_KEPT: OrderedDict[tuple[str, str, str, bool], _Kept] = OrderedDict()
_RUN = [0]


def new_run() -> None:
    """A command starts: the problems kept from an earlier run are forgotten (a file a
    problem names as missing may have come since)."""
    _RUN[0] += 1


def forget() -> None:
    """Forget every folder kept (for tests and long-running commands that want to)."""
    _KEPT.clear()


def listing(folder: Path) -> str:
    """A digest of the names of the files under ``folder`` (not their content)."""
    names: list[str] = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(top).relative_to(folder)
        names += [(base / f).as_posix() for f in files if not f.startswith(".")]
    text = "\n".join(sorted(names)).encode("utf-8", "surrogateescape")
    return hashlib.sha256(text).hexdigest()[:20]


def load_once(
    project: Project,
    kind: Kind,
    folder: Path,
    recorder: Recorder,
    fresh: Loader,
    facts_only: bool = False,
) -> Document:
    """``fresh(project, kind, folder)``, or what it gave before if nothing it depends on
    changed since; what it read is recorded in ``recorder`` either way. A loading of the
    facts alone (``facts_only``, for a document that refers to this one) is kept apart."""
    key = (str(project.root), str(folder), project.settings.model_dump_json(), facts_only)
    names = listing(folder)
    kept = _KEPT.get(key)
    if kept is not None and _current(kept, kind, names, recorder):
        _KEPT.move_to_end(key)
        for problem in kept.warnings:
            recorder.warn(problem)
        if kept.error is not None:
            raise copy.copy(kept.error)
        assert kept.document is not None
        return kept.document
    _KEPT.pop(key, None)
    kept = _Kept(kind.spec, names, {}, run=_RUN[0])
    with part_of(recorder) as step:
        try:
            kept.document = fresh(project, kind, folder)
        except PlandocsError as exc:
            if getattr(exc, "transient", False):
                raise
            kept.error = copy.copy(exc)
            raise
        finally:
            kept.warnings = list(step.warnings)
            kept.files = {
                rel: (value, len(step.snapshot.get(root_of(step.root) / rel, b"")))
                for rel, value in step.reads.items()
            }
    _KEPT[key] = kept
    while len(_KEPT) > MAX_KEPT:
        _KEPT.popitem(last=False)
    return kept.document


def _current(kept: _Kept, kind: Kind, names: str, recorder: Recorder) -> bool:
    """Whether a kept loading is what loading again would give."""
    if kept.error is not None and kept.run != _RUN[0]:
        return False
    if kept.spec != kind.spec or kept.listing != names:
        return False
    base = root_of(recorder.root)
    for rel, (value, size) in kept.files.items():
        try:
            data = read_bytes(base / rel, "file", max(size, 1))
        except PlandocsError:
            return False
        if digest(data) != value:
            return False
    return True
