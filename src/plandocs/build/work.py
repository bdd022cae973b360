"""The writers' processes: their libraries imported in the background while the content
is rendered, and a helper process laying out the PDFs on a spare core.

A build of fewer documents than cores (the usual edit-and-rebuild) lays its PDFs out in
a helper process — WeasyPrint's import and layout, most of the time — while this
process loads and renders the content and writes DOCX and HTML.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs.safety.outputs import output_error
from plandocs.safety.reader import recording

if TYPE_CHECKING:
    from plandocs.writers.base import WriteOptions

_pdf_jobs = 1


def pdf_jobs() -> int:
    """How many processes may lay out the chapters of one PDF (:func:`set_pdf_jobs`)."""
    return _pdf_jobs


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
