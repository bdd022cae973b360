"""plandocs: bilingual government documents (Word and PDF) from structured plan content."""

from __future__ import annotations

import hashlib
from pathlib import Path

__version__ = "0.1.0"

LANGUAGES: tuple[str, ...] = ("id", "en")


def code_fingerprint() -> str:
    """A hash of plandocs' own source (every module of the package): a new version, or
    an edited style source, invalidates every output and every cached PDF unit."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
