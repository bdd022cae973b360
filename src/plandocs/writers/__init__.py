"""Writers: one small class per output format, all starting from the same rendered HTML.

Each writer module is imported only when its format is written, and heavy libraries
(WeasyPrint, python-docx) only inside ``write``: planning a build, or a build that
writes nothing, never pays for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plandocs.writers.base import Writer

FORMATS: tuple[str, ...] = ("pdf", "docx", "html")
_CLASSES = {
    "pdf": "pdf.writer:PdfWriter",
    "docx": "docx.writer:DocxWriter",
    "html": "html:HtmlWriter",
}


def writer_class(name: str) -> type[Writer]:
    """The writer class of a format: ``pdf``, ``docx`` or ``html``."""
    module, _, cls = _CLASSES[name].partition(":")
    found: type[Writer] = getattr(importlib.import_module(f"plandocs.writers.{module}"), cls)
    return found


__all__ = ["FORMATS", "writer_class"]
