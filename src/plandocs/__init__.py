"""plandocs: bilingual government documents (Word and PDF) from structured plan content."""

from __future__ import annotations

import hashlib
from pathlib import Path

__version__ = "0.1.0"

LANGUAGES: tuple[str, ...] = ("id", "en")


_FINGERPRINT: list[str] = []


def code_fingerprint() -> str:
    """A hash of plandocs' own files — its code, and the built-in kinds' definitions and
    templates: a new version, an edited style source or built-in template invalidates
    every output and every cached PDF unit. Computed once per process."""
    if not _FINGERPRINT:
        package = Path(__file__).resolve().parent
        digest = hashlib.sha256()
        for path in sorted(package.rglob("*")):
            if "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
                continue
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
        _FINGERPRINT.append(digest.hexdigest()[:16])
    return _FINGERPRINT[0]
