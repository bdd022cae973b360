"""One unit of build work: a document in one language, rendered once, written in the
formats asked for. Runs in the build process or in a worker process (``--jobs``), so
it takes and returns only plain, picklable values.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plandocs.cache import Hasher
from plandocs.errors import PlandocsError

BUILD_DIR = "build"


@dataclass(frozen=True)
class Item:
    kind: str
    folder: Path
    lang: str
    formats: tuple[str, ...]
    reasons: tuple[str, ...]
    """Why each format is rebuilt (for ``--explain``)."""
    options: dict[str, Any] = field(default_factory=dict)
    """What the build was asked that changes the bytes: ``draft``, ``epoch``."""
    page_labels: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.folder.name}"


@dataclass
class ItemResult:
    item: Item
    written: list[str] = field(default_factory=list)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[PlandocsError] = field(default_factory=list)
    skipped: str | None = None
    languages: list[str] | None = None
    page_labels: dict[str, str] | None = None
    seconds: float = 0.0


def output_rel(lang: str, kind: str, slug: str, suffix: str) -> str:
    """``build/<lang>/<kind>/<slug><suffix>``, relative to the project."""
    return f"{BUILD_DIR}/{lang}/{kind}/{slug}{suffix}"


def source_date() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time, when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    except (ValueError, OverflowError):
        return None


def run_item(root: Path, item: Item) -> ItemResult:
    """Load, render and write one (document, language); problems go into the result."""
    import time

    from plandocs.documents import KINDS
    from plandocs.render import make_env
    from plandocs.settings import SETTINGS_FILE, load_settings
    from plandocs.writers import WRITERS

    started = time.perf_counter()
    result = ItemResult(item)
    try:
        settings = load_settings(root)
        kind = KINDS[item.kind]
        document = kind.load(root, item.folder)
        result.languages = document.languages()
        error = document.language_error(item.lang)
        if error is not None:
            raise error
        if item.lang not in result.languages:
            result.skipped = (
                f"{item.key} [{item.lang}]: no {item.lang} content, so no {item.lang} version"
            )
            return result
        env = make_env(root)
        rendered = kind.render(env, settings, document, item.lang, bool(item.options.get("draft")))
        rendered.page_labels.update(item.page_labels)
        hasher = Hasher(root)
        common = [hasher.rel(p) for p in (*document.sources(item.lang), *rendered.templates)]
        common.append(SETTINGS_FILE)
        for name in item.formats:
            writer = WRITERS[name](root, settings)
            rel = output_rel(item.lang, item.kind, document.slug, writer.suffix)
            if name == "pdf":
                rendered.page_labels.clear()
            writer.write(rendered, root / rel)
            inputs = list(common)
            reference = settings.reference_path(root) if name == "docx" else None
            if reference is not None:
                inputs.append(hasher.rel(reference))
            result.written.append(rel)
            result.records[rel] = {
                "document": item.key,
                "lang": item.lang,
                "format": name,
                "inputs": {p: hasher.file(p) for p in sorted(set(inputs))},
                "options": item.options,
                "today": rendered.today.isoformat() if rendered.today else None,
            }
        if "pdf" in item.formats:
            result.page_labels = dict(rendered.page_labels)
    except PlandocsError as exc:
        if exc.path is None:
            exc.path = item.folder
        result.errors.append(exc)
    finally:
        result.seconds = time.perf_counter() - started
    return result
