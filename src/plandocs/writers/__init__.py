"""Writers: one small class per output format, all starting from the same rendered HTML.

Heavy libraries (WeasyPrint, python-docx) are imported inside ``write`` so that
planning a build, or a build that writes nothing, never pays for them.
"""

from __future__ import annotations

from plandocs.writers.base import Writer
from plandocs.writers.docx import DocxWriter
from plandocs.writers.html import HtmlWriter
from plandocs.writers.pdf import PdfWriter

WRITERS: dict[str, type[Writer]] = {
    writer.name: writer for writer in (PdfWriter, DocxWriter, HtmlWriter)
}
FORMATS: tuple[str, ...] = tuple(WRITERS)

__all__ = ["FORMATS", "WRITERS", "Writer"]
