"""What a document was made from: the files read while loading and rendering it.

While a document is made, a :class:`Recorder` is current (a context variable). Every
project file is read through :func:`read_bytes` / :func:`read_text`, which

* follow the file's symbolic links and refuse one that leads outside the project;
* record the digest of the bytes **actually read** — a file saved again while the
  build runs is recorded with the content the outputs were made from, so the next
  build sees the change;
* take out of text the characters XML cannot hold, with a warning at their line.

Warnings met on the way (control characters, ignored files …) are collected in the
same recorder, for ``check`` and ``build`` to show.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from plandocs.errors import ContentError, PlandocsError
from plandocs.safety.paths import os_reason, resolve_inside, root_of
from plandocs.safety.text import xml_safe

MAX_TEXT_BYTES = 8 * 1024 * 1024
"""A content or template file larger than this is refused: no document needs it."""


def digest(data: bytes) -> str:
    """The digest the manifest records for a file's content."""
    return hashlib.sha256(data).hexdigest()[:20]


@dataclass
class Recorder:
    """The files read (path relative to the project → digest) and warnings met."""

    root: Path
    reads: dict[str, str] = field(default_factory=dict)
    warnings: list[PlandocsError] = field(default_factory=list)
    snapshot: dict[Path, bytes] = field(default_factory=dict, repr=False)
    """The bytes of each file as first read: a file read twice while one document is
    made (a table, then its parts' rows) is the same both times, even if it is saved in
    between — what is recorded is what the document was made from."""

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(root_of(self.root)).as_posix()
        except ValueError:
            return path.as_posix()

    def note(self, resolved: Path, data: bytes) -> None:
        self.reads[self.rel(resolved)] = digest(data)

    def warn(self, problem: PlandocsError) -> None:
        if not any(
            w.message == problem.message and w.path == problem.path and w.line == problem.line
            for w in self.warnings
        ):
            self.warnings.append(problem)


_CURRENT: ContextVar[Recorder | None] = ContextVar("plandocs_recorder", default=None)


def current() -> Recorder | None:
    return _CURRENT.get()


@contextlib.contextmanager
def recording(root: Path) -> Iterator[Recorder]:
    """Make a fresh recorder current for the block."""
    recorder = Recorder(root)
    token = _CURRENT.set(recorder)
    try:
        yield recorder
    finally:
        _CURRENT.reset(token)


def warn(problem: PlandocsError) -> None:
    """Note a warning for the document being made (dropped outside a recording)."""
    recorder = _CURRENT.get()
    if recorder is not None:
        recorder.warn(problem)


def read_bytes(path: Path, what: str = "file", limit: int | None = None) -> bytes:
    """Read a project file; a link out of the project or an unreadable file is a located
    :class:`ContentError`. The digest of what was read is recorded."""
    recorder = _CURRENT.get()
    resolved = resolve_inside(recorder.root, path, what) if recorder is not None else path
    if recorder is not None and resolved in recorder.snapshot:
        data = recorder.snapshot[resolved]
        if limit is not None and len(data) > limit:
            raise ContentError(
                f"this {what} is larger than {limit // 1024 // 1024} MiB; split it", path
            )
        return data
    try:
        fd = os.open(resolved, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ContentError(f"cannot read this {what}: {os_reason(exc)}", path) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise ContentError(f"this {what} is {kind}; use a file", path)
    with os.fdopen(fd, "rb", closefd=True) as f:
        try:
            # Asked for no more than the file holds (a read of n bytes takes n bytes of
            # memory at once), and one byte more to notice a file that grows meanwhile.
            size = info.st_size if limit is None else min(info.st_size, limit)
            data = f.read(size + 1)
            if limit is None and len(data) > size:
                data += f.read()
        except OSError as exc:
            raise ContentError(f"cannot read this {what}: {os_reason(exc)}", path) from None
    if limit is not None and len(data) > limit:
        raise ContentError(
            f"this {what} is larger than {limit // 1024 // 1024} MiB; split it", path
        )
    if recorder is not None:
        recorder.note(resolved, data)
        recorder.snapshot[resolved] = data
    return data


def clean_text(text: str, path: Path | None, first_line: int = 1, where: str = "") -> str:
    """``text`` without the characters XML cannot hold; a warning at the first one."""
    cleaned, removed = xml_safe(text)
    if removed is not None:
        warn(ContentError(removed.message(where), path, first_line + removed.line - 1))
    return cleaned


def read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 project file (a byte-order mark is dropped) as clean text."""
    return decode_text(read_bytes(path, what, MAX_TEXT_BYTES), path)


def decode_text(raw: bytes, path: Path) -> str:
    """The bytes of a UTF-8 file as clean text (a byte-order mark is dropped)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError("file is not UTF-8 text; save it as UTF-8", path, line) from None
    return clean_text(text, path)
