"""The build manifest: what every output was made from, by content hash.

Like Sphinx's environment pickle, but plain JSON under ``build/``: for each output
file, the files it was made from (content, data, templates, settings, reference
document) with their SHA-256, and the options that change its bytes (draft stamp,
``SOURCE_DATE_EPOCH``). A build compares these with the files as they are now and
rebuilds exactly what changed, saying why. Reading the manifest and hashing needs
no YAML, no Jinja and no writer library, so a build with nothing to do is quick.

An unreadable manifest, or one from another format version, counts as empty.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = ".plandocs-manifest.json"
FORMAT = 1


def code_fingerprint() -> str:
    """A hash of plandocs' own source: a new version, or an edited style source,
    invalidates every output."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Hasher:
    """SHA-256 of files, each read at most once per build."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._memo: dict[str, str | None] = {}

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    def file(self, rel: str) -> str | None:
        if rel not in self._memo:
            try:
                data = (self.root / rel).read_bytes()
            except OSError:
                self._memo[rel] = None
            else:
                self._memo[rel] = hashlib.sha256(data).hexdigest()[:20]
        return self._memo[rel]

    def listing(self, folder: Path) -> str:
        """A hash of the names of the files under ``folder`` (not their content)."""
        names = sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        )
        return hashlib.sha256("\n".join(names).encode()).hexdigest()[:20]


@dataclass
class Manifest:
    """Documents seen, and per output file: its inputs, options and document."""

    code: str = ""
    settings: str = ""
    """The hash of plandocs.yaml when it was last found valid."""
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    page_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, build_dir: Path) -> Manifest:
        try:
            data = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                return cls()
            return cls(
                code=str(data["code"]),
                settings=str(data["settings"]),
                documents=dict(data["documents"]),
                outputs=dict(data["outputs"]),
                page_labels=dict(data["page_labels"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, build_dir: Path) -> None:
        """Write atomically: an interrupted build leaves the old manifest or the new."""
        build_dir.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "code": self.code,
            "settings": self.settings,
            "documents": dict(sorted(self.documents.items())),
            "outputs": dict(sorted(self.outputs.items())),
            "page_labels": dict(sorted(self.page_labels.items())),
        }
        fd, name = tempfile.mkstemp(prefix=".manifest.", dir=build_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=False)
            os.replace(name, build_dir / MANIFEST)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)

    def why_stale(
        self, output: str, hasher: Hasher, options: dict[str, Any], root: Path
    ) -> str | None:
        """Why ``output`` must be rebuilt, or None when it is up to date."""
        record = self.outputs.get(output)
        if record is None:
            return "new output"
        if not (root / output).is_file():
            return "output missing"
        if record.get("options") != options:
            changed = sorted(
                k
                for k in {*options, *record.get("options", {})}
                if options.get(k) != record.get("options", {}).get(k)
            )
            return f"options changed ({', '.join(changed)})"
        for rel, digest in record["inputs"].items():
            now = hasher.file(rel)
            if now is None:
                return f"{rel} was removed"
            if now != digest:
                return f"{rel} changed"
        return None
