"""One unit of build work: a document (or one of its parts) in one language, rendered
once through the pipeline, written in the formats asked for. Runs in the build process
or in a worker process (``--jobs``), so it takes and returns only plain, picklable values.

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
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs.build.manifest import file_digest, stamp
from plandocs.build.outputs import output_rel
from plandocs.build.work import PdfHelper, pdf_jobs, preload, preloaded
from plandocs.errors import PlandocsError, describe
from plandocs.safety.outputs import output_error, output_path
from plandocs.safety.reader import Recorder, recording

if TYPE_CHECKING:
    from plandocs import pipeline
    from plandocs.project import Project

__all__ = ["Item", "ItemResult", "run_item"]


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
    weight: int = 0
    """The size of the document's content, to start the longest work first."""
    force: bool = False
    """``--force``: nothing kept from earlier builds is trusted (the PDF's unit cache)."""

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.folder.name}"

    @property
    def unit(self) -> str:
        """The document this item makes: ``kind/slug`` or ``kind/slug/part``."""
        return self.key if self.part is None else f"{self.key}/{self.part}"

    @property
    def source(self) -> pipeline.Source:
        from plandocs.pipeline import Source

        return Source(self.kind, self.folder)

    def output(self, fmt: str) -> str:
        """The output of this item in ``fmt``, relative to the project."""
        return output_rel(self.lang, self.kind, self.folder.name, fmt, self.part)


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


def run_item(project: Project, item: Item, helper: PdfHelper | None = None) -> ItemResult:
    """Load, render and write one (document, language); problems go into the result."""
    if helper is None:
        preload(item.formats)
    started = time.perf_counter()
    result = ItemResult(item)
    recorder: Recorder | None = None
    from plandocs import pipeline

    try:
        with recording(project.root) as recorder:
            _make(project, item, helper, result, recorder)
    except Exception as exc:
        result.errors.append(pipeline.failure(exc, item.folder))
    finally:
        if recorder is not None:
            result.warnings = list(recorder.warnings)
        result.seconds = time.perf_counter() - started
    return result


def _load_and_render(
    project: Project, item: Item, result: ItemResult, rec: Recorder
) -> tuple[Any, Any, dict[str, str]]:
    """The document (or part), its HTML in ``item.lang`` — None when it has no such
    language, with ``result.skipped`` saying so — and what loading it read: the kind's
    definition (an input of every language), then the content (each language keeps
    what its version is made from)."""
    from plandocs import pipeline

    pipeline.kind_of(project, item.kind)
    kind = dict(rec.reads)
    document = pipeline.load(project, item.source)
    # What the kind's definition read stays out of ``loaded``: every language keeps it.
    loaded = {rel: d for rel, d in rec.reads.items() if rel not in kind}
    document = document.select(item.part)
    result.languages = document.languages()
    error = document.language_error(item.lang)
    if error is not None:
        raise error
    if item.lang not in result.languages:
        result.skipped = (
            f"{item.key} [{item.lang}]: no {item.lang} content, so no {item.lang} version"
        )
        return document, None, loaded
    draft = bool(item.options.get("draft"))
    return document, pipeline.render(project, item.source, document, item.lang, draft), loaded


def _inputs(item: Item, document: Any, loaded: dict[str, str], rec: Recorder) -> dict[str, str]:
    """What the ``item.lang`` version was made from, with the digests of the bytes read:
    the files every document reads, its own content files for that language (a part:
    its own rows of the parts' table in place of the file) and all that rendering read."""
    inputs = dict(item.inputs)
    for path in document.sources(item.lang):
        rel = rec.rel(Path(os.path.realpath(path)))
        if rel in loaded:
            inputs[rel] = loaded[rel]
    inputs.update({rel: d for rel, d in rec.reads.items() if rel not in loaded})
    if item.part is not None:
        inputs.update(document.part_inputs(item.part, rec.rel))
    rows = getattr(document, "row_inputs", None)
    if rows is not None:  # another document's table, by the rows this one shows
        inputs.update(rows(rec.rel))
    return inputs


def _make(
    project: Project, item: Item, helper: PdfHelper | None, result: ItemResult, rec: Recorder
) -> None:
    from plandocs.errors import WriterError
    from plandocs.safety.budget import BudgetExceeded, budget, write_seconds
    from plandocs.writers import writer_class
    from plandocs.writers.base import WriteOptions

    root = project.root
    document, rendered, loaded = _load_and_render(project, item, result, rec)
    if rendered is None:
        return
    pdf_settings = project.settings.pdf
    options = WriteOptions(
        archive=bool(item.options.get("pdfa")) or pdf_settings.archive,
        tagged=pdf_settings.tagged,
        jobs=pdf_jobs(),
        cover_label=str(rendered.pdf.get("cover_label") or ""),
        fresh=item.force,
    )
    page_labels = dict(item.page_labels)  # the PDF's labels, shown in the DOCX's contents
    common = _inputs(item, document, loaded, rec)
    own: dict[str, dict[str, str]] = {}

    targets = {name: output_path(root, item.output(name)) for name in item.formats}
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
    except WriterError as exc:
        from plandocs import pipeline

        pipeline.located_url_error(project, rendered, exc)  # at the template that wrote it
        raise
    finally:
        if pending is not None:
            pending.cancel()
        for path in temporaries.values():
            with contextlib.suppress(OSError):
                path.unlink()

    today = rendered.today.isoformat() if rendered.today else None
    for name in item.formats:
        rel = item.output(name)
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
