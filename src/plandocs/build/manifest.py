"""The build manifest: what every output was made from, by content hash.

Like Sphinx's environment pickle, but plain JSON under ``build/``: for each output
file, the files it was made from (content, data, templates, images, settings,
reference document) with the SHA-256 of the bytes the build actually read, the
options that change its bytes (draft stamp, ``SOURCE_DATE_EPOCH``), and the size,
time and SHA-256 of the output as written. A build compares these with the files as they are now
and rebuilds exactly what changed, saying why. Reading the manifest and hashing needs
no YAML, no Jinja and no writer library, so a build with nothing to do is quick.

The manifest is trusted for nothing: one that is unreadable, of another format
version or of the wrong shape counts as empty; a path it names is read or removed
only if it lies inside the project (inputs) or inside ``build/`` (outputs); an
output whose size or time differs from what was recorded (a killed build's, a draft
written by a build running at the same time) is rebuilt. Builds of one project take
turns on a lock file in ``build/``.

An output whose bytes differ from those plandocs wrote was edited by someone (a
reviewer's changes saved into ``build/id/…/x.docx``): it is never overwritten nor
removed, but moved aside to ``x.edited.docx`` (:func:`set_aside`) before a new one is
written. An output only touched (same bytes, new time) is simply up to date.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plandocs.build.outputs import inside_build
from plandocs.safety.outputs import BUILD_DIR, output_error
from plandocs.safety.paths import safe_rel

MANIFEST = ".plandocs-manifest.json"
FORMAT = 2


class Hasher:
    """SHA-256 of project files, each read at most once per build."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real = Path(os.path.realpath(root))
        self._memo: dict[str, str | None] = {}

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self._real).as_posix()
        except (ValueError, OSError, RuntimeError):
            return path.as_posix()

    def file(self, rel: str) -> str | None:
        """The digest of a regular file inside the project, else None."""
        if rel not in self._memo:
            if "::" in rel:  # one part's rows of a table (plandocs.kinds.spec.part_input)
                from plandocs.kinds.parts import digest_part_input

                self._memo[rel] = digest_part_input(self.root, rel)
            else:
                self._memo[rel] = self._digest(rel) if safe_rel(rel) else None
        return self._memo[rel]

    def _digest(self, rel: str) -> str | None:
        try:
            real = Path(os.path.realpath(self.root / rel))
            if not real.is_relative_to(self._real):
                return None
            with open(real, "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    return None
                return hashlib.file_digest(f, "sha256").hexdigest()[:20]
        except (OSError, ValueError):
            return None

    def listing(self, folder: Path) -> str:
        """A hash of the names of the files under ``folder`` (not their content)."""
        names: list[str] = []
        for top, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            base = Path(top).relative_to(folder)
            names += [(base / f).as_posix() for f in files if not f.startswith(".")]
        listing = "\n".join(sorted(names)).encode("utf-8", "surrogateescape")
        return hashlib.sha256(listing).hexdigest()[:20]


def stamp(path: Path) -> list[int] | None:
    """Size and modification time of an output as written: a later write changes them."""
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def file_digest(path: Path) -> str | None:
    """SHA-256 of a regular file (never a link's target), or None if there is none."""
    digest = hashlib.sha256()
    try:
        # Not following a link, and not waiting on a FIFO planted under the name.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _valid_output(rel: Any, record: Any) -> bool:
    if not isinstance(rel, str) or not safe_rel(rel, BUILD_DIR) or not isinstance(record, dict):
        return False
    inputs = record.get("inputs")
    stamp_ = record.get("stamp")
    return (
        all(isinstance(record.get(k), str) for k in ("document", "lang", "format"))
        and isinstance(inputs, dict)
        and all(isinstance(k, str) and safe_rel(k) for k in inputs)
        and all(isinstance(v, str | None) for v in inputs.values())
        and isinstance(record.get("options"), dict)
        and isinstance(record.get("today"), str | None)
        and isinstance(stamp_, list)
        and len(stamp_) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in stamp_)
        and isinstance(record.get("sha256", ""), str)
    )


def _valid_document(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and isinstance(record.get("listing"), str)
        and isinstance(record.get("languages"), list)
        and all(isinstance(lang, str) for lang in record["languages"])
    )


@dataclass
class Manifest:
    """Documents seen, and per output file: its inputs, options, document and stamp."""

    code: str = ""
    settings: str = ""
    """The hash of plandocs.yaml when it was last found valid."""
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    page_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, build_dir: Path, name: str = MANIFEST) -> Manifest:
        """The manifest in ``build_dir``; empty when missing or not exactly as written."""
        try:
            with open(build_dir / name, "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    return cls()
                raw = f.read(64 * 1024 * 1024 + 1)
            data = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return cls()
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls()
        code, settings = data.get("code"), data.get("settings")
        documents, outputs = data.get("documents"), data.get("outputs")
        labels = data.get("page_labels")
        if not (
            isinstance(code, str)
            and isinstance(settings, str)
            and isinstance(documents, dict)
            and all(isinstance(k, str) and _valid_document(v) for k, v in documents.items())
            and isinstance(outputs, dict)
            and all(_valid_output(k, v) for k, v in outputs.items())
            and isinstance(labels, dict)
            and all(isinstance(k, str) and _is_str_map(v) for k, v in labels.items())
        ):
            return cls()
        return cls(code, settings, documents, outputs, labels)

    def save(self, build_dir: Path, name: str = MANIFEST) -> None:
        """Write atomically: an interrupted build leaves the old manifest or the new."""
        data = {
            "format": FORMAT,
            "code": self.code,
            "settings": self.settings,
            "documents": dict(sorted(self.documents.items())),
            "outputs": dict(sorted(self.outputs.items())),
            "page_labels": dict(sorted(self.page_labels.items())),
        }
        try:
            fd, temporary = tempfile.mkstemp(prefix=".manifest.", dir=build_dir)
        except OSError as exc:
            raise output_error(exc, build_dir / name) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=False)
            os.replace(temporary, build_dir / name)
        except OSError as exc:
            raise output_error(exc, build_dir / name) from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)

    def why_stale(
        self, output: str, hasher: Hasher, options: dict[str, Any], root: Path
    ) -> str | None:
        """Why ``output`` must be rebuilt, or None when it is up to date."""
        record = self.outputs.get(output)
        if record is None:
            return "new output"
        now = stamp(root / output)
        if now is None:
            return "output missing"
        if now != record.get("stamp"):
            digest = record.get("sha256")
            if not digest or file_digest(root / output) != digest:
                return "the output file changed since it was built"
            record["stamp"] = now  # touched or copied, not changed
        if record.get("options") != options:
            changed = sorted(
                k
                for k in {*options, *record.get("options", {})}
                if options.get(k) != record.get("options", {}).get(k)
            )
            return f"options changed ({', '.join(changed)})"
        for rel, digest in record["inputs"].items():
            current = hasher.file(rel)
            if current is None:
                return f"{rel} was removed"
            if current != digest:
                return f"{rel} changed"
        return None

    def edited(self, output: str, root: Path) -> bool:
        """Whether someone changed ``output`` since plandocs wrote it: its bytes are not
        the ones recorded. (An output recorded without its hash, by an older plandocs,
        cannot tell and counts as not edited.)"""
        record = self.outputs.get(output)
        if record is None or not record.get("sha256") or not inside_build(root, output):
            return False
        now = stamp(root / output)
        if now is None or now == record.get("stamp"):
            return False
        digest = file_digest(root / output)
        return digest is not None and digest != record["sha256"]
