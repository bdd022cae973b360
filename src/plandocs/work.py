"""One unit of build work: a document in one language, rendered once, written in the
formats asked for. Runs in the build process or in a worker process (``--jobs``), so
it takes and returns only plain, picklable values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs.cache import Hasher
from plandocs.errors import PlandocsError

if TYPE_CHECKING:
    from plandocs.project import Project

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
    """What the build was asked that changes the bytes: ``draft``, ``pdfa``, ``epoch``."""
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


def output_rel(lang: str, kind: str, slug: str, fmt: str) -> str:
    """``build/<lang>/<kind>/<slug>.<fmt>``, relative to the project."""
    return f"{BUILD_DIR}/{lang}/{kind}/{slug}.{fmt}"


_WRITER_LIBRARIES = {"pdf": "weasyprint", "docx": "docx"}
_preloading: set[str] = set()


def preload(formats: tuple[str, ...]) -> None:
    """Start importing the writers' libraries in the background.

    WeasyPrint's import takes most of a second, much of it waiting on the dynamic
    loader; done in a thread it overlaps with loading and rendering the content,
    which makes a one-document rebuild about a third faster.
    """
    import importlib
    import sys
    import threading

    for name in formats:
        module = _WRITER_LIBRARIES.get(name)
        if module and module not in sys.modules and module not in _preloading:
            _preloading.add(module)
            threading.Thread(target=importlib.import_module, args=(module,), daemon=True).start()


class PdfHelper:
    """A second process that imports WeasyPrint at once and lays out the PDFs sent to it.

    When a build has fewer documents than cores (the usual edit-and-rebuild), the
    PDF — WeasyPrint's import and layout, most of the time — runs on another core
    while this process loads and renders the content and writes DOCX and HTML.
    """

    def __init__(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        self.pool = ProcessPoolExecutor(1, mp_context=context, initializer=_import_weasyprint)
        self.pool.submit(int)  # start the process (and its import) now, not at the first PDF

    def submit(self, root: Path, html: str, target: Path, options: dict[str, Any]) -> Any:
        """Lay out ``html`` as ``target``; the future's result is its page labels."""
        return self.pool.submit(_write_pdf, root, html, target, options)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _import_weasyprint() -> None:
    import weasyprint  # noqa: F401

    import plandocs.writers.pdf  # noqa: F401


def _write_pdf(root: Path, html: str, target: Path, options: dict[str, Any]) -> dict[str, str]:
    from plandocs.writers.base import atomic_path
    from plandocs.writers.pdf import layout_pdf

    with atomic_path(target) as tmp:
        return layout_pdf(root, html, tmp, options)


def run_item(project: Project, item: Item, helper: PdfHelper | None = None) -> ItemResult:
    """Load, render and write one (document, language); problems go into the result."""
    import time

    if helper is None:
        preload(item.formats)

    from plandocs.documents import KINDS
    from plandocs.settings import SETTINGS_FILE
    from plandocs.writers import writer_class

    root = project.root
    started = time.perf_counter()
    result = ItemResult(item)
    pending = None
    try:
        kind = KINDS[item.kind]
        document = kind.load(project, item.folder)
        result.languages = document.languages()
        error = document.language_error(item.lang)
        if error is not None:
            raise error
        if item.lang not in result.languages:
            result.skipped = (
                f"{item.key} [{item.lang}]: no {item.lang} content, so no {item.lang} version"
            )
            return result
        rendered = kind.render(project, document, item.lang, bool(item.options.get("draft")))
        rendered.page_labels.update(item.page_labels)
        pdf_settings = project.settings.pdf
        rendered.pdf.update(
            archive=bool(item.options.get("pdfa")) or pdf_settings.archive,
            tagged=pdf_settings.tagged,
        )
        hasher = Hasher(root)
        common = [hasher.rel(p) for p in (*document.sources(item.lang), *rendered.templates)]
        common.append(SETTINGS_FILE)

        def record(name: str, rel: str) -> None:
            inputs = list(common)
            reference = project.reference_docx if name == "docx" else None
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

        def target(name: str) -> str:
            return output_rel(item.lang, item.kind, document.slug, name)

        formats = list(item.formats)
        if helper is not None and "pdf" in formats:
            pending = helper.submit(root, rendered.html, root / target("pdf"), rendered.pdf)
            formats.remove("pdf")
        for name in formats:
            if name == "docx" and pending is not None and 'class="toc"' in rendered.html:
                # The table of contents in Word shows the PDF's page numbers.
                rendered.page_labels.update(pending.result())
            if name == "pdf":
                rendered.page_labels.clear()
            writer_class(name)(project).write(rendered, root / target(name))
            record(name, target(name))
        if pending is not None:
            result.page_labels = pending.result()
            pending = None
            record("pdf", target("pdf"))
        elif "pdf" in item.formats:
            result.page_labels = dict(rendered.page_labels)
    except PlandocsError as exc:
        if exc.path is None:
            exc.path = item.folder
        result.errors.append(exc)
    finally:
        if pending is not None:
            pending.cancel()
        result.seconds = time.perf_counter() - started
    return result
