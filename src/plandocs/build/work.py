"""One unit of build work: a document in one language, rendered once, written in the
formats asked for. Runs in the build process or in a worker process (``--jobs``), so
it takes and returns only plain, picklable values.

A document's outputs are replaced together or not at all: every format is written to
a temporary file beside its target, and only when all are complete are they renamed
into place. Whatever goes wrong is that document's failure alone — a located error
for a problem in the project, a one-line report-this message for a bug in plandocs —
and never stops the other documents.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs.build.manifest import BUILD_DIR, Hasher, file_digest, output_error, output_path, stamp
from plandocs.errors import ContentError, InternalError, PlandocsError, TemplateError, describe
from plandocs.safety.reader import Recorder, current, recording

if TYPE_CHECKING:
    from plandocs.kinds.registry import Kind
    from plandocs.project import Project
    from plandocs.render.page import RenderedDocument
    from plandocs.writers.base import WriteOptions

__all__ = ["BUILD_DIR", "Item", "ItemResult", "PdfHelper", "output_rel", "run_item"]

MAX_SLUG_BYTES = 200
"""A document folder's name becomes its output files' names (with a temporary prefix
and suffix while they are written); the system allows 255 bytes."""


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
    inputs: dict[str, str] = field(default_factory=dict)
    """Files read for every document (``plandocs.yaml``), with their digests."""
    part: str | None = None
    """One of the documents a folder yields (a region's sheet); None: the folder's own
    (or the recap of its parts)."""

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.folder.name}"

    @property
    def unit(self) -> str:
        """The document this item makes: ``kind/slug`` or ``kind/slug/part``."""
        return self.key if self.part is None else f"{self.key}/{self.part}"


@dataclass
class ItemResult:
    item: Item
    written: list[str] = field(default_factory=list)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[PlandocsError] = field(default_factory=list)
    warnings: list[PlandocsError] = field(default_factory=list)
    skipped: str | None = None
    languages: list[str] | None = None
    page_labels: dict[str, str] | None = None
    seconds: float = 0.0


def output_rel(lang: str, kind: str, slug: str, fmt: str, part: str | None = None) -> str:
    """``build/<lang>/<kind>/<slug>.<fmt>`` (a part: ``…/<slug>/<part>.<fmt>``),
    relative to the project."""
    if part is not None:
        return f"{BUILD_DIR}/{lang}/{kind}/{slug}/{part}.{fmt}"
    return f"{BUILD_DIR}/{lang}/{kind}/{slug}.{fmt}"


_pdf_jobs = 1


def set_pdf_jobs(jobs: int) -> None:
    """How many processes may lay out the chapters of one PDF: the build's ``--jobs``
    when it builds its documents one at a time, else 1 (the documents use the cores)."""
    global _pdf_jobs
    _pdf_jobs = max(1, jobs)


_WRITER_LIBRARIES = {"pdf": "weasyprint", "docx": "docx"}
_preloading: dict[str, threading.Thread] = {}


def preload(formats: tuple[str, ...]) -> None:
    """Start importing the writers' libraries in the background.

    WeasyPrint's import takes most of a second, much of it waiting on the dynamic
    loader; done in a thread it overlaps with loading and rendering the content,
    which makes a one-document rebuild about a third faster.
    """
    import importlib
    import sys

    for name in formats:
        module = _WRITER_LIBRARIES.get(name)
        if module and module not in sys.modules and module not in _preloading:
            thread = threading.Thread(target=_quiet_import, args=(importlib, module), daemon=True)
            _preloading[module] = thread
            thread.start()


def preloaded(formats: tuple[str, ...]) -> None:
    """Wait until the background imports of these writers' libraries are over: a
    module half imported in one thread must not be imported from another (Python then
    hands out the partly initialised module)."""
    for name in formats:
        thread = _preloading.get(_WRITER_LIBRARIES.get(name, ""))
        if thread is not None:
            thread.join()


def _quiet_import(importlib: Any, module: str) -> None:
    with contextlib.suppress(Exception):  # the writer imports it again and reports
        importlib.import_module(module)


class PdfHelper:
    """A second process that imports WeasyPrint at once and lays out the PDFs sent to it.

    When a build has fewer documents than cores (the usual edit-and-rebuild), the
    PDF — WeasyPrint's import and layout, most of the time — runs on another core
    while this process loads and renders the content and writes DOCX and HTML.
    """

    def __init__(self) -> None:
        from plandocs.workers import start_pool

        self.pool = start_pool(1, _import_weasyprint)
        self.pool.submit(int)  # start the process (and its import) now, not at the first PDF

    def submit(self, root: Path, html: str, target: Path, options: WriteOptions) -> Any:
        """Lay out ``html`` into the file ``target``; the future's result is the page
        labels and the files read."""
        return self.pool.submit(_write_pdf, root, html, target, options)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _import_weasyprint() -> None:
    with contextlib.suppress(Exception):  # reported when a PDF is written
        import weasyprint  # noqa: F401

        import plandocs.writers.pdf.writer  # noqa: F401


def _write_pdf(
    root: Path, html: str, path: Path, options: WriteOptions
) -> tuple[dict[str, str], dict[str, str]]:
    from plandocs.errors import WriterError
    from plandocs.safety.budget import BudgetExceeded, budget, write_seconds
    from plandocs.writers.pdf.writer import layout_pdf

    with recording(root) as recorder:
        try:
            with budget(write_seconds(), "writing the PDF", memory=False):
                labels = layout_pdf(root, html, path, options)
        except OSError as exc:
            raise output_error(exc, path) from None
        except BudgetExceeded as exc:
            raise WriterError(str(exc)) from None
    return labels, recorder.reads


def run_item(project: Project, item: Item, helper: PdfHelper | None = None) -> ItemResult:
    """Load, render and write one (document, language); problems go into the result."""
    if helper is None:
        preload(item.formats)
    started = time.perf_counter()
    result = ItemResult(item)
    recorder: Recorder | None = None
    try:
        with recording(project.root) as recorder:
            _make(project, item, helper, result, recorder)
    except PlandocsError as exc:
        if exc.path is None:
            exc.path = item.folder
        result.errors.append(exc)
    except (RecursionError, MemoryError) as exc:
        result.errors.append(TemplateError(describe(exc), item.folder))
    except Exception as exc:
        result.errors.append(InternalError.from_exception(exc, item.folder))
    finally:
        if recorder is not None:
            result.warnings = list(recorder.warnings)
        result.seconds = time.perf_counter() - started
    return result


def load_and_render(
    project: Project, kind: Kind, item: Item, result: ItemResult
) -> tuple[Any, RenderedDocument | None, dict[str, str]]:
    """The loaded document, its HTML in ``item.lang`` (None when it has no such
    language, with ``result.skipped`` saying so) and the files loading it read."""
    recorder = current()
    document = load_document(project, kind, item.folder)
    if hasattr(document, "select"):
        document = document.select(item.part)
    elif item.part is not None:
        raise ContentError(f"a {item.kind} document has no parts", item.folder)
    loaded = dict(recorder.reads) if recorder is not None else {}
    result.languages = document.languages()
    error = document.language_error(item.lang)
    if error is not None:
        raise error
    if item.lang not in result.languages:
        result.skipped = (
            f"{item.key} [{item.lang}]: no {item.lang} content, so no {item.lang} version"
        )
        return document, None, loaded
    check_slug(document.slug, item.folder)
    rendered = kind.render(project, document, item.lang, bool(item.options.get("draft")))
    return document, rendered, loaded


def load_document(project: Project, kind: Kind, folder: Path) -> Any:
    """Load one document within a budget of time and memory: a data file far too large
    is a located error, not a build that never ends."""
    from plandocs.safety.budget import BudgetExceeded, budget

    try:
        with budget(what="reading this document"):
            return kind.load(project, folder)
    except (BudgetExceeded, MemoryError, RecursionError) as exc:
        raise ContentError(describe(exc), folder) from None


def check_slug(slug: str, folder: Path) -> None:
    """The folder name must make a valid output file name."""
    if len(slug.encode("utf-8", "surrogateescape")) > MAX_SLUG_BYTES:
        raise ContentError(
            f"the folder name is too long for its output files; shorten it to at most "
            f"{MAX_SLUG_BYTES} characters",
            folder,
        )


def dry_run(project: Project, rendered: RenderedDocument) -> None:
    """What writing the document would meet, without writing it into the project: the
    Word converter runs over every element (into a scratch file), and every file the
    PDF writer would fetch goes through its URL policy."""
    from plandocs.errors import WriterError
    from plandocs.writers import writer_class
    from plandocs.writers.pdf.writer import check_urls

    try:
        check_urls(project.root, rendered.html)
    except WriterError as exc:
        exc.path = exc.path or rendered.source
        raise
    with tempfile.TemporaryDirectory(prefix="plandocs-check-") as scratch:
        writer_class("docx")(project).write_to(rendered, Path(scratch) / "check.docx")


def _make(
    project: Project, item: Item, helper: PdfHelper | None, result: ItemResult, rec: Recorder
) -> None:
    from plandocs.errors import WriterError
    from plandocs.kinds.registry import kind_named
    from plandocs.safety.budget import BudgetExceeded, budget, write_seconds
    from plandocs.writers import writer_class
    from plandocs.writers.base import WriteOptions

    root = project.root
    kind = kind_named(project.root, item.kind)
    document, rendered, loaded = load_and_render(project, kind, item, result)
    if rendered is None:
        return
    pdf_settings = project.settings.pdf
    options = WriteOptions(
        archive=bool(item.options.get("pdfa")) or pdf_settings.archive,
        tagged=pdf_settings.tagged,
        jobs=_pdf_jobs,
        cover_label=str(rendered.pdf.get("cover_label") or ""),
    )
    page_labels = dict(item.page_labels)  # the PDF's labels, shown in the DOCX's contents
    hasher = Hasher(root)
    common = dict(item.inputs)
    for path in document.sources(item.lang):
        rel = rec.rel(Path(os.path.realpath(path)))
        common[rel] = loaded.get(rel) or hasher.file(rel) or ""
    common.update({rel: d for rel, d in rec.reads.items() if rel not in loaded})
    if item.part is not None:
        # A part depends on its own rows of the parts' table, not on the whole file.
        common.update(part_inputs(rec, document, item.part))
    own: dict[str, dict[str, str]] = {}

    targets = {
        name: output_path(root, output_rel(item.lang, item.kind, document.slug, name, item.part))
        for name in item.formats
    }
    temporaries: dict[str, Path] = {}
    pending = None
    preloaded(item.formats)
    try:
        for name in item.formats:
            temporaries[name] = _temporary(targets[name])
        formats = list(item.formats)
        if helper is not None and "pdf" in formats:
            pending = helper.submit(root, rendered.html, temporaries["pdf"], options)
            formats.remove("pdf")
        for name in formats:
            if name == "docx" and pending is not None and 'class="toc"' in rendered.html:
                # The table of contents in Word shows the PDF's page numbers.
                page_labels.update(pending.result()[0])
            before = dict(rec.reads)
            try:
                with budget(write_seconds(), f"writing the {name.upper()}", memory=False):
                    writer = writer_class(name)(project, replace(options, page_labels=page_labels))
                    written = writer.write_to(rendered, temporaries[name])
                if name == "pdf":
                    page_labels = dict(written.page_labels)
            except OSError as exc:
                raise output_error(exc, targets[name]) from None
            except BudgetExceeded as exc:
                raise WriterError(str(exc), rendered.source) from None
            except (RecursionError, MemoryError) as exc:
                raise WriterError(
                    f"the {name.upper()} writer cannot lay this document out: {describe(exc)}",
                    rendered.source,
                ) from None
            own[name] = {rel: d for rel, d in rec.reads.items() if before.get(rel) != d}
            if name == "docx" and project.reference_docx is not None:
                ref = hasher.rel(project.reference_docx)
                own[name][ref] = hasher.file(ref) or ""
        if pending is not None:
            labels, reads = pending.result()
            pending = None
            own["pdf"] = reads
            result.page_labels = labels
        elif "pdf" in item.formats:
            result.page_labels = page_labels
        # Every format is complete: put them all in place.
        for name in item.formats:
            try:
                os.replace(temporaries[name], targets[name])
            except OSError as exc:
                raise output_error(exc, targets[name]) from None
            del temporaries[name]
    finally:
        if pending is not None:
            pending.cancel()
        for path in temporaries.values():
            with contextlib.suppress(OSError):
                path.unlink()

    today = rendered.today.isoformat() if rendered.today else None
    for name in item.formats:
        rel = output_rel(item.lang, item.kind, document.slug, name, item.part)
        result.written.append(rel)
        result.records[rel] = {
            "document": item.key,
            **({"part": item.part} if item.part is not None else {}),
            "lang": item.lang,
            "format": name,
            "inputs": dict(sorted({**common, **own.get(name, {})}.items())),
            "options": item.options,
            "today": today,
            "stamp": stamp(targets[name]) or [0, 0],
            "sha256": file_digest(targets[name]) or "",
        }


def part_inputs(rec: Recorder, document: Any, part: str) -> dict[str, str]:
    """The inputs of one part: its rows of the parts' table in place of the file."""
    from plandocs.kinds.spec import part_input

    spec = document.spec.parts
    path = document.table_files[spec.table]
    rel = rec.rel(Path(os.path.realpath(path)))
    return {part_input(rel, spec.key, part): document.part_digests[part]}


def _temporary(target: Path) -> Path:
    """An empty temporary file beside ``target`` with the permissions a new file gets."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        os.chmod(name, 0o666 & ~_umask())
    except OSError as exc:
        raise output_error(exc, target) from None
    return Path(name)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
