"""The cache of laid-out units: ``build/.plandocs/units/``, keyed by what decides a unit's pages.

Each unit's PDF is kept under the SHA-256 of everything that changes its layout: its
HTML, the stylesheet rules the writer adds, the PDF options, the files it shows (their
bytes), plandocs' own code and WeasyPrint's version. A unit whose key is found (and
whose PDF still has the digest recorded beside it) is not laid out again. The cache is
only ever read and written inside ``build/`` and never through a link; an entry that
does not read back whole counts as missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from plandocs import code_fingerprint
from plandocs.errors import PlandocsError, WriterError
from plandocs.safety.outputs import BUILD_DIR, output_path
from plandocs.writers.base import WriteOptions, atomic_path
from plandocs.writers.pdf.labels import Page
from plandocs.writers.pdf.layout import PROJECT_URL, referenced_urls

UNIT_DIR = ".plandocs/units"
"""Where the units' PDFs are kept, under ``build/``."""
MAX_ENTRIES = 400
"""Units kept (the least recently used go first): some twenty Renstras' worth."""
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")


MAX_UNIT_BYTES = 256 * 1024 * 1024
"""A kept unit larger than this is not read (no chapter's PDF comes near)."""


class UnitCache:
    """Unit PDFs under ``build/.plandocs/units/``: ``<key>.pdf`` and ``<key>.json``
    (its pages and the PDF's digest). An entry that does not read back whole — not a
    PDF, or not of the pages its record names — is laid out again. With ``trust``
    off (``build --force``), nothing kept is read: every unit is laid out anew."""

    def __init__(self, root: Path, trust: bool = True) -> None:
        self.root = root
        self.trust = trust
        self.data: dict[str, bytes] = {}
        """The PDF of each entry read or written, as checked."""
        self.used = 0
        """Entries taken from the cache, not laid out in this build."""

    def path(self, name: str) -> Path:
        return output_path(self.root, f"{BUILD_DIR}/{UNIT_DIR}/{name}")

    def get(self, key: str) -> list[Page] | None:
        if not self.trust:
            return None
        try:
            meta = json.loads(_read(self.path(f"{key}.json"), 1024 * 1024).decode("utf-8"))
            data = _read(self.path(f"{key}.pdf"), MAX_UNIT_BYTES)
        except (OSError, ValueError, WriterError):
            return None
        except Exception:  # an OutputError (a link out of build/): not trusted
            return None
        if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(data).hexdigest():
            return None
        pages = meta.get("pages")
        if not isinstance(pages, list) or not pages:
            return None
        try:
            found = [(str(kind), [str(a) for a in anchors]) for kind, anchors in pages]
        except (TypeError, ValueError):
            return None
        if _page_count(data) != len(found):
            return None  # damaged, or not the unit its record describes
        with contextlib.suppress(OSError):
            os.utime(self.path(f"{key}.json"), follow_symlinks=False)  # kept longest
        self.data[key] = data
        self.used += 1
        return found

    def put(self, key: str, pdf: Path, pages: list[Page]) -> None:
        data = pdf.read_bytes()
        self.data[key] = data
        meta = {"sha256": hashlib.sha256(data).hexdigest(), "pages": pages}
        with atomic_path(self.path(f"{key}.pdf")) as tmp:
            tmp.write_bytes(data)
        with atomic_path(self.path(f"{key}.json")) as tmp:
            tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    def prune(self, limit: int = MAX_ENTRIES) -> None:
        """Remove the least recently used entries beyond ``limit``."""
        try:
            folder = self.path("x").parent
            entries = [
                (entry.stat().st_mtime, entry.name[:64])
                for entry in os.scandir(folder)
                if _ENTRY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
            ]
        except (OSError, WriterError):
            return
        except Exception:
            return
        for _time, key in sorted(entries, reverse=True)[limit:]:
            for suffix in (".json", ".pdf"):
                with contextlib.suppress(OSError):
                    os.unlink(folder / f"{key}{suffix}")

    def note(self, name: str) -> dict[str, str]:
        if not self.trust:
            return {}
        try:
            value = json.loads(_read(self.path(name), 16 * 1024 * 1024).decode("utf-8"))
        except Exception:
            return {}
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return value
        return {}

    def write_note(self, name: str, value: dict[str, str]) -> None:
        with contextlib.suppress(OSError), atomic_path(self.path(name)) as tmp:
            tmp.write_text(json.dumps(value, sort_keys=True), encoding="utf-8")


def _read(path: Path, limit: int) -> bytes:
    """A regular file's bytes — never through a link, never waiting on a FIFO, never
    more than ``limit`` of them."""
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path} is not a regular file")
        if info.st_size > limit:
            raise OSError(f"{path} is larger than a kept unit may be")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise OSError(f"{path} is larger than a kept unit may be")
        return data
    finally:
        os.close(fd)


def _page_count(data: bytes) -> int | None:
    """The pages of a PDF, or None if it cannot be read as one."""
    import io

    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except Exception:  # pikepdf raises many kinds for a damaged file
        return None


def unit_key(root: Path, html: str, css: str, options: WriteOptions) -> str:
    """The SHA-256 of what decides a unit's pages."""
    import weasyprint

    digest = hashlib.sha256()
    parts = [
        code_fingerprint(),
        str(weasyprint.__version__),
        json.dumps(_layout_options(options), sort_keys=True),
        css,
        html,
    ]
    parts += [f"{rel}={value}" for rel, value in sorted(_shown_files(root, html).items())]
    for part in parts:
        data = part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _layout_options(options: WriteOptions) -> dict[str, Any]:
    """The options that change a unit's pages (not ``jobs``, nor the DOCX's labels)."""
    return {
        "tagged": options.tagged,
        "archive": options.archive,
        "cover_label": options.cover_label,
    }


def _shown_files(root: Path, html: str) -> dict[str, str]:
    """The digest of every project file the HTML shows (images, stylesheets), by its
    address as WeasyPrint sees it (under :data:`PROJECT_URL`, the same wherever the
    project lies, as the units' PDFs are: a project moved or checked out at another
    path keeps its cache); read through the project's reader, so they count as the
    document's inputs too."""
    from plandocs.safety.reader import digest, read_bytes
    from plandocs.safety.urls import fetch_target

    base = root.resolve().as_uri() + "/"
    shown: dict[str, str] = {}
    for url in referenced_urls(root, html):
        try:
            path = fetch_target(root, url)
            portable = PROJECT_URL + url[len(base) :] if url.startswith(base) else url
            shown[portable] = digest(read_bytes(path))
        except (ValueError, PlandocsError) as exc:
            raise WriterError(str(getattr(exc, "message", exc))) from None
    return shown
