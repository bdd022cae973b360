"""The HTML preview: the rendered document as it is, styles inline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from plandocs.writers.base import Writer, Written

if TYPE_CHECKING:
    from plandocs.render.page import RenderedDocument


class HtmlWriter(Writer):
    name = "html"
    suffix = ".html"

    def write_to(self, doc: RenderedDocument, path: Path) -> Written:
        path.write_text(doc.html, encoding="utf-8")
        return Written()
